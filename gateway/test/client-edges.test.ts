/**
 * Promises of docs/protocol.md at the edges of a session: a stalled client learns it was closed
 * for lagging (the next welcome says so), frames sent right after hello are answered, the
 * token bound holds on every transport, SSE's retry keeps its jitter, `tenants: []` means none.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { CloseCode } from '../../protocol/index.ts';
import { mintToken } from '../src/auth.ts';
import type { Gateway } from '../src/gateway.ts';
import { SECRET, token } from './delivery.cases.ts';
import { TestClient } from './support/client.ts';
import { leadEvent } from './support/events.ts';
import { testGateway } from './support/gateway.ts';
import { poll, SseClient, waitUntil } from './support/http-clients.ts';
import { startRedis, type RedisServer } from './support/redis.ts';

let redis: RedisServer;
let gateway: Gateway;

before(async () => {
  redis = await startRedis();
  gateway = await testGateway({
    REDIS_URL: redis.url,
    TAIL_BLOCK_MS: 200,
    METRICS_HEALTH_INTERVAL_MS: 0,
    SEND_BUFFER_BYTES: 64 * 1024,
    CLOSE_GRACE_MS: 200,
    SHUTDOWN_RETRY_MAX_MS: 900,
  });
});
after(async () => {
  await gateway.close();
  await redis.stop();
});

test('a client that stopped reading is closed as lagging, and the welcome of its next connection says so', async () => {
  const jwt = await token(['t-stall']);
  const slow = await TestClient.connect(gateway.url, { token: jwt });
  await slow.waitWelcome();
  const first = slow.welcome!.session;
  (slow.socket as unknown as { _socket: { pause(): void } })._socket.pause();
  const lagged = gateway.stats.laggingClosed;
  // The kernel's socket buffers take megabytes before the gateway's send buffer fills.
  for (let round = 0; round < 60 && gateway.stats.laggingClosed === lagged; round++) {
    await Promise.all(Array.from({ length: 200 }, () => gateway.append(leadEvent('t-stall', {}, { summary: 's'.repeat(2_000) }))));
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  await waitUntil(() => gateway.stats.laggingClosed > lagged, 'closed as lagging', 20_000);
  slow.socket.terminate();

  const back = await TestClient.connect(gateway.url, { token: jwt, cursor: slow.cursor, lastSession: first });
  await back.waitWelcome();
  assert.equal(back.welcome?.lastClose?.code, CloseCode.Lagging);
  assert.match(back.welcome!.lastClose!.reason, /send buffer full/);
  // Told once, and only to the same subject.
  const other = await TestClient.connect(gateway.url, { token: await token(['t-stall', 'x']), lastSession: first });
  await other.waitWelcome();
  assert.equal(other.welcome?.lastClose, undefined);
  await Promise.all([back.close(), other.close()]);
});

test('frames sent right after hello are answered after the welcome, in order, every time', async () => {
  const jwt = await token(['t-quick', 't-quick2']);
  for (let i = 0; i < 10; i++) {
    const client = await TestClient.connect(gateway.url, { token: jwt });
    client.send({ type: 'subscribe', subscription: { tenants: ['t-quick2'] } });
    client.send({ type: 'ping', t: i });
    await client.waitFor(() => client.frames.some((f) => f.type === 'pong'), 'the pong');
    const kinds = client.frames.map((f) => f.type).filter((t) => t !== 'ping');
    assert.deepEqual(kinds.slice(0, 3), ['welcome', 'subscribed', 'pong']);
    await client.close();
  }
});

test('a token over 8,192 characters is refused by SSE and long-poll too (401), as by a WebSocket hello', async () => {
  const tenants = Array.from({ length: 80 }, (_, i) => `t${i}-${'l'.repeat(120)}`);
  const long = await mintToken({ sub: 'u', tenants, scopes: ['events:read'] }, SECRET);
  assert.ok(long.length > 8_192);
  const polled = await poll(gateway.url, long, { wait: 0 });
  assert.equal(polled.status, 401);
  assert.match(String(polled.body.message), /8192/);
  const sse = await SseClient.connect(gateway.url, { headers: { authorization: `Bearer ${long}` } });
  assert.equal(sse.status, 401);
  await sse.close();
  const sseQuery = await SseClient.connect(gateway.url, { token: long });
  assert.equal(sseQuery.status, 401);
  await sseQuery.close();
});

test('tenants: [] is no tenant at all, and the echo of a subscription narrowed to nothing means the same sent back', async () => {
  const jwt = await token(['t-none'], ['events:read', 'system:read']);
  const client = await TestClient.connect(gateway.url, { token: jwt, subscription: { tenants: ['t-not-mine'] } });
  await client.waitWelcome();
  assert.deepEqual(client.welcome?.subscription.tenants, []);
  client.send({ type: 'subscribe', subscription: client.welcome!.subscription });
  await client.waitFor(() => client.frames.some((f) => f.type === 'subscribed'), 'subscribed');
  await gateway.append(leadEvent('t-none'));
  const system = { id: `sys-${Date.now()}`, type: 'system.error', tenant: '*', ts: Date.now(), data: { service: 's', message: 'm' } };
  await gateway.append(system);
  await client.waitEvents(1);
  assert.deepEqual(client.events.map((e) => e.id), [system.id], 'only the deployment-wide event');
  await client.close();
});

test('SSE: the 4503 retry is the jittered delay as drawn, below a second too', async () => {
  const jwt = await token(['t-sse-retry']);
  const streams = await Promise.all(Array.from({ length: 6 }, () => SseClient.connect(gateway.url, { token: jwt })));
  await waitUntil(() => streams.every((s) => s.welcome), 'welcomes');
  const stopping = gateway.close();
  await waitUntil(() => streams.every((s) => s.ended), 'streams ended');
  await stopping;
  // The first retry: is the stream's opening default; the last one came with the close.
  const retries = streams.map((s) => s.retries.at(-1)!);
  assert.ok(streams.every((s) => s.retries.length === 2 && s.messages.at(-1)?.event === 'close'));
  assert.ok(retries.every((r) => Number.isInteger(r) && r < 900), JSON.stringify(retries));
  // The gateway is restarted for nothing else after this test.
  gateway = await testGateway({ REDIS_URL: redis.url, METRICS_HEALTH_INTERVAL_MS: 0 });
});
