/**
 * What the feed shows of the log before it went live (docs/protocol.md §5a): the newest events
 * matching the group's filter, up to `max-items`, ending exactly where the feed's live stream
 * starts (the listener's attach cursor), so nothing is missing or shown twice; older pages on
 * demand ("Load older"), until the filter's range or the log's retention ends. A new filter
 * asks again (rows already held are skipped by cursor).
 */
import { HISTORY_MAX_LIMIT, compareCursors, matches, type Cursor, type Filter, type HistoryEnd, type HistoryRequest, type StreamEvent } from '../../protocol/index.ts';
import type { GatewayClient } from '../core/client.ts';
import { readingFilter } from '../core/feed-filter.ts';
import { addStrings } from '../core/l10n.ts';
import { feedHistoryStrings } from '../core/strings/feed-history.ts';
import { renderHistoryFooter } from './history-footer.ts';
import type { Row } from './row.ts';

// Here, in the module whose exports the feed uses: a bundler honouring the package's
// `sideEffects` list drops the body of a module that only re-exports.
addStrings(feedHistoryStrings);

export type HistoryPhase = 'idle' | 'loading' | 'ready' | 'error';

export interface FeedHistoryHost {
  client(): GatewayClient | undefined;
  filter(): Filter;
  /** How many events the first pages should bring together. */
  target(): number;
  /** The feed's rows, newest first; given rows, replaces them. */
  rows(rows?: Row[]): Row[];
  changed(): void;
}

export class FeedHistory {
  phase: HistoryPhase = 'idle';
  /** Where "Load older" goes on from; null once nothing older is left. */
  next: Cursor | null = null;
  end: HistoryEnd | null = null;
  error = '';
  /** Bumped by a new filter: answers to older requests are dropped. */
  private generation = 0;
  /** The filter the last pages were read with, as JSON. */
  private asked: string | undefined;
  /** Rows the cap removed since the feed opened (older ones, as newer arrived). */
  evicted = 0;
  /** The cap grows past max-items by what "Load older" brought. */
  private olderLoaded = 0;

  constructor(private readonly host: FeedHistoryHost) {}

  /** The feed's live stream starts after `cursor`: the first pages end there. */
  attached(cursor: Cursor): void {
    if (this.phase !== 'idle') return;
    void this.load({ until: cursor }, 'open', this.host.target());
  }

  /**
   * The filter changed: read again from the head. On a WebSocket the request follows the
   * `subscribe` on the same connection, so the page and the new live stream overlap rather
   * than leave a hole, and the overlap is skipped by cursor. True when the filter changed.
   */
  refilter(): boolean {
    if (JSON.stringify(readingFilter(this.host.filter())) === this.asked) return false;
    this.generation++;
    this.phase = 'idle';
    this.next = this.end = null;
    this.evicted = this.olderLoaded = 0;
    // Rows the new filter hides would take the places of the history it brings.
    const reading = readingFilter(this.host.filter());
    this.host.rows(this.host.rows().filter((row) => row.kind === 'gap' || matches(row.event, reading)));
    if (this.host.client()?.claimed !== undefined) void this.load({}, 'open', this.host.target());
    else this.host.changed();
    return true;
  }

  get capacity(): number {
    return this.host.target() + this.olderLoaded;
  }

  /** Applies the cap to rows, counting what it removes (the footer says so). */
  cap(rows: Row[]): Row[] {
    if (rows.length <= this.capacity) return rows;
    this.evicted += rows.length - this.capacity;
    return rows.slice(0, this.capacity);
  }

  /** What goes below the list, for `shown` rows shown. */
  footer(shown: number) {
    return renderHistoryFooter(this, { shown, evicted: this.evicted, max: this.capacity, filter: this.host.filter() });
  }

  /** After a failure: read again from the head (rows held are skipped). */
  retry(): void {
    this.asked = undefined;
    this.refilter();
  }

  older(): void {
    if (this.phase === 'loading' || !this.next) return;
    void this.load({ before: this.next }, 'older', Math.min(this.host.target(), HISTORY_MAX_LIMIT));
  }

  /** Pages back from `bounds` until `want` events came or nothing older is left. */
  private async load(bounds: HistoryRequest, kind: 'open' | 'older', want: number): Promise<void> {
    const client = this.host.client();
    if (!client) return;
    const generation = this.generation;
    this.phase = 'loading';
    this.host.changed();
    const subscription = { filter: readingFilter(this.host.filter()) };
    this.asked = JSON.stringify(subscription.filter);
    let request = bounds;
    let got = 0;
    try {
      for (;;) {
        const page = await client.history({ ...request, limit: Math.min(want - got, HISTORY_MAX_LIMIT), subscription });
        if (generation !== this.generation) return;
        got += page.events.length;
        this.next = page.next;
        this.end = page.end;
        if (kind === 'older') this.olderLoaded += page.events.length;
        this.host.rows(this.cap(mergeRows(this.host.rows(), page.events)));
        if (got >= want || !page.next) break;
        request = { before: page.next };
        kind = 'older';
      }
      this.phase = 'ready';
    } catch (error) {
      if (generation !== this.generation) return;
      this.phase = 'error';
      this.error = (error as Error).message;
    }
    this.host.changed();
  }
}

/**
 * Rows (newest first, gap markers in place) and events (newest first) as one list in log order,
 * newest first; events already held are skipped.
 */
export function mergeRows(rows: readonly Row[], events: readonly StreamEvent[]): Row[] {
  const held = new Set<string>();
  for (const row of rows) if (row.kind === 'event') held.add(row.event.cursor);
  const out: Row[] = [];
  let i = 0;
  for (const event of events) {
    if (held.has(event.cursor)) continue;
    while (i < rows.length) {
      const row = rows[i];
      if (row.kind === 'event' && compareCursors(row.event.cursor, event.cursor) < 0) break;
      out.push(row);
      i++;
    }
    out.push({ kind: 'event', key: event.cursor, event });
  }
  while (i < rows.length) out.push(rows[i++]);
  return out;
}
