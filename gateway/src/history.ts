/**
 * History pages (docs/protocol.md §5a): the stored events a reader may see, newest first, read
 * backwards from a bound, with the reader's tenants, scopes and filter applied exactly as on
 * the live path — so a widget opens on what happened, not on an empty list. Each request
 * reads a bounded number of log entries; a page that runs out of budget says where to go on.
 */
import {
  HISTORY_CLOCK_SLACK_MS,
  HISTORY_DEFAULT_LIMIT,
  compileFilter,
  parseCursor,
  type Cursor,
  type HistoryEnd,
  type HistoryRequest,
  type Subscription,
} from '../../protocol/index.ts';
import type { Principal } from './auth.ts';
import type { Decoder } from './decode.ts';
import { isRecoverable, type EventLog } from './log/log.ts';
import { maskedJson } from './pii.ts';
import { tenantPrefilter } from './replay.ts';
import { deliverable, narrowTenants } from './session.ts';

/** Log entries read per round trip. */
const SCAN_BATCH = 1_000;
/** Log entries one request reads at most; past it the page ends early with `next` set. */
export const HISTORY_SCAN_MAX = 50_000;
/** A page stops growing past about this many bytes of events (`next` says where to go on). */
export const HISTORY_PAGE_BYTES = 512 * 1024;

/** A page with its events already as wire JSON (masked unless the reader may see PII). */
export interface EncodedPage {
  events: string[];
  next: Cursor | null;
  cursor: Cursor;
  end: HistoryEnd | null;
}

export interface HistoryDeps {
  log: Pick<EventLog, 'extent' | 'readBefore'>;
  decoder: Decoder;
}

export class History {
  constructor(private readonly deps: HistoryDeps) {}

  /**
   * One page for this principal. `subscription` narrows what it may see (tenants outside the
   * token are left out, as on every path); the request's bounds are cursors.
   */
  async page(principal: Principal, subscription: Subscription | undefined, request: HistoryRequest): Promise<EncodedPage> {
    const { log, decoder } = this.deps;
    const extent = await log.extent();
    const limit = request.limit ?? HISTORY_DEFAULT_LIMIT;
    const { tenants } = narrowTenants(principal, subscription);
    const passes = compileFilter(subscription?.filter);
    const concerns = tenantPrefilter(tenants);
    const revealPii = principal.scopes.has('pii:read');
    const from = subscription?.filter?.from;
    // Entries appended before this cannot carry a ts inside the filter's range.
    const rangeStart = from === undefined ? undefined : BigInt(Math.max(0, from - HISTORY_CLOCK_SLACK_MS));
    const cursor = request.before ?? request.until ?? extent.lastId;

    const events: string[] = [];
    let bytes = 0;
    let bound = cursor;
    let inclusive = request.before === undefined;
    let scanned = 0;
    for (;;) {
      const batch = tenants.size === 0 ? [] : await log.readBefore(bound, inclusive, SCAN_BATCH, request.since);
      for (const entry of batch) {
        if (rangeStart !== undefined && parseCursor(entry.id)[0] < rangeStart) return { events, next: null, cursor, end: 'range' };
        bound = entry.id;
        inclusive = false;
        scanned++;
        if (concerns && !decoder.has(entry.id) && !concerns(entry.raw)) continue;
        const event = decoder.decode(entry);
        if (!event || !deliverable(principal, tenants, passes, event)) continue;
        const json = revealPii ? event.json : maskedJson(event);
        events.push(json);
        bytes += json.length;
        if (events.length >= limit || bytes >= HISTORY_PAGE_BYTES) return { events, next: entry.id, cursor, end: null };
      }
      if (batch.length < SCAN_BATCH) return { events, next: null, cursor, end: await this.endOf(request) };
      if (scanned >= HISTORY_SCAN_MAX) return { events, next: bound, cursor, end: null };
    }
  }

  /** Why nothing older is left: the request's own lower bound, or the log's start (kept or trimmed). */
  private async endOf(request: HistoryRequest): Promise<HistoryEnd> {
    const extent = await this.deps.log.extent();
    if (request.since !== undefined && isRecoverable(request.since, extent)) return 'since';
    return extent.trimmed ? 'expired' : 'start';
  }
}

/** The page as JSON, with `fields` (the frame's type and id) first. */
export function pageJson(page: EncodedPage, fields: Record<string, unknown> = {}): string {
  const head = JSON.stringify({ ...fields, next: page.next, cursor: page.cursor, end: page.end });
  return `${head.slice(0, -1)},"events":[${page.events.join(',')}]}`;
}
