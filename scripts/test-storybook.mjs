// Storybook: build the static Storybook (fails when the build fails or indexed no stories), then
// open every story and docs page in headless Chromium (scripts/story-test.mjs).
import { spawnSync } from 'node:child_process';
import { readFileSync, rmSync } from 'node:fs';

const out = 'storybook-static';
rmSync(out, { recursive: true, force: true });
const build = spawnSync('npx', ['storybook', 'build', '--quiet', '--output-dir', out], {
  stdio: 'inherit',
  env: { ...process.env, STORYBOOK_DISABLE_TELEMETRY: '1' },
});
if (build.status !== 0) {
  console.error('storybook: build failed');
  process.exit(build.status ?? 1);
}
let entries;
try {
  entries = Object.values(JSON.parse(readFileSync(`${out}/index.json`, 'utf8')).entries ?? {});
} catch (error) {
  console.error(`storybook: no readable ${out}/index.json (${error.message})`);
  process.exit(1);
}
const stories = entries.filter((entry) => entry.type === 'story');
if (stories.length === 0) {
  console.error('storybook: the build indexed no stories');
  process.exit(1);
}
console.log(`storybook: built ${stories.length} stories (${entries.length - stories.length} docs pages)`);
const test = spawnSync(process.execPath, ['scripts/story-test.mjs', '--dir', out], { stdio: 'inherit' });
process.exit(test.status ?? 1);
