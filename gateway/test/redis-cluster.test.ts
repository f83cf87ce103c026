/**
 * What docs/gateway.md says about Redis Cluster, against a real redis-server in cluster mode
 * (one node owning every slot, i.e. a single-shard cluster): with every key under one hash tag
 * the gateway's whole path works — tail, replay, the pub/sub bridge and HTTP ingest with their
 * atomic dedupe, dead letters — and without one its scripts are refused (CROSSSLOT).
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { Redis } from 'ioredis';
import { startGateway, type Gateway } from '../src/gateway.ts';
import { SECRET, token } from './delivery.cases.ts';
import { TestClient } from './support/client.ts';
import { ids, leadEvent } from './support/events.ts';
import { waitUntil } from './support/http-clients.ts';
import { startRedis, type RedisServer } from './support/redis.ts';

const KEY = 'publisher-key-cluster-0123456789';

describe('Redis Cluster (single shard)', () => {
  let redis: RedisServer;
  let client: Redis;
  const gateways: Gateway[] = [];
  const gatewayOn = async (keys: { STREAM_KEY: string; DEAD_LETTER_KEY: string; PUBSUB_PREFIX: string }) => {
    const gateway = await startGateway({
      PORT: 0,
      REDIS_URL: redis.url,
      AUTH_SECRET: SECRET,
      LOG_LEVEL: 'silent',
      TAIL_BLOCK_MS: 200,
      METRICS_HEALTH_INTERVAL_MS: 0,
      PUBLISHER_KEYS: [KEY],
      ...keys,
    });
    gateways.push(gateway);
    return gateway;
  };
  const post = (gateway: Gateway, body: unknown) =>
    fetch(`${gateway.url}/v1/events`, {
      method: 'POST',
      headers: { authorization: `Bearer ${KEY}`, 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });

  before(async () => {
    redis = await startRedis({ cluster: true });
    client = new Redis(redis.url);
  });
  after(async () => {
    await Promise.all(gateways.map((g) => g.close()));
    client.disconnect();
    await redis.stop();
  });

  test('every key under one hash tag: stream, replay, pub/sub bridge, HTTP ingest and dead letters all work', async () => {
    const gateway = await gatewayOn({ STREAM_KEY: '{leadwire}:events', DEAD_LETTER_KEY: '{leadwire}:dead', PUBSUB_PREFIX: 'leadwire:pub' });
    const tenant = 't-cluster';
    const watcher = await TestClient.connect(gateway.url, { token: await token([tenant]) });
    await watcher.waitWelcome();
    const start = watcher.welcome!.cursor;

    const viaXadd = leadEvent(tenant);
    await client.xadd('{leadwire}:events', '*', 'e', JSON.stringify(viaXadd));
    const viaPublish = leadEvent(tenant);
    await client.publish(`leadwire:pub:${tenant}`, JSON.stringify(viaPublish));
    await watcher.waitEvents(2);
    const viaHttp = leadEvent(tenant);
    const first = await post(gateway, [viaHttp]);
    assert.equal(first.status, 202);
    const again = (await (await post(gateway, [viaHttp])).json()) as { accepted: Array<{ duplicate?: boolean }> };
    assert.equal(again.accepted[0].duplicate, true, 'the dedupe script ran');
    await client.xadd('{leadwire}:events', '*', 'e', '{not json');
    const last = leadEvent(tenant);
    await client.xadd('{leadwire}:events', '*', 'e', JSON.stringify(last));
    await watcher.waitEvents(4);
    const sent = [viaXadd, viaPublish, viaHttp, last];
    assert.deepEqual(ids(watcher.events), ids(sent));

    await waitUntil(() => gateway.writer.stats.rejects.stream >= 1, 'the bad entry rejected');
    let dead: unknown[] = [];
    for (let i = 0; i < 50 && dead.length === 0; i++) {
      dead = (await client.xrange('{leadwire}:dead', '-', '+')) as unknown[];
      await new Promise((r) => setTimeout(r, 20));
    }
    assert.equal(dead.length, 1, 'dead-lettered once');

    // A client resuming from the start replays all of it.
    const resumed = await TestClient.connect(gateway.url, { token: await token([tenant]), cursor: start });
    await resumed.waitEvents(4);
    assert.equal(resumed.welcome!.recovered, true);
    assert.deepEqual(ids(resumed.events), ids(sent));
    await Promise.all([watcher.close(), resumed.close()]);
  });

  test('keys without a shared hash tag: the cluster refuses the gateway’s scripts (CROSSSLOT)', async () => {
    const gateway = await gatewayOn({ STREAM_KEY: 'plain:events', DEAD_LETTER_KEY: 'plain:dead', PUBSUB_PREFIX: 'plain:pub' });
    const refused = await post(gateway, [leadEvent('t-cluster')]);
    assert.equal(refused.status, 503);
    await assert.rejects(client.eval("return redis.call('SET', KEYS[2], '1')", 2, 'plain:events', 'plain:events:seen:t:x'), /CROSSSLOT/);
  });
});
