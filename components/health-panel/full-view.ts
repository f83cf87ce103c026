/**
 * The full (non-compact) panel below the tiles: the charts section with its table view, and the
 * alert list, with their styles and chart.js. Imported on the first full render, so the tiles —
 * what the panel shows at once — stay in the embed's core bytes and this waits for no one.
 */
import { css, html, nothing } from 'lit';
import { addStrings, msg } from '../core/l10n.ts';
import { HealthCharts, type ChartPalette } from './charts.ts';
import { num, time } from './format.ts';
import { fullViewStrings } from '../core/strings/health-full-view.ts';
import type { HealthAlertDetail } from './events.ts';
import type { ChartSeries, HealthCheck } from './history.ts';
import { isBackfill, type Limits } from './thresholds.ts';

const live = (ms: number | null) => (isBackfill(ms) ? null : ms);
import type { MetricsSummary } from '../../protocol/index.ts';

export { HealthCharts };

addStrings(fullViewStrings);

/** What the full view renders from. */
export interface FullViewState {
  history: readonly HealthCheck[];
  view: 'chart' | 'table';
  alerts: readonly HealthAlertDetail[];
  /** The p95 latency thresholds (the charts' threshold lines and the table caption). */
  limits: Limits;
  toggleView: () => void;
}

/** One decimal: what the chart plots and the table prints. */
const tenth = (value: number | null | undefined): number | null =>
  value === undefined || value === null || !Number.isFinite(value) ? null : Math.round(value * 10) / 10;

/** The chart series, which the table view renders too, so both always show the same numbers. */
export function chartSeries(history: readonly HealthCheck[]): ChartSeries {
  const pick = (read: (s: MetricsSummary) => number | null) => history.map((c) => (c.summary ? tenth(read(c.summary)) : null));
  return {
    at: history.map((c) => c.at),
    // A backfill's reading (the events' age) would flatten every real one: left out, as a gap.
    latency: { p50: pick((s) => live(s.latencyMs.p50)), p95: pick((s) => live(s.latencyMs.p95)), p99: pick((s) => live(s.latencyMs.p99)) },
    throughput: { in: pick((s) => s.rates.eventsInPerS), out: pick((s) => s.rates.eventsOutPerS) },
  };
}

export function renderFull(v: FullViewState) {
  return html`${renderCharts(v, chartSeries(v.history))} ${renderAlerts(v)}`;
}

/** Draws the history into the charts, with the threshold lines and labels. */
export function paint(charts: HealthCharts, history: readonly HealthCheck[], limits: Limits, palette: ChartPalette): void {
  const series = chartSeries(history);
  charts.update(series, series.at.map(time), limits, palette, {
    p50: 'p50',
    p95: 'p95',
    p99: 'p99',
    warning: msg('health.chart.warning', { value: num(limits.warning) }),
    critical: msg('health.chart.critical', { value: num(limits.critical) }),
    eventsIn: msg('health.tile.events-in'),
    eventsOut: msg('health.tile.events-out'),
    latencyAxis: 'ms',
    throughputAxis: '/s',
  });
}

function renderCharts(v: FullViewState, series: ChartSeries) {
  const table = v.view === 'table';
  const latest = (values: Array<number | null>, unit: 'health.ms' | 'health.per-second') => {
    const last = values.at(-1);
    return last === null || last === undefined ? msg('health.none') : msg(unit, { value: num(last) });
  };
  const describe = (title: string, latestText: string) => msg('health.chart.summary', { title, count: series.at.length, latest: latestText });
  return html`<section class="charts" part="charts" role="group" aria-labelledby="charts-title">
    <div class="section-head">
      <h3 id="charts-title">${msg('health.charts')}</h3>
      <button class="control" part="view-toggle" aria-pressed=${table ? 'true' : 'false'} @click=${v.toggleView}>
        ${msg('health.show-table')}
      </button>
    </div>
    <div class="chart-grid" ?hidden=${table}>
      <figure part="chart chart-latency">
        <figcaption>${msg('health.chart.latency')}</figcaption>
        <div class="canvas-box">
          <canvas data-chart="latency" role="img" aria-label=${describe(msg('health.chart.latency'), latest(series.latency.p95, 'health.ms'))}></canvas>
        </div>
      </figure>
      <figure part="chart chart-throughput">
        <figcaption>${msg('health.chart.throughput')}</figcaption>
        <div class="canvas-box">
          <canvas data-chart="throughput" role="img" aria-label=${describe(msg('health.chart.throughput'), latest(series.throughput.in, 'health.per-second'))}></canvas>
        </div>
      </figure>
    </div>
    ${table ? renderTable(v, series) : nothing}
  </section>`;
}

function renderTable(v: FullViewState, series: ChartSeries) {
  const limits = v.limits;
  return html`<div class="table-box" tabindex="0" role="group" aria-labelledby="table-caption">
    <table part="table">
      <caption id="table-caption">
        ${msg('health.charts')} · ${msg('health.chart.warning', { value: num(limits.warning) })} ·
        ${msg('health.chart.critical', { value: num(limits.critical) })}
      </caption>
      <thead>
        <tr>
          ${(['time', 'p50', 'p95', 'p99', 'in', 'out'] as const).map((c) => html`<th scope="col">${msg(`health.col.${c}`)}</th>`)}
        </tr>
      </thead>
      <tbody>
        ${series.at.map(
          (at, i) => html`<tr>
            <th scope="row">${time(at)}</th>
            ${[series.latency.p50, series.latency.p95, series.latency.p99, series.throughput.in, series.throughput.out].map(
              (values) => html`<td>${num(values[i])}</td>`,
            )}
          </tr>`,
        )}
      </tbody>
    </table>
  </div>`;
}

function renderAlerts(v: FullViewState) {
  return html`<section class="alerts-section" role="group" aria-labelledby="alerts-title">
    <h3 id="alerts-title">${msg('health.alerts')}</h3>
    ${v.alerts.length
      ? html`<ol class="alerts" part="alerts" tabindex="0" aria-labelledby="alerts-title">
          ${v.alerts.map(
            (a) => html`<li
              class="alert"
              part="alert alert-${a.level} ${a.clearedAt === null ? '' : 'alert-cleared'}"
              data-level=${a.level}
              data-source=${a.source}
              ?data-cleared=${a.clearedAt !== null}
            >
              <span class="alert-level">${msg(`health.level.${a.level}`)}</span>
              <time datetime=${new Date(a.at).toISOString()}>${time(a.at)}</time>
              <span class="alert-text">${a.source === 'event' ? html`<strong>${a.title}</strong> ` : nothing}${a.message}</span>
              <span class="alert-state">
                ${a.source === 'threshold'
                  ? a.clearedAt === null
                    ? msg('health.alert.active')
                    : msg('health.alert.cleared', { time: time(a.clearedAt) })
                  : nothing}
              </span>
            </li>`,
          )}
        </ol>`
      : html`<p class="empty">${msg('health.no-alerts')}</p>`}
  </section>`;
}

export const fullStyles = css`
  /* ---- charts, table, alerts ---- */
  section {
    padding: var(--_space-3);
    border-top: 1px solid var(--_border);
  }
  .section-head {
    display: flex;
    flex-wrap: wrap;
    align-items: center;
    justify-content: space-between;
    gap: var(--_space-2);
    margin-bottom: var(--_space-2);
  }
  .control {
    padding: 2px var(--_space-2);
    border: 1px solid var(--_border);
    border-radius: var(--_radius);
    background: var(--_surface);
    cursor: pointer;
  }
  .control[aria-pressed='true'] {
    background: var(--_accent);
    color: var(--_on-accent);
    border-color: var(--_accent);
  }
  .chart-grid {
    display: grid;
    grid-template-columns: repeat(auto-fit, minmax(min(100%, 280px), 1fr));
    gap: var(--_space-3);
  }
  .chart-grid[hidden] {
    display: none;
  }
  figure {
    margin: 0;
    min-width: 0;
  }
  figcaption {
    font-size: var(--_font-size-small);
    color: var(--_text-muted);
  }
  .canvas-box {
    position: relative;
    height: var(--lw-health-chart-height, 200px);
    min-width: 0;
  }
  .table-box {
    max-height: 320px;
    overflow: auto;
  }
  table {
    width: 100%;
    border-collapse: collapse;
    font-size: var(--_font-size-small);
    font-variant-numeric: tabular-nums;
  }
  caption {
    text-align: start;
    color: var(--_text-muted);
    padding-bottom: var(--_space-1);
  }
  th,
  td {
    padding: 2px var(--_space-2);
    border-bottom: 1px solid var(--_border);
    text-align: end;
    white-space: nowrap;
  }
  th[scope='row'],
  thead th:first-child {
    text-align: start;
    font-weight: 400;
  }
  thead th {
    position: sticky;
    top: 0;
    background: var(--_surface);
  }
  .alerts {
    display: flex;
    flex-direction: column;
    gap: var(--_space-1);
    margin: var(--_space-2) 0 0;
    padding: 0;
    list-style: none;
    max-height: 280px;
    overflow: auto;
  }
  .alert {
    display: flex;
    flex-wrap: wrap;
    gap: 0 var(--_space-2);
    padding: var(--_space-1) var(--_space-2);
    border: 1px solid var(--_border);
    border-left: 4px solid var(--_alert-accent, var(--_border));
    border-radius: var(--_radius);
  }
  .alert[data-level='warning'] {
    --_alert-accent: var(--_warning);
  }
  .alert[data-level='critical'] {
    --_alert-accent: var(--_danger);
  }
  .alert[data-cleared] {
    --_alert-accent: var(--_border);
  }
  .alert-level {
    font-weight: 600;
  }
  .alert time,
  .alert-state {
    color: var(--_text-muted);
    font-size: var(--_font-size-small);
  }
  .alert-text {
    flex-basis: 100%;
    overflow-wrap: anywhere;
  }
  .empty {
    margin: var(--_space-2) 0 0;
    color: var(--_text-muted);
  }
  @media (forced-colors: active) {
    .alert {
      border-left-width: 4px;
    }
    .control[aria-pressed='true'] {
      forced-color-adjust: none;
      background: Highlight;
      color: HighlightText;
      border-color: Highlight;
    }
  }
`;
