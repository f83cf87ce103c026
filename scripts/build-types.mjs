// `node scripts/build-types.mjs [widgets|gateway]`: tsc's output for a package.
//  - widgets: the declarations in components/dist/types (tsconfig.build.json);
//  - gateway: JavaScript and declarations in gateway/dist (gateway/tsconfig.build.json).
// The source's relative imports name `.ts` files (allowImportingTsExtensions);
// rewriteRelativeImportExtensions fixes the emitted JavaScript but not declarations, so their
// specifiers are rewritten here to the `.js` modules they sit beside — what every resolution mode
// (bundler, node16) expects.
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const PACKAGES = {
  widgets: { project: 'tsconfig.build.json', out: 'components/dist/types' },
  gateway: { project: 'gateway/tsconfig.build.json', out: 'gateway/dist' },
};
const which = process.argv[2] ?? 'widgets';
const target = PACKAGES[which];
if (!target) {
  console.error(`build-types: unknown package ${which} (one of ${Object.keys(PACKAGES).join(', ')})`);
  process.exit(2);
}

rmSync(target.out, { recursive: true, force: true });
const tsc = spawnSync('npx', ['tsc', '-p', target.project], { stdio: 'inherit' });
if (tsc.status !== 0) process.exit(tsc.status ?? 1);

const RELATIVE_TS = /((?:from|import)\s*\(?\s*['"])(\.{1,2}\/[^'"]+?)\.ts(['"])/g;
let files = 0;
for (const entry of readdirSync(target.out, { recursive: true, withFileTypes: true })) {
  if (!entry.isFile() || !entry.name.endsWith('.d.ts')) continue;
  const path = join(entry.parentPath, entry.name);
  const text = readFileSync(path, 'utf8');
  const fixed = text.replace(RELATIVE_TS, '$1$2.js$3');
  if (fixed !== text) writeFileSync(path, fixed);
  files++;
}
console.log(`${which}: ${files} declaration files in ${target.out}`);
