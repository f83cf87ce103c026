// Runs the node:test suites by explicit file list (a quoted glob finds nothing on Node 20 and
// still exits 0), streams their output as it comes, and fails when zero tests ran.
import { spawn } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

const ROOTS = ['protocol', 'gateway', 'fixtures', 'demo', 'bench', 'scripts'];
/**
 * Run only when named: the packages' end-to-end test packs, installs from the registry and drives
 * Chromium, for minutes; the rollout's builds a second version and drives Chromium through 120
 * page loads. `npm test` runs each as a part of its own (scripts/test-all.mjs).
 */
const NAMED_ONLY = new Set([join('scripts', 'packages.test.ts'), join('scripts', 'rollout-proof.test.ts')]);

function findTests(dir) {
  if (!existsSync(dir)) return [];
  const out = [];
  for (const name of readdirSync(dir)) {
    if (name === 'node_modules' || name === 'dist') continue;
    const path = join(dir, name);
    if (statSync(path).isDirectory()) out.push(...findTests(path));
    else if (/\.test\.ts$/.test(name) && !NAMED_ONLY.has(path)) out.push(path);
  }
  return out;
}

// `--timeout=<ms>`: how long one test file may take (default 180 s).
const timeout = process.argv.find((a) => a.startsWith('--timeout='))?.slice('--timeout='.length) ?? '180000';
const named = process.argv.slice(2).filter((a) => !a.startsWith('--'));
const files = named.length > 0 ? named : ROOTS.flatMap(findTests);
if (files.length === 0) {
  console.error('node tests: no test files found');
  process.exit(1);
}
const child = spawn(
  process.execPath,
  ['--import', 'tsx', '--test', '--test-reporter=spec', '--test-concurrency=1', `--test-timeout=${timeout}`, ...files],
  { stdio: ['ignore', 'pipe', 'inherit'] },
);
let output = '';
child.stdout.on('data', (chunk) => {
  output += chunk;
  process.stdout.write(chunk);
});
child.on('exit', (code) => {
  const passed = Number(/^ℹ pass (\d+)/m.exec(output)?.[1] ?? 0);
  const failed = Number(/^ℹ fail (\d+)/m.exec(output)?.[1] ?? 0);
  console.log(`node tests: ${passed} passed, ${failed} failed`);
  if (code === 0 && passed === 0) {
    console.error('node tests: zero tests ran');
    process.exit(1);
  }
  process.exit(code ?? 1);
});
