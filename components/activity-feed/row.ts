/**
 * One row of the feed: an event (type, subject, priority, relative time, key facts and text, the
 * payload on demand behind a disclosure button), or the marker where the gateway could not
 * replay some events. The feed's density decides, in CSS alone, whether the facts and text share
 * the row's one line (compact) or take lines of their own (comfortable).
 */
import { html, nothing } from 'lit';
import type { Cursor, StreamEvent } from '../../protocol/index.ts';
import { formatDateTime, formatRelative, msg } from '../core/l10n.ts';
import { HIGH } from './announcer.ts';
import { payloadText, summarize } from './summary.ts';

/** The tooltip's exact time names its zone ("GMT+1", "EST"): feeds read in two zones agree. */
const WITH_ZONE: Intl.DateTimeFormatOptions = { dateStyle: 'medium', timeStyle: 'long' };

/** A list row: an event, or the marker of events the gateway could not replay. */
export type GapRow = { kind: 'gap'; key: string; at: number };
export type Row = { kind: 'event'; key: Cursor; event: StreamEvent } | GapRow;
/** What arrives, oldest first: events, and gap markers where the stream has a hole. */
export type Entry = StreamEvent | GapRow;
export const isGap = (entry: Entry): entry is GapRow => 'kind' in entry && entry.kind === 'gap';

/** What a row's rendering depends on besides the row. */
export interface RowView {
  /** The row that takes Tab focus (roving tabindex). */
  focusIndex: number;
  /** Keys of the rows showing their payload. */
  expanded: ReadonlySet<string>;
  /** How many rows the list has. */
  count: number;
  /** The clock relative times are told against (the whole list shares it). */
  now: number;
  toggle(key: string): void;
}

export function renderRow(row: Row, index: number, view: RowView) {
  const common = { index, tabindex: index === view.focusIndex ? 0 : -1 };
  if (row.kind === 'gap') {
    return html`<div class="gap" part="gap" role="listitem" data-index=${common.index} tabindex=${common.tabindex}>
      ${msg('feed.gap')}
    </div>`;
  }
  const { event } = row;
  const summary = summarize(event);
  const open = view.expanded.has(row.key);
  const id = `details-${index}`;
  const facts = summary.facts.join(' · ');
  // Compact: everything on one line (facts and text cut short), all of it under the disclosure.
  const line = [facts, summary.text].filter(Boolean).join(' — ');
  return html`<div
    class="item"
    part="item item-${event.priority}"
    role="listitem"
    data-index=${common.index}
    data-priority=${event.priority}
    ?data-open=${open}
    tabindex=${common.tabindex}
    aria-posinset=${index + 1}
    aria-setsize=${view.count}
  >
    <span class="icon" part="icon" aria-hidden="true">${summary.icon}</span>
    <div class="main">
      <div class="head">
        <span class="label" part="label">${summary.label}</span>
        ${summary.subject ? html`<span class="subject" part="subject">${summary.subject}</span>` : nothing}
        ${line ? html`<span class="line" part="line">${line}</span>` : nothing}
        ${HIGH.has(event.priority) ? html`<span class="priority">${msg(`priority.${event.priority}`)}</span>` : nothing}
        <time part="time" datetime=${new Date(event.ts).toISOString()} title=${formatDateTime(event.ts, WITH_ZONE)}
          >${formatRelative(event.ts, Math.max(view.now, event.ts))}</time
        >${backdated(event, view.now)}
        <button
          class="toggle"
          part="toggle"
          tabindex="-1"
          aria-expanded=${open ? 'true' : 'false'}
          aria-controls=${id}
          aria-label=${open ? msg('feed.collapse') : msg('feed.expand')}
          title=${open ? msg('feed.collapse') : msg('feed.expand')}
          @click=${() => view.toggle(row.key)}
        ><span aria-hidden="true">${open ? '▾' : '▸'}</span></button>
      </div>
      <div class="details" id=${id}>
        ${facts ? html`<p class="facts" part="facts">${facts}</p>` : nothing}
        ${summary.text ? html`<p class="text" part="text">${summary.text}</p>` : nothing}
        ${open ? html`<pre part="payload" tabindex="0">${payloadText(event)}</pre>` : nothing}
      </div>
    </div>
  </div>`;
}

/** An event logged this long after its own time is backdated: the row says when it was logged. */
const BACKDATED_MS = 10 * 60_000;

function backdated(event: StreamEvent, now: number) {
  const logged = Number(/^(\d+)-/.exec(event.cursor)?.[1]);
  if (!(logged - event.ts > BACKDATED_MS)) return nothing;
  return html`<span class="backdated" part="backdated" title=${formatDateTime(logged)}>${msg('feed.backdated', { time: formatRelative(logged, Math.max(now, logged)) })}</span>`;
}
