/** The ways in through the gateway (HTTP ingest, pub/sub bridge) and what operators see (metrics). */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { Redis } from 'ioredis';
import { startGateway, type Gateway } from '../src/gateway.ts';
import { SECRET, token } from './delivery.cases.ts';
import { TestClient } from './support/client.ts';
import { waitUntil } from './support/http-clients.ts';
import { ids, leadEvent } from './support/events.ts';
import { startRedis, type RedisServer } from './support/redis.ts';
import { captureLogs } from './support/trust.ts';

const KEY = 'publisher-key-0123456789abcdef';

describe('ingest through the gateway, and metrics', () => {
  let redis: RedisServer;
  let gateway: Gateway;
  let redisClient: Redis;
  const clients: TestClient[] = [];

  const post = (body: string, headers: Record<string, string> = {}) =>
    fetch(`${gateway.url}/v1/events`, {
      method: 'POST',
      headers: { authorization: `Bearer ${KEY}`, 'content-type': 'application/json', ...headers },
      body,
    });
  const streamIds = async () =>
    ((await redisClient.xrange(gateway.config.STREAM_KEY, '-', '+')) as Array<[string, string[]]>).map(([, f]) => JSON.parse(f[1]).id as string);
  const deadLetters = async () =>
    ((await redisClient.xrange(gateway.config.DEAD_LETTER_KEY, '-', '+')) as Array<[string, string[]]>).map(([, f]) => ({
      id: f[f.indexOf('id') + 1],
      reason: f[f.indexOf('reason') + 1],
    }));

  before(async () => {
    redis = await startRedis();
    redisClient = new Redis(redis.url);
    gateway = await startGateway({
      PORT: 0,
      REDIS_URL: redis.url,
      AUTH_SECRET: SECRET,
      LOG_LEVEL: 'silent',
      TAIL_BLOCK_MS: 200,
      PUBLISHER_KEYS: [KEY, 'another-publisher-key-0000'],
      METRICS_HEALTH_INTERVAL_MS: 200,
    });
  });
  after(async () => {
    await Promise.all(clients.map((c) => c.close()));
    await gateway.close();
    redisClient.disconnect();
    await redis.stop();
  });

  test('POST /v1/events: one envelope or an array → 202 with cursors, appended once per id', async () => {
    const one = leadEvent('t-http');
    const res = await post(JSON.stringify(one));
    assert.equal(res.status, 202);
    const body = (await res.json()) as { accepted: Array<{ id: string; cursor: string; duplicate?: boolean }> };
    assert.equal(body.accepted[0].id, one.id);
    assert.match(body.accepted[0].cursor, /^\d+-\d+$/);

    const batch = [leadEvent('t-http'), leadEvent('t-http')];
    const again = (await (await post(JSON.stringify([one, ...batch]))).json()) as typeof body;
    assert.deepEqual(again.accepted.map((a) => a.id), [one.id, ...ids(batch)]);
    // The resent envelope keeps its first cursor and is not appended again.
    assert.deepEqual(again.accepted[0], { id: one.id, cursor: body.accepted[0].cursor, duplicate: true });
    const stored = (await streamIds()).filter((id) => [one.id, ...ids(batch)].includes(id));
    assert.deepEqual(stored, [one.id, ...ids(batch)]);
  });

  test('POST /v1/events errors: which field of which event, 401, 413, 415, bad JSON; nothing appended on 400', async () => {
    const good = leadEvent('t-http-bad');
    const wrong = { ...leadEvent('t-http-bad'), data: { ...leadEvent('t-http-bad').data, score: 900 } };
    const res = await post(JSON.stringify([good, wrong, { ...leadEvent('t-http-bad'), type: 'lead.teleported' }]));
    assert.equal(res.status, 400);
    const body = (await res.json()) as { error: string; details: Array<{ index: number; path: string; message: string }> };
    assert.equal(body.error, 'invalid_event');
    assert.ok(body.details.some((d) => d.index === 1 && d.path === 'data.score'), JSON.stringify(body.details));
    assert.ok(body.details.some((d) => d.index === 2 && d.path === 'type'), JSON.stringify(body.details));
    assert.ok(body.details.every((d) => d.index !== 0));
    assert.ok(!(await streamIds()).includes(good.id));

    assert.equal((await post(JSON.stringify(good), { authorization: 'Bearer wrong-key-wrong-key-wrong' })).status, 401);
    assert.equal((await post(JSON.stringify(good), { authorization: '' })).status, 401);
    assert.equal((await post(JSON.stringify(good), { 'content-type': 'text/plain' })).status, 415);
    const tooBig = await post(JSON.stringify({ ...good, data: { ...good.data, name: 'x'.repeat(2 * 1024 * 1024) } }));
    assert.equal(tooBig.status, 413);
    const garbled = await post('{"id": ');
    assert.equal(garbled.status, 400);
    assert.equal(((await garbled.json()) as { error: string }).error, 'invalid_json');
    assert.equal((await post('[]')).status, 400);
    // The gateway keeps serving after all that.
    assert.equal((await post(JSON.stringify(good), { authorization: 'Bearer another-publisher-key-0000' })).status, 202);
  });

  test('pub/sub bridge: PUBLISH <prefix>:<tenant> reaches clients; tenant mismatch and garbage are dead-lettered', async () => {
    const client = await TestClient.connect(gateway.url, { token: await token(['t-pub']) });
    clients.push(client);
    await client.waitWelcome();
    const event = leadEvent('t-pub');
    await redisClient.publish('leadwire:pub:t-pub', JSON.stringify(event));
    await redisClient.publish('leadwire:pub:t-pub', JSON.stringify(leadEvent('t-someone-else')));
    await redisClient.publish('leadwire:pub:t-pub', 'garbage');
    await redisClient.publish('leadwire:pub:t-pub', JSON.stringify(event)); // a bot retrying
    const fence = leadEvent('t-pub');
    await redisClient.publish('leadwire:pub:t-pub', JSON.stringify(fence));
    await client.waitEvents(2);
    assert.deepEqual(ids(client.events), [event.id, fence.id]);
    await waitUntil(() => gateway.writer.stats.rejects.pubsub >= 2, 'two pub/sub rejects');
    const dead = await deadLetters();
    assert.ok(dead.some((d) => /tenant: envelope says "t-someone-else" but the channel is for "t-pub"/.test(d.reason)), JSON.stringify(dead));
    assert.ok(dead.some((d) => /not JSON/.test(d.reason)));
  });

  test('pub/sub bridge dedupes per tenant: another tenant reusing an envelope id is not dropped', async () => {
    const [a, b] = await Promise.all(
      ['t-pub-a', 't-pub-b'].map(async (tenant) => {
        const client = await TestClient.connect(gateway.url, { token: await token([tenant]) });
        clients.push(client);
        await client.waitWelcome();
        return client;
      }),
    );
    const shared = `pub-shared-${Date.now()}`;
    const ea = leadEvent('t-pub-a', { id: shared });
    const eb = leadEvent('t-pub-b', { id: shared });
    await redisClient.publish('leadwire:pub:t-pub-a', JSON.stringify(ea));
    await redisClient.publish('leadwire:pub:t-pub-b', JSON.stringify(eb));
    await redisClient.publish('leadwire:pub:t-pub-b', JSON.stringify(eb)); // a retry: dropped
    const fence = leadEvent('t-pub-b');
    await redisClient.publish('leadwire:pub:t-pub-b', JSON.stringify(fence));
    await Promise.all([a.waitEvents(1), b.waitEvents(2)]);
    assert.deepEqual(a.events.map((e) => [e.tenant, e.id]), [['t-pub-a', shared]]);
    assert.deepEqual(b.events.map((e) => [e.tenant, e.id]), [['t-pub-b', shared], ['t-pub-b', fence.id]]);
    const stored = ((await redisClient.xrange(gateway.config.STREAM_KEY, '-', '+')) as Array<[string, string[]]>)
      .map(([, f]) => JSON.parse(f[1]) as { id: string; tenant: string })
      .filter((e) => e.id === shared);
    assert.deepEqual(stored.map((e) => e.tenant), ['t-pub-a', 't-pub-b']);
  });

  test('rejected input is logged without the personal data in it; the dead letter keeps the reason', async () => {
    const logs = captureLogs();
    const quiet = await startGateway(
      {
        PORT: 0,
        REDIS_URL: redis.url,
        AUTH_SECRET: SECRET,
        TAIL_BLOCK_MS: 200,
        METRICS_HEALTH_INTERVAL_MS: 0,
        STREAM_KEY: 'leadwire:pii-logs',
        DEAD_LETTER_KEY: 'leadwire:pii-logs-dead',
        PUBSUB_PREFIX: 'leadwire:pii-pub',
      },
      logs.logger,
    );
    try {
      const secrets = ['pat.q@mail.example', 'Dana Reyes', '512-555-0199'];
      const client = await TestClient.connect(quiet.url, { token: await token(['t-pii-log']) });
      clients.push(client);
      await client.waitWelcome();
      // V8 quotes the start of text that is not JSON in its error message.
      const raws = ['pat.q@mail.example wants a call', 'Dana Reyes, 512-555-0199', `{"name": Dana Reyes, "email": "pat.q@mail.example"}`];
      for (const raw of raws) await redisClient.xadd('leadwire:pii-logs', '*', 'e', raw);
      await redisClient.publish('leadwire:pii-pub:t-pii-log', 'Dana Reyes <pat.q@mail.example>');
      const good = leadEvent('t-pii-log');
      await redisClient.xadd('leadwire:pii-logs', '*', 'e', JSON.stringify(good));
      await client.waitEvents(1);
      assert.deepEqual(ids(client.events), [good.id]);
      await waitUntil(() => logs.lines.filter((l) => l.includes('dead-lettered')).length >= 4, 'four dead-letter log lines');
      const dead = ((await redisClient.xrange('leadwire:pii-logs-dead', '-', '+')) as Array<[string, string[]]>).map(([, f]) => f[f.indexOf('reason') + 1]);
      assert.equal(dead.length, 4);
      assert.equal(dead.filter((r) => /not JSON/.test(r)).length, 4);
      const lines = logs.lines.filter((l) => l.includes('dead-lettered'));
      assert.equal(lines.filter((l) => /not JSON/.test(l)).length, 4, lines.join('\n'));
      for (const line of logs.lines) {
        for (const secret of secrets) assert.ok(!line.includes(secret), `"${secret}" in a log line: ${line}`);
        assert.ok(line.length < 1_000, 'a bounded log line');
      }
    } finally {
      await quiet.close();
    }
  });

  test('/metrics (Prometheus) and /v1/metrics (JSON, system:read) tell the same story; system.health is written', async () => {
    const client = await TestClient.connect(gateway.url, { token: await token(['t-met']) });
    clients.push(client);
    await client.waitWelcome();
    const events = Array.from({ length: 5 }, () => leadEvent('t-met'));
    for (const e of events) await redisClient.xadd(gateway.config.STREAM_KEY, '*', 'e', JSON.stringify(e));
    await client.waitEvents(5);

    const text = await (await fetch(`${gateway.url}/metrics`)).text();
    assert.match(text, /leadwire_connections\{transport="ws"\} [1-9]/);
    assert.match(text, /leadwire_events_in_total\{type="lead.analysis_completed"\} [1-9]/);
    assert.match(text, /leadwire_events_out_total\{type="lead.analysis_completed"\} [1-9]/);
    assert.match(text, /leadwire_delivery_latency_seconds_count [1-9]/);
    assert.match(text, /leadwire_schema_rejects_total\{source="http"\} [1-9]/);
    assert.match(text, /leadwire_redis_up 1/);
    assert.match(text, /leadwire_redis_breaker_state 0/);
    assert.match(text, /leadwire_process_resident_memory_bytes/);

    assert.equal((await fetch(`${gateway.url}/v1/metrics`)).status, 401);
    const reader = { authorization: `Bearer ${await token(['t-met'])}` };
    assert.equal((await fetch(`${gateway.url}/v1/metrics`, { headers: reader })).status, 403);
    const ops = { authorization: `Bearer ${await token(['t-met'], ['system:read'])}` };
    const summary = (await (await fetch(`${gateway.url}/v1/metrics`, { headers: ops })).json()) as Record<string, any>;
    assert.ok(summary.connections.ws >= 1);
    assert.equal(summary.connections.total, summary.connections.ws + summary.connections.sse + summary.connections.poll);
    assert.ok(summary.events.byType['lead.analysis_completed'].out >= 5);
    assert.ok(summary.latencyMs.samples >= 1 && summary.latencyMs.p50 <= summary.latencyMs.p99 && summary.latencyMs.p99 <= summary.latencyMs.max);
    assert.ok(summary.pipelineLagMs.samples >= 5);
    assert.deepEqual({ ...summary.store, rttMs: typeof summary.store.rttMs }, { kind: 'redis', connected: true, rttMs: 'number', breaker: 'closed' });
    assert.equal(summary.gateway.status, 'up');
    assert.equal(summary.rates.eventsInPerS >= 0 && summary.rates.eventsOutPerS >= 0, true);
    assert.ok(summary.authFailuresByReason.total >= 2 && summary.authFailuresByReason.publisher_key >= 2);
    assert.equal(summary.errors.authFailures, summary.authFailuresByReason.total);
    assert.ok(summary.errors.schemaRejects >= 1 && summary.errors.errorRate >= 0 && summary.errors.errorRate <= 1, JSON.stringify(summary.errors));
    assert.equal(summary.errors.rateLimited, 0);
    assert.ok(summary.process.memoryPercent > 0 && summary.process.rssBytes > 0);

    await waitUntil(() => (gateway.stats.eventsIn.get('system.health') ?? 0) > 0, 'a system.health event in the log');
    const entries = (await redisClient.xrevrange(gateway.config.STREAM_KEY, '+', '-', 'COUNT', 50)) as Array<[string, string[]]>;
    const health = entries.map(([, f]) => JSON.parse(f[1])).find((e) => e.type === 'system.health');
    assert.equal(health.tenant, '*');
    assert.equal(typeof health.data.metrics.connections, 'number');
  });
});
