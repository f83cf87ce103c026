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

export const DEFAULT_THRESHOLDS: Readonly<Thresholds> = Object.freeze({
  latencyP95: { warning: 50, critical: 100 },
  errorRate: { warning: 5, critical: 15 },
  cpu: { warning: 70, critical: 85 },
  memory: { warning: 75, critical: 90 },
  eventLoopLag: { warning: 50, critical: 200 },
});

export function resolveThresholds(overrides: ThresholdOverrides | null | undefined): Thresholds {
  const merged = {} as Thresholds;
  for (const metric of ALERT_METRICS) merged[metric] = { ...DEFAULT_THRESHOLDS[metric], ...overrides?.[metric] };
  return merged;
}
