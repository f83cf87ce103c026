/**
 * The rows of a default export (the group's feed): every event matching the group's filter,
 * paged through the gateway's history (docs/protocol.md §5a) — not only the rows the page holds
 * — with progress, cancellable, and bounded by EXPORT_MAX_ROWS with a clear message.
 */
import { HISTORY_MAX_LIMIT, parseCursor, type Cursor, type Filter, type StreamEvent } from '../../protocol/index.ts';
import type { GatewayClient } from '../core/client.ts';
import { readingFilter } from '../core/feed-filter.ts';
import { formatNumber, msg } from '../core/l10n.ts';

/** The most events one export collects by default (`max-rows`; documented in docs/developers.md). */
export const EXPORT_MAX_ROWS = 100_000;

export interface HistoryRowsOptions {
  signal: AbortSignal;
  /** How far back the pages have come, 0 … 1 (by the filter's dates when it has a start). */
  onProgress(fraction: number, rows: number): void;
  max?: number;
}

export async function historyRows(client: GatewayClient, filter: Filter, options: HistoryRowsOptions): Promise<StreamEvent[]> {
  const { signal, onProgress, max = EXPORT_MAX_ROWS } = options;
  const subscription = { filter: readingFilter(filter) };
  const rows: StreamEvent[] = [];
  const now = Date.now();
  let before: Cursor | undefined;
  for (let pages = 1; ; pages++) {
    signal.throwIfAborted();
    const page = await client.history({ limit: HISTORY_MAX_LIMIT, subscription, ...(before ? { before } : {}) });
    signal.throwIfAborted();
    rows.push(...page.events);
    if (rows.length > max) throw new Error(msg('export.too-many', { max: formatNumber(max) }));
    if (!page.next) break;
    before = page.next;
    // Pages go back in log time: with a start date, how much of the range is done; else a curve.
    const at = Number(parseCursor(page.next)[0]);
    const fraction = filter.from !== undefined && now > filter.from ? (now - at) / (now - filter.from) : 1 - 1 / (pages + 1);
    onProgress(Math.max(0, Math.min(0.99, fraction)), rows.length);
  }
  onProgress(1, rows.length);
  return rows;
}
