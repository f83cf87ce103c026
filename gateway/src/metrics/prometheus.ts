/**
 * The Prometheus view (`GET /metrics`): a registry whose collectors read the plain counters when
 * scraped, so fan-out never pays for label lookups. Latency histograms are the exception: they
 * hear each sample through DeliveryStats' hooks, so both views see the same samples.
 */
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import { authFailureCounts, countByTransport, countSubscriptions, type Observed } from './observed.ts';
import type { Probes } from './probes.ts';
import { DELIVERY_TARGET } from './summary.ts';

const LATENCY_BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

export function prometheusRegistry(observed: Observed, probes: Probes): Registry {
  const registry = new Registry();
  const { stats, ingest, sessions } = observed;
  const registers = [registry];
  collectDefaultMetrics({ register: registry, prefix: 'leadwire_' });

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
  fromStats('leadwire_schema_rejects_total', 'Invalid events refused, by way in', () => ingest.rejects, 'source');
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
      for (const [source, outcomes] of Object.entries(ingest.outcomes)) {
        for (const [outcome, n] of Object.entries(outcomes)) this.inc({ source, outcome }, n);
      }
    },
  });
  plain('leadwire_replays_from_memory_total', 'Replays served from the recent-events window, without a log read', () => stats.replays.fromMemory);
  plain('leadwire_lagging_disconnects_total', 'Sessions closed because the client fell behind', () => stats.laggingClosed);
  fromStats(
    'leadwire_auth_failures_total',
    'Refused browser tokens by reason, and refused publisher keys (reason="publisher_key")',
    () => authFailureCounts(observed),
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
  new Gauge({
    name: 'leadwire_delivery_within_target_ratio',
    help: 'Share of live frames written within 10 ms of publish over the last minute (target: 0.95)',
    registers,
    collect() {
      const share = stats.latency.shareAtMost(DELIVERY_TARGET.withinMs, Date.now(), 60_000);
      if (share !== null) this.set(share);
    },
  });
  stats.onLatency = (ms) => latency.observe(ms / 1000);
  stats.onPipelineLag = (ms) => lag.observe(ms / 1000);

  if (observed.log.kind === 'redis') {
    // Redis status and round trip, measured when scraped (absent with the in-memory log).
    new Gauge({
      name: 'leadwire_redis_up',
      help: '1 when the backing Redis answers, 0 when not (absent with the in-memory log)',
      registers,
      async collect() {
        const redis = await probes.redis();
        if (redis.status !== 'none') this.set(redis.status === 'up' ? 1 : 0);
      },
    });
    const breakerStates = { closed: 0, 'half-open': 1, open: 2 } as const;
    new Gauge({
      name: 'leadwire_redis_breaker_state',
      help: 'The circuit breaker around Redis: 0 closed, 1 half-open (one probe), 2 open (Redis not called)',
      registers,
      collect() {
        if (observed.log.breaker) this.set(breakerStates[observed.log.breaker.state]);
      },
    });
    new Gauge({
      name: 'leadwire_redis_breaker_opened_total',
      help: 'Times the circuit breaker around Redis opened',
      registers,
      collect() {
        if (observed.log.breaker) this.set(observed.log.breaker.opened);
      },
    });
    new Gauge({
      name: 'leadwire_redis_rtt_seconds',
      help: 'Round trip of a Redis PING',
      registers,
      async collect() {
        const redis = await probes.redis();
        if (redis.rttMs !== null) this.set(redis.rttMs / 1000);
      },
    });
  }
  new Gauge({
    name: 'leadwire_event_loop_lag_seconds',
    help: 'Event-loop delay since the last health tick (monitorEventLoopDelay)',
    labelNames: ['quantile'],
    registers,
    collect() {
      const loop = probes.eventLoop();
      this.set({ quantile: '0.5' }, loop.lagP50Ms / 1000);
      this.set({ quantile: '0.99' }, loop.lagP99Ms / 1000);
      this.set({ quantile: '1' }, loop.lagMaxMs / 1000);
    },
  });
  return registry;
}
