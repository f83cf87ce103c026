/**
 * Server-Sent Events: `GET /v1/sse?cursor=&subscription=` with `Authorization: Bearer <jwt>`,
 * or the token in `?token=` for EventSource, which cannot set headers (never log request URLs;
 * the header wins when both are given). The same session as a WebSocket, written as an event
 * stream: `welcome` and `events` messages whose `id:` is a cursor, so the browser's automatic
 * reconnect resumes with `Last-Event-ID`; `: ping` comments as heartbeat; a closing `close`
 * message with the code the WebSocket would get.
 */
import type { Request, RequestHandler, Response } from 'express';
import { CloseCode, type Cursor } from '../../../protocol/index.ts';
import type { Clients } from '../clients.ts';
import type { Config } from '../config.ts';
import { clientIp, type ConnectionLimits } from '../limits.ts';
import type { Sink } from '../session.ts';
import { bearerToken, queryToken, refuse, refuseAuth, refuseBadRequest } from '../http-requests.ts';
import { resumeParams } from './resume.ts';

export const SSE_PATH = '/v1/sse';
/** Browsers wait this long before reconnecting after the stream ends. */
const RETRY_MS = 1_000;

class SseSink implements Sink {
  readonly transport = 'sse';
  private started = false;
  private closed = false;
  constructor(
    private readonly res: Response,
    readonly origin: string | undefined,
  ) {}

  /** The stream starts with the first message, so a refusal before it can still be plain JSON. */
  private begin(): void {
    if (this.started) return;
    this.started = true;
    this.res.writeHead(200, {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-cache, no-transform',
      connection: 'keep-alive',
      // nginx and friends buffer responses by default, which would hold events back.
      'x-accel-buffering': 'no',
    });
    this.res.write(`retry: ${RETRY_MS}\n\n`);
  }

  send(frame: string, lastCursor?: Cursor): void {
    if (this.closed) return;
    this.begin();
    const type = /^\{"type":"(\w+)"/.exec(frame)?.[1] ?? 'message';
    // The welcome carries the starting cursor too, so a reconnect before any event still resumes.
    const id = lastCursor ?? (type === 'welcome' ? (JSON.parse(frame) as { cursor: Cursor }).cursor : undefined);
    this.res.write(`${id ? `id: ${id}\n` : ''}event: ${type}\ndata: ${frame}\n\n`);
  }

  heartbeat(): void {
    if (this.closed) return;
    this.begin();
    this.res.write(': ping\n\n');
  }

  bufferedBytes(): number {
    return this.res.writableLength;
  }

  close(code: number, reason: string): void {
    if (this.closed) return;
    this.closed = true;
    if (!this.started) {
      const status = code === CloseCode.RateLimited ? 429 : code === 1000 ? 204 : 503;
      if (status === 204) this.res.status(204).end();
      else refuse(this.res, status, code === CloseCode.RateLimited ? 'rate_limited' : 'retry', reason);
      return;
    }
    let retry = '';
    if (code === CloseCode.ServerRestart) {
      const retryMs = Number((JSON.parse(reason) as { retryMs?: number }).retryMs);
      // The jittered delay as drawn: flooring it would bunch every client up again.
      if (Number.isFinite(retryMs)) retry = `retry: ${retryMs}\n`;
    }
    this.res.end(`${retry}event: close\ndata: ${JSON.stringify({ code, reason })}\n\n`);
  }
}

export interface SseDeps {
  config: Pick<Config, 'TRUST_PROXY_HOPS'>;
  clients: Pick<Clients, 'authenticate' | 'start'>;
  limits: Pick<ConnectionLimits, 'admitIp'>;
}

export function sseHandler({ config, clients, limits }: SseDeps): RequestHandler {
  return async (req: Request, res: Response) => {
    let resume;
    try {
      resume = resumeParams(req);
    } catch (error) {
      if (refuseBadRequest(res, error)) return;
      throw error;
    }
    const origin = req.get('origin');
    let principal;
    try {
      principal = await clients.authenticate(bearerToken(req) ?? queryToken(req), origin, resume);
    } catch (error) {
      return refuseAuth(res, error);
    }
    if (req.socket.destroyed) return;
    // A stream holds a connection like a WebSocket does: it takes a slot of the address's limit.
    const admitted = limits.admitIp(clientIp(req, config.TRUST_PROXY_HOPS));
    if ('refused' in admitted) return refuse(res, 429, 'rate_limited', admitted.refused);
    res.on('close', admitted.release);
    req.socket.setNoDelay(true);
    const started = clients.start(new SseSink(res, origin), principal, resume);
    if (started) res.on('close', () => started.session.close(1000, 'closed'));
  };
}
