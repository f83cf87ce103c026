/** AUTH=off: loopback only, loud at start, a dev principal for the tenants the hello names. */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { test } from 'node:test';
import { ConfigError, loadConfig } from '../src/config.ts';
import { startGateway } from '../src/gateway.ts';
import { TestClient } from './support/client.ts';
import { leadEvent } from './support/events.ts';
import { startRedis } from './support/redis.ts';
import { captureLogs } from './support/trust.ts';

test('AUTH=off is refused unless HOST is loopback', async () => {
  for (const host of ['0.0.0.0', '::', '192.168.1.10', 'gateway.example.com']) {
    assert.throws(() => loadConfig({ AUTH: 'off', HOST: host }), (error: unknown) => {
      assert.ok(error instanceof ConfigError);
      assert.match(error.message, /AUTH=off: only allowed when HOST is a loopback address/);
      return true;
    });
  }
  for (const host of ['127.0.0.1', '::1', 'localhost']) assert.equal(loadConfig({ AUTH: 'off', HOST: host }).AUTH, 'off');
  await assert.rejects(startGateway({ PORT: 0, AUTH: 'off', HOST: '0.0.0.0', LOG_LEVEL: 'silent' }), /AUTH=off/);
  const cli = spawnSync(process.execPath, ['--import', 'tsx', 'gateway/src/main.ts'], {
    env: { ...process.env, AUTH: 'off', HOST: '0.0.0.0', PORT: '0', LOG_LEVEL: 'silent' },
    encoding: 'utf8',
    timeout: 30_000,
  });
  assert.equal(cli.status, 2);
  assert.match(cli.stderr, /AUTH=off: only allowed when HOST is a loopback address/);
});

test('AUTH=off on loopback: a loud warning, and each client gets every scope for the tenants its hello names', async () => {
  const redis = await startRedis();
  const logs = captureLogs();
  const gateway = await startGateway({ PORT: 0, REDIS_URL: redis.url, AUTH: 'off' }, logs.logger);
  try {
    const warning = logs.lines.map((l) => JSON.parse(l) as { level: number; msg: string }).find((l) => /AUTH=off/.test(l.msg));
    assert.ok(warning && warning.level >= 40, 'a warn-level line at start');
    assert.match(warning.msg, /DEVELOPMENT MODE/);
    const both = await TestClient.connect(gateway.url, { subscription: { tenants: ['dev-a', 'dev-b'] } });
    const none = await TestClient.connect(gateway.url, { token: 'ignored-in-dev-mode' });
    await Promise.all([both.waitWelcome(), none.waitWelcome()]);
    assert.deepEqual(both.welcome?.subscription.tenants, ['dev-a', 'dev-b']);
    assert.deepEqual(none.welcome?.subscription.tenants, []);
    const a = leadEvent('dev-a', {}, { email: 'ann@example.com' });
    const b = leadEvent('dev-b');
    const c = leadEvent('dev-c');
    const system = { id: `sys-${Date.now()}`, type: 'system.health', tenant: '*', ts: Date.now(), data: { service: 'gw', status: 'up' } };
    for (const event of [a, b, c, system]) await gateway.append(event);
    await both.waitEvents(3);
    await none.waitEvents(1);
    assert.deepEqual(both.events.map((e) => e.id), [a.id, b.id, system.id]);
    assert.equal((both.events[0].data as { email: string }).email, 'ann@example.com', 'pii:read in dev mode');
    assert.deepEqual(none.events.map((e) => e.id), [system.id], 'no tenants named → system events only');
    // Subscribing later cannot widen past the hello's tenants.
    both.send({ type: 'subscribe', subscription: { tenants: ['dev-c'] } });
    await both.waitFor(() => both.frames.some((f) => f.type === 'error'), 'forbidden_tenant');
    await Promise.all([both.close(), none.close()]);
  } finally {
    await gateway.close();
    await redis.stop();
  }
});
