/** WebSocket transport: `/v1/ws`, JSON text frames, every client frame validated. */
import type { IncomingMessage, Server } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';
import { CloseCode, type ClientFrame } from '../../../protocol/index.ts';
import { clientFrameSchema, describeIssues } from '../../../protocol/schemas.ts';
import type { Config } from '../config.ts';
import type { Hub } from '../hub.ts';
import type { Logger } from '../logger.ts';
import type { Session, Sink } from '../session.ts';
import { AuthError } from '../auth.ts';
import { clientIp, frameBucket } from '../limits.ts';
import { originAllowed } from '../origins.ts';

export const WS_PATH = '/v1/ws';
const HELLO_TIMEOUT_MS = 10_000;

/** Close reasons are limited to 123 bytes by RFC 6455. */
function reasonOf(text: string): string {
  const bytes = Buffer.from(text);
  return bytes.length <= 123 ? text : bytes.subarray(0, 120).toString() + '…';
}

class WsSink implements Sink {
  readonly transport = 'ws';
  constructor(
    private readonly socket: WebSocket,
    private readonly closeGraceMs: number,
    readonly origin?: string,
  ) {}
  send(frame: string): void {
    if (this.socket.readyState === this.socket.OPEN) this.socket.send(frame);
  }
  sendBytes(frame: Buffer): void {
    if (this.socket.readyState === this.socket.OPEN) this.socket.send(frame, { binary: false });
  }
  bufferedBytes(): number {
    return this.socket.bufferedAmount;
  }
  close(code: number, reason: string): void {
    if (this.socket.readyState === this.socket.OPEN || this.socket.readyState === this.socket.CONNECTING) {
      this.socket.close(code, reasonOf(reason));
      // A peer that stopped reading never completes the closing handshake; do not wait on it.
      setTimeout(() => this.socket.terminate(), this.closeGraceMs).unref();
    }
  }
}

export function attachWebSocket(server: Server, hub: Hub, config: Config, logger: Logger): WebSocketServer {
  const wss = new WebSocketServer({ noServer: true, maxPayload: config.MAX_FRAME_BYTES, perMessageDeflate: false });

  server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    const path = (req.url ?? '').split('?')[0];
    if (path !== WS_PATH) {
      socket.end('HTTP/1.1 404 Not Found\r\nConnection: close\r\n\r\n');
      return;
    }
    // Refusals accept the upgrade and then close with a code: a browser sees the code (4403 do
    // not retry, 4429 back off), whereas a refused upgrade only shows as an anonymous 1006.
    const origin = req.headers.origin;
    const ip = clientIp(req, config.TRUST_PROXY_HOPS);
    if (!originAllowed(origin, config, req.headers.host)) {
      logger.warn({ origin, ip }, 'websocket refused: origin not allowed');
      return wss.handleUpgrade(req, socket, head, (ws) => new WsSink(ws, config.CLOSE_GRACE_MS).close(CloseCode.ForbiddenOrigin, `origin ${origin} is not allowed`));
    }
    const admitted = hub.limits.admitIp(ip);
    if ('refused' in admitted) {
      logger.warn({ ip, reason: admitted.refused }, 'websocket refused: address limit');
      return wss.handleUpgrade(req, socket, head, (ws) => new WsSink(ws, config.CLOSE_GRACE_MS).close(CloseCode.RateLimited, admitted.refused));
    }
    socket.once('close', admitted.release);
    wss.handleUpgrade(req, socket, head, (ws) => serve(ws, origin));
  });

  function serve(ws: WebSocket, origin: string | undefined): void {
    const sink = new WsSink(ws, config.CLOSE_GRACE_MS, origin);
    const frames = frameBucket(config);
    let session: Session | undefined;
    let opening = false;
    const helloTimer = setTimeout(() => sink.close(CloseCode.BadFrame, 'expected hello'), HELLO_TIMEOUT_MS);

    ws.on('error', (error) => logger.debug({ err: error.message }, 'websocket error'));
    ws.on('close', () => {
      clearTimeout(helloTimer);
      session?.close(1000, 'closed');
    });
    ws.on('message', (data, isBinary) => {
      if (ws.readyState !== ws.OPEN) return; // closing: what is still in flight is not read
      if (!frames.take()) {
        hub.limits.refused.frames++;
        logger.warn({ session: session?.id }, 'websocket closed: frame rate limit');
        return sink.close(CloseCode.RateLimited, `more than ${config.MAX_FRAMES_PER_SECOND} frames per second: retry later`);
      }
      if (isBinary) return sink.close(CloseCode.BadFrame, 'binary frames are not part of the protocol');
      let frame: ClientFrame;
      try {
        const parsed = clientFrameSchema.safeParse(JSON.parse(data.toString()));
        if (!parsed.success) return sink.close(CloseCode.BadFrame, `bad frame: ${describeIssues(parsed.error)}`);
        frame = parsed.data as ClientFrame;
      } catch {
        return sink.close(CloseCode.BadFrame, 'bad frame: not JSON');
      }
      if (session) session.lastSeenAt = Date.now();
      if (frame.type === 'hello') {
        if (session || opening) return sink.close(CloseCode.BadFrame, 'hello sent twice');
        opening = true;
        clearTimeout(helloTimer);
        hub.open(sink, frame).then((opened) => {
          session = opened;
          if (session && ws.readyState !== ws.OPEN) session.close(1000, 'closed');
        });
        return;
      }
      if (!session) {
        // Frames sent before the token check finishes are dropped, not fatal.
        return opening ? undefined : sink.close(CloseCode.BadFrame, 'expected hello first');
      }
      switch (frame.type) {
        case 'ping':
          return sink.send(JSON.stringify({ type: 'pong', t: frame.t, at: Date.now() }));
        case 'pong':
          return;
        case 'subscribe': {
          const refused = hub.resubscribe(session, frame.subscription);
          if (refused.length) {
            sink.send(JSON.stringify({ type: 'error', code: 'forbidden_tenant', message: `token does not allow tenants: ${refused.join(', ')}` }));
          }
          return sink.send(JSON.stringify({ type: 'subscribed', subscription: session.subscription() }));
        }
        case 'refresh': {
          const current = session;
          hub.auth.authenticate(frame.token, { origin, tenants: [...current.principal.tenants] }).then(
            (principal) => {
              if (principal.subject !== current.principal.subject) {
                return current.close(CloseCode.Unauthorized, 'refresh token names another subject');
              }
              current.principal = principal;
              current.watchExpiry();
              hub.resubscribe(current, current.subscription());
              sink.send(JSON.stringify({ type: 'refreshed', expiresAt: principal.expiresAt }));
            },
            (error: Error) => current.close(error instanceof AuthError ? error.closeCode : CloseCode.Unauthorized, error.message),
          );
          return;
        }
      }
    });
  }

  return wss;
}
