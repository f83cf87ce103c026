/** In-memory log with the Redis Stream's semantics: `<ms>-<seq>` ids, retention, blocking reads. */
import { compareCursors, indexAfter, parseCursor, type Cursor } from '../../../protocol/index.ts';
import { newEpochId, seenKey, type EventLog, type LogEntry, type LogExtent, type Retention } from './log.ts';

export class MemoryLog implements EventLog {
  readonly kind = 'memory';
  readonly reconnects = 0;
  readonly deadLetters: Array<LogEntry & { reason: string }> = [];
  private entries: LogEntry[] = [];
  private lastMs = 0;
  private lastSeq = 0;
  private removed = 0;
  private waiters = new Set<() => void>();
  /** `<tenant>:<envelope id>` → [cursor, expiry ms] for appendOnce. */
  private readonly seen = new Map<string, [Cursor, number]>();
  private closed = false;
  /** A log in memory dies with its process: every start is a new epoch, begun now. */
  private readonly epoch = newEpochId();
  private readonly floor: Cursor = `${Date.now()}-0`;

  constructor(private readonly retention: Retention) {}

  async append(raw: string): Promise<Cursor> {
    const now = Date.now();
    if (now > this.lastMs) {
      this.lastMs = now;
      this.lastSeq = 0;
    } else {
      this.lastSeq += 1;
    }
    const id = `${this.lastMs}-${this.lastSeq}`;
    this.entries.push({ id, raw });
    if (this.entries.length > this.retention.maxLen * 1.1) this.trimToLength();
    for (const wake of this.waiters) wake();
    return id;
  }

  async appendOnce(tenant: string, id: string, raw: string, ttlSeconds: number): Promise<{ cursor: Cursor; duplicate: boolean }> {
    const now = Date.now();
    const key = seenKey(tenant, id);
    const known = this.seen.get(key);
    if (known && known[1] > now) return { cursor: known[0], duplicate: true };
    const cursor = await this.append(raw);
    this.seen.delete(key);
    this.seen.set(key, [cursor, now + ttlSeconds * 1000]);
    // Insertion order is expiry order (one TTL), so expired claims are at the front.
    for (const [claim, [, expires]] of this.seen) {
      if (expires > now && this.seen.size <= 1_000_000) break;
      this.seen.delete(claim);
    }
    return { cursor, duplicate: false };
  }

  async readAfter(after: Cursor, count: number): Promise<LogEntry[]> {
    const start = this.indexAfter(after);
    return this.entries.slice(start, start + count);
  }

  async readBefore(bound: Cursor, inclusive: boolean, count: number, floor?: Cursor): Promise<LogEntry[]> {
    // indexAfter finds the first entry past a cursor; one step back from the bound's is the
    // newest entry at or before it, and excluding the bound itself is one comparison more.
    let end = this.indexAfter(bound);
    if (!inclusive && end > 0 && compareCursors(this.entries[end - 1].id, bound) === 0) end--;
    const start = Math.max(floor === undefined ? 0 : this.indexAfter(floor), end - count);
    return start >= end ? [] : this.entries.slice(start, end).reverse();
  }

  async waitAfter(after: Cursor, count: number, blockMs: number): Promise<LogEntry[]> {
    const ready = await this.readAfter(after, count);
    if (ready.length > 0 || this.closed) return ready;
    await new Promise<void>((resolve) => {
      const wake = () => {
        clearTimeout(timer);
        this.waiters.delete(wake);
        resolve();
      };
      const timer = setTimeout(wake, blockMs);
      this.waiters.add(wake);
    });
    return this.readAfter(after, count);
  }

  async extent(): Promise<LogExtent> {
    return {
      lastId: `${this.lastMs}-${this.lastSeq}`,
      firstId: this.entries[0]?.id ?? null,
      trimmed: this.removed > 0,
      epoch: this.epoch,
      floor: this.floor,
    };
  }

  async trim(): Promise<void> {
    this.trimToLength();
    if (this.retention.maxAgeMs > 0) {
      const cutoff = BigInt(Date.now() - this.retention.maxAgeMs);
      let n = 0;
      while (n < this.entries.length && parseCursor(this.entries[n].id)[0] < cutoff) n++;
      this.drop(n);
    }
  }

  async deadLetter(entry: LogEntry, reason: string): Promise<void> {
    this.deadLetters.push({ ...entry, reason });
    if (this.deadLetters.length > 10_000) this.deadLetters.shift();
  }

  async ping(): Promise<number> {
    return 0;
  }

  async close(): Promise<void> {
    this.closed = true;
    for (const wake of this.waiters) wake();
  }

  private trimToLength(): void {
    this.drop(this.entries.length - this.retention.maxLen);
  }

  private drop(n: number): void {
    if (n <= 0) return;
    this.entries.splice(0, n);
    this.removed += n;
  }

  /** Index of the first entry with id > after. */
  private indexAfter(after: Cursor): number {
    return indexAfter(this.entries, (entry) => entry.id, after);
  }
}
