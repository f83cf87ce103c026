/**
 * Tokens: HS256 and JWKS (ES256, RS256) side by side, audience and issuer checks, a table of
 * bad tokens each with its close code while another client keeps being served, key rotation,
 * and in-band refresh (same subject only) versus expiry.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { CloseCode } from '../../protocol/index.ts';
import { mintToken } from '../src/auth.ts';
import { startGateway, type Gateway } from '../src/gateway.ts';
import { TestClient } from './support/client.ts';
import { leadEvent } from './support/events.ts';
import { startRedis, type RedisServer } from './support/redis.ts';
import { captureLogs, sign, signingKey, startJwksServer, unsignedToken, type SigningKey } from './support/trust.ts';

const SECRET = 'trust-secret-trust-secret-trust-secret-42';
const AUD = 'leadwire-gateway';
const ISS = 'https://idp.example.test';

describe('tokens', () => {
  let redis: RedisServer;
  let jwks: Awaited<ReturnType<typeof startJwksServer>>;
  let gateway: Gateway;
  let es: SigningKey;
  let rs: SigningKey;
  const logs = captureLogs();
  const tokensSeen: string[] = [];

  const good = (key: SigningKey | string, claims: Parameters<typeof sign>[0] = {}) =>
    sign({ tenants: ['t-tok'], aud: AUD, iss: ISS, ...claims }, key).then((t) => (tokensSeen.push(t), t));

  before(async () => {
    redis = await startRedis();
    [es, rs] = await Promise.all([signingKey('ES256', 'es-1'), signingKey('RS256', 'rs-1')]);
    jwks = await startJwksServer([es, rs]);
    gateway = await startGateway(
      {
        PORT: 0,
        REDIS_URL: redis.url,
        AUTH_SECRET: SECRET,
        AUTH_JWKS_URL: jwks.url,
        AUTH_JWKS_COOLDOWN_MS: 0,
        AUTH_AUDIENCE: AUD,
        AUTH_ISSUER: ISS,
      },
      logs.logger,
    );
  });
  after(async () => {
    await gateway.close();
    await jwks.close();
    await redis.stop();
  });

  test('HS256, ES256 and RS256 tokens are all accepted and deliver', async () => {
    const clients = await Promise.all(
      [SECRET, es, rs].map(async (key) => TestClient.connect(gateway.url, { token: await good(key) })),
    );
    await Promise.all(clients.map((c) => c.waitWelcome()));
    const event = leadEvent('t-tok');
    await gateway.append(event);
    await Promise.all(clients.map((c) => c.waitEvents(1)));
    for (const c of clients) assert.equal(c.events[0].id, event.id);
    await Promise.all(clients.map((c) => c.close()));
  });

  test('bad tokens: each gets its code and a log line without the token; another client keeps being served', async () => {
    const ghost = await signingKey('ES256', 'ghost');
    const cases: Array<[name: string, token: string | undefined, code: number, reason: RegExp]> = [
      ['missing', undefined, CloseCode.Unauthorized, /missing/],
      ['forged (other secret)', await sign({ tenants: ['t-tok'], aud: AUD, iss: ISS }, 'another-secret-another-secret-another!!'), CloseCode.Unauthorized, /signature/],
      ['garbled', 'not.a.jwt', CloseCode.Unauthorized, /not a JWT/],
      ['truncated signature', (await good(es)).slice(0, -8), CloseCode.Unauthorized, /signature|rejected/],
      ['expired (HS256)', await good(SECRET, { ttl: -30 }), CloseCode.TokenExpired, /expired/],
      ['expired (ES256)', await good(es, { ttl: -30 }), CloseCode.TokenExpired, /expired/],
      ['wrong audience', await good(rs, { aud: 'someone-else' }), CloseCode.Unauthorized, /aud/],
      ['no audience', await sign({ tenants: ['t-tok'], iss: ISS }, SECRET), CloseCode.Unauthorized, /aud/],
      ['wrong issuer', await good(es, { iss: 'https://evil.example' }), CloseCode.Unauthorized, /iss/],
      ['alg none', unsignedToken({ sub: 'x', tenants: ['t-tok'], scopes: ['events:read'], aud: AUD, iss: ISS, exp: 2e9 }), CloseCode.Unauthorized, /algorithm none/],
      ['no tenants', await good(SECRET, { tenants: [] }), CloseCode.Unauthorized, /tenant/],
      ['tenants not a list', await good(es, { tenants: 't-tok' }), CloseCode.Unauthorized, /tenant/],
      ['only the "*" tenant', await good(SECRET, { tenants: ['*'] }), CloseCode.Unauthorized, /tenant/],
      ['no subject', await good(SECRET, { sub: '' }), CloseCode.Unauthorized, /subject|sub/],
      ['no expiry', await good(es, { ttl: null }), CloseCode.Unauthorized, /exp/],
      ['unknown kid', await good(ghost), CloseCode.Unauthorized, /kid/],
    ];
    const bystander = await TestClient.connect(gateway.url, { token: await good(SECRET) });
    await bystander.waitWelcome();
    const failuresBefore = gateway.auth.failures.unauthorized + gateway.auth.failures.token_expired;
    const linesBefore = logs.lines.length;
    for (const [name, token, code, reason] of cases) {
      if (token) tokensSeen.push(token);
      const client = await TestClient.connect(gateway.url, { token });
      const closed = await client.waitClosed();
      assert.equal(closed.code, code, name);
      assert.match(closed.reason, reason, name);
      assert.equal(client.welcome, undefined, `${name}: never a session`);
      const event = leadEvent('t-tok');
      await gateway.append(event);
      await bystander.waitFor(() => bystander.events.some((e) => e.id === event.id), `bystander still served after ${name}`);
    }
    assert.equal(bystander.closed, undefined);
    assert.equal(gateway.auth.failures.unauthorized + gateway.auth.failures.token_expired - failuresBefore, cases.length);
    const failureLines = logs.lines.slice(linesBefore).filter((l) => l.includes('authentication failed'));
    assert.equal(failureLines.length, cases.length);
    for (const line of logs.lines) {
      for (const token of tokensSeen) assert.ok(!line.includes(token), 'a token appeared in the logs');
      // Not even the signature part of one.
      for (const token of tokensSeen) {
        const signature = token.split('.')[2];
        if (signature && signature.length > 10) assert.ok(!line.includes(signature));
      }
    }
    await bystander.close();
  });

  test('key rotation: a new kid is fetched on first sight, the retired key stops working', async () => {
    const es2 = await signingKey('ES256', 'es-2');
    const rs2 = await signingKey('RS256', 'rs-2');
    const oldToken = await good(es);
    const before = await TestClient.connect(gateway.url, { token: oldToken });
    await before.waitWelcome();
    assert.ok(before.welcome);
    const fetchesBefore = jwks.fetches;
    jwks.rotate([es2, rs2]);
    for (const key of [es2, rs2]) {
      const client = await TestClient.connect(gateway.url, { token: await good(key) });
      await client.waitWelcome();
      assert.ok(client.welcome, `${key.kid} accepted after rotation`);
      await client.close();
    }
    assert.ok(jwks.fetches > fetchesBefore, 'the key set was fetched again');
    const retired = await TestClient.connect(gateway.url, { token: oldToken });
    const closed = await retired.waitClosed();
    assert.equal(closed.code, CloseCode.Unauthorized);
    assert.match(closed.reason, /kid/);
    // The connection opened before the rotation is not cut off: its token was valid when checked.
    assert.equal(before.closed, undefined);
    await before.close();
    jwks.rotate([es, rs]);
  });

  test('refresh: JWKS tokens refresh in-band; expiry without refresh closes with token-expired', async () => {
    // At least 3 s to live (exp is rounded up): time for both hellos and the refresh on a busy machine.
    const shortLived = await good(es, { sub: 'agent-7', ttl: 3 });
    const refreshed = await TestClient.connect(gateway.url, { token: shortLived });
    const lapsed = await TestClient.connect(gateway.url, { token: shortLived });
    await Promise.all([refreshed.waitWelcome(), lapsed.waitWelcome()]);
    // Refresh with a token from the other key type: same subject, so accepted.
    refreshed.send({ type: 'refresh', token: await good(rs, { sub: 'agent-7', ttl: 120 }) });
    await refreshed.waitFor(() => refreshed.frames.some((f) => f.type === 'refreshed'), 'refreshed');
    assert.equal(refreshed.closed, undefined, 'refreshed before the first token expired');
    assert.equal((await lapsed.waitClosed(15_000)).code, CloseCode.TokenExpired);
    const event = leadEvent('t-tok');
    await gateway.append(event);
    await refreshed.waitFor(() => refreshed.events.some((e) => e.id === event.id), 'event after the old expiry');
    assert.equal(refreshed.closed, undefined);
    await refreshed.close();
  });

  test('refresh cannot switch subject, and a bad or expired refresh token closes the session', async () => {
    const cases: Array<[string, string, number]> = [
      ['another subject', await good(SECRET, { sub: 'mallory', tenants: ['t-tok', 't-other'] }), CloseCode.Unauthorized],
      ['forged', await sign({ sub: 'agent-8', tenants: ['t-tok'], aud: AUD, iss: ISS }, 'another-secret-another-secret-another!!'), CloseCode.Unauthorized],
      ['expired', await good(es, { sub: 'agent-8', ttl: -5 }), CloseCode.TokenExpired],
      ['wrong audience', await good(es, { sub: 'agent-8', aud: 'other' }), CloseCode.Unauthorized],
    ];
    for (const [name, token, code] of cases) {
      const client = await TestClient.connect(gateway.url, { token: await good(SECRET, { sub: 'agent-8' }) });
      await client.waitWelcome();
      client.send({ type: 'refresh', token });
      const closed = await client.waitClosed();
      assert.equal(closed.code, code, name);
      assert.ok(!client.frames.some((f) => f.type === 'refreshed'), name);
    }
  });

  test('a JWKS endpoint that is down refuses with try-again-later (1013), not unauthorised', async () => {
    const down = await startGateway({ PORT: 0, REDIS_URL: redis.url, AUTH_JWKS_URL: 'http://127.0.0.1:9/jwks.json', LOG_LEVEL: 'silent' });
    try {
      const client = await TestClient.connect(down.url, { token: await sign({ tenants: ['t'] }, es) });
      const closed = await client.waitClosed(15_000);
      assert.equal(closed.code, 1013);
      assert.match(closed.reason, /key set unavailable/);
    } finally {
      await down.close();
    }
  });
});

test('mintToken keeps working for HS256 gateways without audience or issuer', async () => {
  const gateway = await startGateway({ PORT: 0, AUTH_SECRET: SECRET, LOG_LEVEL: 'silent' });
  try {
    const client = await TestClient.connect(gateway.url, { token: await mintToken({ sub: 'u', tenants: ['t'], scopes: ['events:read'] }, SECRET) });
    await client.waitWelcome();
    assert.ok(client.welcome);
    // An RS256 token on a gateway without JWKS is refused by algorithm, before any key lookup.
    const rsKey = await signingKey('RS256', 'k');
    const refused = await TestClient.connect(gateway.url, { token: await sign({ tenants: ['t'] }, rsKey) });
    assert.match((await refused.waitClosed()).reason, /algorithm RS256 is not accepted/);
    await client.close();
  } finally {
    await gateway.close();
  }
});
