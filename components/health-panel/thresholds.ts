/**
 * Alert thresholds: the metrics that alert, their defaults and what a page may override. The
 * tracking of crossings (with hysteresis) lives in checks.ts, loaded with the first check.
 */

export const ALERT_METRICS = ['latencyP95', 'errorRate', 'cpu', 'memory', 'eventLoopLag'] as const;
export type AlertMetric = (typeof ALERT_METRICS)[number];
export type AlertLevel = 'warning' | 'critical';
export type Level = 'ok' | AlertLevel;

export interface Limits {
  warning: number;
  critical: number;
}
export type Thresholds = Record<AlertMetric, Limits>;
/** What the `thresholds` property and attribute accept: any subset, merged over the defaults. */
export type ThresholdOverrides = { [M in AlertMetric]?: Partial<Limits> };

/**
 * The gateway's own monitor uses the same (docs/gateway.md, alerts): the production seed's
 * 1 s / 5 s for latency, so ordinary traffic (tens of milliseconds) is green.
 */
export const DEFAULT_THRESHOLDS: Readonly<Thresholds> = Object.freeze({
  latencyP95: { warning: 1_000, critical: 5_000 },
  errorRate: { warning: 5, critical: 15 },
  cpu: { warning: 70, critical: 85 },
  memory: { warning: 75, critical: 90 },
  eventLoopLag: { warning: 500, critical: 2_000 },
});

export function resolveThresholds(overrides: ThresholdOverrides | null | undefined): Thresholds {
  const merged = {} as Thresholds;
  for (const metric of ALERT_METRICS) merged[metric] = { ...DEFAULT_THRESHOLDS[metric], ...overrides?.[metric] };
  return merged;
}

/**
 * A latency this long measures how old the events were, not delivery: a backfill or a replay of
 * events published long before. Such readings are shown as backfilled and never alert.
 */
export const BACKFILL_MS = 60_000;
export const isBackfill = (latencyMs: number | null | undefined): boolean => latencyMs != null && latencyMs >= BACKFILL_MS;
