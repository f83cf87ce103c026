/**
 * A metrics source for stories: plausible `/v1/metrics` figures for a scenario, without a gateway.
 */
import type { MetricsSummary } from '../../protocol/index.ts';
import { MetricsError, type MetricsSource } from '../../components/health-panel/define.ts';

export type Scenario = 'healthy' | 'degraded' | 'down' | 'alerting' | 'forbidden';

/**
 * A metrics source that makes up plausible figures for a scenario: gentle noise around a
 * baseline, a p95 that climbs through both thresholds when alerting, a gateway that stops
 * answering after a few checks when down.
 */
export function fakeMetrics(scenario: Scenario): MetricsSource {
  let tick = 0;
  const started = Date.now() - 3 * 3_600_000;
  const wobble = (base: number, spread: number) => Math.max(0, base + (Math.random() - 0.5) * 2 * spread);
  return {
    async read() {
      tick++;
      if (scenario === 'forbidden') throw new MetricsError('forbidden', 'the token lacks the system:read scope', 403);
      if (scenario === 'down' && tick > 4) throw new MetricsError('unreachable', 'the gateway did not answer (Failed to fetch)');
      const degraded = scenario === 'degraded';
      const alerting = scenario === 'alerting';
      const p95 = alerting ? Math.min(40 + tick * 12, 160) : wobble(degraded ? 38 : 14, 4);
      const summary: MetricsSummary = {
        ts: Date.now(),
        gateway: { status: degraded ? 'degraded' : 'up', instance: 'gw-eu-1', version: '0.1.0', uptimeS: (Date.now() - started) / 1000 },
        store: degraded ? { kind: 'redis', connected: false, rttMs: null } : { kind: 'redis', connected: true, rttMs: wobble(0.9, 0.3) },
        connections: { total: 128, ws: 117, sse: 8, poll: 3 },
        subscriptions: 131,
        rates: { eventsInPerS: wobble(degraded ? 2 : 24, 3), eventsOutPerS: wobble(degraded ? 40 : 610, 60) },
        latencyMs: { p50: p95 * 0.35, p95, p99: p95 * 1.6, max: p95 * 2.4, samples: 2_400 },
        pipelineLagMs: { p50: wobble(degraded ? 900 : 3, 1), p95: wobble(degraded ? 3_100 : 8, 2), p99: wobble(degraded ? 4_200 : 11, 3), max: wobble(degraded ? 5_000 : 16, 4), samples: 1_400 },
        errors: {
          schemaRejects: 12 + tick,
          authFailures: 3,
          laggingDisconnects: alerting ? tick : 1,
          rateLimited: 0,
          errorRate: alerting ? Math.min(0.02 * tick, 0.2) : wobble(degraded ? 0.04 : 0.004, 0.002),
        },
        process: {
          cpuPercent: alerting ? Math.min(50 + tick * 5, 92) : wobble(degraded ? 61 : 22, 4),
          memoryPercent: wobble(degraded ? 72 : 38, 2),
          rssBytes: 210 * 1_048_576,
          eventLoopLagMs: alerting ? Math.min(10 + tick * 25, 260) : wobble(4, 2),
        },
      };
      return summary;
    },
  };
}
