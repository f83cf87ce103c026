/**
 * `npm run pack`: the two installable tarballs, leadwire-<version>.tgz (the widgets) and
 * leadwire-gateway-<version>.tgz, in packs/ (or the folder given), after building what is stale.
 * Install them with `npm install --omit=dev <tarball>`; publishing is `npm publish <tarball>`.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { ROOT, ensureBuild } from './build.mjs';

/** Packs both workspaces into `dir` (emptied first); returns the tarballs' paths. */
export function pack(dir = join(ROOT, 'packs')) {
  ensureBuild(['all']);
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const result = spawnSync('npm', ['pack', '--workspaces', '--json', '--pack-destination', dir], { cwd: ROOT, encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`npm pack failed:\n${result.stdout}\n${result.stderr}`);
  return JSON.parse(result.stdout).map((entry) => join(dir, entry.filename));
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  try {
    for (const tarball of pack(process.argv[2] ? resolve(process.argv[2]) : undefined)) console.log(tarball);
  } catch (error) {
    console.error(error.message);
    process.exit(1);
  }
}
