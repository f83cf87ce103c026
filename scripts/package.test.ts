// The ESM package as a consumer sees it: package.json `exports` against dist/esm and dist/types.
// Builds the package first unless dist is newer than every input.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { before, test } from 'node:test';
import ts from 'typescript';
// @ts-expect-error — plain .mjs build helper, no declarations
import { ensureBuild } from './ensure-build.mjs';

const ROOT = resolve(import.meta.dirname, '..');
const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'));
const widgets = readdirSync(join(ROOT, 'components'), { withFileTypes: true })
  .filter((d) => d.isDirectory() && existsSync(join(ROOT, 'components', d.name, 'define.ts')) && existsSync(join(ROOT, 'components', d.name, `${d.name}.ts`)))
  .map((d) => d.name);
const reactModules = readdirSync(join(ROOT, 'components/react')).filter((f) => /^[\w-]+\.ts$/.test(f) && f !== 'index.ts').map((f) => f.slice(0, -3));

const files = (dir: string): string[] =>
  existsSync(join(ROOT, dir))
    ? readdirSync(join(ROOT, dir), { recursive: true, withFileTypes: true })
        .filter((e) => e.isFile())
        .map((e) => join(e.parentPath, e.name))
    : [];
const newest = (paths: string[]) => Math.max(0, ...paths.map((p) => statSync(p).mtimeMs));
const oldest = (paths: string[]) => Math.min(...paths.map((p) => statSync(p).mtimeMs));

/** Every subpath a consumer may import, with the file it should reach (patterns expanded). */
function subpaths(): Array<{ spec: string; target: string | { types: string; default: string } }> {
  const out: Array<{ spec: string; target: string | { types: string; default: string } }> = [];
  for (const [key, target] of Object.entries(pkg.exports as Record<string, string | { types: string; default: string }>)) {
    const names = !key.includes('*') ? [''] : key.startsWith('./react/') ? reactModules : widgets;
    for (const name of names) {
      const sub = (s: string) => s.replaceAll('*', name);
      out.push({ spec: sub(key), target: typeof target === 'string' ? sub(target) : { types: sub(target.types), default: sub(target.default) } });
    }
  }
  return out;
}

before(() => {
  const inputs = [
    ...files('components').filter((f) => f.endsWith('.ts') && !f.endsWith('.test.ts')),
    ...files('protocol'),
    ...['package.json', 'rollup.config.js', 'tsconfig.build.json', 'scripts/build-types.mjs'].map((f) => join(ROOT, f)),
  ];
  // Each tree on its own: the bundle-size test's `rollup -c` may have just made dist/esm while
  // dist/types does not exist yet (a clean checkout).
  const fresh = (dir: string) => {
    const built = files(dir);
    return built.length > 0 && oldest(built) > newest(inputs);
  };
  if (!fresh('dist/esm')) execFileSync('npm', ['run', '-s', 'build:esm'], { cwd: ROOT, stdio: 'inherit' });
  if (!fresh('dist/types')) execFileSync('npm', ['run', '-s', 'build:types'], { cwd: ROOT, stdio: 'inherit' });
});

test('widgets are discovered and each has registering, class and React entries', () => {
  assert.ok(widgets.length >= 4, `widgets: ${widgets}`);
  const specs = subpaths().map((s) => s.spec);
  for (const w of widgets) {
    for (const spec of [`./${w}`, `./${w}/class`, `./react/${w}`]) assert.ok(specs.includes(spec), spec);
  }
  for (const spec of ['.', './core', './themes', './custom-elements.json', './react']) assert.ok(specs.includes(spec), spec);
});

test('every exports target exists, with a .d.ts for each module', () => {
  for (const { spec, target } of subpaths()) {
    const paths = typeof target === 'string' ? [target] : [target.default, target.types];
    for (const path of paths) assert.ok(existsSync(join(ROOT, path)), `${spec} → ${path} missing`);
    if (typeof target !== 'string') {
      assert.match(target.types, /\.d\.ts$/, spec);
      assert.equal(target.types.replace('dist/types/', 'dist/esm/').replace(/\.d\.ts$/, '.js'), target.default, `${spec}: types beside its module`);
    }
  }
});

test('TypeScript resolves each export to its declarations (bundler and node16 resolution)', () => {
  const modes = [
    { module: ts.ModuleKind.ESNext, moduleResolution: ts.ModuleResolutionKind.Bundler },
    { module: ts.ModuleKind.Node16, moduleResolution: ts.ModuleResolutionKind.Node16 },
  ];
  // A file inside the package resolves `leadwire/…` through its own exports, as a dependent would.
  const from = join(ROOT, 'scripts/consumer.mts');
  for (const options of modes) {
    for (const { spec, target } of subpaths()) {
      if (typeof target === 'string') continue;
      const name = spec === '.' ? pkg.name : `${pkg.name}/${spec.slice(2)}`;
      const { resolvedModule } = ts.resolveModuleName(name, from, options, ts.sys);
      assert.equal(resolvedModule?.resolvedFileName, join(ROOT, target.types), `${name} (${ts.ModuleResolutionKind[options.moduleResolution]})`);
    }
  }
});

test('every relative import in the declarations names a .js module whose .d.ts exists', () => {
  const declarations = files('dist/types').filter((f) => f.endsWith('.d.ts'));
  assert.ok(declarations.length > widgets.length * 2);
  for (const file of declarations) {
    const text = readFileSync(file, 'utf8');
    for (const [, spec] of text.matchAll(/(?:from|import)\s*\(?\s*['"](\.{1,2}\/[^'"]+)['"]/g)) {
      assert.match(spec, /\.js$/, `${file}: ${spec}`);
      const target = resolve(dirname(file), spec.replace(/\.js$/, '.d.ts'));
      assert.ok(existsSync(target), `${file}: ${spec} → ${target} missing`);
    }
  }
});

/** Static imports, re-exports, bare imports and dynamic import() of a string. */
const IMPORTS = /^\s*(?:import|export)\s[^'";]*?from\s*['"]([^'"]+)['"]|^\s*import\s*['"]([^'"]+)['"]|\bimport\(\s*['"]([^'"]+)['"]\s*\)/gm;

test('dist/esm bundles no dependency: Lit, zod and the heavy libraries stay imports', () => {
  const modules = files('dist/esm').filter((f) => f.endsWith('.js'));
  const allowed = new Set([...Object.keys(pkg.dependencies), ...Object.keys(pkg.devDependencies).filter((d) => d.startsWith('react'))]);
  allowed.delete('zod');
  const imported = new Set<string>();
  for (const file of modules) {
    const text = readFileSync(file, 'utf8');
    assert.doesNotMatch(text, /class (LitElement|ReactiveElement)\b|customElement\(|\bZodError\b|\bz\.object\(/, `${file} holds library source`);
    for (const match of text.matchAll(IMPORTS)) {
      const spec = match[1] ?? match[2] ?? match[3];
      if (spec.startsWith('.')) continue;
      const name = spec.startsWith('@') ? spec.split('/').slice(0, 2).join('/') : spec.split('/')[0];
      imported.add(name);
      assert.ok(allowed.has(name), `${file} imports ${spec}, not a dependency of the package`);
    }
  }
  // Every package the widgets' source imports (Lit, SheetJS, jsPDF, chart.js…) is still an import.
  const sources = files('components').filter((f) => f.endsWith('.ts') && !/\.(test|d)\.ts$/.test(f));
  const used = new Set(sources.flatMap((f) => [...readFileSync(f, 'utf8').matchAll(IMPORTS)].map((m) => m[1] ?? m[2] ?? m[3])).filter((s) => !s.startsWith('.')).map((s) => (s.startsWith('@') ? s.split('/').slice(0, 2).join('/') : s.split('/')[0])));
  for (const name of ['lit', 'xlsx', 'jspdf']) assert.ok(used.has(name), `the source imports ${name}`);
  for (const name of used) assert.ok(imported.has(name), `${name} is imported by dist/esm, not bundled or lost`);
});

test('sideEffects names the modules that register elements, and the suite entry', () => {
  const patterns = (pkg.sideEffects as string[]).map((p) => new RegExp(`^${p.replace(/^\.\//, '').replaceAll('.', '\\.').replaceAll('*', '[^/]+')}$`));
  const suite = pkg.exports['.'].default.replace(/^\.\//, '');
  const modules = files('dist/esm').filter((f) => f.endsWith('.js')).map((f) => f.slice(ROOT.length + 1));
  for (const module of modules) {
    // Registering = a top-level define('tag', …) call. The suite entry only imports those, but a
    // bundler would drop a bare `import 'leadwire'` unless the entry is listed too.
    const registers = /^define\(/m.test(readFileSync(join(ROOT, module), 'utf8')) || module === suite;
    const listed = patterns.some((p) => p.test(module));
    if (registers) assert.ok(listed, `${module} registers elements but is not in sideEffects`);
    // The define.js glob also covers core/define.js (the helper): harmless, as it runs nothing.
    else assert.ok(!listed || module.endsWith('/define.js'), `${module} is in sideEffects but registers nothing`);
  }
  assert.equal(modules.filter((m) => /^define\(/m.test(readFileSync(join(ROOT, m), 'utf8'))).length, widgets.length);
});

test('React is an optional peer dependency of the package (the React wrappers), not a dependency', () => {
  assert.equal(pkg.dependencies.react, undefined);
  assert.match(pkg.peerDependencies?.react ?? '', /\^19\./, 'peerDependencies.react admits React 19');
  assert.deepEqual(pkg.peerDependenciesMeta?.react, { optional: true });
});

test('the React index re-exports every wrapper', () => {
  const index = readFileSync(join(ROOT, 'components/react/index.ts'), 'utf8');
  for (const w of widgets) assert.match(index, new RegExp(`from '\\./${w}\\.ts'`), `components/react/index.ts misses ${w}`);
});

test('a class module does not register its tag; the widget entry does (Lit SSR shim in Node)', async () => {
  for (const w of widgets) {
    const classModule = await import(`${pkg.name}/${w}/class`);
    const ctor = Object.values(classModule).find((v) => typeof v === 'function' && 'styles' in v);
    assert.ok(ctor, `${w}/class exports the element class`);
    assert.equal(customElements.get(w), undefined, `${w} registered by its class module`);
  }
  for (const w of widgets) {
    const defined = await import(`${pkg.name}/${w}`);
    assert.equal(customElements.get(w), Object.values(defined)[0], `${w} registered by ${pkg.name}/${w}`);
  }
});

// ---- the script-tag build's source maps ----------------------------------------------------

const VLQ = Object.fromEntries([...'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/'].map((c, i) => [c, i]));

/** Decoded mappings of a v3 source map: per generated line, [column, source, line, column] segments. */
function decodeMappings(mappings: string): number[][][] {
  const state = [0, 0, 0, 0];
  return mappings.split(';').map((line) => {
    state[0] = 0;
    return line
      .split(',')
      .filter(Boolean)
      .map((segment) => {
        const values: number[] = [];
        let value = 0;
        let shift = 0;
        for (const char of segment) {
          const digit = VLQ[char];
          value += (digit & 31) << shift;
          if (digit & 32) shift += 5;
          else {
            values.push(value & 1 ? -(value >>> 1) : value >>> 1);
            value = shift = 0;
          }
        }
        return values.map((v, i) => (state[i] += v));
      });
  });
}

/** Where `needle` in the generated `file` comes from: the source and its line's text. */
function originOf(file: string, needle: string): { source: string; line: string } {
  const code = readFileSync(file, 'utf8');
  const map = JSON.parse(readFileSync(`${file}.map`, 'utf8')) as { sources: string[]; sourcesContent: string[]; mappings: string };
  const at = code.indexOf(needle);
  assert.ok(at >= 0, `${needle} not in ${file}`);
  const before = code.slice(0, at).split('\n');
  const [line, column] = [before.length - 1, before.at(-1)!.length];
  const segment = decodeMappings(map.mappings)[line].filter((s) => s.length >= 4 && s[0] <= column).at(-1);
  assert.ok(segment, `${file}:${line + 1}:${column}: no mapping`);
  return {
    source: resolve(dirname(file), map.sources[segment[1]]).slice(ROOT.length + 1),
    line: map.sourcesContent[segment[1]].split('\n')[segment[2]],
  };
}

test('the script-tag build has source maps leading back to the components/*.ts sources', () => {
  ensureBuild(ROOT);
  const built = ['dist/leadwire.js', ...files('dist/leadwire').filter((f) => f.endsWith('.js')).map((f) => f.slice(ROOT.length + 1))];
  const chunk = (prefix: string) => built.find((f) => f.startsWith(`dist/leadwire/chunks/${prefix}-`))!;
  for (const file of built) {
    const code = readFileSync(join(ROOT, file), 'utf8');
    const name = file.split('/').at(-1)!;
    assert.ok(code.trimEnd().endsWith(`//# sourceMappingURL=${name}.map`), `${file} names its map`);
    const map = JSON.parse(readFileSync(join(ROOT, `${file}.map`), 'utf8')) as { version: number; sources: string[]; sourcesContent: string[] };
    assert.equal(map.version, 3, file);
    map.sources.forEach((source, i) => {
      if (source.includes('node_modules') || source.startsWith('\0') || source.includes('unused:')) return;
      const path = resolve(ROOT, dirname(file), source);
      assert.ok(existsSync(path), `${file}: source ${source} exists`);
      assert.equal(map.sourcesContent[i], readFileSync(path, 'utf8'), `${file}: ${source} content is the current source`);
    });
  }
  const ours = (file: string) => JSON.parse(readFileSync(join(ROOT, `${file}.map`), 'utf8')).sources.map((s: string) => resolve(ROOT, dirname(file), s).slice(ROOT.length + 1)) as string[];
  for (const source of ['components/embed.ts', 'components/global-filters/global-filters.ts', 'components/export-button/export-button.ts', 'components/activity-feed/activity-feed.ts', 'components/core/client.ts']) {
    assert.ok(ours('dist/leadwire/embed.js').includes(source), `embed.js maps ${source}`);
  }
  // Positions map to the line that wrote them.
  const samples: Array<[string, string, string]> = [
    ['dist/leadwire.js', '[leadwire] could not load the widgets', 'components/loader.ts'],
    ['dist/leadwire/embed.js', 'Checking export permission…', 'components/export-button/export-button.ts'],
    [chunk('presets'), 'a preset without a valid name', 'components/global-filters/presets.ts'],
    ['dist/leadwire/embed.js', 'the browser is offline', 'components/core/client.ts'],
    [chunk('work'), '[leadwire] export worker unavailable', 'components/export-button/export.ts'],
    [chunk('build'), 'Exported at (UTC)', 'components/export-button/build.ts'],
  ];
  for (const [file, needle, source] of samples) {
    const origin = originOf(join(ROOT, file), needle);
    assert.equal(origin.source, source, `${file}: "${needle}"`);
    assert.ok(origin.line.includes(needle), `${file}: "${needle}" maps to the line "${origin.line.trim()}"`);
  }
});
