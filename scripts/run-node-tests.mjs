// Runs the node:test suites by explicit file list (a quoted glob finds nothing on Node 20 and
// still exits 0), streams their output as it comes, and fails when zero tests ran.
import { spawn } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

const ROOTS = ['protocol', 'gateway', 'fixtures', 'demo', 'bench', 'scripts'];

function findTests(dir) {
  if (!existsSync(dir)) return [];
  const out = [];
  for (const name of readdirSync(dir)) {
    if (name === 'node_modules') continue;
    const path = join(dir, name);
    if (statSync(path).isDirectory()) out.push(...findTests(path));
    else if (/\.test\.ts$/.test(name)) out.push(path);
  }
  return out;
}

const files = process.argv.length > 2 ? process.argv.slice(2) : ROOTS.flatMap(findTests);
if (files.length === 0) {
  console.error('node tests: no test files found');
  process.exit(1);
}
const child = spawn(
  process.execPath,
  ['--import', 'tsx', '--test', '--test-reporter=spec', '--test-concurrency=1', '--test-timeout=180000', ...files],
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
