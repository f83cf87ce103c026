/** SSE and long-poll: the same auth, routing, filters and cursor semantics as the WebSocket. */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { Redis } from 'ioredis';
import type { Envelope } from '../../protocol/index.ts';
import { startGateway, type Gateway } from '../src/gateway.ts';
import { SECRET, token } from './delivery.cases.ts';
import { poll, SseClient, waitUntil } from './support/http-clients.ts';
import { ids, leadEvent } from './support/events.ts';
import { startRedis, type RedisServer } from './support/redis.ts';

describe('SSE and long-poll transports', () => {
  let redis: RedisServer;
  let gateway: Gateway;
  let publisher: Redis;
  const streams: SseClient[] = [];
  const publish = async (...envelopes: Envelope[]) => {
    for (const e of envelopes) await publisher.xadd(gateway.config.STREAM_KEY, '*', 'e', JSON.stringify(e));
  };
  const sse = async (options: Parameters<typeof SseClient.connect>[1]) => {
    const client = await SseClient.connect(gateway.url, options);
    streams.push(client);
    return client;
  };

  before(async () => {
    redis = await startRedis();
    publisher = new Redis(redis.url);
    gateway = await startGateway({
      PORT: 0,
      REDIS_URL: redis.url,
      AUTH_SECRET: SECRET,
      LOG_LEVEL: 'silent',
      TAIL_BLOCK_MS: 200,
      HEARTBEAT_MS: 1_000,
      METRICS_HEALTH_INTERVAL_MS: 0,
    });
  });
  after(async () => {
    await Promise.all(streams.map((s) => s.close()));
    await gateway.close();
    publisher.disconnect();
    await redis.stop();
  });

  test('SSE: welcome with the start cursor as id, events whose id is the batch’s last cursor, tenant routing, ping comments', async () => {
    const client = await sse({ token: await token(['t-sse']) });
    await waitUntil(() => !!client.welcome, 'welcome');
    assert.equal(client.status, 200);
    assert.equal(client.messages[0].event, 'welcome');
    assert.equal(client.messages[0].id, client.welcome!.cursor);
    const mine = [leadEvent('t-sse'), leadEvent('t-sse')];
    await publish(leadEvent('t-other'), mine[0], leadEvent('t-other'), mine[1]);
    await client.waitEvents(2);
    assert.deepEqual(ids(client.events), ids(mine));
    const last = client.messages.filter((m) => m.event === 'events').at(-1)!;
    assert.equal(last.id, client.events.at(-1)!.cursor);
    await waitUntil(() => client.pings > 0, 'a ": ping" comment');
  });

  test('SSE: Last-Event-ID wins over ?cursor=, the subscription filter applies to the replay', async () => {
    const tok = await token(['t-sse2'], ['events:read']);
    const first = await sse({ token: tok });
    await waitUntil(() => !!first.welcome, 'welcome');
    const hot = [leadEvent('t-sse2', {}, { temperature: 'hot' }), leadEvent('t-sse2', {}, { temperature: 'hot' })];
    await publish(hot[0], leadEvent('t-sse2', {}, { temperature: 'cold' }));
    await first.waitEvents(2);
    const mark = first.lastEventId!;
    await publish(hot[1], leadEvent('t-sse2', {}, { temperature: 'cold' }));
    await first.waitEvents(4);
    // ?cursor= names the start, Last-Event-ID the point after the first two: the header wins.
    const resumed = await sse({
      token: tok,
      cursor: first.welcome!.cursor,
      lastEventId: mark,
      subscription: { filter: { temperatures: ['hot'] } },
    });
    // A last hot event fences the replay: anything wrongly replayed would arrive before it.
    const fence = leadEvent('t-sse2', {}, { temperature: 'hot' });
    await publish(fence);
    await resumed.waitEvents(2);
    assert.deepEqual(ids(resumed.events), [hot[1].id, fence.id]);
    assert.equal(resumed.welcome!.recovered, true);
  });

  test('SSE takes the token from Authorization: Bearer as well as from ?token=; the header wins', async () => {
    const tok = await token(['t-sse-header']);
    const viaHeader = await sse({ headers: { authorization: `Bearer ${tok}` } });
    const viaQuery = await sse({ token: tok });
    await waitUntil(() => !!viaHeader.welcome && !!viaQuery.welcome, 'both welcomes');
    assert.equal(viaHeader.status, 200);
    assert.deepEqual(viaHeader.welcome!.subscription.tenants, ['t-sse-header']);
    const event = leadEvent('t-sse-header');
    await publish(event);
    await Promise.all([viaHeader.waitEvents(1), viaQuery.waitEvents(1)]);
    assert.deepEqual(ids(viaHeader.events), [event.id]);
    assert.deepEqual(ids(viaQuery.events), [event.id]);
    // A bad header token is refused even with a good one in the query: the header decides.
    const badHeader = await sse({ token: tok, headers: { authorization: 'Bearer not.a.jwt' } });
    assert.equal(badHeader.status, 401);
    assert.equal(JSON.parse(badHeader.messages[0].data).error, 'unauthorized');
    const expiredHeader = await sse({ headers: { authorization: `Bearer ${await token(['t'], ['events:read'], -10)}` } });
    assert.equal(expiredHeader.status, 401);
    assert.equal(JSON.parse(expiredHeader.messages[0].data).error, 'token_expired');
  });

  test('SSE and poll refuse bad tokens (401) and bad cursors (400) before any stream starts', async () => {
    const forged = await sse({ token: 'not.a.jwt' });
    assert.equal(forged.status, 401);
    assert.equal(JSON.parse(forged.messages[0].data).error, 'unauthorized');
    const expired = await sse({ token: await token(['t'], ['events:read'], -10) });
    assert.equal(expired.status, 401);
    assert.equal(JSON.parse(expired.messages[0].data).error, 'token_expired');
    assert.equal((await poll(gateway.url, undefined)).status, 401);
    const bad = await poll(gateway.url, await token(['t']), { cursor: 'latest' });
    assert.equal(bad.status, 400);
    assert.match(bad.body.message!, /cursor/);
    const badSub = await poll(gateway.url, await token(['t']), { subscription: { tenants: ['no spaces'] } });
    assert.equal(badSub.status, 400);
  });

  test('poll: no cursor → head at once; events available → at once; else holds until one arrives', async () => {
    const tok = await token(['t-poll']);
    const head = await poll(gateway.url, tok, { wait: 20_000 });
    assert.equal(head.status, 200);
    assert.deepEqual(head.body.events, []);
    assert.equal(head.body.recovered, true);

    const sent = [leadEvent('t-poll'), leadEvent('t-poll')];
    await publish(leadEvent('t-elsewhere'), ...sent);
    const ready = await poll(gateway.url, tok, { cursor: head.body.cursor, wait: 20_000 });
    assert.deepEqual(ids(ready.body.events), ids(sent));
    assert.equal(ready.body.cursor, ready.body.events.at(-1)!.cursor);

    const held = poll(gateway.url, tok, { cursor: ready.body.cursor, wait: 20_000 });
    const later = leadEvent('t-poll');
    // The poll is parked on the hub once the gateway counts it as a connection.
    await waitUntil(() => [...gateway.hub.sessions].some((s) => s.sink.transport === 'poll' && s.state === 'live'), 'parked poll');
    await publish(leadEvent('t-elsewhere'), later);
    const answer = await held;
    assert.deepEqual(ids(answer.body.events), [later.id]);

    // Nothing for this client within `wait`: an empty answer whose cursor skips what it may not see.
    await publish(leadEvent('t-elsewhere'));
    const empty = await poll(gateway.url, tok, { cursor: answer.body.cursor, wait: 300 });
    assert.deepEqual(empty.body.events, []);
    const streamHead = ((await publisher.xrevrange(gateway.config.STREAM_KEY, '+', '-', 'COUNT', 1)) as Array<[string, string[]]>)[0][0];
    assert.equal(empty.body.cursor, streamHead);
  });

  test('origins, tenant connection limits and the HTTP request rate apply to SSE and poll too', async () => {
    const guarded = await startGateway({
      PORT: 0,
      AUTH_SECRET: SECRET,
      LOG_LEVEL: 'silent',
      METRICS_HEALTH_INTERVAL_MS: 0,
      ALLOWED_ORIGINS: 'https://*.crm.example',
      MAX_CONNECTIONS_PER_TENANT: 1,
      HTTP_RATE_PER_SECOND: 1,
      HTTP_RATE_BURST: 6,
    });
    try {
      const tok = await token(['t-guard']);
      const evil = await SseClient.connect(guarded.url, { token: tok, headers: { origin: 'https://evil.example' } });
      assert.equal(evil.status, 403);
      assert.equal(JSON.parse(evil.messages[0].data).error, 'forbidden_origin');
      const page = { origin: 'https://app.crm.example' };
      const first = await SseClient.connect(guarded.url, { token: tok, headers: page });
      streams.push(first);
      await waitUntil(() => !!first.welcome, 'welcome');
      const second = await SseClient.connect(guarded.url, { token: tok, headers: page });
      assert.equal(second.status, 429);
      assert.equal(JSON.parse(second.messages[0].data).error, 'rate_limited');
      const polled = await poll(guarded.url, tok, { cursor: first.welcome!.cursor, wait: 0, headers: page });
      assert.equal(polled.status, 429);
      // The burst is spent by now: the address is told when to come back.
      let limited;
      for (let i = 0; i < 10 && !limited; i++) {
        const answer = await poll(guarded.url, await token(['t-other']), { headers: page });
        if (answer.status === 429) limited = answer;
      }
      assert.ok(limited, 'no 429 within the burst');
      assert.ok(Number(limited.headers.get('retry-after')) >= 1);
      const { rateLimitedByLimit: rateLimited } = await guarded.metrics.summary();
      assert.ok(rateLimited.tenant >= 2 && rateLimited.http >= 1, JSON.stringify(rateLimited));
      await first.close();
    } finally {
      await guarded.close();
    }
  });

  test('a gateway that cannot bind its port fails to start and leaves nothing running', async () => {
    // Were its tail, timers or Redis connections left behind, this file would never finish.
    await assert.rejects(
      startGateway({ PORT: gateway.port, REDIS_URL: redis.url, AUTH_SECRET: SECRET, LOG_LEVEL: 'silent' }),
      /EADDRINUSE/,
    );
  });
});
