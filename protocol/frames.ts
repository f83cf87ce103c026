/**
 * Wire frames (JSON text messages) and close codes, both directions. docs/protocol.md is the
 * prose version of this file. Browser-safe: types only from schemas.ts.
 */
import type { Envelope } from './schemas.ts';
import type { Priority } from './catalog.ts';
import type { Cursor } from './cursor.ts';
import type { Filter } from './filter.ts';
import type { HistoryEnd } from './history.ts';

/**
 * The version this build speaks. A gateway keeps serving every version in SUPPORTED_VERSIONS.
 * Version 2 adds history pages (the `history` frame and `GET /v1/history`).
 */
export const PROTOCOL_VERSION = 2;
export const SUPPORTED_VERSIONS: readonly number[] = [1, 2];
/** The first version that may send `history` frames. */
export const HISTORY_SINCE_VERSION = 2;

/** An event as delivered: the stored envelope, its priority resolved, plus its stream cursor. */
export type StreamEvent = Envelope & { priority: Priority; cursor: Cursor };

export interface Subscription {
  /** Narrow to some of the token's tenants; default all of them. */
  tenants?: string[];
  filter?: Filter;
}

// ---- client → gateway --------------------------------------------------------------------

export interface HelloFrame {
  type: 'hello';
  v: number;
  token?: string;
  /** Last cursor the client holds; omit to start live from the head of the log. */
  cursor?: Cursor;
  subscription?: Subscription;
  client?: { name: string; version: string };
  /**
   * The `session` of this client's previous welcome: the welcome then says how that session
   * ended (`lastClose`), which a close frame stuck behind a full send buffer cannot.
   */
  lastSession?: string;
}
export interface SubscribeFrame {
  type: 'subscribe';
  subscription: Subscription;
}
/** `t` is the sender's clock (epoch ms); the peer answers pong with `t` echoed and its own `at`. */
export interface PingFrame {
  type: 'ping';
  t: number;
}
export interface PongFrame {
  type: 'pong';
  t: number;
  at: number;
}
export interface RefreshFrame {
  type: 'refresh';
  token: string;
}
/**
 * One page of stored events, newest first (docs/protocol.md §5a). Bounds are cursors: `before`
 * (exclusive) pages further back, `until` (inclusive) ends the page at the point a client is
 * live from, `since` (exclusive) stops it at an older point. The filter's `from`/`to` bound
 * the events' `ts` as everywhere else.
 */
export interface HistoryRequest {
  /** At most this many events (1 … HISTORY_MAX_LIMIT); default HISTORY_DEFAULT_LIMIT. */
  limit?: number;
  before?: Cursor;
  until?: Cursor;
  since?: Cursor;
  /** Whose events and which: default the connection's subscription (WebSocket) or all of the token's tenants. */
  subscription?: Subscription;
}
export interface HistoryFrame extends HistoryRequest {
  type: 'history';
  /** Echoed in the answer (and in an error about it), to pair answers with requests. */
  id: string;
}
export interface HistoryPage {
  /** Newest first; each carries its cursor. */
  events: StreamEvent[];
  /** Pass as `before` for the next, older page; null once `end` says there is nothing older. */
  next: Cursor | null;
  /** The newest position the page covers (its upper bound, or the head): attach live after it. */
  cursor: Cursor;
  end: HistoryEnd | null;
}

export type ClientFrame = HelloFrame | SubscribeFrame | PingFrame | PongFrame | RefreshFrame | HistoryFrame;

// ---- gateway → client --------------------------------------------------------------------

export interface WelcomeFrame {
  type: 'welcome';
  v: number;
  session: string;
  /** Where the client now stands: its own cursor when resumed, else the head of the log. */
  cursor: Cursor;
  /** false when the client's cursor was older than retention (or from another log): a gap. */
  recovered: boolean;
  serverTime: number;
  heartbeatMs: number;
  subscription: Subscription;
  limits: { maxFrameBytes: number };
  /**
   * How the session named by the hello's `lastSession` ended, when this gateway closed it with
   * a code other than 1000 (e.g. 4408: the client read too slowly). Absent when not known.
   */
  lastClose?: { code: number; reason: string };
}
export interface EventsFrame {
  type: 'events';
  events: StreamEvent[];
}
export interface SubscribedFrame {
  type: 'subscribed';
  subscription: Subscription;
}
export interface RefreshedFrame {
  type: 'refreshed';
  expiresAt: number | null;
}
/** The answer to a `history` frame. */
export interface HistoryAnswerFrame extends HistoryPage {
  type: 'history';
  id: string;
}
/** A non-fatal complaint; fatal ones close the socket with a CloseCode instead. */
export interface ErrorFrame {
  type: 'error';
  code: string;
  message: string;
  /** The id of the request it is about (`history`), when there is one. */
  id?: string;
}
export type ServerFrame =
  | WelcomeFrame
  | EventsFrame
  | SubscribedFrame
  | RefreshedFrame
  | PingFrame
  | PongFrame
  | HistoryAnswerFrame
  | ErrorFrame;

// ---- close codes -------------------------------------------------------------------------

export const CloseCode = {
  /** A frame that is not JSON, not a known frame, or out of order (e.g. no hello first). */
  BadFrame: 4400,
  /** Token missing, forged, malformed or naming no tenant. Get a new token before retrying. */
  Unauthorized: 4401,
  /** The page's Origin is not allowed for this deployment. Do not retry. */
  ForbiddenOrigin: 4403,
  /** The client speaks a protocol version this gateway no longer serves. Do not retry. */
  UnsupportedVersion: 4406,
  /** The client read too slowly and its send buffer filled. Resume from the last cursor. */
  Lagging: 4408,
  /** The token expired and was not refreshed in time. Retry with a fresh token. */
  TokenExpired: 4419,
  /** Too many connections or frames. Retry after a backoff. */
  RateLimited: 4429,
  /** The gateway is shutting down. The reason is JSON `{"retryMs":n}`: reconnect after it. */
  ServerRestart: 4503,
  /** No frame from the client for two heartbeat intervals. Reconnect and resume. */
  HeartbeatTimeout: 4504,
} as const;
export type CloseCode = (typeof CloseCode)[keyof typeof CloseCode];

const RETRYABLE = new Set<number>([
  CloseCode.Lagging,
  CloseCode.RateLimited,
  CloseCode.ServerRestart,
  CloseCode.HeartbeatTimeout,
  CloseCode.BadFrame,
  1001, // going away
  1006, // abnormal closure (network)
  1011, // internal error
  1012, // service restart
  1013, // try again later
]);

/** Whether a client should reconnect (with its cursor) after a close with this code. */
export function shouldReconnect(code: number): boolean {
  return RETRYABLE.has(code) || (code >= 1000 && code < 4000 && code !== 1008);
}
