/**
 * What the gateway tells operators: Prometheus metrics at `/metrics`, a JSON summary at
 * `/v1/metrics` for the health panel, and a periodic `system.health` event in the log.
 *
 * The hot path only bumps plain counters and bounded sample windows (DeliveryStats); the
 * Prometheus registry reads them when scraped, so fan-out never pays for label lookups.
 */
import { readFileSync } from 'node:fs';
import { monitorEventLoopDelay, type IntervalHistogram } from 'node:perf_hooks';
import { cpus, hostname, totalmem } from 'node:os';
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import { ALL_TENANTS, type Envelope, type MetricsSummary } from '../../protocol/index.ts';
import type { Percentiles } from '../../protocol/metrics.ts';
import type { DeliverableEvent } from './decode.ts';
import type { EventLog } from './log/log.ts';
import type { Session } from './session.ts';

export const METRICS_PATH = '/v1/metrics';

const VERSION: string = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')).version;
/** Event-loop p99 above which the gateway reports itself degraded. */
const DEGRADED_LOOP_LAG_MS = 200;

export type RejectSource = 'stream' | 'pubsub' | 'http';

/** The last `capacity` samples with their time; percentiles over those within a window. */
export class SampleWindow {
  private readonly at: Float64Array;
  private readonly values: Float64Array;
  private next = 0;
  private size = 0;

  constructor(private readonly capacity = 8_192) {
    this.at = new Float64Array(capacity);
    this.values = new Float64Array(capacity);
  }

  add(value: number, now: number): void {
    this.at[this.next] = now;
    this.values[this.next] = value;
    this.next = (this.next + 1) % this.capacity;
    if (this.size < this.capacity) this.size++;
  }

  /** Percentiles of the samples taken within `windowMs` before `now` (null when there are none). */
  percentiles(now: number, windowMs: number): Percentiles {
    const recent: number[] = [];
    for (let i = 0; i < this.size; i++) if (now - this.at[i] <= windowMs) recent.push(this.values[i]);
    recent.sort((a, b) => a - b);
    const at = (q: number) => (recent.length ? round(recent[Math.min(recent.length - 1, Math.ceil(q * recent.length) - 1)]) : null);
    return { p50: at(0.5), p95: at(0.95), p99: at(0.99), max: at(1), samples: recent.length };
  }
}

/** Counts per second for the last `seconds` seconds, for rates that do not depend on scrapes. */
export class RateWindow {
  private readonly counts: Float64Array;
  private readonly stamps: Float64Array;

  constructor(private readonly seconds = 60) {
    this.counts = new Float64Array(seconds);
    this.stamps = new Float64Array(seconds).fill(-1);
  }

  add(n: number, now: number): void {
    const second = Math.floor(now / 1000);
    const slot = second % this.seconds;
    if (this.stamps[slot] !== second) {
      this.stamps[slot] = second;
      this.counts[slot] = 0;
    }
    this.counts[slot] += n;
  }

  /** Average per second over the complete seconds of the window that this process has lived. */
  perSecond(now: number, startedAt: number): number {
    const current = Math.floor(now / 1000);
    const span = Math.max(1, Math.min(this.seconds - 1, current - Math.floor(startedAt / 1000)));
    let total = 0;
    for (let i = 0; i < this.seconds; i++) {
      const age = current - this.stamps[i];
      if (age >= 1 && age <= span) total += this.counts[i];
    }
    return round(total / span);
  }
}

function bump(map: Map<string, number>, key: string, n = 1): void {
  map.set(key, (map.get(key) ?? 0) + n);
}

const round = (n: number, digits = 2) => Math.round(n * 10 ** digits) / 10 ** digits;

/** Counters the hub and the ingest paths bump; everything here is O(1) per call and bounded. */
export class DeliveryStats {
  readonly startedAt = Date.now();
  readonly eventsIn = new Map<string, number>();
  readonly eventsOut = new Map<string, number>();
  readonly rejects: Record<RejectSource, number> = { stream: 0, pubsub: 0, http: 0 };
  /** Resumes by outcome; fromMemory counts the replays served from the recent-events window. */
  readonly replays = { recovered: 0, unrecovered: 0, fromMemory: 0 };
  /** Envelopes through the gateway's own ways in: appended, or dropped as a duplicate id. */
  readonly ingest = { pubsub: { appended: 0, duplicate: 0 }, http: { appended: 0, duplicate: 0 } };
  laggingClosed = 0;
  /** Refused publisher keys (browser tokens are counted by the Authenticator). */
  publisherKeyFailures = 0;
  /** Publish → write to the socket, ms, once per written live frame (its oldest event). */
  readonly latency = new SampleWindow();
  /** Publish → ingest by this gateway, ms, per event. */
  readonly pipelineLag = new SampleWindow();
  readonly inRate = new RateWindow();
  readonly outRate = new RateWindow();
  readonly rejectRate = new RateWindow();
  /** Prometheus histograms, attached by the registry so both views see the same samples. */
  onLatency: ((ms: number) => void) | undefined;
  onPipelineLag: ((ms: number) => void) | undefined;

  /** Invalid entries dead-lettered from the stream (kept for the delivery tests). */
  get rejected(): number {
    return this.rejects.stream;
  }

  reject(source: RejectSource, n = 1, now = Date.now()): void {
    this.rejects[source] += n;
    this.rejectRate.add(n, now);
  }

  ingested(event: DeliverableEvent, now: number): void {
    bump(this.eventsIn, event.type);
    this.inRate.add(1, now);
    const lag = Math.max(0, now - event.ts);
    this.pipelineLag.add(lag, now);
    this.onPipelineLag?.(lag);
  }

  delivered(events: DeliverableEvent[], now: number): void {
    for (const event of events) bump(this.eventsOut, event.type);
    this.outRate.add(events.length, now);
    const latency = Math.max(0, now - events[0].ts);
    this.latency.add(latency, now);
    this.onLatency?.(latency);
  }
}

/** What the metrics need to see of a running gateway. */
export interface Observed {
  stats: DeliveryStats;
  sessions: ReadonlySet<Session>;
  log: EventLog;
  /** Refused browser tokens by reason (the Authenticator's counts). */
  authFailures: Readonly<Record<string, number>>;
  /** Refusals by limit: ip, tenant, frames, http (ConnectionLimits' counts). */
  limitRefusals: Readonly<Record<string, number>>;
}

export interface RedisHealth {
  status: 'up' | 'down' | 'none';
  rttMs: number | null;
}

/**
 * The `/v1/metrics` answer: the protocol's MetricsSummary (what <health-panel> reads) plus the
 * breakdowns an operator wants; docs/gateway.md documents every field.
 */
export interface GatewayMetricsSummary extends MetricsSummary {
  events: { inTotal: number; outTotal: number; byType: Record<string, { in: number; out: number }> };
  replays: { recovered: number; unrecovered: number; fromMemory: number };
  rejectsBySource: { total: number } & Record<RejectSource, number>;
  ingest: DeliveryStats['ingest'];
  authFailuresByReason: { total: number } & Record<string, number>;
  rateLimitedByLimit: { total: number } & Record<string, number>;
  eventLoop: { lagP50Ms: number; lagP99Ms: number; lagMaxMs: number };
  process: MetricsSummary['process'] & { cores: number; heapUsedBytes: number };
}

const WINDOW_MS = 60_000;
const LATENCY_BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

export class Metrics {
  readonly registry = new Registry();
  readonly gatewayId = `${hostname()}:${process.pid}`;
  private readonly loopDelay: IntervalHistogram = monitorEventLoopDelay({ resolution: 10 });
  private cpuMark = { at: performance.now(), usage: process.cpuUsage() };
  private cpuPercent = 0;

  constructor(private readonly observed: Observed) {
    this.loopDelay.enable();
    const { stats, sessions } = observed;
    const registers = [this.registry];
    collectDefaultMetrics({ register: this.registry, prefix: 'leadwire_' });

    new Gauge({
      name: 'leadwire_connections',
      help: 'Open client sessions by transport',
      labelNames: ['transport'],
      registers,
      collect() {
        const counts = countByTransport(sessions);
        for (const transport of ['ws', 'sse', 'poll'] as const) this.set({ transport }, counts[transport]);
      },
    });
    new Gauge({
      name: 'leadwire_subscriptions',
      help: 'Tenant subscriptions across open sessions (one per session and tenant)',
      registers,
      collect() {
        this.set(countSubscriptions(sessions));
      },
    });
    const byType = (name: string, help: string, map: Map<string, number>) =>
      new Counter({
        name,
        help,
        labelNames: ['type'],
        registers,
        collect() {
          this.reset();
          for (const [type, n] of map) this.inc({ type }, n);
        },
      });
    byType('leadwire_events_in_total', 'Valid events read from the log by this gateway, by type', stats.eventsIn);
    byType('leadwire_events_out_total', 'Events written to clients (live, one per receiving session), by type', stats.eventsOut);
    const fromStats = (name: string, help: string, read: () => Record<string, number>, label: string) =>
      new Counter({
        name,
        help,
        labelNames: [label],
        registers,
        collect() {
          this.reset();
          for (const [value, n] of Object.entries(read())) this.inc({ [label]: value }, n);
        },
      });
    fromStats('leadwire_schema_rejects_total', 'Invalid events refused, by way in', () => stats.rejects, 'source');
    fromStats(
      'leadwire_replays_total',
      'Resumes by outcome: recovered=false means the cursor was older than retention',
      () => ({ true: stats.replays.recovered, false: stats.replays.unrecovered }),
      'recovered',
    );
    const plain = (name: string, help: string, read: () => number) =>
      new Counter({
        name,
        help,
        registers,
        collect() {
          this.reset();
          this.inc(read());
        },
      });
    new Counter({
      name: 'leadwire_ingest_total',
      help: 'Envelopes from PUBLISH and POST /v1/events: appended, or dropped as a duplicate id',
      labelNames: ['source', 'outcome'],
      registers,
      collect() {
        this.reset();
        for (const [source, outcomes] of Object.entries(stats.ingest)) {
          for (const [outcome, n] of Object.entries(outcomes)) this.inc({ source, outcome }, n);
        }
      },
    });
    plain('leadwire_replays_from_memory_total', 'Replays served from the recent-events window, without a log read', () => stats.replays.fromMemory);
    plain('leadwire_lagging_disconnects_total', 'Sessions closed because the client fell behind', () => stats.laggingClosed);
    fromStats(
      'leadwire_auth_failures_total',
      'Refused browser tokens by reason, and refused publisher keys (reason="publisher_key")',
      () => ({ ...observed.authFailures, publisher_key: stats.publisherKeyFailures }),
      'reason',
    );
    fromStats('leadwire_rate_limited_total', 'Connections, frames and requests refused by a limit', () => ({ ...observed.limitRefusals }), 'limit');

    const latency = new Histogram({
      name: 'leadwire_delivery_latency_seconds',
      help: 'Event ts (publish) to write on the client socket, per live frame (its oldest event)',
      buckets: LATENCY_BUCKETS,
      registers,
    });
    const lag = new Histogram({
      name: 'leadwire_pipeline_lag_seconds',
      help: 'Event ts (publish) to ingest by this gateway',
      buckets: LATENCY_BUCKETS,
      registers,
    });
    stats.onLatency = (ms) => latency.observe(ms / 1000);
    stats.onPipelineLag = (ms) => lag.observe(ms / 1000);

    const metrics = this;
    if (observed.log.kind === 'redis') this.redisGauges(registers);
    new Gauge({
      name: 'leadwire_event_loop_lag_seconds',
      help: 'Event-loop delay since the last health tick (monitorEventLoopDelay)',
      labelNames: ['quantile'],
      registers,
      collect() {
        const loop = metrics.eventLoop();
        this.set({ quantile: '0.5' }, loop.lagP50Ms / 1000);
        this.set({ quantile: '0.99' }, loop.lagP99Ms / 1000);
        this.set({ quantile: '1' }, loop.lagMaxMs / 1000);
      },
    });
  }

  /** Redis status and round trip, measured when scraped (absent with the in-memory log). */
  private redisGauges(registers: Registry[]): void {
    const metrics = this;
    new Gauge({
      name: 'leadwire_redis_up',
      help: '1 when the backing Redis answers, 0 when not (absent with the in-memory log)',
      registers,
      async collect() {
        const redis = await metrics.redis();
        if (redis.status !== 'none') this.set(redis.status === 'up' ? 1 : 0);
      },
    });
    new Gauge({
      name: 'leadwire_redis_rtt_seconds',
      help: 'Round trip of a Redis PING',
      registers,
      async collect() {
        const redis = await metrics.redis();
        if (redis.rttMs !== null) this.set(redis.rttMs / 1000);
      },
    });
  }

  /** Pings the store with a bounded wait; the in-memory log has no Redis to report. */
  async redis(): Promise<RedisHealth> {
    if (this.observed.log.kind !== 'redis') return { status: 'none', rttMs: null };
    try {
      const rtt = await Promise.race([
        this.observed.log.ping(),
        new Promise<never>((_, reject) => setTimeout(() => reject(new Error('timeout')), 1_000).unref()),
      ]);
      return { status: 'up', rttMs: round(rtt, 3) };
    } catch {
      return { status: 'down', rttMs: null };
    }
  }

  eventLoop(): GatewayMetricsSummary['eventLoop'] {
    const ms = (ns: number) => (Number.isFinite(ns) ? round(ns / 1e6) : 0);
    return {
      lagP50Ms: ms(this.loopDelay.percentile(50)),
      lagP99Ms: ms(this.loopDelay.percentile(99)),
      lagMaxMs: ms(this.loopDelay.max),
    };
  }

  /** Starts a new CPU and event-loop measuring period (called on every health tick). */
  tick(): void {
    const now = performance.now();
    const usage = process.cpuUsage(this.cpuMark.usage);
    const elapsedUs = (now - this.cpuMark.at) * 1000;
    if (elapsedUs > 0) this.cpuPercent = round(((usage.user + usage.system) / elapsedUs) * 100, 1);
    this.cpuMark = { at: now, usage: process.cpuUsage() };
    this.loopDelay.reset();
  }

  async summary(now = Date.now()): Promise<GatewayMetricsSummary> {
    const { stats, sessions, log } = this.observed;
    if (this.cpuPercent === 0) this.tick();
    const byType: GatewayMetricsSummary['events']['byType'] = {};
    for (const [type, n] of stats.eventsIn) (byType[type] ??= { in: 0, out: 0 }).in = n;
    for (const [type, n] of stats.eventsOut) (byType[type] ??= { in: 0, out: 0 }).out = n;
    const sum = (map: Map<string, number>) => [...map.values()].reduce((a, b) => a + b, 0);
    const memory = process.memoryUsage();
    // A cgroup limit when there is one (unconstrained reports a huge number), else the machine's.
    const constrained = (process as { constrainedMemory?: () => number | undefined }).constrainedMemory?.() || Infinity;
    const memoryLimit = Math.min(constrained, totalmem());
    const redis = await this.redis();
    const eventLoop = this.eventLoop();
    const inPerS = stats.inRate.perSecond(now, stats.startedAt);
    const rejectsPerS = stats.rejectRate.perSecond(now, stats.startedAt);
    const rejectsBySource = withTotal({ ...stats.rejects });
    const authFailuresByReason = withTotal({ ...this.observed.authFailures, publisher_key: stats.publisherKeyFailures });
    const rateLimitedByLimit = withTotal({ ...this.observed.limitRefusals });
    const degraded = redis.status === 'down' || eventLoop.lagP99Ms > DEGRADED_LOOP_LAG_MS;
    return {
      ts: now,
      gateway: { status: degraded ? 'degraded' : 'up', instance: this.gatewayId, version: VERSION, uptimeS: Math.round(process.uptime()) },
      store: { kind: log.kind === 'redis' ? 'redis' : 'memory', connected: redis.status !== 'down', rttMs: redis.rttMs },
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
        errorRate: inPerS + rejectsPerS > 0 ? round(rejectsPerS / (inPerS + rejectsPerS), 4) : 0,
      },
      process: {
        cpuPercent: this.cpuPercent,
        memoryPercent: round((memory.rss / memoryLimit) * 100, 1),
        rssBytes: memory.rss,
        eventLoopLagMs: eventLoop.lagP99Ms,
        cores: cpus().length,
        heapUsedBytes: memory.heapUsed,
      },
      events: { inTotal: sum(stats.eventsIn), outTotal: sum(stats.eventsOut), byType },
      replays: { ...stats.replays },
      rejectsBySource,
      ingest: structuredClone(stats.ingest),
      authFailuresByReason,
      rateLimitedByLimit,
      eventLoop,
    };
  }

  /** The periodic `system.health` event: key figures, flat numbers as the catalog wants them. */
  async healthEvent(now = Date.now()): Promise<Envelope> {
    this.tick();
    const s = await this.summary(now);
    const figures: Record<string, number | null> = {
      connections: s.connections.total,
      subscriptions: s.subscriptions,
      eventsInPerS: s.rates.eventsInPerS,
      eventsOutPerS: s.rates.eventsOutPerS,
      latencyP50Ms: s.latencyMs.p50,
      latencyP95Ms: s.latencyMs.p95,
      latencyP99Ms: s.latencyMs.p99,
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
      id: `health-${this.gatewayId}-${now}`,
      type: 'system.health',
      tenant: ALL_TENANTS,
      ts: now,
      data: { service: `gateway ${this.gatewayId}`, status: s.gateway.status, metrics },
    } as Envelope;
  }

  close(): void {
    this.loopDelay.disable();
  }
}

function withTotal<T extends Record<string, number>>(counts: T): { total: number } & T {
  return { total: Object.values(counts).reduce((a, b) => a + b, 0), ...counts };
}

function countByTransport(sessions: ReadonlySet<Session>): { ws: number; sse: number; poll: number } {
  const counts = { ws: 0, sse: 0, poll: 0 };
  for (const session of sessions) counts[session.sink.transport]++;
  return counts;
}

function countSubscriptions(sessions: ReadonlySet<Session>): number {
  let n = 0;
  for (const session of sessions) n += session.tenants.size;
  return n;
}
