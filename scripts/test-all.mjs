// `npm test`: every part of the suite in order; stops at the first red part.
import { spawnSync } from 'node:child_process';

const parts = [
  ['type check', 'npm', ['run', '-s', 'typecheck']],
  // Built once, first: the node tests (the packages' included) and the browser tests use it.
  ['build (the widgets package: script-tag embed, ESM, types, editor data; the gateway package)', 'npm', ['run', '-s', 'build']],
  ['node tests (protocol, gateway, build and package layout)', 'npm', ['run', '-s', 'test:node']],
  ['browser tests (Chromium)', 'npm', ['run', '-s', 'test:browser']],
  ['packages (packed, installed with --omit=dev, the gateway from its bin, the widgets in Chromium)', 'node', ['scripts/run-node-tests.mjs', '--timeout=600000', 'scripts/packages.test.ts']],
  ['rollout (two built versions behind one loader URL, 40 locations in Chromium, automatic rollback)', 'node', ['scripts/run-node-tests.mjs', '--timeout=600000', 'scripts/rollout-proof.test.ts']],
  ['storybook (build, every story in Chromium: console + axe)', 'npm', ['run', '-s', 'test:storybook']],
];

for (const [name, cmd, args] of parts) {
  console.log(`\n━━ ${name}`);
  const { status } = spawnSync(cmd, args, { stdio: 'inherit' });
  if (status !== 0) {
    console.error(`\n✗ ${name} failed`);
    process.exit(status ?? 1);
  }
}
console.log('\n✓ all parts green');
