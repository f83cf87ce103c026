/**
 * One client's delivery state, whatever its transport: what it may see, what it asked for,
 * events waiting to be coalesced into the next frame, and the bound on how far it may fall
 * behind before it is told to resume later.
 */
import {
  ALL_TENANTS,
  CloseCode,
  compareCursors,
  compileFilter,
  type Cursor,
  type Filter,
  type Predicate,
  type Priority,
  type Subscription,
} from '../../protocol/index.ts';
import { maySee, type Principal } from './auth.ts';
import type { DeliverableEvent } from './decode.ts';
import { maskedJson } from './pii.ts';

export interface Sink {
  readonly transport: 'ws' | 'sse' | 'poll';
  /** The page's Origin header, when the client is a browser page (checked against token claims). */
  readonly origin?: string;
  /** `lastCursor` is given with events frames: the cursor of the frame's last event (SSE ids). */
  send(frame: string, lastCursor?: Cursor): void;
  /**
   * The same for a frame already encoded as UTF-8 (transports that can write bytes as a text
   * frame): the sessions of one tenant that flush together share one encoded frame.
   */
  sendBytes?(frame: Buffer, lastCursor?: Cursor): void;
  /** Keep-alive for transports the client cannot ping through (SSE comments). */
  heartbeat?(): void;
  /** Bytes handed to the transport that the peer has not taken yet. */
  bufferedBytes(): number;
  close(code: number, reason: string): void;
}

export interface SessionLimits {
  sendBufferBytes: number;
  replayLiveBuffer: number;
  replayLiveBufferBytes: number;
  batchMaxWaitMs: number;
  batchHighWaitMs: number;
  batchLowWaitMs: number;
  /** Events/s from which a connection counts as busy and its frames are coalesced. */
  batchBusyRate: number;
}

export type SessionState = 'handshake' | 'replaying' | 'live' | 'closed';

let nextId = 0;

export class Session {
  readonly id = `s${Date.now().toString(36)}${(nextId++).toString(36)}`;
  state: SessionState = 'handshake';
  /** Tenants this session receives: the token's, narrowed by the subscription. */
  tenants: ReadonlySet<string> = new Set();
  private filter: Filter | undefined;
  /** The filter compiled once per subscription: every event offered to the session asks it. */
  private passes: Predicate = compileFilter(undefined);
  /** Cursor of the last event written to the client (or where it started). */
  lastCursor: Cursor = '0-0';
  lastFlushAt = 0;
  /** Live events offered in about the last RATE_WINDOW_MS (a decaying count). */
  private recentEvents = 0;
  private lastOfferAt = 0;
  lastSeenAt = Date.now();
  onClose: ((code: number, reason: string) => void) | undefined;
  /** Called with each batch of live events as it is written (metrics). */
  onLiveWrite: ((events: DeliverableEvent[], now: number) => void) | undefined;

  private expiryTimer: NodeJS.Timeout | undefined;
  private pending: DeliverableEvent[] = [];
  /** The most urgent priority among the pending events (lane of the next frame). */
  private lane: Priority | undefined;
  /** Live events that arrive while the replay runs; merged once it is done. */
  private liveBuffer: DeliverableEvent[] | null = null;
  private liveBufferBytes = 0;
  /** After replay, live events at or before this cursor were already replayed. */
  private dedupeThrough: Cursor | null = null;

  constructor(
    readonly sink: Sink,
    public principal: Principal,
    private readonly limits: SessionLimits,
  ) {}

  /** Applies a subscription; returns the tenants it asked for that the token does not allow. */
  subscribe(subscription: Subscription | undefined): string[] {
    const { tenants, refused } = narrowTenants(this.principal, subscription);
    this.tenants = tenants;
    this.filter = subscription?.filter;
    this.passes = compileFilter(this.filter);
    return refused;
  }

  subscription(): Subscription {
    return { tenants: [...this.tenants], ...(this.filter ? { filter: this.filter } : {}) };
  }

  wants(event: DeliverableEvent): boolean {
    return deliverable(this.principal, this.tenants, this.passes, event);
  }

  beginReplay(): void {
    this.state = 'replaying';
    this.liveBuffer = [];
    this.liveBufferBytes = 0;
  }

  /**
   * Ends the replay, which read the log through `readThrough`: buffered live events after that
   * point are queued, and live events up to it are dropped as already sent.
   */
  endReplay(readThrough: Cursor): void {
    const buffered = this.liveBuffer ?? [];
    this.liveBuffer = null;
    this.state = 'live';
    this.dedupeThrough = readThrough;
    for (const event of buffered) this.offer(event);
  }

  /** Offers a live event the session wants; true when something is now waiting to be flushed. */
  offer(event: DeliverableEvent): boolean {
    if (this.state === 'replaying') {
      this.liveBuffer!.push(event);
      this.liveBufferBytes += event.json.length;
      if (this.liveBuffer!.length > this.limits.replayLiveBuffer || this.liveBufferBytes > this.limits.replayLiveBufferBytes) this.lag();
      return false;
    }
    if (this.state !== 'live') return false;
    if (this.dedupeThrough !== null) {
      // The tail delivers in cursor order, so the first newer event ends the overlap for good.
      if (compareCursors(event.cursor, this.dedupeThrough) <= 0) return false;
      this.dedupeThrough = null;
    }
    this.pending.push(event);
    const now = Date.now();
    this.recentEvents = this.recentEvents * Math.exp((this.lastOfferAt - now) / RATE_WINDOW_MS) + 1;
    this.lastOfferAt = now;
    if (this.lane === undefined || LANE_RANK[event.priority] < LANE_RANK[this.lane]) this.lane = event.priority;
    // Lagging means the peer has not taken what it was already sent; what waits here to be
    // coalesced is bounded by the batching window, not by the peer.
    if (this.sink.bufferedBytes() > this.limits.sendBufferBytes) {
      this.lag();
      return false;
    }
    return true;
  }

  /**
   * When the pending events should be written: each priority is a lane with its own longest
   * wait after the previous frame — critical none, high BATCH_HIGH_WAIT_MS, normal
   * BATCH_MAX_WAIT_MS, low BATCH_LOW_WAIT_MS — and the most urgent pending event sets the
   * frame's. Waiting happens only where it buys something: when this connection gets events
   * at BATCH_BUSY_RATE or more. A quiet connection gets every event at once, low ones too.
   */
  dueAt(): number {
    if (this.lane === undefined || this.lane === 'critical') return 0;
    const ratePerSecond = (this.recentEvents * 1_000) / RATE_WINDOW_MS;
    if (ratePerSecond < this.limits.batchBusyRate) return 0;
    const { batchHighWaitMs, batchMaxWaitMs, batchLowWaitMs } = this.limits;
    return this.lastFlushAt + (this.lane === 'high' ? batchHighWaitMs : this.lane === 'normal' ? batchMaxWaitMs : batchLowWaitMs);
  }

  hasPending(): boolean {
    return this.pending.length > 0;
  }

  /** `frames` shares encoded frames between the sessions flushed in one pass (see Hub). */
  flush(now: number, frames?: FrameCache): void {
    if (this.pending.length === 0 || this.state !== 'live') return;
    if (this.sink.bufferedBytes() > this.limits.sendBufferBytes) return this.lag();
    const events = this.pending;
    this.pending = [];
    this.lane = undefined;
    this.lastFlushAt = now;
    this.write(events, frames);
    this.onLiveWrite?.(events, now);
  }

  /**
   * An event that is not in the log (an alert while the log cannot be written): what is
   * pending goes first, then this at once, in a frame of its own that moves no cursor.
   */
  sendUnlogged(event: DeliverableEvent, now: number): void {
    if (this.state !== 'live') return;
    this.flush(now);
    this.sink.send(eventsFrame([event], 0, 1, this.principal.scopes.has('pii:read')));
  }

  /** Writes replayed events directly (replay is paced by the caller, not batched). */
  sendReplayed(events: DeliverableEvent[]): void {
    this.write(events);
  }

  /** Frames of at most about FRAME_TARGET_BYTES, so a large read never becomes one huge message. */
  private write(events: DeliverableEvent[], frames?: FrameCache): void {
    if (events.length === 0) return;
    const revealPii = this.principal.scopes.has('pii:read');
    let start = 0;
    let bytes = 0;
    for (let i = 0; i < events.length; i++) {
      bytes += events[i].json.length;
      if (bytes >= FRAME_TARGET_BYTES || i === events.length - 1) {
        const cursor = events[i].cursor;
        if (frames && this.sink.sendBytes) this.sink.sendBytes(frames.get(events, start, i + 1, revealPii), cursor);
        else this.sink.send(eventsFrame(events, start, i + 1, revealPii), cursor);
        start = i + 1;
        bytes = 0;
      }
    }
    this.lastCursor = events[events.length - 1].cursor;
  }

  /** Closes the session when its token expires, unless a refresh replaces the principal first. */
  watchExpiry(): void {
    clearTimeout(this.expiryTimer);
    const expiresAt = this.principal.expiresAt;
    if (expiresAt === null) return;
    // setTimeout caps at 2^31-1 ms; a longer-lived token is re-checked when that fires.
    const delay = Math.min(Math.max(expiresAt - Date.now(), 0), 2 ** 31 - 1);
    this.expiryTimer = setTimeout(() => {
      if (this.principal.expiresAt !== null && this.principal.expiresAt <= Date.now()) {
        this.close(CloseCode.TokenExpired, 'token expired: refresh it or reconnect with a new one');
      } else {
        this.watchExpiry();
      }
    }, delay);
    this.expiryTimer.unref();
  }

  close(code: number, reason: string): void {
    if (this.state === 'closed') return;
    this.state = 'closed';
    clearTimeout(this.expiryTimer);
    this.pending = [];
    this.liveBuffer = null;
    this.liveBufferBytes = 0;
    this.sink.close(code, reason);
    this.onClose?.(code, reason);
  }

  private lag(): void {
    this.close(CloseCode.Lagging, 'send buffer full: resume from your last cursor');
  }
}

/**
 * The tenants a subscription receives: those it names (all of the token's when it names none),
 * narrowed to the token's; `refused` lists the ones the token does not allow.
 */
export function narrowTenants(principal: Principal, subscription: Subscription | undefined): { tenants: Set<string>; refused: string[] } {
  const allowed = principal.tenants;
  // Omitted: all of the token's tenants. A list, even an empty one, is taken as it is, so the
  // effective list echoed in welcome/subscribed means the same when it is sent back.
  const asked = subscription?.tenants ?? [...allowed];
  return { tenants: new Set(asked.filter((t) => allowed.has(t))), refused: asked.filter((t) => !allowed.has(t)) };
}

/** Whether an event goes to a reader of these tenants and filter: the one rule of every path (live, replay, history). */
export function deliverable(principal: Principal, tenants: ReadonlySet<string>, passes: Predicate, event: DeliverableEvent): boolean {
  if (event.tenant !== ALL_TENANTS && !tenants.has(event.tenant)) return false;
  return maySee(principal, event.tenant, event.type) && passes(event);
}

export const FRAME_TARGET_BYTES = 256 * 1024;
const LANE_RANK: Record<Priority, number> = { critical: 0, high: 1, normal: 2, low: 3 };
/** The span over which a connection's event rate is judged for batching. */
const RATE_WINDOW_MS = 100;

/**
 * Encoded events frames of one flush pass, by content: the connections of a tenant that flush
 * together mostly send the same frame, so it is serialised and UTF-8 encoded once, not once
 * per connection. Keyed by the events' cursors and the PII mode; dropped after the pass.
 */
export class FrameCache {
  private readonly frames = new Map<string, Buffer>();

  get(events: DeliverableEvent[], start: number, end: number, revealPii: boolean): Buffer {
    let key = revealPii ? 'r' : 'm';
    for (let i = start; i < end; i++) key += events[i].cursor;
    let frame = this.frames.get(key);
    if (!frame) this.frames.set(key, (frame = Buffer.from(eventsFrame(events, start, end, revealPii))));
    return frame;
  }
}

export const EVENTS_FRAME_PREFIX = '{"type":"events","events":[';

/** An events frame; PII is masked unless `revealPii` (the reader's token has `pii:read`). */
export function eventsFrame(events: DeliverableEvent[], start = 0, end = events.length, revealPii = false): string {
  let body = EVENTS_FRAME_PREFIX;
  for (let i = start; i < end; i++) body += (i > start ? ',' : '') + (revealPii ? events[i].json : maskedJson(events[i]));
  return body + ']}';
}
