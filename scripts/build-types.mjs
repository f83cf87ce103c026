// `npm run build:types`: the package's declarations in dist/types. tsc emits them from the source,
// whose relative imports name `.ts` files (allowImportingTsExtensions); rewriteRelativeImportExtensions
// fixes the emitted JavaScript but not declarations, so the specifiers are rewritten here to the
// `.js` modules the declarations sit beside — what every resolution mode (bundler, node16) expects.
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const OUT = 'dist/types';
rmSync(OUT, { recursive: true, force: true });
const tsc = spawnSync('npx', ['tsc', '-p', 'tsconfig.build.json'], { stdio: 'inherit' });
if (tsc.status !== 0) process.exit(tsc.status ?? 1);

const RELATIVE_TS = /((?:from|import)\s*\(?\s*['"])(\.{1,2}\/[^'"]+?)\.ts(['"])/g;
let files = 0;
for (const entry of readdirSync(OUT, { recursive: true, withFileTypes: true })) {
  if (!entry.isFile() || !entry.name.endsWith('.d.ts')) continue;
  const path = join(entry.parentPath, entry.name);
  const text = readFileSync(path, 'utf8');
  const fixed = text.replace(RELATIVE_TS, '$1$2.js$3');
  if (fixed !== text) writeFileSync(path, fixed);
  files++;
}
console.log(`types: ${files} declaration files in ${OUT}`);
