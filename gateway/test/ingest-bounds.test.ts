/**
 * What every way in refuses before the log holds it: an envelope over MAX_FRAME_BYTES (the tail
 * would never deliver it) and a non-system event for tenant `*` (no token names `*`, so it would
 * reach nobody). HTTP answers 400 and appends nothing; XADD and PUBLISH are dead-lettered with
 * the reason; `gateway.append()` throws.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { Redis } from 'ioredis';
import type { Gateway } from '../src/gateway.ts';
import { InvalidEnvelopeError } from '../src/ingest/writer.ts';
import { token } from './delivery.cases.ts';
import { TestClient } from './support/client.ts';
import { ids, leadEvent } from './support/events.ts';
import { testGateway } from './support/gateway.ts';
import { waitUntil } from './support/http-clients.ts';
import { startRedis, type RedisServer } from './support/redis.ts';

const KEY = 'publisher-key-0123456789abcdef';
const MAX = 4_096;

let redis: RedisServer;
let gateway: Gateway;
let redisClient: Redis;

const post = (body: unknown) =>
  fetch(`${gateway.url}/v1/events`, {
    method: 'POST',
    headers: { authorization: `Bearer ${KEY}`, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
const stream = async () =>
  ((await redisClient.xrange(gateway.config.STREAM_KEY, '-', '+')) as Array<[string, string[]]>).map(([, f]) => JSON.parse(f[1]) as { id: string });
const deadLetters = async () =>
  ((await redisClient.xrange(gateway.config.DEAD_LETTER_KEY, '-', '+')) as Array<[string, string[]]>).map(([, f]) => f[f.indexOf('reason') + 1]);

/** A valid lead event whose stored JSON is over MAX bytes (the HTTP body limit is far above it). */
const oversized = (tenant: string) => leadEvent(tenant, {}, { summary: 'x'.repeat(MAX) });

before(async () => {
  redis = await startRedis();
  redisClient = new Redis(redis.url);
  gateway = await testGateway({ REDIS_URL: redis.url, TAIL_BLOCK_MS: 200, PUBLISHER_KEYS: [KEY], MAX_FRAME_BYTES: MAX, METRICS_HEALTH_INTERVAL_MS: 0 });
});
after(async () => {
  await gateway.close();
  redisClient.disconnect();
  await redis.stop();
});

test('POST /v1/events with an envelope over MAX_FRAME_BYTES: 400 naming the limit, nothing of the batch appended', async () => {
  const good = leadEvent('t-big');
  const res = await post([good, oversized('t-big')]);
  assert.equal(res.status, 400);
  const body = (await res.json()) as { error: string; details: Array<{ index: number; message: string }> };
  assert.equal(body.error, 'invalid_event');
  assert.equal(body.details[0].index, 1);
  assert.match(body.details[0].message, new RegExp(`over the ${MAX}-byte limit`));
  assert.deepEqual((await stream()).filter((e) => e.id === good.id), [], 'the valid envelope of the batch was not appended either');
  await assert.rejects(gateway.append(oversized('t-big')), InvalidEnvelopeError);
});

test('a lead event for tenant "*": HTTP 400, append() throws, XADD and PUBLISH dead-lettered with the reason, nobody receives it', async () => {
  const viewer = await TestClient.connect(gateway.url, { token: await token(['t-star'], ['events:read', 'system:read']) });
  await viewer.waitWelcome();
  const star = leadEvent('*');
  const res = await post(star);
  assert.equal(res.status, 400);
  const body = (await res.json()) as { details: Array<{ path: string; message: string }> };
  assert.equal(body.details[0].path, 'tenant');
  assert.match(body.details[0].message, /"\*" is for the system and connection families only/);
  await assert.rejects(gateway.append(leadEvent('*')), /tenant/);

  const rejectsBefore = gateway.writer.stats.rejects.stream + gateway.writer.stats.rejects.pubsub;
  await redisClient.xadd(gateway.config.STREAM_KEY, '*', 'e', JSON.stringify(leadEvent('*')));
  await redisClient.publish('leadwire:pub:*', JSON.stringify(leadEvent('*')));
  const fence = leadEvent('t-star');
  await gateway.append(fence);
  await viewer.waitEvents(1);
  await waitUntil(() => gateway.writer.stats.rejects.stream + gateway.writer.stats.rejects.pubsub >= rejectsBefore + 2, 'both dead-lettered');
  const reasons = await deadLetters();
  assert.equal(reasons.filter((r) => /tenant: .*"\*" is for the system and connection families only/.test(r)).length, 2, JSON.stringify(reasons));
  assert.deepEqual(ids(viewer.events), [fence.id]);
  // A deployment-wide system event is still welcome.
  await gateway.append({ id: `sys-${Date.now()}`, type: 'system.error', tenant: '*', ts: Date.now(), data: { service: 'bot', message: 'm' } });
  await viewer.waitEvents(2);
  await viewer.close();
});

test('an oversized XADD is dead-lettered by the tail with the size in the reason', async () => {
  const before = gateway.writer.stats.rejects.stream;
  await redisClient.xadd(gateway.config.STREAM_KEY, '*', 'e', JSON.stringify(oversized('t-big2')));
  await waitUntil(() => gateway.writer.stats.rejects.stream > before, 'dead-lettered');
  assert.ok((await deadLetters()).some((r) => new RegExp(`over the ${MAX}-byte limit`).test(r)));
});
