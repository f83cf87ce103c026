/**
 * The circuit breaker around Redis, against a real redis-server stopped and started again:
 * after REDIS_BREAKER_FAILURES failures it opens (ingest answers 503 with Retry-After, Redis is
 * not called), after the cool-down one probe half-opens it and, Redis being back, closes it.
 * The states are seen in that order, in /metrics, /v1/metrics and the monitor's rounds, and
 * every event accepted (202) before the outage is delivered after it. A Redis that hangs
 * (SIGSTOP) opens it through command timeouts; a reply error never does.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { Cursor } from '../../protocol/index.ts';
import type { BreakerState } from '../src/log/breaker.ts';
import type { RedisLog } from '../src/log/redis.ts';
import type { Gateway } from '../src/gateway.ts';
import { token } from './delivery.cases.ts';
import { TestClient } from './support/client.ts';
import { leadEvent } from './support/events.ts';
import { testGateway } from './support/gateway.ts';
import { waitUntil } from './support/http-clients.ts';
import { startRedis, type RedisServer } from './support/redis.ts';

const KEY = 'publisher-key-breaker-0123456789';
const TENANT = 't-breaker';
let redis: RedisServer;
let gateway: Gateway;

before(async () => {
  // Persistent, so what Redis accepted before the outage is there after it.
  redis = await startRedis({ persist: true });
  gateway = await testGateway({
    REDIS_URL: redis.url,
    PUBLISHER_KEYS: [KEY],
    REDIS_BREAKER_FAILURES: 3,
    REDIS_BREAKER_COOLDOWN_MS: 300,
    TAIL_BLOCK_MS: 200,
    METRICS_HEALTH_INTERVAL_MS: 0,
    MONITOR_INTERVAL_MS: 100,
  });
});
after(async () => {
  await gateway?.close();
  await redis?.stop();
});

const post = (body: unknown) =>
  fetch(`${gateway.url}/v1/events`, { method: 'POST', headers: { authorization: `Bearer ${KEY}`, 'content-type': 'application/json' }, body: JSON.stringify(body) });

async function prometheus(name: string): Promise<number> {
  const text = await (await fetch(`${gateway.url}/metrics`)).text();
  const line = text.split('\n').find((l) => l.startsWith(`${name} `));
  assert.ok(line, `${name} in /metrics`);
  return Number(line.split(' ')[1]);
}

async function summaryBreaker(): Promise<string | undefined> {
  const res = await fetch(`${gateway.url}/v1/metrics`, { headers: { authorization: `Bearer ${await token([TENANT], ['events:read', 'system:read'])}` } });
  assert.equal(res.status, 200);
  return ((await res.json()) as { store: { breaker?: string } }).store.breaker;
}

test('Redis stopped: closed → open (503 + Retry-After, no calls) → half-open → closed; nothing accepted is lost', async () => {
  const breaker = (gateway.log as RedisLog).breaker;
  const states: BreakerState[] = [breaker.state];
  breaker.listeners.add((state) => states.push(state));
  assert.equal(await prometheus('leadwire_redis_breaker_state'), 0);
  assert.equal(await summaryBreaker(), 'closed');

  const watcher = await TestClient.connect(gateway.url, { token: await token([TENANT]) });
  await watcher.waitWelcome();
  const start = watcher.welcome!.cursor as Cursor;
  const accepted = Array.from({ length: 5 }, () => leadEvent(TENANT));
  const res = await post(accepted);
  assert.equal(res.status, 202);
  await watcher.waitEvents(accepted.length);
  await watcher.close();

  await redis.kill();
  // Each refused append is a failure until the breaker opens; then refusals come from it.
  const refused: Array<{ status: number; retryAfter: number; error: string }> = [];
  while (breaker.state !== 'open' && refused.length < 50) {
    const r = await post(leadEvent(TENANT));
    refused.push({ status: r.status, retryAfter: Number(r.headers.get('retry-after')), error: ((await r.json()) as { error: string }).error });
  }
  assert.equal(breaker.state, 'open');
  const refusedBefore = breaker.refused;
  const whileOpen = await post(leadEvent(TENANT));
  refused.push({ status: whileOpen.status, retryAfter: Number(whileOpen.headers.get('retry-after')), error: ((await whileOpen.json()) as { error: string }).error });
  assert.ok(breaker.refused > refusedBefore, 'the append while open was refused by the breaker, Redis not called');
  for (const r of refused) {
    assert.equal(r.status, 503);
    assert.equal(r.error, 'unavailable');
    assert.ok(r.retryAfter >= 1, 'Retry-After in seconds');
  }
  assert.equal(await prometheus('leadwire_redis_breaker_state') > 0, true);
  assert.ok((await prometheus('leadwire_redis_breaker_opened_total')) >= 1);
  await waitUntil(() => gateway.monitor.history.at(-1)?.redisBreaker !== 'closed' && gateway.monitor.active.get('redis')?.level === 'critical', 'the monitor reporting the breaker and the redis alert');
  assert.equal((await fetch(`${gateway.url}/readyz`)).status, 503);

  await redis.start();
  await waitUntil(() => breaker.state === 'closed', 'the breaker closed by a probe', 15_000);
  console.log(`breaker states: ${states.join(' → ')}; ${refused.length} refused appends`);
  assert.equal(states[0], 'closed');
  assert.equal(states[1], 'open');
  assert.deepEqual(states.slice(-2), ['half-open', 'closed']);
  // A probe that failed (Redis not back yet) opens it again; nothing else is a legal step.
  states.forEach((state, i) => {
    if (i > 0) assert.ok(({ closed: ['open'], open: ['half-open'], 'half-open': ['open', 'closed'] } as const)[states[i - 1]].includes(state as never), `${states[i - 1]} → ${state}`);
  });
  assert.equal(await summaryBreaker(), 'closed');
  assert.equal(await prometheus('leadwire_redis_breaker_state'), 0);
  await waitUntil(() => gateway.monitor.history.at(-1)?.redisBreaker === 'closed', 'the monitor reporting it closed');

  const after = leadEvent(TENANT);
  assert.equal((await post(after)).status, 202);
  const resumed = await TestClient.connect(gateway.url, { token: await token([TENANT]), cursor: start });
  await resumed.waitEvents(accepted.length + 1);
  assert.equal(resumed.welcome!.recovered, true);
  assert.deepEqual(resumed.events.map((e) => e.id), [...accepted, after].map((e) => e.id));
  await resumed.close();
});

test('a Redis that stops answering (SIGSTOP): commands time out, the breaker opens; SIGCONT: a probe closes it', async () => {
  const hung = await testGateway({
    REDIS_URL: redis.url,
    PUBLISHER_KEYS: [KEY],
    REDIS_BREAKER_FAILURES: 2,
    REDIS_BREAKER_COOLDOWN_MS: 300,
    REDIS_COMMAND_TIMEOUT_MS: 200,
    METRICS_HEALTH_INTERVAL_MS: 0,
    MONITOR_INTERVAL_MS: 0,
  });
  const breaker = (hung.log as RedisLog).breaker;
  const states: BreakerState[] = [];
  const causes: string[] = [];
  breaker.listeners.add((state, cause) => {
    states.push(state);
    if (cause) causes.push(cause);
  });
  process.kill(redis.pid, 'SIGSTOP');
  try {
    const answers: number[] = [];
    while (breaker.state !== 'open' && answers.length < 20) {
      const res = await fetch(`${hung.url}/v1/events`, { method: 'POST', headers: { authorization: `Bearer ${KEY}`, 'content-type': 'application/json' }, body: JSON.stringify(leadEvent(TENANT)) });
      answers.push(res.status);
      assert.ok(Number(res.headers.get('retry-after')) >= 1);
    }
    assert.equal(breaker.state, 'open');
    assert.ok(answers.every((status) => status === 503), `every append refused: ${answers}`);
    assert.match(causes[0], /timed out/i);
  } finally {
    process.kill(redis.pid, 'SIGCONT');
  }
  try {
    await waitUntil(() => breaker.state === 'closed', 'closed after SIGCONT', 15_000);
    // The tail's epoch check was the probe (no monitor here); a ping answers again.
    await hung.log.ping();
    assert.equal(breaker.state, 'closed');
    assert.deepEqual(states.slice(0, 1), ['open']);
    assert.deepEqual(states.slice(-2), ['half-open', 'closed']);
  } finally {
    await hung.close();
  }
});

test('a Redis reply error is an answer: it never opens the breaker', async () => {
  const breaker = (gateway.log as RedisLog).breaker;
  assert.equal(breaker.state, 'closed');
  const opened = breaker.opened;
  for (let i = 0; i < 10; i++) await assert.rejects(gateway.log.readAfter('not-a-cursor' as Cursor, 1), /Invalid stream ID/i);
  assert.equal(breaker.state, 'closed');
  assert.equal(breaker.opened, opened);
});
