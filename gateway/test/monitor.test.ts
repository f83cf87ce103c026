/**
 * The gateway as its own monitor, with a real redis-server: stopping Redis raises a critical
 * `system.alert` within the check interval, delivered to an open session although the log
 * cannot be written, and written to the log (for subscribers that read it) once Redis is back,
 * followed by the clearing alert. Hysteresis and thresholds are checked on CheckState directly.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { Redis } from 'ioredis';
import type { StreamEvent } from '../../protocol/index.ts';
import { CHECKS, CheckState, DEFAULT_THRESHOLDS } from '../src/monitor/checks.ts';
import { loadConfig } from '../src/config.ts';
import type { Gateway } from '../src/gateway.ts';
import { token } from './delivery.cases.ts';
import { TestClient } from './support/client.ts';
import { testGateway } from './support/gateway.ts';
import { waitUntil } from './support/http-clients.ts';
import { startRedis, type RedisServer } from './support/redis.ts';

type Alert = StreamEvent & { data: { severity: string; metric: string; state: string; action: string; message: string } };
const alertsOf = (events: StreamEvent[], metric: string) => events.filter((e): e is Alert => e.type === 'system.alert' && (e.data as { metric?: string }).metric === metric);

describe('Redis stopped under a gateway', () => {
  let redis: RedisServer;
  let gateway: Gateway;
  before(async () => {
    // Its data kept, so the same log comes back (a replaced log is redis-epoch.test.ts' subject).
    redis = await startRedis({ persist: true });
    gateway = await testGateway({ REDIS_URL: redis.url, TAIL_BLOCK_MS: 200, METRICS_HEALTH_INTERVAL_MS: 0, MONITOR_INTERVAL_MS: 300 });
  });
  after(async () => {
    await gateway.close();
    await redis.stop();
  });

  test('a critical alert within the check interval, with a suggested action; cleared after recovery; both in the log', async () => {
    const panel = await TestClient.connect(gateway.url, { token: await token(['t-ops'], ['events:read', 'system:read']) });
    const tenantOnly = await TestClient.connect(gateway.url, { token: await token(['t-ops']) });
    await Promise.all([panel.waitWelcome(), tenantOnly.waitWelcome()]);
    await waitUntil(() => gateway.monitor.history.length >= 2, 'two rounds');
    assert.equal(alertsOf(panel.events, 'redis').length, 0, 'no alert while Redis runs');

    await redis.kill();
    await panel.waitFor(() => alertsOf(panel.events, 'redis').length >= 1, 'the redis alert', 10_000);
    const [raised] = alertsOf(panel.events, 'redis');
    assert.equal(raised.data.severity, 'critical');
    assert.equal(raised.data.state, 'raised');
    assert.match(raised.data.message, /Suggested action: Check that Redis runs/);
    assert.equal(raised.priority, 'critical');
    assert.equal(gateway.monitor.active.get('redis')?.level, 'critical');

    await redis.start();
    await panel.waitFor(() => alertsOf(panel.events, 'redis').some((a) => a.data.state === 'cleared'), 'the clearing alert', 20_000);
    assert.equal(alertsOf(panel.events, 'redis').at(-1)!.data.severity, 'info');
    assert.equal(gateway.monitor.active.has('redis'), false);
    assert.equal(alertsOf(tenantOnly.events, 'redis').length, 0, 'system:read only');

    // A subscriber reading the log (a bot, a relay) finds both, the raised one written once Redis was back.
    const reader = new Redis(redis.url);
    const logged = ((await reader.xrange(gateway.config.STREAM_KEY, '-', '+')) as Array<[string, string[]]>)
      .map(([, f]) => JSON.parse(f[1]) as Alert)
      .filter((e) => e.type === 'system.alert' && e.data.metric === 'redis');
    reader.disconnect();
    assert.deepEqual(logged.map((e) => e.data.state), ['raised', 'cleared']);
    assert.equal(logged[0].id, raised.id);

    const res = await fetch(`${gateway.url}/v1/monitor`, { headers: { authorization: `Bearer ${await token(['t-ops'], ['system:read'])}` } });
    const body = (await res.json()) as { history: Array<{ checks: Record<string, { level: string }> }>; active: unknown[] };
    assert.ok(body.history.length <= 100 && body.history.some((r) => r.checks.redis.level === 'critical'));
    assert.deepEqual(body.active, []);
    const metrics = await (await fetch(`${gateway.url}/metrics`)).text();
    assert.match(metrics, /leadwire_check_level\{check="redis"\} 0/);
    await Promise.all([panel.close(), tenantOnly.close()]);
  });
});

test('hysteresis: a level is entered after raiseAfter readings and left only clearly below the threshold', () => {
  const cpu = new CheckState(CHECKS.find((c) => c.name === 'cpu')!, DEFAULT_THRESHOLDS.cpu, 0.1);
  assert.deepEqual([90, 90].map((v) => cpu.update(v)), ['ok', 'ok'], 'a spike is not an alert');
  assert.equal(cpu.update(90), 'critical');
  assert.equal(cpu.update(80), 'critical', 'under 85 but not under 76.5');
  assert.equal(cpu.update(76), 'warning');
  assert.equal(cpu.update(65), 'warning', 'under 70 but not under 63');
  assert.equal(cpu.update(null), 'warning', 'nothing to read changes nothing');
  assert.equal(cpu.update(60), 'ok');
});

test('MONITOR_THRESHOLDS overrides some checks and keeps the seed defaults for the rest; nonsense is refused', () => {
  const config = loadConfig({ MONITOR_THRESHOLDS: '{"cpu":{"warn":50,"crit":60}}' });
  assert.deepEqual(config.MONITOR_THRESHOLDS?.cpu, { warn: 50, crit: 60 });
  assert.deepEqual(config.MONITOR_THRESHOLDS?.errorRate, { warn: 5, crit: 15 });
  assert.deepEqual(DEFAULT_THRESHOLDS.httpResponseTime, { warn: 1_000, crit: 5_000 });
  assert.throws(() => loadConfig({ MONITOR_THRESHOLDS: '{"cpu":{"warn":90,"crit":60}}' }), /MONITOR_THRESHOLDS.*warn must not exceed crit/);
  assert.throws(() => loadConfig({ MONITOR_THRESHOLDS: '{"cpux":{"warn":1,"crit":2}}' }), /MONITOR_THRESHOLDS/);
  assert.throws(() => loadConfig({ MONITOR_THRESHOLDS: 'nope' }), /MONITOR_THRESHOLDS.*not JSON/);
});
