import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { Redis } from 'ioredis';
import type { Gateway } from '../src/gateway.ts';
import { testGateway } from './support/gateway.ts';
import { TestClient } from './support/client.ts';
import { ids, leadEvent } from './support/events.ts';
import { startRedis, type RedisServer } from './support/redis.ts';
import { token } from './delivery.cases.ts';

let redis: RedisServer;
let gateway: Gateway;

before(async () => {
  // With its data kept: the same log, the same epoch, so live sessions simply go on.
  redis = await startRedis({ persist: true });
  gateway = await testGateway({ REDIS_URL: redis.url, TAIL_BLOCK_MS: 200 });
});
after(async () => {
  await gateway.close();
  await redis.stop();
});

async function readyz(): Promise<{ status: number; body: { ready: boolean } }> {
  const res = await fetch(`${gateway.url}/readyz`);
  return { status: res.status, body: (await res.json()) as { ready: boolean } };
}

test('Redis restarted under the gateway: the tail resumes and nothing published after the restart is lost', async () => {
  const client = await TestClient.connect(gateway.url, { token: await token(['t-r']) });
  await client.waitWelcome();
  const publisher = new Redis(redis.url, { maxRetriesPerRequest: null });
  publisher.on('error', () => {});
  const beforeRestart = leadEvent('t-r');
  await publisher.xadd(gateway.config.STREAM_KEY, '*', 'e', JSON.stringify(beforeRestart));
  await client.waitEvents(1);
  assert.equal((await readyz()).status, 200);

  await redis.kill();
  // While Redis is away the gateway says it is not ready, keeps serving sockets, and does not crash.
  await client.waitFor(() => false, 'nothing', 300).catch(() => {});
  const down = await readyz();
  assert.equal(down.status, 503);
  assert.equal(down.body.ready, false);
  assert.equal(client.closed, undefined);

  await redis.start();
  const afterRestart = Array.from({ length: 25 }, () => leadEvent('t-r'));
  for (const e of afterRestart) await publisher.xadd(gateway.config.STREAM_KEY, '*', 'e', JSON.stringify(e));
  await client.waitEvents(26, 15_000);
  assert.deepEqual(ids(client.events), [beforeRestart.id, ...ids(afterRestart)]);
  await client.waitFor(() => false, 'settle', 100).catch(() => {});
  let ready = await readyz();
  for (let i = 0; i < 50 && ready.status !== 200; i++) ready = await readyz();
  assert.equal(ready.status, 200);
  publisher.disconnect();
  await client.close();
});
