// Browser tests in headless Chromium via web-test-runner; fails when zero tests ran.
import { spawnSync } from 'node:child_process';

const result = spawnSync('npx', ['web-test-runner', '--config', 'web-test-runner.config.mjs', ...process.argv.slice(2)], {
  stdio: ['ignore', 'pipe', 'inherit'],
  encoding: 'utf8',
  maxBuffer: 64 * 1024 * 1024,
});
process.stdout.write(result.stdout);
// web-test-runner's summary: "Chromium: |████| 3/3 test files | 12 passed, 0 failed"
const summary = [...result.stdout.matchAll(/(\d+) passed, (\d+) failed/g)].pop();
const passed = Number(summary?.[1] ?? 0);
const failed = Number(summary?.[2] ?? 0);
if (result.status === 0 && passed === 0) {
  console.error('browser tests: zero tests ran');
  process.exit(1);
}
console.log(`browser tests: ${passed} passed, ${failed} failed${result.status ? ` (runner exit code ${result.status}: a file may have failed to load)` : ""}`);
process.exit(result.status ?? 1);
