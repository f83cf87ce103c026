/**
 * The builds of the two packages, each run only when one of its inputs changed since its last
 * successful run (or an output is missing); `--force` runs them anyway.
 *
 *   embed    components/dist/leadwire.js, leadwire-rollout.js and leadwire/ — the script-tag build
 *            (rollup; LEADWIRE_VERSION=<name> names the build for a rollout, docs/rollout.md)
 *   esm      components/dist/esm — the ES module package and its self-contained workers (rollup)
 *   types    components/dist/types — the package's declarations (tsc)
 *   editor   custom-elements.json (committed), and in components/dist the shipped manifest,
 *            VS Code custom data and JetBrains web-types made from it
 *   gateway  gateway/dist — the gateway's JavaScript and declarations (tsc)
 *   widgets  = embed, esm, types, editor;  all (the default) = widgets, gateway
 *
 * `node scripts/build.mjs [target …] [--force]`. Changed means an input file newer than the time
 * the target's last successful build started (node_modules/.cache/leadwire-build/<target>), so a
 * second `npm start` serves at once. Tests and benches call ensureBuild() to the same end.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

export const ROOT = resolve(import.meta.dirname, '..');
const STAMPS = join(ROOT, 'node_modules/.cache/leadwire-build');

const WIDGET_SOURCES = ['components', 'protocol', 'tsconfig.json', 'package-lock.json'];
const ROLLUP = ['rollup.config.js', 'scripts/rollup-worker-plugin.mjs', 'scripts/rollup-minify-css.mjs', 'scripts/bundle-report.mjs'];
const rollup = (build) => ['npx', 'rollup', '-c', '--silent', '--environment', `BUILD:${build}`];

/** Each target: what it reads, what it must leave behind, and the commands that make it. */
export const TARGETS = {
  embed: {
    inputs: [...WIDGET_SOURCES, ...ROLLUP],
    outputs: ['components/dist/leadwire.js', 'components/dist/leadwire-rollout.js', 'components/dist/leadwire/embed.js', 'components/dist/leadwire/telemetry.js'],
    commands: [rollup('embed')],
  },
  esm: {
    inputs: [...WIDGET_SOURCES, ...ROLLUP],
    outputs: ['components/dist/esm/components/index.js', 'components/dist/esm/components/export-button/xlsx.worker.js', 'components/dist/vendor/jspdf.js'],
    commands: [rollup('esm')],
  },
  types: {
    inputs: [...WIDGET_SOURCES, 'tsconfig.build.json', 'scripts/build-types.mjs'],
    outputs: ['components/dist/types/components/index.d.ts'],
    commands: [['node', 'scripts/build-types.mjs', 'widgets']],
  },
  editor: {
    inputs: [...WIDGET_SOURCES, 'custom-elements-manifest.config.mjs', 'scripts/editor-data.ts'],
    outputs: ['custom-elements.json', 'components/dist/custom-elements.json', 'components/dist/web-types.json'],
    commands: [['npx', 'cem', 'analyze', '--config', 'custom-elements-manifest.config.mjs', '--quiet'], ['node', '--import', 'tsx', 'scripts/editor-data.ts']],
  },
  gateway: {
    inputs: ['gateway/src', 'gateway/package.json', 'gateway/tsconfig.build.json', 'protocol', 'scripts/token.ts', 'scripts/rollout.ts', 'tsconfig.json', 'scripts/build-types.mjs'],
    outputs: ['gateway/dist/gateway/src/main.js', 'gateway/dist/scripts/token.js', 'gateway/dist/scripts/rollout.js'],
    commands: [['node', 'scripts/build-types.mjs', 'gateway']],
  },
};
const GROUPS = { widgets: ['embed', 'esm', 'types', 'editor'], all: ['embed', 'esm', 'types', 'editor', 'gateway'] };

/** Newest modification time under `path`, leaving out build output, dependencies, tests and prose. */
function newest(path) {
  if (!existsSync(path)) return 0;
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.mtimeMs;
  let latest = stat.mtimeMs; // a deleted file shows only as its directory's change
  for (const name of readdirSync(path)) {
    if (name === 'dist' || name === 'node_modules' || /\.(test|stories)\.ts$|\.md$/.test(name)) continue;
    latest = Math.max(latest, newest(join(path, name)));
  }
  return latest;
}

const stampOf = (name, root) => join(root === ROOT ? STAMPS : join(root, 'node_modules/.cache/leadwire-build'), name);

/** Whether `name`'s outputs exist and no input changed since its last build started. */
export function isFresh(name, root = ROOT) {
  const target = TARGETS[name];
  const stamp = stampOf(name, root);
  if (!existsSync(stamp) || !target.outputs.every((o) => existsSync(join(root, o)))) return false;
  const started = Number(readFileSync(stamp, 'utf8'));
  return target.inputs.every((input) => newest(join(root, input)) < started);
}

const expand = (names) => [...new Set(names.flatMap((n) => GROUPS[n] ?? [n]))];

/**
 * Builds each named target (or group) that is stale, or all of them with `force`; returns the
 * names built. Throws with the command's output when one fails.
 */
export function ensureBuild(names = ['embed', 'esm'], { force = false, root = ROOT, quiet = true } = {}) {
  const built = [];
  for (const name of expand(names)) {
    const target = TARGETS[name];
    if (!target) throw new Error(`build: unknown target ${name} (one of ${[...Object.keys(TARGETS), ...Object.keys(GROUPS)].join(', ')})`);
    if (!force && isFresh(name, root)) continue;
    const started = Date.now();
    for (const [command, ...args] of target.commands) {
      // Progress goes to stderr: stdout stays for the caller's own output (npm pack --json).
      const result = spawnSync(command, args, { cwd: root, encoding: 'utf8', stdio: quiet ? 'pipe' : ['ignore', 2, 2] });
      if (result.status !== 0) throw new Error(`build ${name}: ${command} ${args.join(' ')} failed:\n${result.stdout ?? ''}\n${result.stderr ?? ''}`);
    }
    mkdirSync(stampOf('', root), { recursive: true });
    writeFileSync(stampOf(name, root), String(started));
    built.push(name);
  }
  return built;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const args = process.argv.slice(2);
  const names = args.filter((a) => !a.startsWith('--'));
  const force = args.includes('--force');
  try {
    const started = Date.now();
    const built = ensureBuild(names.length ? names : ['all'], { force, quiet: false });
    const seconds = ((Date.now() - started) / 1000).toFixed(1);
    console.error(built.length ? `build: ${built.join(', ')} (${seconds} s)` : `build: ${expand(names.length ? names : ['all']).join(', ')} up to date`);
  } catch (error) {
    console.error(error.message);
    process.exit(1);
  }
}
