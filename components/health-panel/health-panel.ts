/**
 * <health-panel>. Over 400 lines because its class comment documents twenty parts and its public
 * API (checks, alerts, export rows and charts) is the export button's; the concerns live beside
 * it: polling (metrics-poller.ts), tiles (tiles.ts), thresholds (checks.ts), the full view.
 */
import { html, nothing, type PropertyValues } from 'lit';
import { property, query, state } from 'lit/decorators.js';
import type { Cursor, MetricsSummary, StreamEvent } from '../../protocol/index.ts';
import type { ConnectionStatus, GatewayClient } from '../core/client.ts';
import { adoptStyles, LeadwireElement } from '../core/element.ts';
import { GatewayController } from '../core/gateway-controller.ts';
import { emit } from '../core/emit.ts';
import { Lazy } from '../core/lazy.ts';
import { msg } from '../core/l10n.ts';
import type { GroupKey } from '../core/store.ts';
import type { ChartPalette, HealthCharts } from './charts.ts';
import type { HealthAlertDetail } from './events.ts';
import { healthPanelStyles } from './health-panel.styles.ts';
import type { ThresholdTracker } from './checks.ts';
import type { GatewayStatus, HealthCheck } from './history.ts';
import { DEFAULT_INTERVAL_MS, MetricsPoller, type MetricsAnswer, type MetricsOutcome } from './metrics-poller.ts';
import { gatewayMetricsSource, MetricsError, type MetricsFailure, type MetricsSource } from './metrics-source.ts';
import { renderTiles, statusTiles } from './tiles.ts';
import { resolveThresholds, type AlertMetric, type ThresholdOverrides, type Thresholds } from './thresholds.ts';

export type { HealthAlertDetail } from './events.ts';

const MAX_ALERTS = 50;

/**
 * The charts, table and alert list (with chart.js), loaded on the first full render; the tiles
 * render from the core meanwhile.
 */
const fullView = new Lazy('the health panel\'s charts', () => import('./full-view.ts'));
/**
 * Threshold tracking and the export rows, loaded when the first panel connects, in parallel with
 * its first request: an answer is handled once both are in (see check()).
 */
/** The checks the gateway logged before the panel opened: loaded when the panel joins the stream. */
const seedPart = new Lazy('the health panel\'s logged checks', () => import('./seed.ts'));
const checksPart = new Lazy('the health panel\'s threshold checks', () => import('./checks.ts'));

const thresholdsConverter = {
  fromAttribute(value: string | null): ThresholdOverrides | null {
    if (!value) return null;
    try {
      return JSON.parse(value) as ThresholdOverrides;
    } catch {
      console.warn('[leadwire] <health-panel> thresholds: not JSON, using the defaults');
      return null;
    }
  },
  toAttribute: (value: ThresholdOverrides | null) => (value ? JSON.stringify(value) : null),
};

/**
 * Live health of the event pipeline: status tiles (gateway, Redis, connections, throughput,
 * latency, lag, errors, process), charts of latency percentiles and throughput with threshold
 * lines (chart.js, loaded on first full render), alerts with hysteresis, and a history of the
 * last checks for export. Polls the group gateway's `/v1/metrics` (scope `system:read`) and
 * listens for `system.health` / `system.alert` on the group's shared connection.
 *
 * @tagname health-panel
 * @csspart header - The bar with the title.
 * @csspart title - The panel's heading.
 * @csspart problem - Why the figures are missing or stale (no permission, unreachable…).
 * @csspart tiles - The list of status tiles.
 * @csspart tile - One tile (also `tile-<key>`, e.g. `tile-gateway`, `tile-store`, `tile-cpu`).
 * @csspart tile-label - A tile's name.
 * @csspart tile-value - A tile's main figure.
 * @csspart tile-detail - A tile's secondary figures.
 * @csspart tile-level - The "Warning" / "Critical" badge of a tile over its threshold.
 * @csspart more - The disclosure holding the tiles past the first few (a tile over a threshold always shows first).
 * @csspart more-toggle - Its summary ("More figures").
 * @csspart services - Statuses reported by `system.health` events.
 * @csspart charts - The charts section.
 * @csspart view-toggle - The chart/table toggle button.
 * @csspart chart - One chart's figure (also `chart-latency`, `chart-throughput`).
 * @csspart table - The table view of the chart data.
 * @csspart alerts - The alert list.
 * @csspart alert - One alert (also `alert-warning`, `alert-critical`, `alert-info`, `alert-cleared`).
 * @cssprop --lw-health-chart-height - Height of each chart (default 200px).
 * @cssprop --lw-health-tile-min-width - Minimum tile width (default 150px).
 * @cssprop --lw-color-success - Healthy tiles and the p50 / events-out lines.
 * @cssprop --lw-color-warning - Warning tiles and the warning threshold line.
 * @cssprop --lw-color-danger - Critical tiles and the critical threshold line.
 * @cssprop --lw-color-accent - The p95 and events-in lines.
 * @fires {CustomEvent<HealthAlertDetail>} lw-health-alert - A threshold was crossed, or a `system.alert` arrived.
 */
export class HealthPanel extends LeadwireElement {
  static override styles = [...LeadwireElement.styles, healthPanelStyles];
  static override groupKeys: readonly GroupKey[] = ['theme', 'gateway'];

  /** Tiles only, for a sidebar. */
  @property({ type: Boolean, reflect: true }) compact = false;
  /** Milliseconds between checks of the metrics endpoint. */
  @property({ type: Number }) interval: number = DEFAULT_INTERVAL_MS;
  /** How many checks the history keeps (the oldest go first). */
  @property({ type: Number, attribute: 'history-size' }) historySize = 100;
  /** Per-metric `{ warning, critical }` overrides of the defaults; the attribute takes JSON. */
  @property({ converter: thresholdsConverter }) thresholds: ThresholdOverrides | null = null;
  /** Share below a threshold a value must fall before its alert clears (0.1 = 10 %). */
  @property({ type: Number }) hysteresis = 0.1;
  /** Heading text. */
  @property() heading: string = msg('health.label');
  /** Where the figures come from; by default the group gateway's `/v1/metrics`. */
  @property({ attribute: false }) source: MetricsSource | undefined;
  /** The gateway's status as last seen (`unknown` before the first answer), reflected for styling. */
  @property({ reflect: true }) status: GatewayStatus | 'unknown' = 'unknown';
  /** Chart or table view of the history (the table is the charts' text alternative). */
  @property({ reflect: true }) view: 'chart' | 'table' = 'chart';

  @state() private summary: MetricsSummary | null = null;
  @state() private problem: { kind: MetricsFailure | 'no-gateway'; reason: string } | null = null;
  @state() private history: HealthCheck[] = [];
  @state() private alerts: HealthAlertDetail[] = [];
  @state() private services = new Map<string, { status: GatewayStatus; message?: string; at: number }>();
  @state() private browserLatencyMs: number | null = null;
  @state() private connectionStatus: ConnectionStatus | null = null;
  @state() private announcement = '';

  @query('canvas[data-chart="latency"]') private latencyCanvas?: HTMLCanvasElement;
  @query('canvas[data-chart="throughput"]') private throughputCanvas?: HTMLCanvasElement;
  @query('.probe') private probe?: HTMLElement;

  /** Created with the first answer (checks.ts is loaded by then). */
  private tracker: ThresholdTracker | undefined;
  private readonly gatewayLink = new GatewayController(this, this.groupController, {
    subscription: () => ({ filter: { types: ['system.health', 'system.alert'] } }),
    events: (events) => this.receive(events),
    state: (s) => (this.connectionStatus = s.status),
    attached: (cursor) => void this.seed(cursor),
  });
  // checks.ts has been loading since the panel connected: an answer waits for it, if at all.
  private readonly poller = new MetricsPoller(this, () => checksPart.load(), (answer) => this.answer(answer));
  private metricsOf: { client: GatewayClient; source: MetricsSource } | undefined;
  private charts: HealthCharts | undefined;
  private chartsLoading: Promise<void> | undefined;
  private painted = '';
  private fullStyled = false;
  private alertSeq = 0;
  private seeded = false;
  private readonly forcedColors = matchMedia('(forced-colors: active)');
  private readonly onForcedColors = () => this.requestUpdate();

  // ---- public API ---------------------------------------------------------------------------

  /** The checks kept, oldest first. */
  get checks(): readonly HealthCheck[] {
    return this.history;
  }

  /** The current alert list, newest first. */
  get alertList(): readonly HealthAlertDetail[] {
    return this.alerts;
  }

  /** The thresholds in effect (defaults merged with `thresholds`). */
  get effectiveThresholds(): Thresholds {
    return resolveThresholds(this.thresholds);
  }

  /** The history as flat records, oldest first: what <export-button> writes. */
  exportRows(): Array<Record<string, unknown>> {
    // A check is recorded only once checks.ts has loaded (or failed to).
    return checksPart.value?.historyRows(this.history) ?? [];
  }

  /** Column headers for the export of exportRows(). */
  get exportColumns(): ReadonlyArray<{ key: string; header: string }> {
    // Loaded with checks.ts, as the rows are.
    return checksPart.value?.HISTORY_COLUMNS ?? [];
  }

  /** Report title for exports. */
  get exportTitle(): string {
    return this.heading;
  }

  /** The chart canvases (empty in compact mode or until both charts are drawn). */
  chartCanvases(): HTMLCanvasElement[] {
    return this.charts?.drawnCanvases ?? [];
  }

  /** Charts with titles, for <export-button>'s PNG, SVG and PDF exports. */
  exportCharts(): Array<{ title: string; canvas: HTMLCanvasElement; svg: () => string }> {
    // Charts exist only once the full view has loaded, and with it these texts.
    const charts = this.charts;
    return this.chartCanvases().map((canvas, i) => {
      const title = msg(i ? 'health.chart.throughput' : 'health.chart.latency');
      return { title, canvas, svg: () => charts!.svg(canvas, title) };
    });
  }

  /** Resolves once chart.js is loaded and the charts are drawn (at once in compact mode). */
  async chartsReady(): Promise<void> {
    await this.updateComplete;
    for (let loading = this.chartsLoading; loading; ) {
      await loading;
      await this.updateComplete;
      if (loading === this.chartsLoading) break;
      loading = this.chartsLoading; // superseded (moved while loading): wait for the new one
    }
    // The charts are drawn on turns of their own; charts remade meanwhile (a move) are awaited too.
    for (let charts = this.charts; charts; ) {
      await charts.ready;
      await this.updateComplete;
      if (charts === this.charts) break;
      charts = this.charts;
    }
  }

  /** Checks now instead of waiting for the next interval. */
  refresh(): void {
    this.poller.refresh();
  }

  // ---- lifecycle ----------------------------------------------------------------------------

  override connectedCallback(): void {
    super.connectedCallback();
    void checksPart.load();
    this.forcedColors.addEventListener('change', this.onForcedColors);
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.forcedColors.removeEventListener('change', this.onForcedColors);
    this.destroyCharts();
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    super.willUpdate(changed);
    const full = fullView.value;
    if (full && !this.fullStyled && !this.compact) {
      // The full view's styles come with it, added beside the element's own.
      adoptStyles(this.renderRoot as ShadowRoot, full.fullStyles);
      this.fullStyled = true;
    }
    if (changed.has('hysteresis') && this.tracker) this.tracker.hysteresis = this.hysteresis;
    if (changed.has('historySize') && this.history.length > this.historySize) this.history = this.history.slice(-this.historySize);
    const source = this.source ?? this.clientSource();
    if (this.isConnected && this.poller.follow(source, this.interval)) {
      if (!source) this.problem = { kind: 'no-gateway', reason: '' };
      else if (this.problem?.kind === 'no-gateway') this.problem = null;
    }
  }

  protected override updated(changed: PropertyValues<this>): void {
    super.updated(changed);
    if (this.compact) {
      this.destroyCharts();
      return;
    }
    const full = fullView.value;
    if (!full) {
      if (!this.chartsLoading) {
        const loading: Promise<void> = fullView.load().then((loaded) => {
          if (loading !== this.chartsLoading) return; // moved in the page while loading: the connected element asked again
          if (loaded) this.requestUpdate();
          else this.chartsLoading = undefined; // failed (reported): the next render asks again
        });
        this.chartsLoading = loading;
      }
      return;
    }
    // One HealthCharts per canvas pair, made here synchronously; one destroyed by a move before it
    // has drawn never does: a canvas cannot get a second chart.
    if (!this.charts && this.latencyCanvas && this.throughputCanvas) {
      this.charts = new full.HealthCharts({ latency: this.latencyCanvas, throughput: this.throughputCanvas });
    }
    this.paintCharts();
  }

  // ---- data ---------------------------------------------------------------------------------

  private clientSource(): MetricsSource | undefined {
    const client = this.gatewayLink.client;
    if (!client) return undefined;
    if (this.metricsOf?.client !== client) this.metricsOf = { client, source: gatewayMetricsSource(client) };
    return this.metricsOf.source;
  }

  private toggleView = () => (this.view = this.view === 'table' ? 'chart' : 'table');

  /** One answer of the metrics endpoint: figures, or why there are none. */
  private answer(answer: MetricsAnswer): MetricsOutcome {
    if ('summary' in answer) {
      this.accept(answer.summary);
      return 'ok';
    }
    const { error } = answer;
    const kind = error instanceof MetricsError ? error.kind : 'unreachable';
    this.problem = { kind, reason: (error as Error).message };
    if (kind !== 'unreachable') return 'refused';
    this.status = 'down';
    this.record({ at: this.now(), status: 'down', summary: null, browserLatencyMs: this.browserLatencyMs });
    return 'unreachable';
  }

  private accept(summary: MetricsSummary): void {
    this.summary = summary;
    this.problem = null;
    this.status = summary.gateway.status;
    this.record({ at: summary.ts, status: summary.gateway.status, summary, browserLatencyMs: this.browserLatencyMs });
    const checks = checksPart.value;
    if (!checks) return; // it failed to load: the tiles still follow, alerts wait for the next check
    const tracker = (this.tracker ??= new checks.ThresholdTracker(this.hysteresis));
    const { raised, cleared } = checks.evaluate(tracker, summary, this.effectiveThresholds);
    for (const c of cleared) this.clearAlert(c.metric, c.level, summary.ts);
    for (const { metric, level, title, message, value, threshold, at } of raised) {
      this.raise({ source: 'threshold', level, title, message, metric, value, threshold, at });
    }
  }

  /** The charts start from the checks the gateway logged before the panel opened. */
  private async seed(cursor: Cursor): Promise<void> {
    const client = this.gatewayLink.client;
    if (!client || this.seeded) return;
    this.seeded = true;
    const part = await seedPart.load();
    const logged = part ? await part.loggedChecks(client, cursor, this.historySize) : [];
    const first = this.history[0]?.at ?? Infinity;
    const older = logged.filter((check) => check.at < first);
    if (older.length) this.history = [...older, ...this.history].slice(-Math.max(1, this.historySize));
  }

  private record(check: HealthCheck): void {
    this.history = [...this.history, check].slice(-Math.max(1, this.historySize));
  }

  private receive(events: StreamEvent[]): void {
    const now = this.now();
    for (const event of events) {
      // Replayed backlog says nothing about the live path.
      // The clock offset is only known to within half a round trip: a hair below zero is zero.
      const latency = Math.max(0, now - event.ts);
      if (now - event.ts > -250 && latency < 60_000) {
        this.browserLatencyMs = this.browserLatencyMs === null ? latency : Math.round(this.browserLatencyMs * 0.7 + latency * 0.3);
      }
      if (event.type === 'system.alert') {
        const data = event.data as {
          severity: 'info' | 'warning' | 'critical';
          title: string;
          message: string;
          metric?: string;
          value?: number;
          threshold?: number;
          service?: string;
          state?: 'raised' | 'cleared';
        };
        // A service that raised an alert is not "Up" until it clears it (one truth on every chip).
        if (data.service && data.state) {
          const status: GatewayStatus = data.state === 'raised' && data.severity !== 'info' ? 'degraded' : 'up';
          this.services = new Map(this.services).set(data.service, { status, message: data.title, at: event.ts });
        }
        this.raise({
          source: 'event',
          level: data.severity,
          title: data.title,
          message: data.message,
          metric: data.metric,
          value: data.value,
          threshold: data.threshold,
          at: event.ts,
        });
      } else if (event.type === 'system.health') {
        const data = event.data as { service: string; status: GatewayStatus; message?: string };
        this.services = new Map(this.services).set(data.service, { status: data.status, message: data.message, at: event.ts });
      }
    }
  }

  private raise(alert: Omit<HealthAlertDetail, 'id' | 'clearedAt'>): void {
    const detail: HealthAlertDetail = { ...alert, id: `alert-${++this.alertSeq}`, clearedAt: null };
    this.alerts = [detail, ...this.alerts].slice(0, MAX_ALERTS);
    this.announcement = msg('health.alert.announce', { level: msg(`health.level.${detail.level}`), text: detail.message || detail.title });
    emit(this, 'lw-health-alert', detail);
  }

  private clearAlert(metric: AlertMetric, level: string, at: number): void {
    this.alerts = this.alerts.map((a) =>
      a.source === 'threshold' && a.metric === metric && a.level === level && a.clearedAt === null ? { ...a, clearedAt: at } : a,
    );
  }

  private now(): number {
    return this.gatewayLink.client?.serverNow() ?? Date.now();
  }

  // ---- charts -------------------------------------------------------------------------------

  /**
   * Colours of the tokens as the browser resolves them now (theme, overrides, forced colours):
   * the probe carries one token per colour property (see the styles), read in one style pass.
   */
  private palette(): ChartPalette {
    const style = getComputedStyle(this.probe!);
    return {
      text: style.color,
      muted: style.backgroundColor,
      grid: style.borderTopColor,
      accent: style.borderRightColor,
      success: style.borderBottomColor,
      warning: style.borderLeftColor,
      danger: style.outlineColor,
    };
  }

  private paintCharts(): void {
    const full = fullView.value;
    if (!this.charts || !full) return;
    const palette = this.palette();
    const limits = this.effectiveThresholds.latencyP95;
    const key = JSON.stringify([this.history.length, this.history.at(-1)?.at, palette, limits]);
    if (key === this.painted) return;
    this.painted = key;
    full.paint(this.charts, this.history, limits, palette);
  }

  private destroyCharts(): void {
    this.charts?.destroy();
    this.charts = this.chartsLoading = undefined;
    this.painted = '';
  }

  // ---- rendering ----------------------------------------------------------------------------

  private renderProblem() {
    const problem = this.problem;
    if (!problem) return nothing;
    const text =
      problem.kind === 'forbidden'
        ? msg('health.forbidden')
        : problem.kind === 'unauthorised'
          ? msg('health.unauthorised', { reason: problem.reason })
          : problem.kind === 'unreachable'
            ? msg('health.unreachable', { reason: problem.reason })
            : msg('health.no-gateway');
    return html`<p class="problem" part="problem" role="alert" data-kind=${problem.kind}>${text}</p>`;
  }

  /**
   * A service chip as of the freshest knowledge: for the gateway this panel polls, a summary
   * newer than the chip's event wins, so the chip never says "Up" beside a "Degraded" tile.
   */
  private serviceNow(service: string, reported: { status: GatewayStatus; message?: string; at: number }) {
    const s = this.summary;
    if (s && service === `gateway ${s.gateway.instance}` && s.ts >= reported.at && s.gateway.status !== reported.status) {
      return { status: this.status, message: reported.message, at: s.ts };
    }
    return reported;
  }

  private renderServices() {
    if (!this.services.size) return nothing;
    return html`<ul class="services" part="services" aria-label=${msg('health.services')}>
      ${[...this.services].map(([service, reported]) => {
        const s = this.serviceNow(service, reported);
        return html`<li data-status=${s.status} title=${s.message ?? ''}>
          <span class="dot" aria-hidden="true"></span>${service}: ${msg(`health.status.${s.status}`)}
        </li>`;
      })}
    </ul>`;
  }

  protected override render() {
    const full = fullView.value;
    const stale = this.status === 'down' && this.summary !== null;
    return html`
      <header part="header" role="none">
        <h2 part="title">${this.heading}</h2>
      </header>
      ${this.renderProblem()}
      ${renderTiles(
        statusTiles({
          summary: this.summary,
          status: this.status,
          level: (metric) => this.tracker?.level(metric) ?? 'ok',
          latencyLimits: this.effectiveThresholds.latencyP95,
          browserLatencyMs: this.browserLatencyMs,
          connectionStatus: this.connectionStatus,
        }),
        stale,
      )}
      ${this.renderServices()}
      ${this.compact || !full
        ? nothing
        : full.renderFull({
            history: this.history,
            view: this.view,
            alerts: this.alerts,
            limits: this.effectiveThresholds.latencyP95,
            toggleView: this.toggleView,
          })}
      <span class="probe" aria-hidden="true"></span>
      <div class="visually-hidden" role="status" aria-live="polite">${this.announcement}</div>
    `;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'health-panel': HealthPanel;
  }
}
