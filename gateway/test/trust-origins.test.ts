/** Origin allow-list: the matcher, WebSocket upgrades (close 4403), the token's origins claim, CORS. */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { CloseCode, shouldReconnect } from '../../protocol/index.ts';
import { mintToken } from '../src/auth.ts';
import { startGateway, type Gateway } from '../src/gateway.ts';
import { compileOrigins, corsMiddleware, originAllowed } from '../src/origins.ts';
import { TestClient } from './support/client.ts';
import { leadEvent } from './support/events.ts';
import { startRedis, type RedisServer } from './support/redis.ts';

const SECRET = 'origin-secret-origin-secret-origin-secret';
const ALLOWED = 'https://crm.example.com, https://*.leadconnectorhq.com, http://localhost:5173';

test('origin patterns: exact, subdomain wildcard, port, and the tricks that must not pass', () => {
  const allowed = compileOrigins(ALLOWED);
  const yes = ['https://crm.example.com', 'https://app.leadconnectorhq.com', 'https://a.b.leadconnectorhq.com', 'http://localhost:5173', 'https://CRM.example.com'];
  const no = [
    'http://crm.example.com', // scheme
    'https://crm.example.com:8443', // port
    'https://leadconnectorhq.com', // the wildcard needs a subdomain
    'https://evilleadconnectorhq.com',
    'https://leadconnectorhq.com.evil.com',
    'https://app.leadconnectorhq.com.evil.com',
    'https://crm.example.com.evil.com',
    'https://crm.example.com/path',
    'https://user@crm.example.com',
    'http://localhost:5174',
    'null',
    'garbage',
    '',
  ];
  for (const origin of yes) assert.ok(allowed(origin), origin);
  for (const origin of no) assert.ok(!allowed(origin), origin);
  assert.ok(compileOrigins('*')('https://anything.example'));
  assert.throws(() => compileOrigins('crm.example.com'), /not an origin pattern/);
  assert.throws(() => compileOrigins('https://crm.*.com'), /not an origin pattern/);
  // Unset: same-origin, no Origin header, and loopback pages only while bound to loopback.
  const unset = { ALLOWED_ORIGINS: undefined, HOST: '127.0.0.1' };
  assert.ok(originAllowed(undefined, unset));
  assert.ok(originAllowed('https://gw.example.com', { ...unset, HOST: '0.0.0.0' }, 'gw.example.com'));
  assert.ok(originAllowed('http://localhost:6006', unset, '127.0.0.1:8080'));
  assert.ok(!originAllowed('http://localhost:6006', { ...unset, HOST: '0.0.0.0' }, 'gw.example.com'));
  assert.ok(!originAllowed('https://evil.example', unset, '127.0.0.1:8080'));
});

describe('origins on a gateway', () => {
  let redis: RedisServer;
  let gateway: Gateway;
  const token = (claims: { origins?: string[] } = {}) =>
    mintToken({ sub: 'u', tenants: ['t-origin'], scopes: ['events:read'], ...claims }, SECRET);

  before(async () => {
    redis = await startRedis();
    gateway = await startGateway({ PORT: 0, REDIS_URL: redis.url, AUTH_SECRET: SECRET, ALLOWED_ORIGINS: ALLOWED, LOG_LEVEL: 'silent' });
  });
  after(async () => {
    await gateway.close();
    await redis.stop();
  });

  test('WebSocket: a disallowed Origin is closed with 4403 (no retry) while allowed pages are served', async () => {
    const served = await TestClient.connect(gateway.url, { token: await token(), headers: { Origin: 'https://app.leadconnectorhq.com' } });
    await served.waitWelcome();
    for (const origin of ['https://evil.example', 'https://leadconnectorhq.com.evil.com', 'null']) {
      const refused = await TestClient.connect(gateway.url, { token: await token(), headers: { Origin: origin } });
      const closed = await refused.waitClosed();
      assert.equal(closed.code, CloseCode.ForbiddenOrigin, origin);
      assert.equal(shouldReconnect(closed.code), false);
      assert.equal(refused.welcome, undefined);
    }
    const event = leadEvent('t-origin');
    await gateway.append(event);
    await served.waitEvents(1);
    assert.equal(served.events[0].id, event.id);
    // A non-browser client sends no Origin: the token alone decides.
    const cli = await TestClient.connect(gateway.url, { token: await token() });
    await cli.waitWelcome();
    assert.ok(cli.welcome);
    await Promise.all([served.close(), cli.close()]);
  });

  test('the token origins claim narrows the deployment list', async () => {
    const narrow = await token({ origins: ['https://crm.example.com'] });
    const ok = await TestClient.connect(gateway.url, { token: narrow, headers: { Origin: 'https://crm.example.com' } });
    await ok.waitWelcome();
    assert.ok(ok.welcome);
    // Allowed by the deployment, not by this token.
    const elsewhere = await TestClient.connect(gateway.url, { token: narrow, headers: { Origin: 'https://app.leadconnectorhq.com' } });
    const closed = await elsewhere.waitClosed();
    assert.equal(closed.code, CloseCode.ForbiddenOrigin);
    assert.match(closed.reason, /origin/);
    // Wildcards work in the claim too; a claim cannot widen past the deployment list.
    const wide = await token({ origins: ['https://*.leadconnectorhq.com', 'https://evil.example'] });
    const sub = await TestClient.connect(gateway.url, { token: wide, headers: { Origin: 'https://x.leadconnectorhq.com' } });
    await sub.waitWelcome();
    assert.ok(sub.welcome);
    const evil = await TestClient.connect(gateway.url, { token: wide, headers: { Origin: 'https://evil.example' } });
    assert.equal((await evil.waitClosed()).code, CloseCode.ForbiddenOrigin);
    // Refreshing into a token that does not allow this page's origin closes the session.
    ok.send({ type: 'refresh', token: await token({ origins: ['https://other.example.com'] }) });
    assert.equal((await ok.waitClosed()).code, CloseCode.ForbiddenOrigin);
    await sub.close();
  });

  test('CORS middleware: allowed origins get headers and preflights, others 403 JSON', async () => {
    gateway.app.use('/test-cors', corsMiddleware(gateway.config), (_req, res) => {
      res.json({ ok: true });
    });
    const get = (origin?: string, method = 'GET') =>
      fetch(`${gateway.url}/test-cors`, { method, headers: origin ? { Origin: origin, 'Access-Control-Request-Method': 'GET' } : {} });
    const allowed = await get('https://crm.example.com');
    assert.equal(allowed.status, 200);
    assert.equal(allowed.headers.get('access-control-allow-origin'), 'https://crm.example.com');
    assert.match(allowed.headers.get('vary') ?? '', /Origin/);
    const preflight = await get('https://app.leadconnectorhq.com', 'OPTIONS');
    assert.equal(preflight.status, 204);
    assert.match(preflight.headers.get('access-control-allow-headers') ?? '', /Authorization/);
    const refused = await get('https://evil.example');
    assert.equal(refused.status, 403);
    assert.deepEqual(await refused.json(), { error: 'forbidden_origin', message: 'origin https://evil.example is not allowed' });
    assert.equal(refused.headers.get('access-control-allow-origin'), null);
    const noOrigin = await get();
    assert.equal(noOrigin.status, 200);
    assert.equal(noOrigin.headers.get('access-control-allow-origin'), null);
  });
});

test('a malformed ALLOWED_ORIGINS stops the gateway at start', async () => {
  await assert.rejects(startGateway({ PORT: 0, AUTH_SECRET: SECRET, ALLOWED_ORIGINS: 'crm.example.com', LOG_LEVEL: 'silent' }), /ALLOWED_ORIGINS="crm.example.com": not an origin pattern/);
});
