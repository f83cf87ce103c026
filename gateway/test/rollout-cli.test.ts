/** `leadwire-rollout`: each command against the file store and a real Redis, clear refusals otherwise. */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { RedisRolloutStore } from '../src/rollout/store.ts';
import { startRedis, type RedisServer } from './support/redis.ts';

let dir: string;
let redis: RedisServer;
before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'leadwire-rollout-cli-'));
  for (const version of ['1.0.0', '1.1.0']) {
    mkdirSync(join(dir, 'versions', version), { recursive: true });
    writeFileSync(join(dir, 'versions', version, 'leadwire-rollout.js'), '');
  }
  redis = await startRedis();
});
after(async () => {
  await redis.stop();
  rmSync(dir, { recursive: true, force: true });
});

function cli(args: string[], env: Record<string, string>) {
  const { REDIS_URL: _r, ROLLOUT_FILE: _f, ROLLOUT_KEY: _k, ROLLOUT_VERSIONS_DIR: _v, ...rest } = process.env;
  return spawnSync(process.execPath, ['--import', 'tsx', 'scripts/rollout.ts', ...args], { encoding: 'utf8', env: { ...rest, ...env } });
}

test('init, stage, step through the seed, set, rollback and promote, each recorded with who did it', () => {
  const env = { ROLLOUT_FILE: join(dir, 'state.json'), ROLLOUT_VERSIONS_DIR: join(dir, 'versions') };
  const ok = (...args: string[]) => {
    const result = cli(args, env);
    assert.equal(result.status, 0, result.stderr);
    return result.stdout;
  };
  ok('init', '1.0.0', '--as', 'cli:alice');
  assert.match(ok('stage', '1.1.0', '--as', 'cli:alice'), /candidate {2}1\.1\.0 at 0 %/);
  const percents = [1, 2, 3].map(() => /at (\d+) %/.exec(ok('step', '--as', 'cli:bob'))![1]);
  assert.deepEqual(percents, ['10', '25', '50']);
  ok('allow', 'loc_a', 'loc_b');
  assert.match(ok('set', '60%'), /at 60 %/);
  assert.match(ok('rollback', '--reason', 'support tickets'), /rolled back[\s\S]*withdrawn {2}1\.1\.0[\s\S]*rollback by cli:\S+ \(support tickets\)/);
  const state = JSON.parse(readFileSync(env.ROLLOUT_FILE, 'utf8'));
  assert.deepEqual(state.allow, ['loc_a', 'loc_b']);
  assert.deepEqual(
    state.history.map((c: { action: string; by: string; percent: number }) => [c.action, c.by, c.percent]).slice(0, 5),
    [['init', 'cli:alice', 0], ['stage', 'cli:alice', 0], ['step', 'cli:bob', 10], ['step', 'cli:bob', 25], ['step', 'cli:bob', 50]],
  );
  ok('stage', '1.1.0');
  ok('set', '100');
  assert.match(ok('promote'), /stable {5}1\.1\.0\ncandidate {2}none/);
  assert.equal(JSON.parse(ok('status', '--json')).stable, '1.1.0');
});

test('bad commands and refused changes exit non-zero with the reason and leave the state as it was', () => {
  const env = { ROLLOUT_FILE: join(dir, 'refusals.json'), ROLLOUT_VERSIONS_DIR: join(dir, 'versions') };
  const cases: Array<[string[], number, RegExp]> = [
    [['status'], 1, /no rollout yet/],
    [['step'], 1, /no rollout yet/],
    [['init', '2.0.0'], 1, /2\.0\.0 is not published/],
    [['init', '1.0.0'], 0, /stable {5}1\.0\.0/],
    [['init', '1.0.0'], 1, /exists already/],
    [['step'], 1, /no candidate is staged/],
    [['stage', '../../etc'], 1, /version: a version name/],
    [['stage', '1.1.0'], 0, /at 0 %/],
    [['set', 'half'], 1, /whole number from 0 to 100/],
    [['set', '101'], 1, /whole number from 0 to 100/],
    [['allow', 'jane@example.com'], 1, /location id/],
    [['launch'], 2, /unknown command "launch"[\s\S]*usage:/],
    [['step', '--bogus'], 2, /Unknown option/],
  ];
  for (const [args, status, message] of cases) {
    const result = cli(args, env);
    assert.equal(result.status, status, `${args.join(' ')}: ${result.stderr}`);
    assert.match(status ? result.stderr : result.stdout, message, args.join(' '));
  }
  assert.equal(JSON.parse(readFileSync(env.ROLLOUT_FILE, 'utf8')).revision, 2, 'only init and stage changed it');
  const nowhere = cli(['status'], {});
  assert.equal(nowhere.status, 2);
  assert.match(nowhere.stderr, /set REDIS_URL .* or ROLLOUT_FILE/);
});

test('with REDIS_URL the state is the Redis key the gateways read', async () => {
  const env = { REDIS_URL: redis.url, ROLLOUT_KEY: 'leadwire:rollout:cli' };
  assert.equal(cli(['init', '1.0.0'], env).status, 0);
  assert.equal(cli(['stage', '1.1.0'], env).status, 0);
  assert.equal(cli(['schedule', '30'], env).status, 0);
  const store = new RedisRolloutStore(redis.url, 'leadwire:rollout:cli');
  try {
    const state = (await store.load())!;
    assert.equal(state.candidate, '1.1.0');
    assert.equal(state.autoStepMs, 30 * 60_000);
  } finally {
    await store.close();
  }
});
