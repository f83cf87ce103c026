/**
 * No false alarm: two minutes of the demo's traffic (steady arrivals, quiet spells, bursts)
 * through a gateway with its default thresholds, read by WebSocket and SSE clients, raise no
 * alert, and the delivery target (95 % within 10 ms) is reported. It takes two real minutes
 * on purpose: the checks need rounds enough to raise anything (3 in a row for most).
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { Redis } from 'ioredis';
import { createTraffic, schedule } from '../../fixtures/traffic.ts';
import type { Gateway } from '../src/gateway.ts';
import type { GatewayMetricsSummary } from '../src/metrics/summary.ts';
import { token } from './delivery.cases.ts';
import { TestClient } from './support/client.ts';
import { testGateway } from './support/gateway.ts';
import { SseClient } from './support/http-clients.ts';
import { startRedis, type RedisServer } from './support/redis.ts';

const RUN_MS = 120_000;
let redis: RedisServer;
let gateway: Gateway;

before(async () => {
  redis = await startRedis();
  gateway = await testGateway({ REDIS_URL: redis.url, MONITOR_INTERVAL_MS: 1_000 });
});
after(async () => {
  await gateway.close();
  await redis.stop();
});

test('two minutes of demo traffic with the default thresholds: every check green, no alert raised', { timeout: RUN_MS + 60_000 }, async (t) => {
  const traffic = createTraffic({ seed: 7 });
  const tenants = [...traffic.tenants];
  const panel = await TestClient.connect(gateway.url, { token: await token(tenants, ['events:read', 'system:read']) });
  const viewers = await Promise.all(tenants.slice(0, 3).map(async (tenant) => TestClient.connect(gateway.url, { token: await token([tenant]) })));
  const sse = await SseClient.connect(gateway.url, { token: await token(tenants) });
  await Promise.all([panel, ...viewers].map((c) => c.waitWelcome()));

  const publisher = new Redis(redis.url);
  let published = 0;
  const until = Date.now() + RUN_MS;
  for (const step of schedule({ seed: 7 })) {
    if (Date.now() + step.delayMs >= until) break;
    await new Promise((resolve) => setTimeout(resolve, step.delayMs));
    const batch = Array.from({ length: step.count }, () => traffic.next());
    await Promise.all(batch.map((e) => publisher.xadd(gateway.config.STREAM_KEY, '*', 'e', JSON.stringify(e))));
    published += batch.length;
  }
  await new Promise((resolve) => setTimeout(resolve, Math.max(0, until - Date.now())));
  publisher.disconnect();

  const ours = panel.events.filter((e) => e.type === 'system.alert' && String((e.data as { service?: string }).service).startsWith('gateway '));
  assert.deepEqual(ours.map((e) => (e.data as { title: string }).title), [], 'no alert raised by the gateway');
  assert.deepEqual([...gateway.monitor.active.keys()], []);
  const rounds = gateway.monitor.history;
  assert.ok(rounds.length >= 90, `${rounds.length} rounds of checks ran`);
  const notGreen = rounds.flatMap((r) => Object.entries(r.checks).filter(([, c]) => c.level !== 'ok').map(([name]) => name));
  assert.deepEqual(notGreen, [], 'every check green in every round');
  assert.ok(published > 100 && sse.events.length > 0, `${published} events published`);

  const summary = (await (await fetch(`${gateway.url}/v1/metrics`, { headers: { authorization: `Bearer ${await token(tenants, ['system:read'])}` } })).json()) as GatewayMetricsSummary;
  assert.equal(summary.deliveryTarget.withinMs, 10);
  assert.ok(summary.deliveryTarget.share !== null && summary.deliveryTarget.share >= 0 && summary.deliveryTarget.share <= 1);
  t.diagnostic(`published ${published}; delivery p95 ${summary.latencyMs.p95} ms; within 10 ms: ${summary.deliveryTarget.share}`);
  await Promise.all([panel, ...viewers].map((c) => c.close()));
  await sse.close();
});
