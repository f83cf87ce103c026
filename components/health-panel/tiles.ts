/**
 * The status tiles: what the panel shows at once, in the core bytes — one figure per tile
 * (gateway, Redis, connections, throughput, latency, lag, errors, process, this browser) with
 * its level against the thresholds.
 */
import { html, nothing } from 'lit';
import type { MetricsSummary } from '../../protocol/index.ts';
import type { ConnectionStatus } from '../core/client.ts';
import { msg } from '../core/l10n.ts';
import { num, time } from './format.ts';
import type { GatewayStatus } from './history.ts';
import { isBackfill, type AlertMetric, type Level, type Limits } from './thresholds.ts';

export type Tile = {
  key: string;
  label: string;
  value: string;
  detail?: string;
  level: Level | 'neutral';
};

/** What the tiles show. */
export interface TileState {
  summary: MetricsSummary | null;
  status: GatewayStatus | 'unknown';
  /** The level of an alerting metric now (with hysteresis). */
  level(metric: AlertMetric): Level;
  latencyLimits: Limits;
  browserLatencyMs: number | null;
  connectionStatus: ConnectionStatus | null;
}

export function statusTiles(state: TileState): Tile[] {
const s = state.summary;
const down = state.status === 'down';
const level = (metric: AlertMetric): Level => state.level(metric);
  const gatewayLevel = { up: 'ok', degraded: 'warning', down: 'critical', unknown: 'neutral' } as const;
  const store = s?.store;
  const latencyLimits = state.latencyLimits;
  const browser = state.browserLatencyMs;
  return [
    {
      key: 'gateway',
      label: msg('health.tile.gateway'),
      value: msg(`health.status.${state.status}`),
      detail: s
        ? down
          ? msg('health.detail.last-seen', { time: time(s.ts) })
          : msg('health.detail.gateway', { instance: s.gateway.instance, uptime: uptime(s.gateway.uptimeS) })
        : undefined,
      level: gatewayLevel[state.status],
    },
    {
      key: 'store',
      label: msg('health.tile.store'),
      value: !store
        ? msg('health.none')
        : store.kind === 'memory'
          ? msg('health.store.memory')
          : msg(store.connected ? 'health.store.connected' : 'health.store.disconnected'),
      detail: store?.rttMs != null ? msg('health.detail.rtt', { value: num(store.rttMs) }) : undefined,
      level: !store || store.kind === 'memory' ? 'neutral' : store.connected ? 'ok' : 'critical',
    },
    {
      key: 'connections',
      label: msg('health.tile.connections'),
      value: num(s?.connections.total),
      detail: s ? msg('health.detail.connections', { ws: s.connections.ws, sse: s.connections.sse, poll: s.connections.poll }) : undefined,
      level: 'neutral',
    },
    { key: 'events-in', label: msg('health.tile.events-in'), value: perSecond(s?.rates.eventsInPerS), level: 'neutral' },
    { key: 'events-out', label: msg('health.tile.events-out'), value: perSecond(s?.rates.eventsOutPerS), level: 'neutral' },
    isBackfill(s?.latencyMs.p95)
      ? { key: 'latency', label: msg('health.tile.latency'), value: msg('health.backfilled'), detail: msg('health.detail.backfilled'), level: 'neutral' }
      : {
          key: 'latency',
          label: msg('health.tile.latency'),
          value: ms(s?.latencyMs.p95),
          detail: s ? msg('health.detail.latency', { p50: num(s.latencyMs.p50), p99: isBackfill(s.latencyMs.p99) ? '—' : num(s.latencyMs.p99) }) : undefined,
          level: level('latencyP95'),
        },
    {
      key: 'pipeline-lag',
      label: msg('health.tile.pipeline-lag'),
      value: ms(s?.pipelineLagMs.p99),
      detail: s ? msg('health.detail.lag', { p50: num(s.pipelineLagMs.p50) }) : undefined,
      level: 'neutral',
    },
    {
      key: 'error-rate',
      label: msg('health.tile.error-rate'),
      value: percent(s ? s.errors.errorRate * 100 : undefined),
      detail: s
        ? msg('health.detail.errors', { schema: num(s.errors.schemaRejects), auth: num(s.errors.authFailures), lagging: num(s.errors.laggingDisconnects) })
        : undefined,
      level: level('errorRate'),
    },
    { key: 'cpu', label: msg('health.tile.cpu'), value: percent(s?.process.cpuPercent), level: level('cpu') },
    {
      key: 'memory',
      label: msg('health.tile.memory'),
      value: percent(s?.process.memoryPercent),
      detail: s ? msg('health.detail.rss', { value: num(s.process.rssBytes / 1_048_576) }) : undefined,
      level: level('memory'),
    },
    { key: 'loop-lag', label: msg('health.tile.loop-lag'), value: ms(s?.process.eventLoopLagMs), level: level('eventLoopLag') },
    {
      key: 'browser',
      label: msg('health.tile.browser'),
      value: ms(browser),
      detail: state.connectionStatus ? msg('health.detail.browser', { status: msg(`status.${state.connectionStatus}`) }) : undefined,
      level: browser === null ? 'neutral' : browser >= latencyLimits.critical ? 'critical' : browser >= latencyLimits.warning ? 'warning' : 'ok',
    },
  ];
}

/** The tiles the panel's first screen shows; the rest wait under "More figures" unless alerting. */
const PRIMARY = new Set(['gateway', 'store', 'connections', 'events-in', 'latency', 'error-rate']);

/** The tiles that matter first, then the rest in a disclosure (a tile over a threshold is always first). */
export function renderTiles(tiles: Tile[], stale: boolean) {
  const first = (t: Tile) => PRIMARY.has(t.key) || t.level === 'warning' || t.level === 'critical';
  const more = tiles.filter((t) => !first(t));
  return html`<ul class="tiles" part="tiles" aria-label=${msg('health.tiles')}>
      ${tiles.filter(first).map((tile) => renderTile(tile, stale))}
    </ul>
    ${more.length
      ? html`<details class="more" part="more">
          <summary part="more-toggle">${msg('health.more', { count: more.length })}</summary>
          <ul class="tiles" part="tiles" aria-label=${msg('health.more-tiles')}>${more.map((tile) => renderTile(tile, stale))}</ul>
        </details>`
      : nothing}`;
}

function renderTile(tile: Tile, stale: boolean) {
  return html`<li class="tile" part="tile tile-${tile.key}" data-key=${tile.key} data-level=${tile.level} ?data-stale=${stale}>
    <span class="tile-label" part="tile-label">${tile.label}</span>
    <span class="tile-value" part="tile-value">${tile.value}</span>
    ${tile.level === 'warning' || tile.level === 'critical'
      ? html`<span class="tile-level" part="tile-level">${msg(`health.level.${tile.level}`)}</span>`
      : nothing}
    ${tile.detail ? html`<span class="tile-detail" part="tile-detail">${tile.detail}</span>` : nothing}
  </li>`;
}

const ms = (value: number | null | undefined) => (value === null || value === undefined ? msg('health.none') : msg('health.ms', { value: num(value) }));
const percent = (value: number | undefined) => (value === undefined ? msg('health.none') : msg('health.percent', { value: num(value) }));
const perSecond = (value: number | undefined) => (value === undefined ? msg('health.none') : msg('health.per-second', { value: num(value) }));

function uptime(seconds: number): string {
  if (seconds < 90) return `${Math.round(seconds)} s`;
  if (seconds < 5_400) return `${Math.round(seconds / 60)} min`;
  if (seconds < 172_800) return `${Math.round(seconds / 3_600)} h`;
  return `${Math.round(seconds / 86_400)} d`;
}
