/**
 * The activity feed element. Over 400 lines because its class JSDoc is the widget's API reference
 * (parts, custom properties, events) and the list's merge, pause and scroll rules share its state;
 * row rendering, announcements and the feed's events live beside it (row.ts, announcer.ts,
 * events.ts).
 */
import type { FlowLayout } from '@lit-labs/virtualizer/layouts/flow.js';
import type { VirtualizerHostElement } from '@lit-labs/virtualizer/virtualize.js';
import { html, nothing, type PropertyValues } from 'lit';
import { property, query, state } from 'lit/decorators.js';
import { compareCursors, isCursor, matches, type Filter, type StreamEvent } from '../../protocol/index.ts';
import type { ConnectionState, ConnectionStatus } from '../core/client.ts';
import { LeadwireElement } from '../core/element.ts';
import { GatewayController } from '../core/gateway-controller.ts';
import { emit } from '../core/emit.ts';
import { readingFilter } from '../core/feed-filter.ts';
import { Lazy } from '../core/lazy.ts';
import { msg } from '../core/l10n.ts';
import type { GroupKey, GroupStore } from '../core/store.ts';
import { feedStyles } from './activity-feed.styles.ts';
import { Announcer } from './announcer.ts';
import type { FeedHistory } from './feed-history.ts';
import type {} from './events.ts';
import { isGap, renderRow, type Entry, type Row } from './row.ts';

export type { NewEventDetail, StatusChangeDetail } from './events.ts';

export type LatencyLevel = 'excellent' | 'good' | 'warning' | 'critical';

type Virtualizer = typeof import('@lit-labs/virtualizer/virtualize.js') & { layout: { type: typeof FlowLayout } };
/**
 * The virtualizer is imported when the first feed connects, alongside its gateway connection:
 * the feed's first render (header, status, empty state) does not need it, and until it is in
 * the first rows render plainly. It stays out of the embed's core bytes that way.
 *
 * Its flow layout comes in the same step, keeping rows rendered 300 px beyond the visible part
 * instead of the library's 1,000: at 1,000 events/s newest first most rendered rows are new in
 * every batch, so rows out of sight were most of each frame's work (bench: dropped frames
 * 302–320 → 62–73 of ~540 on a 2-vCPU VM).
 */
const virtualizerPart = new Lazy('the feed\'s virtual list', () =>
  Promise.all([import('@lit-labs/virtualizer/virtualize.js'), import('@lit-labs/virtualizer/layouts/flow.js')]).then(([virtualize, flow]): Virtualizer => {
    class FeedLayout extends flow.FlowLayout {
      constructor(...args: ConstructorParameters<typeof FlowLayout>) {
        super(...args);
        this._overhang = 300;
      }
    }
    return { ...virtualize, layout: { type: FeedLayout } };
  }),
);
/** History pages, their merge and the footer: loaded with the virtualizer, when the first feed connects. */
const historyPart = new Lazy('the feed\'s history', () => import('./feed-history.ts'));
/** Rows rendered without the virtualizer, while it loads. */
const PLAIN_ROWS = 30;



/**
 * The activity of its group's gateway connection, newest first in log order: it opens on the
 * newest stored events matching the group's filter (history, up to `max-items`), then goes on
 * live with no gap and no duplicate; "Load older" pages further back. Type, lead, key facts,
 * relative time and priority, with the full payload (as text) on demand. Compact by default: one
 * line per event, the facts and text cut short on it and shown whole, with the payload, under
 * each row's details button; `density="comfortable"` gives them lines of their own. Follows the
 * group's filters (client-side, as the server subscription, and by asking history again).
 * Virtualised; new events wait in an
 * "N new events" pill while the reader is scrolled down or the feed is paused.
 *
 * @tagname activity-feed
 * @csspart header - The bar with the title, connection chip and pause button.
 * @csspart retry - "Try again", offline or not authorised: connects again at once.
 * @csspart title - The feed's heading.
 * @csspart status - The connection chip.
 * @csspart latency - The latency figure inside the chip.
 * @csspart pause - The pause/resume button.
 * @csspart banner - A connection problem shown above a non-empty list.
 * @csspart state - The empty, loading, error or unauthorised message.
 * @csspart list - The scrolling, virtualised list.
 * @csspart new-events - The "N new events" pill.
 * @csspart item - One event row (also `item-critical`, `item-high`… by priority).
 * @csspart icon - The event family icon.
 * @csspart label - The event type label.
 * @csspart subject - Who or what the event is about.
 * @csspart time - The relative time.
 * @csspart line - Compact density: the facts and text on the row's one line.
 * @csspart facts - Temperature, stage, score, budget, timeline, tag, changed fields.
 * @csspart text - Message, error or alert text.
 * @csspart toggle - The show/hide details button (a disclosure: `aria-expanded`).
 * @csspart payload - The full payload (text).
 * @csspart gap - The marker of events that could not be recovered.
 * @csspart history - Below the list: how much is shown, "Load older", or where the history ends.
 * @csspart load-older - The "Load older" button.
 * @csspart backdated - On a row whose event was logged well after its time: when it was logged.
 * @cssprop --lw-feed-height - Height of the feed (default 480px).
 * @cssprop --lw-feed-row-padding - Space above and below each row's content (default 4px compact, 8px comfortable).
 * @cssprop --lw-color-accent - Accent colour (links, normal priority, pill).
 * @cssprop --lw-font-size - Base font size in px (the widget ignores the page's root size).
 * @fires {CustomEvent<NewEventDetail>} lw-new-event - Events arrived from the gateway (oldest first, deduplicated).
 * @fires {CustomEvent<StatusChangeDetail>} lw-status-change - The connection status changed.
 */
export class ActivityFeed extends LeadwireElement {
  static override styles = [...LeadwireElement.styles, feedStyles];
  static override groupKeys: readonly GroupKey[] = ['theme', 'filter', 'gateway'];

  /** Keep at most this many events; the oldest go first. */
  @property({ type: Number, attribute: 'max-items' }) maxItems = 1_000;
  /** `compact`: one line per event, details on demand; `comfortable`: facts and text on lines of their own. */
  @property({ reflect: true }) density: 'compact' | 'comfortable' = 'compact';
  /** Live updates held back (they wait in the pill) while set. */
  @property({ type: Boolean, reflect: true }) paused = false;
  /** Latency thresholds in ms: below `excellent`, at or above `warning`, at or above `critical`. */
  @property({ type: Number, attribute: 'latency-excellent' }) latencyExcellent = 10;
  @property({ type: Number, attribute: 'latency-warning' }) latencyWarning = 50;
  @property({ type: Number, attribute: 'latency-critical' }) latencyCritical = 100;
  /** At most one screen-reader announcement of high-priority events per this many ms. */
  @property({ type: Number, attribute: 'announce-interval' }) announceInterval = 5_000;
  /** Heading text. */
  @property() heading: string = msg('feed.label');
  /** The connection status, reflected for styling. */
  @property({ reflect: true }) status: ConnectionStatus | 'idle' = 'idle';

  @state() private rows: Row[] = [];
  /** Entries held back (paused, or scrolled down), oldest first. */
  @state() private pending: Entry[] = [];
  @state() private expanded = new Set<string>();
  @state() private connection: ConnectionState | undefined;
  @state() private latencyMs: number | null = null;
  @state() private now = Date.now();
  @state() private focusIndex = 0;
  /**
   * The rows the virtualizer has in the DOM. Out of the window (a feed below the fold) it
   * renders none, the roving row among them: the list itself then takes the Tab stop.
   */
  @state() private rendered = { first: -1, last: -1 };

  @query('.list') private list!: HTMLElement & VirtualizerHostElement;

  private visible: Row[] = [];
  private visibleOf: { rows?: Row[]; filter?: Filter } = {};
  private published: Row[] | undefined;
  private readonly gatewayLink = new GatewayController(this, this.groupController, {
    subscription: () => {
      // datePreset is the UI's own note; the gateway matches on from/to.
      const { datePreset: _preset, ...rest } = this.store.filter;
      return Object.keys(rest).length ? { filter: rest } : {};
    },
    events: (events) => this.receive(events),
    state: (state) => this.onState(state),
    attached: (cursor) => {
      this.attachedAt = cursor;
      this.history?.attached(cursor);
    },
    // Shown at once, where the hole is: after everything received before it.
    gap: (cursor) => {
      this.incoming.push({ kind: 'gap', key: `gap-${cursor}-${Date.now()}`, at: Date.now() });
      this.requestUpdate();
    },
  });
  /** Created once its part is in; `attachedAt` is where the live stream started meanwhile. */
  private history: FeedHistory | undefined;
  private attachedAt: string | undefined;
  private incoming: Entry[] = [];
  private measureFrom: StreamEvent | undefined;
  private tick: ReturnType<typeof setInterval> | undefined;
  private readonly announcer = new Announcer(this);
  private atTop = true;

  /** The events currently shown (group filters applied), newest first: what an export takes. */
  get visibleEvents(): StreamEvent[] {
    return this.visible.flatMap((row) => (row.kind === 'event' ? [row.event] : []));
  }

  /** Every event held (before filters), newest first. Settable for static use. */
  get events(): StreamEvent[] {
    return this.rows.flatMap((row) => (row.kind === 'event' ? [row.event] : []));
  }
  set events(events: StreamEvent[]) {
    // Log order (cursor), newest first; events without a cursor fall back to their time.
    const newestFirst = [...events]
      .sort((a, b) => (isCursor(a.cursor) && isCursor(b.cursor) ? compareCursors(b.cursor, a.cursor) : b.ts - a.ts))
      .slice(0, this.maxItems);
    this.rows = newestFirst.map((event) => ({ kind: 'event', key: event.cursor, event }));
    this.pending = [];
    this.incoming = [];
  }

  /** Shows the waiting events and scrolls to the newest. */
  showNew(): void {
    this.merge(this.pending);
    this.pending = [];
    this.list?.scrollTo({ top: 0 });
    this.atTop = true;
    // The rows between the reader's place and the top were estimated, not measured: once they
    // render, the virtualizer corrects its estimate, and pinning the first row keeps it on top.
    void this.updateComplete.then(() => this.rowElement(0)?.scrollIntoView({ block: 'start' }));
  }

  override connectedCallback(): void {
    super.connectedCallback();
    this.tick = setInterval(() => (this.now = Date.now()), 10_000);
    if (!virtualizerPart.value) void virtualizerPart.load().then(() => this.requestUpdate());
    if (!this.history) void historyPart.load().then((part) => part && this.startHistory(part.FeedHistory));
  }

  private startHistory(History: typeof FeedHistory): void {
    if (this.history) return;
    this.history = new History({
      client: () => this.gatewayLink.client,
      filter: () => this.store.filter,
      target: () => this.maxItems,
      rows: (rows) => (rows ? (this.rows = rows) : this.rows),
      changed: () => this.requestUpdate(),
    });
    if (this.attachedAt !== undefined) this.history.attached(this.attachedAt);
    this.requestUpdate();
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    clearInterval(this.tick);
  }

  protected override groupChanged(key: GroupKey, store: GroupStore): void {
    super.groupChanged(key, store);
    if (key === 'filter') {
      this.gatewayLink.updateSubscription();
      if (this.isConnected) this.history?.refilter();
    }
  }

  private onState(state: ConnectionState): void {
    const previous = this.connection?.status ?? 'connecting';
    this.connection = state;
    this.status = state.status;
    if (state.status !== previous) {
      emit(this, 'lw-status-change', { status: state.status, previous, transport: state.transport, reason: state.reason });
    }
  }

  private receive(events: StreamEvent[]): void {
    this.incoming.push(...events);
    this.requestUpdate();
    emit(this, 'lw-new-event', { events });
  }

  /** Prepends entries (oldest first in, newest first out) and applies the cap. */
  private merge(entries: Entry[]): void {
    if (!entries.length) return;
    const fresh: Row[] = [];
    const events: StreamEvent[] = [];
    for (let i = entries.length - 1; i >= 0; i--) {
      const entry = entries[i];
      if (isGap(entry)) fresh.push(entry);
      else fresh.push({ kind: 'event', key: entry.cursor, event: entry });
    }
    for (const entry of entries) if (!isGap(entry)) events.push(entry);
    const rows = [...fresh, ...this.rows];
    this.rows = this.history ? this.history.cap(rows) : rows.slice(0, this.maxItems);
    if (events.length) {
      this.measureFrom = events[events.length - 1];
      this.announcer.announce(events);
    }
  }

  /** Events (not gap markers) waiting in the pill. */
  private get waiting(): number {
    let count = 0;
    for (const entry of this.pending) if (!isGap(entry)) count++;
    return count;
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    super.willUpdate(changed);
    if (changed.has('maxItems')) {
      // A lower cap applies to what is held now, not only to what comes next.
      if (this.rows.length > this.maxItems) this.rows = this.rows.slice(0, this.maxItems);
      if (this.pending.length > this.maxItems) this.pending = this.pending.slice(-this.maxItems);
    }
    if (this.incoming.length) {
      const batch = this.incoming;
      this.incoming = [];
      if (this.paused || !this.atTop) {
        const pending = [...this.pending];
        for (const entry of batch) {
          // A hole with nothing newer waiting sits right above what the reader has: show it now.
          if (isGap(entry) && pending.length === 0) this.rows = [entry, ...this.rows].slice(0, this.maxItems);
          else pending.push(entry);
        }
        this.pending = pending.slice(-this.maxItems);
      } else this.merge(batch);
    }
    if (changed.has('paused') && !this.paused && this.atTop) {
      this.merge(this.pending);
      this.pending = [];
    }
    const filter = this.store.filter;
    if (this.visibleOf.rows !== this.rows || this.visibleOf.filter !== filter) {
      const reading = readingFilter(filter);
      this.visible = this.rows.filter((row) => row.kind === 'gap' || matches(row.event, reading));
      this.visibleOf = { rows: this.rows, filter };
    }
    this.focusIndex = Math.min(this.focusIndex, Math.max(0, this.visible.length - 1));
    if (!this.visible.length) this.rendered = { first: -1, last: -1 };
  }

  protected override updated(changed: PropertyValues): void {
    super.updated(changed);
    if (this.published !== this.visible) {
      this.published = this.visible;
      this.store.setVisibleEvents(this.visibleEvents);
    }
    const newest = this.measureFrom;
    this.measureFrom = undefined;
    // Latency is publish → render: measured once the DOM holds the newest event. Replayed
    // backlog (older than a minute) says nothing about the live path and is left out.
    const client = this.gatewayLink.client;
    if (newest && client) {
      const latency = client.serverNow() - newest.ts;
      if (latency >= 0 && latency < 60_000) {
        // Shown in the next render, not this one (which is what was measured).
        queueMicrotask(() => {
          this.latencyMs = this.latencyMs === null ? latency : Math.round(this.latencyMs * 0.7 + latency * 0.3);
        });
      }
    }
  }

  latencyLevel(ms: number): LatencyLevel {
    if (ms >= this.latencyCritical) return 'critical';
    if (ms >= this.latencyWarning) return 'warning';
    return ms < this.latencyExcellent ? 'excellent' : 'good';
  }

  private onScroll = () => {
    const top = (this.list?.scrollTop ?? 0) < 8;
    if (top === this.atTop) return;
    this.atTop = top;
    if (top && !this.paused && this.pending.length) {
      this.merge(this.pending);
      this.pending = [];
    }
  };

  private toggle(key: string): void {
    const next = new Set(this.expanded);
    if (!next.delete(key)) next.add(key);
    this.expanded = next;
  }

  private async moveFocus(index: number): Promise<void> {
    const target = Math.max(0, Math.min(index, this.visible.length - 1));
    this.focusIndex = target;
    this.rowElement(target)?.scrollIntoView({ block: 'nearest' });
    await this.updateComplete;
    await new Promise((resolve) => requestAnimationFrame(resolve));
    this.renderRoot.querySelector<HTMLElement>(`[data-index="${target}"]`)?.focus();
  }

  private onListKey(event: KeyboardEvent): void {
    // On the list itself (its rows not rendered when it got focus): a move key enters the rows.
    if (event.target === this.list && ['ArrowDown', 'ArrowUp', 'PageDown', 'PageUp', 'Home', 'End'].includes(event.key)) {
      event.preventDefault();
      void this.moveFocus(this.focusIndex);
      return;
    }
    const row = (event.target as HTMLElement).closest<HTMLElement>('[data-index]');
    if (!row || event.target !== row) return;
    const index = Number(row.dataset.index);
    const page = 8;
    const moves: Record<string, number> = {
      ArrowDown: index + 1,
      ArrowUp: index - 1,
      PageDown: index + page,
      PageUp: index - page,
      Home: 0,
      End: this.visible.length - 1,
    };
    if (event.key in moves) {
      event.preventDefault();
      void this.moveFocus(moves[event.key]);
    } else if (event.key === 'Enter' || event.key === ' ') {
      event.preventDefault();
      const item = this.visible[index];
      if (item?.kind === 'event') this.toggle(item.key);
    }
  }

  /**
   * The virtualizer renders its last laid-out range until it has laid out a new list: a render
   * in between (a clock tick) after the list got shorter (a lower max-items, a filter) asks for
   * rows past its end. Those are nothing, for one frame, instead of a throw.
   */
  private rowKey = (row: Row | undefined, index: number) => row?.key ?? `past-end-${index}`;

  private renderRow = (row: Row | undefined, index: number) =>
    row === undefined
      ? html``
      : renderRow(row, index, { focusIndex: this.focusIndex, expanded: this.expanded, count: this.visible.length, now: this.now, toggle: (key) => this.toggle(key) });


  private renderChip() {
    const state = this.connection;
    if (!state) return nothing;
    const label =
      state.status === 'fallback'
        ? msg('status.fallback', { transport: state.transport === 'sse' ? 'SSE' : 'polling' })
        : msg(`status.${state.status}`);
    const live = state.status === 'live' || state.status === 'fallback';
    return html`<span class="chip" part="status" data-status=${state.status} title=${state.reason}>
      <span class="dot" aria-hidden="true"></span>${label}
      ${live && this.latencyMs !== null
        ? html`<span class="latency" part="latency" data-level=${this.latencyLevel(this.latencyMs)}
            >· ${msg('latency', { ms: this.latencyMs })}</span
          >`
        : nothing}
    </span>`;
  }

  /** Offline or not authorised: connect again now (after a sign-in, or the network is back). */
  private renderRetry() {
    return html`<button class="control" part="retry" type="button" @click=${() => this.gatewayLink.client?.retry()}>${msg('feed.retry')}</button>`;
  }

  private renderState() {
    const status = this.connection?.status;
    if (status === 'unauthorised') {
      return html`<p class="state" part="state" data-kind="unauthorised">${msg('feed.unauthorised')} ${this.renderRetry()}</p>`;
    }
    if (status === 'offline') {
      return html`<p class="state" part="state" data-kind="error">
        ${msg('feed.error', { reason: this.connection?.reason ?? '' })} ${this.renderRetry()}
      </p>`;
    }
    if (status === 'connecting') return html`<p class="state" part="state" data-kind="loading">${msg('feed.loading')}</p>`;
    if (this.history?.phase === 'loading' || (!this.history && this.attachedAt !== undefined)) return html`<p class="state" part="state" data-kind="loading">${msg('feed.loading')}</p>`;
    const filtered = this.rows.length > 0;
    return html`<p class="state" part="state" data-kind="empty">${filtered ? msg('feed.empty-filtered') : msg('feed.empty')}</p>`;
  }

  /** Whether the row holding the roving tab stop is in the DOM (plain rows: the first PLAIN_ROWS). */
  private focusRowRendered(virtualized: boolean): boolean {
    if (!virtualized) return this.focusIndex < PLAIN_ROWS;
    return this.rendered.first <= this.focusIndex && this.focusIndex <= this.rendered.last;
  }

  /** The virtual list's element for row `index`, once the virtualizer is in. */
  private rowElement(index: number): { scrollIntoView(options: ScrollIntoViewOptions): void } | undefined {
    const virtualizer = virtualizerPart.value;
    return virtualizer && this.list?.[virtualizer.virtualizerRef]?.element(index);
  }

  protected override render() {
    const status = this.connection?.status;
    const virtualizer = virtualizerPart.value;
    const problem =
      this.visible.length > 0 && (status === 'unauthorised' || status === 'offline')
        ? html`<p class="banner" part="banner" role="alert">
            ${status === 'unauthorised' ? msg('feed.unauthorised') : msg('feed.error', { reason: this.connection?.reason ?? '' })}
            ${this.renderRetry()}
          </p>`
        : nothing;
    const waiting = this.waiting;
    return html`
      <header part="header" role="none">
        <h2 part="title">${this.heading}</h2>
        ${this.renderChip()}
        <button
          class="control"
          part="pause"
          aria-pressed=${this.paused ? 'true' : 'false'}
          @click=${() => (this.paused = !this.paused)}
        >
          ${this.paused ? msg('feed.resume') : msg('feed.pause')}
        </button>
      </header>
      ${problem}
      ${waiting
        ? html`<button class="pill" part="new-events" @click=${() => ((this.paused = false), this.showNew())}>
            ${waiting === 1 ? msg('feed.new-event') : msg('feed.new-events', { count: waiting })}
          </button>`
        : nothing}
      ${this.visible.length
        ? html`<div
            class="list"
            part="list"
            role="list"
            aria-label=${this.heading}
            tabindex=${this.focusRowRendered(virtualizer !== undefined) ? nothing : '0'}
            @scroll=${this.onScroll}
            @keydown=${this.onListKey}
            @rangeChanged=${(event: Event & { first: number; last: number }) => (this.rendered = { first: event.first, last: event.last })}
          >
            ${virtualizer
              ? virtualizer.virtualize({ items: this.visible, renderItem: this.renderRow, keyFunction: this.rowKey, scroller: true, layout: virtualizer.layout })
              : this.visible.slice(0, PLAIN_ROWS).map(this.renderRow)}
          </div>`
        : this.renderState()}
      ${this.history?.footer(this.visible.length)}
      <div class="visually-hidden" role="status" aria-live="polite">${this.announcer.text}</div>
    `;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'activity-feed': ActivityFeed;
  }
}
