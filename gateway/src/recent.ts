/**
 * The last events the tail fanned out, indexed by tenant, so that the common resume — a client
 * back from a dropped connection a few seconds later — replays from memory: its own tenants'
 * events, found by binary search, with no log read and nobody else's events decoded. Centrifugo
 * keeps per-channel history for the same reason. The log stays the source of truth for
 * anything older than this window.
 */
import { ALL_TENANTS, compareCursors, indexAfter, type Cursor } from '../../protocol/index.ts';
import type { DeliverableEvent } from './decode.ts';

/** One tenant's held events, oldest first; `start` skips the evicted ones until compaction. */
interface Run {
  events: DeliverableEvent[];
  start: number;
}

export class RecentEvents {
  private readonly ring: Array<DeliverableEvent | undefined>;
  private oldest = 0;
  private size = 0;
  private readonly byTenant = new Map<string, Run>();
  /** Every deliverable event after this cursor is held; undefined until the first append. */
  private after: Cursor | undefined;
  private newest: Cursor | undefined;

  constructor(readonly capacity: number) {
    this.ring = new Array(capacity);
  }

  /**
   * Appends events in log order, as the tail read them. The window claims nothing before the
   * first event it was given (what came before it was never seen here).
   */
  append(event: DeliverableEvent): void {
    if (this.capacity === 0) return;
    this.after ??= event.cursor;
    if (this.size === this.capacity) this.evictOldest();
    this.ring[(this.oldest + this.size) % this.capacity] = event;
    this.size++;
    let run = this.byTenant.get(event.tenant);
    if (!run) this.byTenant.set(event.tenant, (run = { events: [], start: 0 }));
    run.events.push(event);
    this.newest = event.cursor;
  }

  /**
   * The events after `cursor` for `tenants` (and those for every tenant), in log order, and the
   * cursor they run through; undefined when the window does not reach back to `cursor`.
   */
  since(cursor: Cursor, tenants: ReadonlySet<string>): { events: DeliverableEvent[]; through: Cursor } | undefined {
    if (this.after === undefined || compareCursors(cursor, this.after) < 0) return undefined;
    const lists: DeliverableEvent[][] = [];
    for (const tenant of [...tenants, ALL_TENANTS]) {
      const run = this.byTenant.get(tenant);
      if (!run) continue;
      const from = indexAfter(run.events, (event) => event.cursor, cursor, run.start);
      if (from < run.events.length) lists.push(run.events.slice(from));
    }
    const events = lists.length === 1 ? lists[0] : lists.flat().sort((a, b) => compareCursors(a.cursor, b.cursor));
    const through = this.newest !== undefined && compareCursors(this.newest, cursor) > 0 ? this.newest : cursor;
    return { events, through };
  }

  /** Forgets every event (the log they came from was replaced). */
  clear(): void {
    this.ring.fill(undefined);
    this.oldest = 0;
    this.size = 0;
    this.byTenant.clear();
    this.after = undefined;
    this.newest = undefined;
  }

  /** Events the runs keep, evicted ones not yet compacted away included: below 2 × capacity + tenants. */
  retained(): number {
    let n = 0;
    for (const run of this.byTenant.values()) n += run.events.length;
    return n;
  }

  private evictOldest(): void {
    const event = this.ring[this.oldest]!;
    this.ring[this.oldest] = undefined;
    this.oldest = (this.oldest + 1) % this.capacity;
    this.size--;
    this.after = event.cursor;
    // Log order is tenant order too: the oldest event overall is the oldest of its tenant.
    const run = this.byTenant.get(event.tenant)!;
    run.start++;
    if (run.start === run.events.length) this.byTenant.delete(event.tenant);
    else if (run.start * 2 >= run.events.length) {
      // Once half of a run is evicted: each event is copied at most once on average.
      run.events = run.events.slice(run.start);
      run.start = 0;
    }
  }
}
