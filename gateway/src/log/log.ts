/**
 * The durable log that replay reads: a Redis Stream in deployment, an in-memory log with the
 * same semantics otherwise. Entries are raw (validation happens once, in decode.ts' Decoder).
 */
import type { CircuitBreaker } from './breaker.ts';
import { compareCursors, CURSOR_ZERO, type Cursor } from '../../../protocol/index.ts';

export interface LogEntry {
  id: Cursor;
  /** The `e` field: envelope JSON as the publisher wrote it (undefined when the field is missing). */
  raw: string | undefined;
}

/** What the log can tell about its own extent, to decide whether a cursor is recoverable. */
export interface LogExtent {
  /** Last id ever generated (the head), '0-0' for a log that never had an entry. */
  lastId: Cursor;
  /** Oldest entry still held, null when empty. */
  firstId: Cursor | null;
  /** Whether any entry was ever removed (trimmed by retention or deleted). */
  trimmed: boolean;
  /**
   * This log's epoch (as Centrifugo keeps one per stream): a new id whenever the log was
   * wiped or replaced (a Redis restarted without persistence, a FLUSHALL, another log).
   */
  epoch: string;
  /** The first cursor of this epoch: a cursor before it (other than 0-0) is from an older log. */
  floor: Cursor;
}

export interface EventLog {
  readonly kind: 'memory' | 'redis';
  /** The circuit breaker around the store (Redis only). */
  readonly breaker?: Pick<CircuitBreaker, 'state' | 'opened'>;
  /**
   * How many times the connection to the store was re-established: a read that spans a
   * reconnect may come from a store that lost its data (see LogExtent.epoch).
   */
  readonly reconnects: number;
  /** Appends one entry; resolves with its id. */
  append(raw: string): Promise<Cursor>;
  /**
   * Appends unless an entry with this envelope id was appended for this tenant within
   * `ttlSeconds` (by any gateway): the check and the append are one atomic step. A duplicate
   * resolves with the cursor of the first append. Ids are the publishers' and unique per
   * tenant only: the same id from two tenants is two events.
   */
  appendOnce(tenant: string, id: string, raw: string, ttlSeconds: number): Promise<{ cursor: Cursor; duplicate: boolean }>;
  /** Entries with id > after, oldest first, at most count. */
  readAfter(after: Cursor, count: number): Promise<LogEntry[]>;
  /**
   * Entries before `bound`, newest first, at most count, and none at or before `floor` when
   * given: `bound` itself is included when `inclusive` (a history page up to the point a client
   * is live from), excluded otherwise (the next, older page).
   */
  readBefore(bound: Cursor, inclusive: boolean, count: number, floor?: Cursor): Promise<LogEntry[]>;
  /** Like readAfter, but waits up to blockMs for something to arrive. The tail loop uses it. */
  waitAfter(after: Cursor, count: number, blockMs: number): Promise<LogEntry[]>;
  extent(): Promise<LogExtent>;
  /** Applies retention (max length, max age). */
  trim(): Promise<void>;
  /** Records an invalid entry with the reason, once per entry id even with several gateways. */
  deadLetter(entry: LogEntry, reason: string): Promise<void>;
  /** Round-trip to the backing store in ms; rejects when it is unreachable. */
  ping(): Promise<number>;
  close(): Promise<void>;
}

/** The dedupe claim of one envelope: `<tenant>:<id>` (tenant ids cannot contain ':'). */
export function seenKey(tenant: string, id: string): string {
  return `${tenant}:${id}`;
}

export interface Retention {
  maxLen: number;
  /** 0 = no age bound. */
  maxAgeMs: number;
}

/**
 * Whether everything after `cursor` is still in the log. Removed entries are all older than
 * firstId, so a cursor at or after firstId is safe; one before it is not once anything was
 * removed. A cursor beyond the head comes from another log (e.g. before a restart of the
 * in-memory log): not recoverable either; so is one from before this log's epoch began (the
 * log was wiped and refilled since).
 */
export function isRecoverable(cursor: Cursor, extent: LogExtent): boolean {
  if (compareCursors(cursor, extent.lastId) > 0) return false;
  // 0-0 is the head of a log that had no entry yet: nothing can have been missed before it.
  if (cursor !== CURSOR_ZERO && compareCursors(cursor, extent.floor) < 0) return false;
  if (!extent.trimmed) return true;
  if (extent.firstId === null) return compareCursors(cursor, extent.lastId) === 0;
  return compareCursors(cursor, extent.firstId) >= 0;
}

export { CURSOR_ZERO };

/** A fresh epoch id: random, short, for logs and comparison only. */
export function newEpochId(): string {
  return Math.random().toString(36).slice(2, 10) + Date.now().toString(36);
}

/** The cursor just before `cursor`, so that reading "after" it starts at `cursor` itself. */
export function cursorBefore(cursor: Cursor): Cursor {
  const [ms, seq] = cursor.split('-').map(BigInt);
  if (seq > 0n) return `${ms}-${seq - 1n}`;
  return ms > 0n ? `${ms - 1n}-18446744073709551615` : CURSOR_ZERO;
}
