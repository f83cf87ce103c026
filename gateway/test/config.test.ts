import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { ConfigError, configSchema, loadConfig } from '../src/config.ts';

test('defaults: in-memory log on loopback:8080', () => {
  const config = loadConfig({});
  assert.equal(config.PORT, 8080);
  assert.equal(config.HOST, '127.0.0.1');
  assert.equal(config.REDIS_URL, undefined);
});

test('each bad value is named with what is wrong, all at once', () => {
  assert.throws(
    () => loadConfig({ PORT: 'eighty', REDIS_URL: 'http://x', AUTH_SECRET: 'short', LOG_LEVEL: 'loud', SEND_BUFFER_BYTES: '10' }),
    (error: unknown) => {
      assert.ok(error instanceof ConfigError);
      const message = error.message;
      assert.match(message, /PORT="eighty": .*number/i);
      assert.match(message, /REDIS_URL="http:\/\/x": must be a redis:\/\/ or rediss:\/\/ URL/);
      assert.match(message, /AUTH_SECRET=\(hidden\): must be at least 32 characters/);
      assert.doesNotMatch(message, /short/);
      assert.match(message, /LOG_LEVEL="loud"/);
      assert.match(message, /SEND_BUFFER_BYTES="10": /);
      return true;
    },
  );
});

test('the gateway refuses to start on bad config, exit code 2, message on stderr', () => {
  const result = spawnSync(process.execPath, ['--import', 'tsx', 'gateway/src/main.ts'], {
    env: { ...process.env, PORT: '99999', LOG_LEVEL: 'silent' },
    encoding: 'utf8',
    timeout: 30_000,
  });
  assert.equal(result.status, 2);
  assert.match(result.stderr, /invalid configuration:\n\s+PORT="99999": /);
});

test('every variable is documented in docs/gateway.md (and the trust ones in gateway-trust.md), with its default', () => {
  const defaults = configSchema.parse({}) as Record<string, unknown>;
  const rows = (file: string) => {
    const text = readFileSync(new URL(`../../docs/${file}`, import.meta.url), 'utf8');
    const found = new Map<string, string>();
    for (const [, name, cell] of text.matchAll(/^\| `([A-Z][A-Z0-9_]*)` \| ([^|]*) \|/gm)) found.set(name, cell.trim());
    return found;
  };
  const gateway = rows('gateway.md');
  const trust = rows('gateway-trust.md');
  const names = Object.keys(configSchema.shape);
  for (const name of names) assert.ok(gateway.has(name), `${name} is missing from the tables in docs/gateway.md`);
  for (const [file, documented] of [['gateway.md', gateway], ['gateway-trust.md', trust]] as const) {
    for (const [name, cell] of documented) {
      assert.ok(names.includes(name), `${file} documents ${name}, which the gateway does not read`);
      // A default in backticks must be the real one; anything else (unset, —, prose) means none.
      const value = /^`([^`]*)`/.exec(cell)?.[1];
      const actual = defaults[name];
      if (value === undefined) assert.equal(actual, undefined, `${file}: ${name} has the default ${String(actual)}, documented as "${cell}"`);
      else assert.equal(value, String(actual), `${file}: ${name} default`);
    }
  }
  assert.ok(trust.size >= 15, 'the trust variables are tabled in gateway-trust.md too');
});
