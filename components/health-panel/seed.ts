/**
 * The panel's charts start from what the gateway logged, not from empty: its own `system.health`
 * events (one every METRICS_HEALTH_INTERVAL_MS, with the same figures as `/v1/metrics`), read
 * as a history page (docs/protocol.md §5a) and turned into checks older than the panel's own.
 */
import type { Cursor, MetricsSummary, StreamEvent } from '../../protocol/index.ts';
import type { GatewayClient } from '../core/client.ts';
import type { HealthCheck } from './history.ts';

type Figures = Partial<Record<string, number>>;
const percentiles = (p50?: number, p95?: number, p99?: number) => ({ p50: p50 ?? null, p95: p95 ?? null, p99: p99 ?? null, max: null, samples: 0 });

/** A gateway's system.health event as a check; undefined for other services' health events. */
export function checkFromHealthEvent(event: StreamEvent): HealthCheck | undefined {
  const data = event.data as { service?: unknown; status?: unknown; metrics?: Figures };
  if (event.type !== 'system.health' || typeof data.service !== 'string' || !data.service.startsWith('gateway ') || !data.metrics) return undefined;
  const m = data.metrics;
  const status = data.status === 'degraded' || data.status === 'down' ? data.status : 'up';
  const summary: MetricsSummary = {
    ts: event.ts,
    gateway: { status, instance: data.service.slice('gateway '.length), version: '', uptimeS: 0 },
    store: { kind: 'redis', connected: m.redisRttMs !== undefined, rttMs: m.redisRttMs ?? null },
    connections: { total: m.connections ?? 0, ws: 0, sse: 0, poll: 0 },
    subscriptions: m.subscriptions ?? 0,
    rates: { eventsInPerS: m.eventsInPerS ?? 0, eventsOutPerS: m.eventsOutPerS ?? 0 },
    latencyMs: percentiles(m.latencyP50Ms, m.latencyP95Ms, m.latencyP99Ms),
    pipelineLagMs: percentiles(undefined, m.pipelineLagP95Ms),
    errors: { schemaRejects: m.rejects ?? 0, authFailures: 0, laggingDisconnects: m.laggingDisconnects ?? 0, rateLimited: 0, errorRate: 0 },
    process: { cpuPercent: m.cpuPercent ?? 0, memoryPercent: m.memoryPercent ?? 0, rssBytes: 0, eventLoopLagMs: m.eventLoopLagP99Ms ?? 0 },
  };
  return { at: event.ts, status, summary, browserLatencyMs: null };
}

/** Up to `size` logged checks up to `cursor`, oldest first; [] when the gateway has none or says no. */
export async function loggedChecks(client: GatewayClient, cursor: Cursor, size: number): Promise<HealthCheck[]> {
  try {
    const page = await client.history({ until: cursor, limit: Math.min(size, 1_000), subscription: { filter: { types: ['system.health'] } } });
    return page.events.flatMap((event) => checkFromHealthEvent(event) ?? []).reverse();
  } catch {
    return []; // an older gateway, or no system:read: the charts start with the panel's own checks
  }
}
