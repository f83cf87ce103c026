/**
 * The JSON view: the `/v1/metrics` summary (the protocol's MetricsSummary, what <health-panel>
 * reads, plus the breakdowns an operator wants; docs/gateway.md documents every field), and the
 * periodic `system.health` event made from it.
 */
import { createRequire } from 'node:module';
import { cpus, totalmem } from 'node:os';
import { ALL_TENANTS, type Envelope, type MetricsSummary } from '../../../protocol/index.ts';
import { authFailureCounts, countByTransport, countSubscriptions, type Observed } from './observed.ts';
import type { EventLoopLag, Probes } from './probes.ts';
import { round, type IngestStats, type RejectSource } from './stats.ts';

// The package's own manifest, by its name: the same from the source tree and from an installed dist/.
const VERSION: string = createRequire(import.meta.url)('leadwire-gateway/package.json').version;
/** Event-loop p99 above which the gateway reports itself degraded. */
const DEGRADED_LOOP_LAG_MS = 200;
/** 95 % of live frames within 10 ms of publish: the gateway's delivery target. */
export const DELIVERY_TARGET = { withinMs: 10, goal: 0.95 };
/** Percentiles and rates are over this last span. */
const WINDOW_MS = 60_000;

export interface GatewayMetricsSummary extends MetricsSummary {
  events: { inTotal: number; outTotal: number; byType: Record<string, { in: number; out: number }> };
  replays: { recovered: number; unrecovered: number; fromMemory: number };
  rejectsBySource: { total: number } & Record<RejectSource, number>;
  ingest: IngestStats['outcomes'];
  authFailuresByReason: { total: number } & Record<string, number>;
  rateLimitedByLimit: { total: number } & Record<string, number>;
  eventLoop: EventLoopLag;
  /** The delivery target: this share of live frames written within `withinMs` of publish, over the last minute. */
  deliveryTarget: { withinMs: number; goal: number; share: number | null };
  process: MetricsSummary['process'] & { cores: number; heapUsedBytes: number };
}

export async function summarize(observed: Observed, probes: Probes, gatewayId: string, now: number): Promise<GatewayMetricsSummary> {
  const { stats, ingest, sessions, log } = observed;
  if (probes.cpuPercent === 0) probes.tick();
  const byType: GatewayMetricsSummary['events']['byType'] = {};
  for (const [type, n] of stats.eventsIn) (byType[type] ??= { in: 0, out: 0 }).in = n;
  for (const [type, n] of stats.eventsOut) (byType[type] ??= { in: 0, out: 0 }).out = n;
  const sum = (map: Map<string, number>) => [...map.values()].reduce((a, b) => a + b, 0);
  const memory = process.memoryUsage();
  const redis = await probes.redis();
  const eventLoop = probes.eventLoop();
  const inPerS = stats.inRate.perSecond(now, stats.startedAt);
  const rejectsPerS = ingest.rejectRate.perSecond(now, stats.startedAt);
  const rejectsBySource = withTotal({ ...ingest.rejects });
  const authFailuresByReason = withTotal(authFailureCounts(observed));
  const rateLimitedByLimit = withTotal({ ...observed.limitRefusals });
  const degraded = redis.status === 'down' || eventLoop.lagP99Ms > DEGRADED_LOOP_LAG_MS;
  return {
    ts: now,
    gateway: { status: degraded ? 'degraded' : 'up', instance: gatewayId, version: VERSION, uptimeS: Math.round(process.uptime()) },
    store: { kind: log.kind === 'redis' ? 'redis' : 'memory', connected: redis.status !== 'down', rttMs: redis.rttMs, ...(redis.breaker ? { breaker: redis.breaker } : {}) },
    connections: { total: sessions.size, ...countByTransport(sessions) },
    subscriptions: countSubscriptions(sessions),
    rates: { eventsInPerS: inPerS, eventsOutPerS: stats.outRate.perSecond(now, stats.startedAt) },
    latencyMs: stats.latency.percentiles(now, WINDOW_MS),
    pipelineLagMs: stats.pipelineLag.percentiles(now, WINDOW_MS),
    errors: {
      schemaRejects: rejectsBySource.total,
      authFailures: authFailuresByReason.total,
      laggingDisconnects: stats.laggingClosed,
      rateLimited: rateLimitedByLimit.total,
      errorRate: errorRate(inPerS, rejectsPerS),
    },
    process: {
      cpuPercent: probes.cpuPercent,
      memoryPercent: memoryPercent(memory.rss),
      rssBytes: memory.rss,
      eventLoopLagMs: eventLoop.lagP99Ms,
      cores: cpus().length,
      heapUsedBytes: memory.heapUsed,
    },
    events: { inTotal: sum(stats.eventsIn), outTotal: sum(stats.eventsOut), byType },
    replays: { ...stats.replays },
    rejectsBySource,
    ingest: structuredClone(ingest.outcomes),
    authFailuresByReason,
    rateLimitedByLimit,
    eventLoop,
    deliveryTarget: { ...DELIVERY_TARGET, share: stats.latency.shareAtMost(DELIVERY_TARGET.withinMs, now, WINDOW_MS) },
  };
}

/** Resident memory as a share of the cgroup limit when there is one (unconstrained reports a huge number), else of the machine's. */
export function memoryPercent(rss = process.memoryUsage.rss()): number {
  const constrained = (process as { constrainedMemory?: () => number | undefined }).constrainedMemory?.() || Infinity;
  return round((rss / Math.min(constrained, totalmem())) * 100, 1);
}

/** Rejected share of what came in, 0–1. */
export function errorRate(inPerS: number, rejectsPerS: number): number {
  return inPerS + rejectsPerS > 0 ? round(rejectsPerS / (inPerS + rejectsPerS), 4) : 0;
}

/** The periodic `system.health` event: key figures, flat numbers as the catalog wants them. */
export function healthEvent(s: GatewayMetricsSummary, gatewayId: string, now: number): Envelope {
  const figures: Record<string, number | null> = {
    connections: s.connections.total,
    subscriptions: s.subscriptions,
    eventsInPerS: s.rates.eventsInPerS,
    eventsOutPerS: s.rates.eventsOutPerS,
    latencyP50Ms: s.latencyMs.p50,
    latencyP95Ms: s.latencyMs.p95,
    latencyP99Ms: s.latencyMs.p99,
    deliveredWithin10msShare: s.deliveryTarget.share,
    pipelineLagP95Ms: s.pipelineLagMs.p95,
    eventLoopLagP99Ms: s.process.eventLoopLagMs,
    cpuPercent: s.process.cpuPercent,
    memoryPercent: s.process.memoryPercent,
    redisRttMs: s.store.rttMs,
    laggingDisconnects: s.errors.laggingDisconnects,
    rejects: s.errors.schemaRejects,
  };
  const metrics = Object.fromEntries(Object.entries(figures).filter((entry): entry is [string, number] => entry[1] !== null));
  return {
    id: `health-${gatewayId}-${now}`,
    type: 'system.health',
    tenant: ALL_TENANTS,
    ts: now,
    data: { service: `gateway ${gatewayId}`, status: s.gateway.status, metrics },
  } as Envelope;
}

function withTotal<T extends Record<string, number>>(counts: T): { total: number } & T {
  return { total: Object.values(counts).reduce((a, b) => a + b, 0), ...counts };
}
