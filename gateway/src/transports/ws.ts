/**
 * WebSocket transport: `/v1/ws`, JSON text frames. The upgrade is checked here (path, origin,
 * the address's connection limits); every frame is handed to a ClientConnection, which holds
 * the protocol's rules.
 */
import type { IncomingMessage, Server } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';
import { CloseCode } from '../../../protocol/index.ts';
import type { Clients } from '../clients.ts';
import type { Config } from '../config.ts';
import { clientIp, type ConnectionLimits } from '../limits.ts';
import type { Logger } from '../logger.ts';
import { originAllowed } from '../origins.ts';
import type { Sink } from '../session.ts';

export const WS_PATH = '/v1/ws';

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

export interface WebSocketDeps {
  config: Pick<Config, 'MAX_FRAME_BYTES' | 'TRUST_PROXY_HOPS' | 'CLOSE_GRACE_MS' | 'ALLOWED_ORIGINS' | 'HOST'>;
  clients: Pick<Clients, 'connect'>;
  limits: Pick<ConnectionLimits, 'admitIp'>;
  logger: Logger;
}

export function attachWebSocket(server: Server, { config, clients, limits, logger }: WebSocketDeps): WebSocketServer {
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
    const admitted = limits.admitIp(ip);
    if ('refused' in admitted) {
      logger.warn({ ip, reason: admitted.refused }, 'websocket refused: address limit');
      return wss.handleUpgrade(req, socket, head, (ws) => new WsSink(ws, config.CLOSE_GRACE_MS).close(CloseCode.RateLimited, admitted.refused));
    }
    socket.once('close', admitted.release);
    wss.handleUpgrade(req, socket, head, (ws) => serve(ws, origin));
  });

  function serve(ws: WebSocket, origin: string | undefined): void {
    const connection = clients.connect(new WsSink(ws, config.CLOSE_GRACE_MS, origin));
    ws.on('error', (error) => logger.debug({ err: error.message }, 'websocket error'));
    ws.on('close', () => connection.closed());
    ws.on('message', (data, isBinary) => {
      if (ws.readyState !== ws.OPEN) return; // closing: what is still in flight is not read
      if (isBinary) connection.receiveBinary();
      else connection.receiveText(data.toString());
    });
  }

  return wss;
}
