/**
 * A Redis that restarts without persistence comes back with an empty stream whose new entries
 * sort after every old cursor: without an epoch a resume would say `recovered: true` and skip
 * what was lost. Each gateway notices the new epoch — live sessions are closed 4408 and the
 * resume, on any gateway and any transport, says `recovered: false`.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { Redis } from 'ioredis';
import { CloseCode } from '../../protocol/index.ts';
import type { Gateway } from '../src/gateway.ts';
import { token } from './delivery.cases.ts';
import { TestClient } from './support/client.ts';
import { ids, leadEvent } from './support/events.ts';
import { testGateway } from './support/gateway.ts';
import { poll, waitUntil } from './support/http-clients.ts';
import { startRedis, type RedisServer } from './support/redis.ts';

let redis: RedisServer;
let one: Gateway;
let two: Gateway;
let publisher: Redis;

before(async () => {
  redis = await startRedis();
  const settings = { REDIS_URL: redis.url, TAIL_BLOCK_MS: 200, METRICS_HEALTH_INTERVAL_MS: 0 };
  one = await testGateway(settings);
  two = await testGateway(settings);
  publisher = new Redis(redis.url, { maxRetriesPerRequest: null });
  publisher.on('error', () => {});
});
after(async () => {
  publisher.disconnect();
  await Promise.all([one.close(), two.close()]);
  await redis.stop();
});

const publish = async (tenant: string, n: number) => {
  const events = Array.from({ length: n }, () => leadEvent(tenant));
  for (const e of events) await publisher.xadd(one.config.STREAM_KEY, '*', 'e', JSON.stringify(e));
  return events;
};

test('Redis restarted without its data: live sessions are closed 4408, and resumes on every gateway and transport say recovered:false', async () => {
  const jwt = await token(['t-epoch']);
  const live = await TestClient.connect(one.url, { token: jwt });
  const away = await TestClient.connect(two.url, { token: jwt });
  await Promise.all([live.waitWelcome(), away.waitWelcome()]);
  const old = await publish('t-epoch', 3);
  await Promise.all([live.waitEvents(3), away.waitEvents(3)]);
  const awayCursor = away.cursor!;
  await away.close();
  // Before the restart, a resume is recovered (the control case).
  const control = await poll(two.url, jwt, { cursor: awayCursor, wait: 0 });
  assert.equal(control.body.recovered, true);

  await redis.restart();
  const fresh = await publish('t-epoch', 2);
  const closed = await live.waitClosed(15_000);
  assert.equal(closed.code, CloseCode.Lagging);
  assert.match(closed.reason, /replaced/);

  for (const [gateway, cursor] of [
    [one, live.cursor!],
    [two, awayCursor],
  ] as const) {
    const resumed = await TestClient.connect(gateway.url, { token: jwt, cursor });
    await resumed.waitWelcome();
    assert.equal(resumed.welcome?.recovered, false, `resume on ${gateway.url} from ${cursor}: ${JSON.stringify(await gateway.log.extent())} ${JSON.stringify(resumed.welcome)}`);
    assert.notEqual(resumed.welcome?.cursor, cursor);
    // Live from the new head: what comes next arrives, nothing of the old log is replayed.
    const next = await publish('t-epoch', 1);
    await resumed.waitEvents(1);
    assert.deepEqual(ids(resumed.events), ids(next));
    await resumed.close();
  }
  const polled = await poll(one.url, jwt, { cursor: awayCursor, wait: 0 });
  assert.equal(polled.body.recovered, false);
  assert.ok(!ids(polled.body.events).some((id) => ids(old).includes(id) || ids(fresh).includes(id)));
  await waitUntil(() => one.stats.replays.unrecovered >= 2 && two.stats.replays.unrecovered >= 1, 'counted as unrecovered');
});
