/** The `/v1/metrics` figures from known samples: the protocol's MetricsSummary the health panel reads. */
import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import type { DeliverableEvent } from '../src/decode.ts';
import { MemoryLog } from '../src/log/memory.ts';
import { Metrics } from '../src/metrics/metrics.ts';
import { DeliveryStats, IngestStats } from '../src/metrics/stats.ts';

const metrics: Metrics[] = [];
after(() => metrics.forEach((m) => m.close()));

function observe(stats = new DeliveryStats(), ingest = new IngestStats()) {
  const m = new Metrics({
    stats,
    ingest,
    sessions: new Set(),
    log: new MemoryLog({ maxLen: 100, maxAgeMs: 60_000 }),
    authFailures: { unauthorized: 2, token_expired: 1 },
    limitRefusals: { ip: 1 },
  });
  metrics.push(m);
  return m;
}

const event = (ts: number): DeliverableEvent =>
  ({ cursor: `${ts}-0`, type: 'lead.created', tenant: 't', ts, priority: 'normal', data: {}, json: '{}' }) as DeliverableEvent;

test('rates, error rate and percentiles are over the last minute; counters since start', async () => {
  const stats = new DeliveryStats();
  const t = stats.startedAt;
  for (let i = 0; i < 3; i++) stats.ingested(event(t - 10 * (i + 1)), t);
  const ingest = new IngestStats();
  ingest.reject('http', 1, t);
  stats.delivered([event(t - 5)], t);
  stats.delivered([event(t - 40)], t);
  // Rates count whole seconds: take the summary 2.5 s into the second the stats started in.
  const now = (Math.floor(t / 1000) + 2) * 1000 + 500;
  const s = await observe(stats, ingest).summary(now);

  assert.equal(s.ts, now);
  assert.equal(s.rates.eventsInPerS, 1.5); // 3 events over the 2 complete seconds since start
  assert.equal(s.errors.errorRate, 0.25); // 1 rejected of 4 that came in
  assert.deepEqual(s.latencyMs, { p50: 5, p95: 40, p99: 40, max: 40, samples: 2 });
  assert.deepEqual(s.pipelineLagMs, { p50: 20, p95: 30, p99: 30, max: 30, samples: 3 });
  assert.deepEqual(s.errors, { schemaRejects: 1, authFailures: 3, laggingDisconnects: 0, rateLimited: 1, errorRate: 0.25 });
  assert.deepEqual(s.store, { kind: 'memory', connected: true, rttMs: null });
  assert.equal(s.gateway.status, 'up');
  assert.match(s.gateway.version, /^\d+\.\d+\.\d+/);
  assert.deepEqual(s.events.byType['lead.created'], { in: 3, out: 2 });

  // A minute later the window is empty: no latency to report, not a zero.
  const later = await metrics[0].summary(t + 120_000);
  assert.deepEqual(later.latencyMs, { p50: null, p95: null, p99: null, max: null, samples: 0 });
  assert.equal(later.errors.errorRate, 0);
  assert.equal(later.errors.schemaRejects, 1);
});
