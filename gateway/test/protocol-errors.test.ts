/** Bad frames, bad tokens, versions and shutdown: each gets its documented close code. */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { CloseCode } from '../../protocol/index.ts';
import { mintToken } from '../src/auth.ts';
import type { Gateway } from '../src/gateway.ts';
import { SECRET, testGateway } from './support/gateway.ts';
import { TestClient } from './support/client.ts';
import { leadEvent } from './support/events.ts';
import { token } from './delivery.cases.ts';
import { waitUntil } from './support/http-clients.ts';
import { sign, signingKey, startJwksServer } from './support/trust.ts';

describe('protocol errors', () => {
  let gateway: Gateway;
  before(async () => {
    gateway = await testGateway({ MAX_FRAME_BYTES: 4096 });
  });
  after(() => gateway.close());

  const closeCodeAfter = async (send: (c: TestClient) => void | Promise<void>, options = {}) => {
    const client = await TestClient.connect(gateway.url, { noHello: true, ...options });
    await send(client);
    return client.waitClosed();
  };

  test('not JSON, unknown frame, binary, oversized, frames before hello → bad frame / too big', async () => {
    assert.equal((await closeCodeAfter((c) => c.socket.send('{nope'))).code, CloseCode.BadFrame);
    const unknown = await closeCodeAfter((c) => c.send({ type: 'teleport' }));
    assert.equal(unknown.code, CloseCode.BadFrame);
    assert.match(unknown.reason, /type/);
    assert.equal((await closeCodeAfter((c) => c.socket.send(Buffer.from([1, 2, 3])))).code, CloseCode.BadFrame);
    assert.equal((await closeCodeAfter((c) => c.send({ type: 'ping', t: 1 }))).code, CloseCode.BadFrame);
    assert.equal((await closeCodeAfter((c) => c.socket.send('x'.repeat(10_000)))).code, 1009);
    const badCursor = await closeCodeAfter(async (c) => c.send({ type: 'hello', v: 1, token: await token(['t']), cursor: 'latest' }));
    assert.equal(badCursor.code, CloseCode.BadFrame);
    assert.match(badCursor.reason, /cursor/);
  });

  test('tokens: missing, forged, garbled, expired, no tenant', async () => {
    const forged = await mintToken({ sub: 'x', tenants: ['t'], scopes: ['events:read'] }, 'another-secret-another-secret-another-!!');
    const expired = await mintToken({ sub: 'x', tenants: ['t'], scopes: ['events:read'] }, SECRET, -10);
    const noTenant = await mintToken({ sub: 'x', tenants: [], scopes: ['events:read'] }, SECRET);
    const cases: Array<[string | undefined, number, RegExp]> = [
      [undefined, CloseCode.Unauthorized, /missing/],
      [forged, CloseCode.Unauthorized, /signature/],
      ['not.a.jwt', CloseCode.Unauthorized, /rejected/],
      [expired, CloseCode.TokenExpired, /expired/],
      [noTenant, CloseCode.Unauthorized, /tenant/],
    ];
    for (const [tok, code, reason] of cases) {
      const closed = await closeCodeAfter((c) => c.send({ type: 'hello', v: 1, token: tok }));
      assert.equal(closed.code, code, `token case ${String(reason)}`);
      assert.match(closed.reason, reason);
    }
  });

  test('a token that expires mid-session closes with token-expired unless refreshed', async () => {
    // At least 3 s to live (exp is rounded up): time for both hellos and the refresh on a busy machine.
    const short = await mintToken({ sub: 'u', tenants: ['t-exp'], scopes: ['events:read'] }, SECRET, 3);
    const refreshed = await TestClient.connect(gateway.url, { token: short });
    const lapsed = await TestClient.connect(gateway.url, { token: short });
    await Promise.all([refreshed.waitWelcome(), lapsed.waitWelcome()]);
    refreshed.send({ type: 'refresh', token: await mintToken({ sub: 'u', tenants: ['t-exp'], scopes: ['events:read'] }, SECRET, 60) });
    await refreshed.waitFor(() => refreshed.frames.some((f) => f.type === 'refreshed'), 'refreshed');
    assert.equal(refreshed.closed, undefined, 'refreshed before the first token expired');
    assert.equal((await lapsed.waitClosed(15_000)).code, CloseCode.TokenExpired);
    const event = leadEvent('t-exp');
    await gateway.append(event);
    await refreshed.waitEvents(1);
    assert.equal(refreshed.closed, undefined);
    await refreshed.close();
  });

  test('protocol versions: a non-version is a bad frame, a newer client negotiates down, a v1 client stays on v1', async () => {
    const old = await closeCodeAfter(async (c) => c.send({ type: 'hello', v: 0, token: await token(['t']) }));
    assert.equal(old.code, CloseCode.BadFrame);
    const newer = await TestClient.connect(gateway.url, { token: await token(['t']), v: 7 });
    await newer.waitWelcome();
    assert.equal(newer.welcome?.v, 2);
    await newer.close();
    const v1 = await TestClient.connect(gateway.url, { token: await token(['t-v1']), v: 1 });
    await v1.waitWelcome();
    assert.equal(v1.welcome?.v, 1);
    const event = leadEvent('t-v1');
    await gateway.append(event);
    await v1.waitEvents(1);
    assert.deepEqual(v1.events.map((e) => e.id), [event.id]);
    await v1.close();
  });

  test('a tenant the token does not name is refused with an error frame, the rest is served', async () => {
    const client = await TestClient.connect(gateway.url, { token: await token(['t-own']), subscription: { tenants: ['t-own', 't-other'] } });
    await client.waitWelcome();
    await client.waitFor(() => client.frames.some((f) => f.type === 'error'), 'error frame');
    assert.deepEqual(client.welcome?.subscription.tenants, ['t-own']);
    await gateway.append(leadEvent('t-other'));
    const own = leadEvent('t-own');
    await gateway.append(own);
    await client.waitEvents(1);
    assert.deepEqual(client.events.map((e) => e.id), [own.id]);
    await client.close();
  });

  test('client ping gets a pong carrying the gateway clock', async () => {
    const client = await TestClient.connect(gateway.url, { token: await token(['t']) });
    await client.waitWelcome();
    client.send({ type: 'ping', t: 12345 });
    await client.waitFor(() => client.frames.some((f) => f.type === 'pong'), 'pong');
    const pong = client.frames.find((f) => f.type === 'pong') as { t: number; at: number };
    assert.equal(pong.t, 12345);
    assert.ok(Math.abs(pong.at - Date.now()) < 60_000);
    await client.close();
  });
});

test('SIGTERM-style shutdown flushes and tells clients to reconnect after a jittered delay', async () => {
  const gateway = await testGateway({ SHUTDOWN_RETRY_MAX_MS: 3000 });
  const client = await TestClient.connect(gateway.url, { token: await token(['t-stop']) });
  await client.waitWelcome();
  await gateway.append(leadEvent('t-stop'));
  await client.waitEvents(1);
  await gateway.close();
  const closed = await client.waitClosed();
  assert.equal(closed.code, CloseCode.ServerRestart);
  const { retryMs } = JSON.parse(closed.reason) as { retryMs: number };
  assert.ok(retryMs >= 0 && retryMs < 3000);
  await assert.rejects(TestClient.connect(gateway.url, { token: await token(['t-stop']) }));
});

test('shutdown while a hello is still being authenticated: that client gets 4503 too, not a dropped socket', async () => {
  const key = await signingKey('ES256', 'slow-idp');
  const jwks = await startJwksServer([key]);
  const gateway = await testGateway({ AUTH_JWKS_URL: jwks.url, SHUTDOWN_RETRY_MAX_MS: 3000 });
  let release: (() => void) | undefined;
  try {
    const open = await TestClient.connect(gateway.url, { token: await token(['t-stop2']) });
    await open.waitWelcome();
    // The identity provider is slow: the next hello waits on the key set while the gateway stops.
    release = jwks.hold();
    const pending = await TestClient.connect(gateway.url, { token: await sign({ tenants: ['t-stop2'] }, key) });
    await waitUntil(() => jwks.fetches > 0, 'the key set fetch');
    const closing = gateway.close();
    for (const client of [open, pending]) {
      const closed = await client.waitClosed();
      assert.equal(closed.code, CloseCode.ServerRestart);
      const { retryMs } = JSON.parse(closed.reason) as { retryMs: number };
      assert.ok(retryMs >= 0 && retryMs < 3000);
    }
    assert.equal(pending.welcome, undefined, 'no session was opened during shutdown');
    release();
    await closing;
  } finally {
    release?.();
    await gateway.close();
    await jwks.close();
  }
});
