/**
 * Limits: each one answers with its documented code while another client keeps being served.
 * Client addresses come from X-Forwarded-For (TRUST_PROXY_HOPS=1), as behind a load balancer.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { CloseCode, shouldReconnect } from '../../protocol/index.ts';
import { mintToken } from '../src/auth.ts';
import { loadConfig } from '../src/config.ts';
import { startGateway, type Gateway } from '../src/gateway.ts';
import { TokenBucket, httpRateLimit } from '../src/limits.ts';
import { TestClient } from './support/client.ts';
import { leadEvent } from './support/events.ts';
import { startRedis, type RedisServer } from './support/redis.ts';

const SECRET = 'limits-secret-limits-secret-limits-secret';
const token = (tenants: string[]) => mintToken({ sub: `u-${tenants.join('+')}`, tenants, scopes: ['events:read'] }, SECRET);
const from = (ip: string) => ({ 'X-Forwarded-For': `203.0.113.250, ${ip}` });

test('defaults are safe and every limit is configurable', () => {
  const defaults = loadConfig({});
  assert.equal(defaults.MAX_CONNECTIONS_PER_IP, 256);
  assert.equal(defaults.MAX_CONNECTIONS_PER_TENANT, 2_000);
  assert.equal(defaults.MAX_CONNECTS_PER_SECOND_PER_IP, 20);
  assert.equal(defaults.MAX_FRAMES_PER_SECOND, 20);
  assert.equal(defaults.MAX_FRAME_BYTES, 64 * 1024);
  assert.equal(defaults.INGEST_MAX_BYTES, 1024 * 1024);
  assert.equal(defaults.HTTP_RATE_PER_SECOND, 10);
  assert.equal(defaults.HTTP_RATE_BURST, 60);
  assert.equal(defaults.TRUST_PROXY_HOPS, 0);
  const tuned = loadConfig({ MAX_CONNECTIONS_PER_IP: '5', INGEST_MAX_BYTES: '2048', MAX_FRAMES_PER_SECOND: '100' });
  assert.equal(tuned.MAX_CONNECTIONS_PER_IP, 5);
  assert.equal(tuned.INGEST_MAX_BYTES, 2048);
  assert.equal(tuned.MAX_FRAMES_PER_SECOND, 100);
  assert.throws(() => loadConfig({ MAX_CONNECTIONS_PER_IP: '0' }), /MAX_CONNECTIONS_PER_IP="0"/);
});

test('token bucket: burst, then refusal with a retry hint', () => {
  const bucket = new TokenBucket(1, 3);
  assert.deepEqual([bucket.take(), bucket.take(), bucket.take(), bucket.take()], [true, true, true, false]);
  assert.ok(bucket.retryAfterSeconds() >= 1);
  assert.equal(bucket.idle, false);
});

describe('limits on a gateway', () => {
  let redis: RedisServer;
  let gateway: Gateway;
  let bystander: TestClient;
  /** Proves the gateway still serves: an event for the bystander's tenant arrives. */
  const stillServing = async () => {
    const event = leadEvent('t-bystander');
    await gateway.append(event);
    await bystander.waitFor(() => bystander.events.some((e) => e.id === event.id), 'bystander event');
    assert.equal(bystander.closed, undefined);
  };

  before(async () => {
    redis = await startRedis();
    gateway = await startGateway({
      PORT: 0,
      REDIS_URL: redis.url,
      AUTH_SECRET: SECRET,
      LOG_LEVEL: 'silent',
      TRUST_PROXY_HOPS: 1,
      MAX_CONNECTIONS_PER_IP: 3,
      MAX_CONNECTIONS_PER_TENANT: 2,
      MAX_CONNECTS_PER_SECOND_PER_IP: 2,
      MAX_FRAMES_PER_SECOND: 5,
      MAX_FRAME_BYTES: 4096,
      HTTP_RATE_PER_SECOND: 1,
      HTTP_RATE_BURST: 3,
    });
    bystander = await TestClient.connect(gateway.url, { token: await token(['t-bystander']), headers: from('198.51.100.1') });
    await bystander.waitWelcome();
  });
  after(async () => {
    await bystander.close();
    await gateway.close();
    await redis.stop();
  });

  test('flooding frames → 4429 for the flooder; a client pinging at a normal pace is unaffected', async () => {
    const flooder = await TestClient.connect(gateway.url, { token: await token(['t-flood']), headers: from('198.51.100.2') });
    await flooder.waitWelcome();
    const refusedBefore = gateway.limits.refused.frames;
    for (let i = 0; i < 200 && !flooder.closed; i++) flooder.send({ type: 'ping', t: i });
    const closed = await flooder.waitClosed();
    assert.equal(closed.code, CloseCode.RateLimited);
    assert.match(closed.reason, /frames per second/);
    assert.ok(shouldReconnect(closed.code), 'a rate-limited client may come back after a backoff');
    assert.equal(gateway.limits.refused.frames, refusedBefore + 1, 'one close, not one per extra frame');
    bystander.send({ type: 'ping', t: 1 });
    await bystander.waitFor(() => bystander.frames.some((f) => f.type === 'pong'), 'pong');
    await stillServing();
  });

  test('an oversized frame closes 1009 for its sender only', async () => {
    const big = await TestClient.connect(gateway.url, { token: await token(['t-big']), headers: from('198.51.100.3') });
    await big.waitWelcome();
    big.socket.send(JSON.stringify({ type: 'subscribe', subscription: { filter: { text: 'x'.repeat(8_000) } } }));
    assert.equal((await big.waitClosed()).code, 1009);
    await stillServing();
  });

  test('connections per IP: the fourth from one address gets 4429, other addresses are served, a freed slot is reusable', async () => {
    const ip = '198.51.100.4';
    const three = await Promise.all([1, 2, 3].map(async (i) => TestClient.connect(gateway.url, { token: await token([`t-ip${i}`]), headers: from(ip) })));
    await Promise.all(three.map((c) => c.waitWelcome()));
    const fourth = await TestClient.connect(gateway.url, { token: await token(['t-ip4']), headers: from(ip) });
    const closed = await fourth.waitClosed();
    assert.equal(closed.code, CloseCode.RateLimited);
    assert.match(closed.reason, /address/);
    const other = await TestClient.connect(gateway.url, { token: await token(['t-ip4']), headers: from('198.51.100.5') });
    await other.waitWelcome();
    assert.ok(other.welcome);
    await stillServing();
    await three[0].close();
    await three[1].waitFor(() => gateway.limits.perIp.count(ip) === 2, 'slot released');
    const again = await TestClient.connect(gateway.url, { token: await token(['t-ip4']), headers: from(ip) });
    await again.waitWelcome();
    assert.ok(again.welcome);
    await Promise.all([...three, other, again].map((c) => c.close()));
  });

  test('connect rate per IP: a reconnect storm from one address gets 4429 after the burst; other addresses are served', async () => {
    const ip = '198.51.100.30';
    const statuses: string[] = [];
    // Burst = five times the rate (10 here); a slow machine may refill a token meanwhile.
    for (let i = 0; i < 40 && statuses.at(-1) !== 'refused'; i++) {
      const client = await TestClient.connect(gateway.url, { token: await token(['t-storm']), headers: from(ip) });
      await client.waitWelcome();
      if (client.welcome) {
        statuses.push('welcome');
        await client.close();
      } else {
        statuses.push('refused');
        assert.equal(client.closed?.code, CloseCode.RateLimited);
        assert.match(client.closed!.reason, /connecting too often/);
      }
    }
    assert.ok(statuses.slice(0, 10).every((s) => s === 'welcome'), statuses.join());
    assert.equal(statuses.at(-1), 'refused');
    const other = await TestClient.connect(gateway.url, { token: await token(['t-storm']), headers: from('198.51.100.31') });
    await other.waitWelcome();
    assert.ok(other.welcome);
    await other.close();
    await stillServing();
  });

  test('connections per tenant: the third for a tenant gets 4429 (also when it is one of several), other tenants are served', async () => {
    const ips = ['198.51.100.10', '198.51.100.11', '198.51.100.12', '198.51.100.13', '198.51.100.14'];
    const a1 = await TestClient.connect(gateway.url, { token: await token(['t-busy']), headers: from(ips[0]) });
    const a2 = await TestClient.connect(gateway.url, { token: await token(['t-busy', 't-calm']), headers: from(ips[1]) });
    await Promise.all([a1.waitWelcome(), a2.waitWelcome()]);
    const a3 = await TestClient.connect(gateway.url, { token: await token(['t-calm', 't-busy']), headers: from(ips[2]) });
    const closed = await a3.waitClosed();
    assert.equal(closed.code, CloseCode.RateLimited);
    assert.match(closed.reason, /tenant t-busy/);
    // The refused connection took no slot in t-calm: one more t-calm connection still fits.
    const calm = await TestClient.connect(gateway.url, { token: await token(['t-calm']), headers: from(ips[3]) });
    await calm.waitWelcome();
    assert.ok(calm.welcome);
    await stillServing();
    await a1.close();
    await a2.waitFor(() => gateway.limits.perTenant.count('t-busy') === 1, 'tenant slot released');
    const a4 = await TestClient.connect(gateway.url, { token: await token(['t-busy']), headers: from(ips[4]) });
    await a4.waitWelcome();
    assert.ok(a4.welcome);
    await Promise.all([a2, calm, a4].map((c) => c.close()));
  });

  test('HTTP rate limit: 429 JSON with Retry-After per address; other addresses are served', async () => {
    let refusals = 0;
    gateway.app.get('/test-limited', httpRateLimit(gateway.config, () => refusals++), (_req, res) => {
      res.json({ ok: true });
    });
    const get = (ip: string) => fetch(`${gateway.url}/test-limited`, { headers: from(ip) });
    // The burst of three passes; refusal follows (a slow machine may refill a token meanwhile).
    const statuses: number[] = [];
    while (statuses.at(-1) !== 429 && statuses.length < 50) statuses.push((await get('198.51.100.20')).status);
    assert.deepEqual(statuses.slice(0, 3), [200, 200, 200]);
    assert.equal(statuses.at(-1), 429);
    const refused = await get('198.51.100.20');
    assert.equal(refused.status, 429);
    assert.ok(Number(refused.headers.get('retry-after')) >= 1);
    const body = (await refused.json()) as { error: string; message: string };
    assert.equal(body.error, 'rate_limited');
    assert.match(body.message, /retry after \d+ s/);
    assert.ok(refusals >= 2);
    assert.equal((await get('198.51.100.21')).status, 200);
    await stillServing();
  });
});
