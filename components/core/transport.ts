/**
 * Transports carry protocol frames between the client and a gateway. The client does not care
 * which one it holds: WebSocket (bidirectional), SSE (server → client; changes mean reconnect) or
 * long-poll. Each presents the same shape — frames in, a close with a code out — so the client's
 * reconnect, resume and dedupe logic is written once, and tests or Storybook plug in a fake.
 * This module is that shape and the helpers every transport shares; each transport is a module
 * of its own (websocket-transport.ts, http-transports.ts), and default-transports.ts lists them.
 */
import type { ClientFrame, Cursor, HistoryPage, HistoryRequest, ServerFrame, Subscription } from '../../protocol/index.ts';

export type TransportName = 'websocket' | 'sse' | 'poll';

export interface TransportParams {
  /** Gateway base URL, e.g. `https://gw.example.com` (ws:// and wss:// are accepted too). */
  url: string;
  token: string | undefined;
  cursor: Cursor | undefined;
  subscription: Subscription;
}

export interface CloseInfo {
  code: number;
  reason: string;
  /** Whether a welcome arrived: false means the transport could not connect at all. */
  opened: boolean;
}

export interface TransportSink {
  frame(frame: ServerFrame): void;
  /** Traffic that is not a frame (an SSE heartbeat comment): the line is alive. */
  alive(): void;
  /** Called once, whether the peer, the network or `close()` ended it. */
  closed(info: CloseInfo): void;
}

export interface TransportConnection {
  /** Sends a frame in-band; false when this transport cannot (the client then reconnects). */
  send(frame: ClientFrame): boolean;
  close(): void;
}

export interface Transport {
  readonly name: TransportName;
  open(params: TransportParams, sink: TransportSink): TransportConnection;
  /**
   * Asked before the client falls back to this transport: whether the gateway answers on its
   * path at all. No means the gateway is down (restarting) rather than the previous transport
   * blocked, and the client keeps the previous transport with backoff. Absent: assume yes.
   */
  reachable?(url: string): Promise<boolean>;
  /**
   * Answers a history page itself, for a transport that does not reach the gateway over HTTP (an
   * in-page gateway, a test double). Absent: `GET /v1/history` at the gateway's URL.
   */
  history?(request: HistoryRequest, token: string | undefined): Promise<HistoryPage>;
}

export const CLIENT = { name: 'leadwire-components', version: '0.1.0' };

/** `http(s)://host/base` + path, with the ws scheme when asked. */
export function endpoint(base: string, path: string, scheme: 'http' | 'ws'): URL {
  const url = new URL(base, location.href);
  const secure = url.protocol === 'https:' || url.protocol === 'wss:';
  url.protocol = scheme === 'ws' ? (secure ? 'wss:' : 'ws:') : secure ? 'https:' : 'http:';
  url.pathname = url.pathname.replace(/\/+$/, '') + path;
  return url;
}

/**
 * Whether anything answers HTTP at the gateway's address: an opaque (no-cors) `GET /healthz`
 * resolves for any answer and fails only when nothing is listening (or the network is cut).
 */
export function httpAnswers(url: string): Promise<boolean> {
  return fetch(endpoint(url, '/healthz', 'http'), { mode: 'no-cors', cache: 'no-store', signal: AbortSignal.timeout(5_000) }).then(
    () => true,
    () => false,
  );
}

/** Wraps `closed` so it fires once and knows whether a welcome passed through. */
export function guard(sink: TransportSink) {
  let done = false;
  let opened = false;
  return {
    get done() {
      return done;
    },
    frame(frame: ServerFrame) {
      if (done) return;
      if (frame.type === 'welcome') opened = true;
      sink.frame(frame);
    },
    alive() {
      if (!done) sink.alive();
    },
    close(code: number, reason: string) {
      if (done) return;
      done = true;
      sink.closed({ code, reason, opened });
    },
  };
}

export function parseFrame(text: string): ServerFrame | undefined {
  try {
    const frame = JSON.parse(text) as ServerFrame;
    return frame && typeof frame === 'object' && typeof frame.type === 'string' ? frame : undefined;
  } catch {
    return undefined;
  }
}
