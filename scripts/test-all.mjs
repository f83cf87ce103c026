// `npm test`: every part of the suite in order; stops at the first red part.
import { spawnSync } from 'node:child_process';

const parts = [
  ['type check', 'npm', ['run', '-s', 'typecheck']],
  ['node tests (protocol + gateway)', 'npm', ['run', '-s', 'test:node']],
  ['build (script-tag embed and ESM package)', 'npm', ['run', '-s', 'build']],
  ['browser tests (Chromium)', 'npm', ['run', '-s', 'test:browser']],
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
