/** `npm run token`: mints a token the gateway accepts; clear errors otherwise. */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { test } from 'node:test';
import { Authenticator } from '../src/auth.ts';
import { makeConfig } from '../src/config.ts';
import { captureLogs } from './support/trust.ts';

const SECRET = 'cli-secret-cli-secret-cli-secret-cli-secret';

function run(args: string[], env: Record<string, string | undefined> = {}) {
  const { AUTH_SECRET: _s, AUTH_AUDIENCE: _a, AUTH_ISSUER: _i, ...base } = process.env;
  return spawnSync(process.execPath, ['--import', 'tsx', 'scripts/token.ts', ...args], {
    env: { ...base, ...env },
    encoding: 'utf8',
    timeout: 30_000,
  });
}

test('mints an HS256 token with the tenants, scopes, subject, ttl, origins, audience and issuer asked for', async () => {
  const result = run(
    ['--tenant', 'loc_1', '--tenant', 'loc_2', '--scope', 'events:read', '--scope', 'pii:read', '--ttl', '600', '--sub', 'alice', '--origin', 'https://crm.example.com'],
    { AUTH_SECRET: SECRET, AUTH_AUDIENCE: 'leadwire', AUTH_ISSUER: 'ops' },
  );
  assert.equal(result.status, 0, result.stderr);
  const token = result.stdout.trim();
  assert.match(token, /^[\w-]+\.[\w-]+\.[\w-]+$/, 'stdout is the token alone');
  const auth = new Authenticator(makeConfig({ AUTH_SECRET: SECRET, AUTH_AUDIENCE: 'leadwire', AUTH_ISSUER: 'ops' }), captureLogs().logger);
  const principal = await auth.authenticate(token, { origin: 'https://crm.example.com' });
  assert.equal(principal.subject, 'alice');
  assert.deepEqual([...principal.tenants], ['loc_1', 'loc_2']);
  assert.deepEqual([...principal.scopes], ['events:read', 'pii:read']);
  const ttl = (principal.expiresAt! - Date.now()) / 1000;
  // exp is whole seconds, rounded up: at least the ttl asked for, at most one second more.
  assert.ok(ttl > 500 && ttl <= 601, `ttl ${ttl}`);
  await assert.rejects(auth.authenticate(token, { origin: 'https://other.example.com' }), /origin/);
});

test('clear errors: no secret, short secret, no tenant, unknown scope, bad ttl, unknown flag', () => {
  const cases: Array<[string[], Record<string, string>, RegExp]> = [
    [['--tenant', 'loc_1'], {}, /AUTH_SECRET is not set/],
    [['--tenant', 'loc_1'], { AUTH_SECRET: 'short' }, /at least 32 characters/],
    [[], { AUTH_SECRET: SECRET }, /at least one --tenant/],
    [['--tenant', '*'], { AUTH_SECRET: SECRET }, /not a location id/],
    [['--tenant', 'loc_1', '--scope', 'admin'], { AUTH_SECRET: SECRET }, /"admin" is not one of/],
    [['--tenant', 'loc_1', '--ttl', 'soon'], { AUTH_SECRET: SECRET }, /--ttl "soon"/],
    [['--tenant', 'loc_1', '--ttl=-5'], { AUTH_SECRET: SECRET }, /--ttl "-5"/],
    [['--tenant', 'loc_1', '--tenants', 'x'], { AUTH_SECRET: SECRET }, /Unknown option '--tenants'/],
  ];
  for (const [args, env, message] of cases) {
    const result = run(args, env);
    assert.equal(result.status, 2, args.join(' '));
    assert.equal(result.stdout, '');
    assert.match(result.stderr, message);
    assert.match(result.stderr, /usage: npm run token/);
  }
});
