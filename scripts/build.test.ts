// scripts/build.mjs decides what `npm start`, the tests and `npm run pack` rebuild: a target is
// fresh only while its outputs exist and no input changed since its last build started.
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { after, test } from 'node:test';
// @ts-expect-error — plain .mjs build helper, no declarations
import { TARGETS, isFresh } from './build.mjs';

const root = mkdtempSync(join(tmpdir(), 'leadwire-build-'));
after(() => rmSync(root, { recursive: true, force: true }));

const write = (path: string, at: number) => {
  const file = join(root, path);
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, path);
  utimesSync(file, at / 1000, at / 1000);
};
/** What a successful build of `name` leaves: the time it started. */
const stamp = (name: string, startedAt: number) => {
  mkdirSync(join(root, 'node_modules/.cache/leadwire-build'), { recursive: true });
  writeFileSync(join(root, 'node_modules/.cache/leadwire-build', name), String(startedAt));
};

test('a target is fresh after its build, and stale when an input changes, an output goes or it never ran', () => {
  const { inputs, outputs } = TARGETS.embed as { inputs: string[]; outputs: string[] };
  // Times ahead of the clock, so the folders' own times (now) never decide.
  const base = Date.now();
  for (const input of inputs) write(input.includes('.') ? input : `${input}/source.ts`, base - 60_000);
  for (const output of outputs) write(output, base);
  assert.equal(isFresh('embed', root), false, 'never built');

  stamp('embed', base + 1_000);
  assert.equal(isFresh('embed', root), true, 'built after its inputs last changed');

  write('components/activity-feed/activity-feed.ts', base + 2_000);
  assert.equal(isFresh('embed', root), false, 'a source changed after the build started');
  stamp('embed', base + 3_000);
  assert.equal(isFresh('embed', root), true);

  // Tests, stories, prose and the build's own output are not inputs.
  for (const path of ['components/activity-feed/activity-feed.test.ts', 'components/README.md', 'components/dist/leadwire.js']) {
    write(path, base + 5_000);
    assert.equal(isFresh('embed', root), true, `${path} made the build stale`);
  }

  rmSync(join(root, outputs[0]));
  assert.equal(isFresh('embed', root), false, 'an output is missing');
});
