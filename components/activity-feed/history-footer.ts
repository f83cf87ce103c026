/**
 * Below the feed's list: how much of the log it shows ("Showing the newest N"), what the cap
 * removed, and either "Load older" (a real button: Tab reaches it), a history request in
 * flight, a failure with a retry, or where the history ends and why.
 */
import { html, nothing } from 'lit';
import type { Filter, HistoryEnd } from '../../protocol/index.ts';
import { msg } from '../core/l10n.ts';

/** What the footer reads of the feed's history (feed-history.ts). */
interface FooterHistory {
  phase: 'idle' | 'loading' | 'ready' | 'error';
  next: string | null;
  end: HistoryEnd | null;
  error: string;
  older(): void;
  retry(): void;
}

export interface FooterView {
  /** Rows shown now (after filters). */
  shown: number;
  /** Rows the cap removed since the feed opened. */
  evicted: number;
  max: number;
  filter: Filter;
}

function endText(history: FooterHistory, filter: Filter): string {
  switch (history.end) {
    case 'range':
      return filter.datePreset === '7d' || filter.datePreset === '30d' || filter.datePreset === 'today'
        ? msg(`feed.history-end.${filter.datePreset}`)
        : msg('feed.history-end.range');
    case 'expired':
      return msg('feed.history-end.expired');
    default:
      return msg('feed.history-end.start');
  }
}

export function renderHistoryFooter(history: FooterHistory, view: FooterView) {
  if (history.phase === 'idle') return nothing;
  const capped = view.evicted > 0 || (history.next !== null && view.shown >= view.max);
  const note = capped
    ? html`<span class="history-note" data-kind="capped">${msg('feed.history-capped', { count: view.shown })}${view.evicted
          ? ` ${msg('feed.history-evicted', { count: view.evicted, max: view.max })}`
          : ''}</span>`
    : nothing;
  let action: unknown = nothing;
  if (history.phase === 'loading' && view.shown > 0) action = html`<span data-kind="loading">${msg('feed.history-loading')}</span>`;
  else if (history.phase === 'error') {
    action = html`<span data-kind="error">${msg('feed.history-error', { reason: history.error })}</span>
      <button class="control" part="load-older" @click=${() => (history.next ? history.older() : history.retry())}>${msg('feed.history-retry')}</button>`;
  } else if (history.phase === 'ready' && history.next) {
    action = html`<button class="control" part="load-older" @click=${() => history.older()}>${msg('feed.load-older')}</button>`;
  } else if (history.phase === 'ready' && history.end && view.shown > 0) {
    action = html`<span data-kind="end" data-end=${history.end}>${endText(history, view.filter)}</span>`;
  }
  if (note === nothing && action === nothing) return nothing;
  return html`<div class="history" part="history" role="status">${note} ${action}</div>`;
}
