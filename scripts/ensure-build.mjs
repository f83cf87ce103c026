/**
 * Builds dist/ with `rollup -c` unless it is already fresh: every output the embed tests read
 * exists and is newer than every input (components/, protocol/, the rollup config and its
 * plugins, package.json). Deterministic either way: a stale or missing dist is rebuilt, never
 * used. Shared by the bundle-size test and the browser-test gateway plugin.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

const INPUTS = ['components', 'protocol', 'rollup.config.js', 'package.json', 'scripts/rollup-worker-plugin.mjs', 'scripts/rollup-minify-css.mjs', 'scripts/bundle-report.mjs'];
export const OUTPUTS = ['dist/leadwire.js', 'dist/leadwire/embed.js', 'dist/esm/components/index.js'];

function newestInput(path) {
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.mtimeMs;
  return Math.max(0, ...readdirSync(path).filter((n) => !/\.(test|stories)\.ts$/.test(n)).map((n) => newestInput(join(path, n))));
}

export function buildIsFresh(root = '.') {
  if (!OUTPUTS.every((o) => existsSync(join(root, o)))) return false;
  const built = Math.min(...OUTPUTS.map((o) => statSync(join(root, o)).mtimeMs));
  return INPUTS.every((i) => !existsSync(join(root, i)) || newestInput(join(root, i)) < built);
}

/** Builds when stale; returns whether it built. Throws with rollup's output when the build fails. */
export function ensureBuild(root = '.') {
  if (buildIsFresh(root)) return false;
  const result = spawnSync('npx', ['rollup', '-c', '--silent'], { cwd: root, encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`rollup -c failed:\n${result.stdout}\n${result.stderr}`);
  return true;
}
