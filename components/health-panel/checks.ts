/**
 * What the panel does with each answer of the metrics endpoint once it has arrived: the
 * threshold crossings (with hysteresis) and the alerts they raise, and the flat rows of the
 * history export. Imported when the panel connects, in parallel with its first request, so the
 * tiles render from the core bytes and the first answer waits for nothing.
 */
import type { MetricsSummary } from '../../protocol/index.ts';
import { addStrings, msg } from '../core/l10n.ts';
import { checksStrings } from '../core/strings/health-checks.ts';
import { num } from './format.ts';
import type { HealthCheck } from './history.ts';
import { ALERT_METRICS, isBackfill, type AlertLevel, type AlertMetric, type Level, type Limits, type Thresholds } from './thresholds.ts';

addStrings(checksStrings);

/** Unit of each alerting metric. */
export const METRIC_UNITS: Readonly<Record<AlertMetric, 'ms' | '%'>> = {
  latencyP95: 'ms',
  errorRate: '%',
  cpu: '%',
  memory: '%',
  eventLoopLag: 'ms',
};

/** The reading an alert watches (error rate as a percentage); null when the gateway had no samples. */
export function metricValue(metric: AlertMetric, summary: MetricsSummary): number | null {
  switch (metric) {
    case 'latencyP95':
      // Backfilled events measure their age, not delivery: nothing to alert on.
      return isBackfill(summary.latencyMs.p95) ? null : summary.latencyMs.p95;
    case 'errorRate':
      return summary.errors.errorRate * 100;
    case 'cpu':
      return summary.process.cpuPercent;
    case 'memory':
      return summary.process.memoryPercent;
    case 'eventLoopLag':
      return summary.process.eventLoopLagMs;
  }
}

/** One threshold crossing: what reached which line, and when (gateway clock, epoch ms). */
export interface Crossing {
  metric: AlertMetric;
  level: AlertLevel;
  value: number;
  threshold: number;
  at: number;
}

/**
 * The Schmitt trigger behind the alerts. Each (metric, level) pair is its own alert: raised when
 * the value reaches the threshold, cleared only once the value falls a margin below it, so a
 * metric hovering at the line raises one alert, not a storm.
 */
export class ThresholdTracker {
  private readonly active = new Map<string, Crossing>();

  /** @param hysteresis the share below the threshold a value must fall to clear (0.1 = 10 %). */
  constructor(public hysteresis = 0.1) {}

  /** Feeds one reading; answers the alerts it raised and the ones it cleared. */
  check(metric: AlertMetric, value: number, limits: Limits, at: number): { raised: Crossing[]; cleared: Crossing[] } {
    const raised: Crossing[] = [];
    const cleared: Crossing[] = [];
    for (const level of ['warning', 'critical'] as const) {
      const key = `${metric}:${level}`;
      const threshold = limits[level];
      const current = this.active.get(key);
      if (!current && value >= threshold) {
        const crossing = { metric, level, value, threshold, at };
        this.active.set(key, crossing);
        raised.push(crossing);
      } else if (current && value < threshold * (1 - this.hysteresis)) {
        this.active.delete(key);
        cleared.push(current);
      }
    }
    return { raised, cleared };
  }

  level(metric: AlertMetric): Level {
    if (this.active.has(`${metric}:critical`)) return 'critical';
    return this.active.has(`${metric}:warning`) ? 'warning' : 'ok';
  }
}

/** A threshold alert to raise, as the panel lists and announces it. */
export interface ThresholdAlert extends Crossing {
  title: string;
  message: string;
}

const withUnit = (metric: AlertMetric, value: number) => msg(METRIC_UNITS[metric] === 'ms' ? 'health.ms' : 'health.percent', { value: num(value) });

/** Feeds every alerting metric of `summary` to the tracker: the alerts to raise and to clear. */
export function evaluate(tracker: ThresholdTracker, summary: MetricsSummary, thresholds: Thresholds): { raised: ThresholdAlert[]; cleared: Crossing[] } {
  const raised: ThresholdAlert[] = [];
  const cleared: Crossing[] = [];
  for (const metric of ALERT_METRICS) {
    const value = metricValue(metric, summary);
    if (value === null || !Number.isFinite(value)) continue;
    const result = tracker.check(metric, value, thresholds[metric], summary.ts);
    cleared.push(...result.cleared);
    for (const c of result.raised) {
      const title = msg(`health.metric.${c.metric}`);
      raised.push({
        ...c,
        title,
        message: msg('health.alert.threshold', {
          metric: title,
          value: withUnit(c.metric, c.value),
          level: msg(`health.level.${c.level}`).toLowerCase(),
          threshold: withUnit(c.metric, c.threshold),
        }),
      });
    }
  }
  return { raised, cleared };
}

/** Flat records, oldest first: one per check, every figure in its own column (see HISTORY_COLUMNS). */
export function historyRows(history: readonly HealthCheck[]): Array<Record<string, unknown>> {
  return history.map(({ at, status, summary: s, browserLatencyMs }) => ({
    time: new Date(at).toISOString(),
    gatewayStatus: status,
    instance: s?.gateway.instance ?? null,
    storeKind: s?.store.kind ?? null,
    storeConnected: s?.store.connected ?? null,
    storeRttMs: s?.store.rttMs ?? null,
    connections: s?.connections.total ?? null,
    eventsInPerS: s?.rates.eventsInPerS ?? null,
    eventsOutPerS: s?.rates.eventsOutPerS ?? null,
    latencyP50Ms: s?.latencyMs.p50 ?? null,
    latencyP95Ms: s?.latencyMs.p95 ?? null,
    latencyP99Ms: s?.latencyMs.p99 ?? null,
    pipelineLagP99Ms: s?.pipelineLagMs.p99 ?? null,
    errorRatePercent: s ? s.errors.errorRate * 100 : null,
    schemaRejects: s?.errors.schemaRejects ?? null,
    authFailures: s?.errors.authFailures ?? null,
    laggingDisconnects: s?.errors.laggingDisconnects ?? null,
    cpuPercent: s?.process.cpuPercent ?? null,
    memoryPercent: s?.process.memoryPercent ?? null,
    rssBytes: s?.process.rssBytes ?? null,
    eventLoopLagMs: s?.process.eventLoopLagMs ?? null,
    browserLatencyMs,
  }));
}

/** Headers for the export of the history (historyRows()), in column order. */
export const HISTORY_COLUMNS: ReadonlyArray<{ key: string; header: string }> = [
  ['time', 'Time'],
  ['gatewayStatus', 'Gateway'],
  ['instance', 'Instance'],
  ['storeKind', 'Store'],
  ['storeConnected', 'Store connected'],
  ['storeRttMs', 'Store round trip (ms)'],
  ['connections', 'Connections'],
  ['eventsInPerS', 'Events in (/s)'],
  ['eventsOutPerS', 'Events out (/s)'],
  ['latencyP50Ms', 'Latency p50 (ms)'],
  ['latencyP95Ms', 'Latency p95 (ms)'],
  ['latencyP99Ms', 'Latency p99 (ms)'],
  ['pipelineLagP99Ms', 'Pipeline lag p99 (ms)'],
  ['errorRatePercent', 'Error rate (%)'],
  ['schemaRejects', 'Schema rejects'],
  ['authFailures', 'Auth failures'],
  ['laggingDisconnects', 'Lagging disconnects'],
  ['cpuPercent', 'CPU (%)'],
  ['memoryPercent', 'Memory (%)'],
  ['rssBytes', 'RSS (bytes)'],
  ['eventLoopLagMs', 'Event-loop lag (ms)'],
  ['browserLatencyMs', 'Browser latency (ms)'],
].map(([key, header]) => ({ key, header }));
