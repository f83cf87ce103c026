/**
 * The panel's memory: one record per check (successful or not), and the columns of its export
 * (the rows are built in checks.ts, the chart series in full-view.ts, both loaded later).
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

/** Headers for the export of the history (checks.ts: historyRows()), in column order. */
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
