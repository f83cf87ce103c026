/**
 * The panel's memory: one record per check (successful or not), and the columns of its export
 * (the rows and their columns are built in checks.ts, the chart series in full-view.ts, both loaded
 * later).
 */
import type { MetricsSummary } from '../../protocol/index.ts';

export type GatewayStatus = MetricsSummary['gateway']['status'];

export interface HealthCheck {
  /** When the check was taken, on the gateway's clock when known (epoch ms). */
  at: number;
  /** `down`: the gateway did not answer; `summary` is then null. */
  status: GatewayStatus;
  summary: MetricsSummary | null;
  /** The browser's own publish → receive latency on the shared connection, when measured. */
  browserLatencyMs: number | null;
}

export interface ChartSeries {
  at: number[];
  latency: { p50: Array<number | null>; p95: Array<number | null>; p99: Array<number | null> };
  throughput: { in: Array<number | null>; out: Array<number | null> };
}
