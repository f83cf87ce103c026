/**
 * Redis with a password (`redis-server --requirepass`): the gateway that has it in REDIS_URL
 * works end to end; one with a wrong password does not pretend to be ready, and its monitor
 * raises the critical "Redis unreachable" alert.
 */
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { after, before, test } from 'node:test';
import { Redis } from 'ioredis';
import { token } from './delivery.cases.ts';
import { TestClient } from './support/client.ts';
import { leadEvent } from './support/events.ts';
import { testGateway } from './support/gateway.ts';
import { waitUntil } from './support/http-clients.ts';
import { freePort } from './support/redis.ts';

const PASSWORD = 'redis-pass-0123456789';
let server: ChildProcess;
let port: number;

before(async () => {
  port = await freePort();
  server = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--requirepass', PASSWORD], { stdio: 'ignore' });
  const probe = new Redis({ port, host: '127.0.0.1', password: PASSWORD, retryStrategy: () => 50 });
  probe.on('error', () => {});
  await waitUntil(() => probe.status === 'ready', 'redis-server with a password', 10_000);
  probe.disconnect();
});
after(async () => {
  const exited = new Promise((resolve) => server.once('exit', resolve));
  server.kill('SIGKILL');
  await exited;
});

test('the password in REDIS_URL: events flow; a wrong one: not ready, and a critical redis alert', async () => {
  const gateway = await testGateway({ REDIS_URL: `redis://:${PASSWORD}@127.0.0.1:${port}`, TAIL_BLOCK_MS: 200, METRICS_HEALTH_INTERVAL_MS: 0 });
  const wrong = await testGateway({ REDIS_URL: `redis://:not-the-password@127.0.0.1:${port}`, METRICS_HEALTH_INTERVAL_MS: 0, MONITOR_INTERVAL_MS: 200 });
  try {
    const client = await TestClient.connect(gateway.url, { token: await token(['t-auth']) });
    await client.waitWelcome();
    const event = leadEvent('t-auth');
    await gateway.append(event);
    await client.waitEvents(1);
    assert.equal(client.events[0].id, event.id);
    assert.equal((await fetch(`${gateway.url}/readyz`)).status, 200);
    await client.close();

    assert.equal((await fetch(`${wrong.url}/readyz`)).status, 503);
    await waitUntil(() => wrong.monitor.active.get('redis')?.level === 'critical', 'the redis alert');
    await assert.rejects(wrong.append(leadEvent('t-auth')));
  } finally {
    await Promise.all([gateway.close(), wrong.close()]);
  }
});
