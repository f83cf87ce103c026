/** The rollout model and its stores: assignment by bucket and lists, the seed's steps, compare-and-set writes. */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import * as rollout from '../src/rollout/model.ts';
import { FileRolloutStore, MemoryRolloutStore, RedisRolloutStore, updateRollout, type RolloutStore } from '../src/rollout/store.ts';
import { startRedis, type RedisServer } from './support/redis.ts';

const by = (now = 1_000) => ({ by: 'cli:ops', now });
const locations = Array.from({ length: 1_000 }, (_, i) => `loc_${i.toString(36)}x${(i * 7919).toString(36)}`);

describe('assignment', () => {
  test('the bucket is FNV-1a 32-bit of the id mod 100, the same on every call', () => {
    // FNV-1a("a") = 0xe40c292c (the published test vector) = 3826002220; mod 100 = 20.
    assert.equal(rollout.bucketOf('a'), 3826002220 % 100);
    for (const id of locations.slice(0, 50)) assert.equal(rollout.bucketOf(id), rollout.bucketOf(id));
    const buckets = new Set(locations.map(rollout.bucketOf));
    assert.ok([...buckets].every((b) => Number.isInteger(b) && b >= 0 && b < 100));
    assert.ok(buckets.size > 90, 'a thousand ids spread over the buckets');
  });

  test('at p % exactly the locations whose bucket is below p get the candidate; raising p only adds', () => {
    let state = rollout.stage(rollout.initial('1.0.0', by()), '1.1.0', by());
    let previous = new Set<string>();
    for (const percent of rollout.STEPS) {
      state = rollout.setPercent(state, percent, by());
      const onCandidate = new Set(locations.filter((id) => rollout.assign(state, id).version === '1.1.0'));
      assert.deepEqual(onCandidate, new Set(locations.filter((id) => rollout.bucketOf(id) < percent)));
      for (const id of previous) assert.ok(onCandidate.has(id), `${id} stays on the candidate at ${percent} %`);
      previous = onCandidate;
    }
    assert.equal(previous.size, locations.length);
  });

  test('deny wins over allow and over the bucket; allow works at 0 %', () => {
    const low = locations.find((id) => rollout.bucketOf(id) === 0)!;
    const high = locations.find((id) => rollout.bucketOf(id) === 99)!;
    let state = rollout.stage(rollout.initial('1.0.0', by()), '1.1.0', by());
    state = rollout.setLists(state, { allow: [high, low], deny: [low] }, by());
    assert.deepEqual(rollout.assign(state, high), { version: '1.1.0', bucket: 99, reason: 'allow' });
    assert.deepEqual(rollout.assign(state, low), { version: '1.0.0', bucket: 0, reason: 'deny' });
    state = rollout.setPercent(state, 100, by());
    assert.equal(rollout.assign(state, low).version, '1.0.0');
  });

  test('a rolled-back candidate goes to nobody, allow list included, and is withdrawn', () => {
    let state = rollout.stage(rollout.initial('1.0.0', by()), '1.1.0', by());
    state = rollout.setLists(rollout.setPercent(state, 50, by()), { allow: [locations[0]!] }, by());
    state = rollout.rollback(state, { by: 'gateway auto-rollback', now: 2_000, reason: 'error rate' });
    assert.equal(state.percent, 0);
    assert.deepEqual(state.withdrawn, ['1.1.0']);
    assert.equal(state.changedBy, 'gateway auto-rollback');
    assert.ok(locations.every((id) => rollout.assign(state, id).version === '1.0.0'));
    assert.throws(() => rollout.step(state, by()), /rolled back/);
    // Staging it again (a fixed build under the same name) takes it off the withdrawn list.
    assert.deepEqual(rollout.stage(state, '1.1.0', by()).withdrawn, []);
  });
});

describe('changes', () => {
  test('step walks the seed 10 → 25 → 50 → 75 → 100, then refuses; promote makes it stable', () => {
    let state = rollout.stage(rollout.initial('1.0.0', by()), '1.1.0', by());
    const seen = [];
    for (let i = 0; i < 5; i++) seen.push((state = rollout.step(state, by())).percent);
    assert.deepEqual(seen, [10, 25, 50, 75, 100]);
    assert.throws(() => rollout.step(state, by()), /promote/);
    const promoted = rollout.promote(state, by());
    assert.equal(promoted.stable, '1.1.0');
    assert.equal(promoted.candidate, null);
    assert.equal(promoted.revision, state.revision + 1);
  });

  test('bad input is refused with a reason and changes nothing', () => {
    const state = rollout.initial('1.0.0', by());
    assert.throws(() => rollout.step(state, by()), /no candidate/);
    assert.throws(() => rollout.stage(state, '../etc', by()), /version name/);
    assert.throws(() => rollout.stage(state, '1.0.0', by()), /already the stable/);
    const staged = rollout.stage(state, '1.1.0', by());
    assert.throws(() => rollout.setPercent(staged, 101, by()), /0 to 100/);
    assert.throws(() => rollout.setPercent(staged, 2.5, by()), /whole number/);
    assert.throws(() => rollout.setLists(staged, { allow: ['x@example.com'] }, by()), /location id/);
    assert.equal(staged.percent, 0);
  });

  test('the schedule says a step is due once its period has passed since the last step', () => {
    let state = rollout.schedule(rollout.step(rollout.stage(rollout.initial('1', by(0)), '2', by(0)), by(100)), 1_000, by(100));
    assert.equal(rollout.stepDue(state, 1_099), false);
    assert.equal(rollout.stepDue(state, 1_100), true);
    state = rollout.rollback(state, by(1_200));
    assert.equal(rollout.stepDue(state, 10_000), false);
  });
});

describe('stores', () => {
  let redis: RedisServer;
  let dir: string;
  before(async () => {
    redis = await startRedis();
    dir = mkdtempSync(join(tmpdir(), 'leadwire-rollout-'));
  });
  after(async () => {
    await redis.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  const kinds: Array<[string, () => RolloutStore]> = [
    ['memory', () => new MemoryRolloutStore()],
    ['file', () => new FileRolloutStore(join(dir, 'nested', 'rollout.json'))],
    ['redis', () => new RedisRolloutStore(redis.url, 'leadwire:rollout:test')],
  ];
  for (const [kind, open] of kinds) {
    test(`${kind}: writes from a stale revision are refused; updateRollout reads again and retries`, async () => {
      const store = open();
      const other = kind === 'memory' ? store : open();
      try {
        assert.equal(await store.load(), null);
        const first = await updateRollout(store, (s) => s ?? rollout.initial('1.0.0', by()));
        assert.deepEqual(await other.load(), first);
        const staged = rollout.stage(first, '1.1.0', by());
        assert.equal(await store.save(staged, first.revision), true);
        // A writer still holding `first` loses: its change would undo the stage.
        assert.equal(await other.save(rollout.stage(first, '1.2.0', by()), first.revision), false);
        const stepped = await updateRollout(other, (s) => rollout.step(s!, by()));
        assert.equal(stepped.candidate, '1.1.0');
        assert.equal((await store.load())!.percent, 10);
      } finally {
        await store.close();
        if (other !== store) await other.close();
      }
    });
  }

  test('a file that is not a rollout state is refused with its path named', async () => {
    const path = join(dir, 'broken.json');
    writeFileSync(path, '{"stable": "../x"}');
    await assert.rejects(new FileRolloutStore(path).load(), (error: Error) => error.message.includes(path));
    writeFileSync(path, 'not json');
    await assert.rejects(new FileRolloutStore(path).load(), /does not hold JSON/);
  });
});
