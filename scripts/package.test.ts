// The widgets package (components/, `leadwire`) as a consumer sees it: package.json `exports`
// against dist/esm and dist/types, and the editor data beside them. Builds what is stale first.
// (scripts/packages.test.ts installs the packed tarballs and uses them for real.)
import assert from 'node:assert/strict';
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { before, test } from 'node:test';
import ts from 'typescript';
// @ts-expect-error — plain .mjs build helper, no declarations
import { ensureBuild } from './build.mjs';

const ROOT = resolve(import.meta.dirname, '..');
/** The package's own folder: every path in its package.json is relative to it. */
const PKG = join(ROOT, 'components');
const pkg = JSON.parse(readFileSync(join(PKG, 'package.json'), 'utf8'));
const widgets = readdirSync(join(ROOT, 'components'), { withFileTypes: true })
  .filter((d) => d.isDirectory() && existsSync(join(ROOT, 'components', d.name, 'define.ts')) && existsSync(join(ROOT, 'components', d.name, `${d.name}.ts`)))
  .map((d) => d.name);
const reactModules = readdirSync(join(ROOT, 'components/react')).filter((f) => /^[\w-]+\.ts$/.test(f) && f !== 'index.ts').map((f) => f.slice(0, -3));

/** Files under `dir` of the package, as absolute paths. */
const files = (dir: string): string[] =>
  existsSync(join(PKG, dir))
    ? readdirSync(join(PKG, dir), { recursive: true, withFileTypes: true })
        .filter((e) => e.isFile())
        .map((e) => join(e.parentPath, e.name))
    : [];
/** The export workers: one self-contained file each (rollup.config.js), not a module per source. */
const isWorker = (file: string) => file.endsWith('.worker.js');

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
  ensureBuild(['esm', 'types', 'editor']);
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
    for (const path of paths) assert.ok(existsSync(join(PKG, path)), `${spec} → ${path} missing`);
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
  // A file of the workspace resolves `leadwire/…` through node_modules and the package's exports, as a dependent would.
  const from = join(ROOT, 'scripts/consumer.mts');
  for (const options of modes) {
    for (const { spec, target } of subpaths()) {
      if (typeof target === 'string') continue;
      const name = spec === '.' ? pkg.name : `${pkg.name}/${spec.slice(2)}`;
      const { resolvedModule } = ts.resolveModuleName(name, from, options, ts.sys);
      assert.equal(resolvedModule?.resolvedFileName, join(PKG, target.types), `${name} (${ts.ModuleResolutionKind[options.moduleResolution]})`);
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

test('dist/esm bundles no dependency: Lit and the heavy libraries stay imports, the workers aside', () => {
  const modules = files('dist/esm').filter((f) => f.endsWith('.js') && !isWorker(f));
  const allowed = new Set([...Object.keys(pkg.dependencies), ...Object.keys(pkg.peerDependencies)]);
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
  const sources = readdirSync(PKG, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile() && e.name.endsWith('.ts') && !/\.(test|d|worker)\.ts$/.test(e.name) && !/\/(dist|node_modules)(\/|$)/.test(e.parentPath))
    .map((e) => join(e.parentPath, e.name));
  const used = new Set(sources.flatMap((f) => [...readFileSync(f, 'utf8').matchAll(IMPORTS)].map((m) => m[1] ?? m[2] ?? m[3])).filter((s) => !s.startsWith('.')).map((s) => (s.startsWith('@') ? s.split('/').slice(0, 2).join('/') : s.split('/')[0])));
  for (const name of ['lit', 'xlsx', 'jspdf']) assert.ok(used.has(name), `the source imports ${name}`);
  for (const name of used) assert.ok(imported.has(name), `${name} is imported by dist/esm, not bundled or lost`);
});

test('sideEffects names the modules that register elements, and the suite entry', () => {
  const patterns = (pkg.sideEffects as string[]).map((p) => new RegExp(`^${p.replace(/^\.\//, '').replaceAll('.', '\\.').replaceAll('*', '[^/]+')}$`));
  const suite = pkg.exports['.'].default.replace(/^\.\//, '');
  const modules = files('dist/esm').filter((f) => f.endsWith('.js')).map((f) => f.slice(PKG.length + 1));
  for (const module of modules) {
    // Registering = a top-level define('tag', …) call. The suite entry only imports those, but a
    // bundler would drop a bare `import 'leadwire'` unless the entry is listed too.
    const registers = /^define\(/m.test(readFileSync(join(PKG, module), 'utf8')) || module === suite;
    const listed = patterns.some((p) => p.test(module));
    if (registers) assert.ok(listed, `${module} registers elements but is not in sideEffects`);
    // The define.js glob also covers core/define.js (the helper): harmless, as it runs nothing.
    else assert.ok(!listed || module.endsWith('/define.js'), `${module} is in sideEffects but registers nothing`);
  }
  assert.equal(modules.filter((m) => /^define\(/m.test(readFileSync(join(PKG, m), 'utf8'))).length, widgets.length);
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
  ensureBuild(['embed']);
  const built = ['dist/leadwire.js', 'dist/leadwire-rollout.js', ...files('dist/leadwire').filter((f) => f.endsWith('.js')).map((f) => f.slice(PKG.length + 1))];
  const chunk = (prefix: string) => built.find((f) => f.startsWith(`dist/leadwire/chunks/${prefix}-`))!;
  /** The chunk holding `text`, wherever Rollup put its module. */
  const chunkWith = (text: string) => built.find((f) => f.includes('/chunks/') && readFileSync(join(PKG, f), 'utf8').includes(text))!;
  for (const file of built) {
    const code = readFileSync(join(PKG, file), 'utf8');
    const name = file.split('/').at(-1)!;
    assert.ok(code.trimEnd().endsWith(`//# sourceMappingURL=${name}.map`), `${file} names its map`);
    const map = JSON.parse(readFileSync(join(PKG, `${file}.map`), 'utf8')) as { version: number; sources: string[]; sourcesContent: string[] };
    assert.equal(map.version, 3, file);
    map.sources.forEach((source, i) => {
      if (source.includes('node_modules') || source.startsWith('\0') || source.includes('unused:')) return;
      const path = resolve(PKG, dirname(file), source);
      assert.ok(existsSync(path), `${file}: source ${source} exists`);
      assert.equal(map.sourcesContent[i], readFileSync(path, 'utf8'), `${file}: ${source} content is the current source`);
    });
  }
  const ours = (file: string) => JSON.parse(readFileSync(join(PKG, `${file}.map`), 'utf8')).sources.map((s: string) => resolve(PKG, dirname(file), s).slice(ROOT.length + 1)) as string[];
  for (const source of ['components/embed.ts', 'components/global-filters/global-filters.ts', 'components/export-button/export-button.ts', 'components/activity-feed/activity-feed.ts', 'components/core/client.ts']) {
    assert.ok(ours('dist/leadwire/embed.js').includes(source), `embed.js maps ${source}`);
  }
  // Positions map to the line that wrote them.
  const samples: Array<[string, string, string]> = [
    ['dist/leadwire.js', '[leadwire] could not load the widgets', 'components/boot.ts'],
    ['dist/leadwire-rollout.js', 'when asked for this location', 'components/rollout-loader.ts'],
    ['dist/leadwire/embed.js', 'Checking export permission…', 'components/core/l10n.ts'],
    [chunk('presets'), 'a preset without a valid name', 'components/global-filters/presets.ts'],
    ['dist/leadwire/embed.js', 'the browser is offline', 'components/core/client.ts'],
    [chunk('export-code'), 'export worker could not start', 'components/export-button/start-worker.ts'],
    [chunkWith('Exported at (UTC)'), 'Exported at (UTC)', 'components/core/strings/export-file.ts'],
  ];
  for (const [file, needle, source] of samples) {
    const origin = originOf(join(PKG, file), needle);
    assert.equal(origin.source, source, `${file}: "${needle}"`);
    assert.ok(origin.line.includes(needle), `${file}: "${needle}" maps to the line "${origin.line.trim()}"`);
  }
});

// ---- the export workers and the editor data ------------------------------------------------

test('each export worker is one self-contained file, started by a URL beside the module that starts it', () => {
  const workers = files('dist/esm').filter(isWorker);
  assert.deepEqual(workers.map((f) => f.split('/').at(-1)).sort(), ['pdf.worker.js', 'xlsx.worker.js']);
  for (const file of workers) {
    const text = readFileSync(file, 'utf8');
    const imports = [...text.matchAll(IMPORTS)].map((m) => m[1] ?? m[2] ?? m[3]);
    assert.deepEqual(imports, [], `${file} imports what a worker cannot resolve`);
  }
  assert.match(readFileSync(join(PKG, 'dist/esm/components/export-button/xlsx.worker.js'), 'utf8'), /SheetJS|XLSX/);
  assert.doesNotMatch(readFileSync(join(PKG, 'dist/esm/components/export-button/xlsx.worker.js'), 'utf8'), /jsPDF/, 'the XLSX worker carries jsPDF');
  const starter = readFileSync(join(PKG, 'dist/esm/components/export-button/start-worker.js'), 'utf8');
  for (const name of ['xlsx', 'pdf']) {
    assert.match(starter, new RegExp(`new Worker\\(new URL\\(["']\\./${name}\\.worker\\.js["'], import\\.meta\\.url\\)`), `the bundler-visible form for ${name}`);
  }
});

interface ShippedManifest {
  modules: Array<{ path: string; declarations?: Array<{ tagName?: string; attributes?: Array<{ name: string }>; events?: Array<{ name: string }>; cssProperties?: Array<{ name: string }> }> }>;
}
const shipped = () => JSON.parse(readFileSync(join(PKG, 'dist/custom-elements.json'), 'utf8')) as ShippedManifest;
const elements = () => shipped().modules.flatMap((m) => m.declarations ?? []).filter((d) => d.tagName);

/** The design tokens docs/developers.md promises: `--lw-color-<token>` for each listed token, and the named ones. */
function documentedTokens(): string[] {
  const docs = readFileSync(join(ROOT, 'docs/developers.md'), 'utf8');
  const paragraph = docs.slice(docs.indexOf('**Design tokens**'), docs.indexOf('Sizes are in px'));
  const colors = paragraph.slice(paragraph.indexOf('`--lw-color-<token>`'), paragraph.indexOf('; and')).match(/`([a-z-]+)`/g)!.map((t) => `--lw-color-${t.slice(1, -1)}`);
  const named = [...paragraph.matchAll(/`(--lw-[a-z-]+(?:-\d)?)`/g)].map((m) => m[1]).filter((t) => !t.includes('<'));
  const [from, to] = /`--lw-space-(\d)`…`--lw-space-(\d)`/.exec(paragraph)!.slice(1).map(Number);
  const spaces = Array.from({ length: to - from + 1 }, (_, i) => `--lw-space-${from + i}`);
  return [...new Set([...colors, ...named, ...spaces])];
}

test('the shipped manifest names shipped modules, each with its declarations beside it in dist/types', () => {
  assert.equal(pkg.customElements, 'dist/custom-elements.json');
  assert.equal(pkg.exports['./custom-elements.json'], './dist/custom-elements.json');
  const paths = JSON.stringify(shipped()).match(/"(?:path|module)":\s*"[^"]+"/g)!.map((m) => JSON.parse(`{${m}}`)).map((o) => o.path ?? o.module);
  assert.ok(paths.length > widgets.length * 2);
  for (const path of new Set(paths)) {
    assert.match(path, /^dist\/esm\/.+\.js$/, path);
    assert.ok(existsSync(join(PKG, path)), `${path} is not in the package`);
    assert.ok(existsSync(join(PKG, path.replace(/^dist\/esm\//, 'dist/types/').replace(/\.js$/, '.d.ts'))), `${path} has no declarations`);
  }
  assert.deepEqual(elements().map((e) => e.tagName).sort(), [...widgets].sort());
});

test('every documented --lw-* design token is a CSS property of every element, in the manifest and the editor data', () => {
  const tokens = documentedTokens();
  assert.ok(tokens.length >= 20, `tokens read from the docs: ${tokens}`);
  for (const element of elements()) {
    const names = new Set((element.cssProperties ?? []).map((p) => p.name));
    for (const token of tokens) assert.ok(names.has(token), `<${element.tagName}> lacks ${token}`);
  }
  const css = JSON.parse(readFileSync(join(PKG, 'dist/vscode.css-custom-data.json'), 'utf8')) as { properties: Array<{ name: string }> };
  const webTypes = JSON.parse(readFileSync(join(PKG, pkg['web-types']), 'utf8')) as { contributions: { css: { properties: Array<{ name: string }> } } };
  for (const token of tokens) {
    assert.ok(css.properties.some((p) => p.name === token), `VS Code CSS data lacks ${token}`);
    assert.ok(webTypes.contributions.css.properties.some((p) => p.name === token), `web-types lack ${token}`);
  }
});

test('VS Code custom data and JetBrains web-types describe every element, attribute and event', () => {
  const html = JSON.parse(readFileSync(join(PKG, 'dist/vscode.html-custom-data.json'), 'utf8')) as { tags: Array<{ name: string; attributes: Array<{ name: string }> }> };
  const webTypes = JSON.parse(readFileSync(join(PKG, pkg['web-types']), 'utf8')) as {
    name: string;
    version: string;
    contributions: { html: { elements: Array<{ name: string; attributes: Array<{ name: string }>; events?: Array<{ name: string }>; source?: { module: string } }> } };
  };
  assert.equal(pkg['web-types'], './dist/web-types.json');
  assert.deepEqual([webTypes.name, webTypes.version], [pkg.name, pkg.version]);
  for (const element of elements()) {
    const tag = element.tagName!;
    const vscode = html.tags.find((t) => t.name === tag);
    const jetbrains = webTypes.contributions.html.elements.find((e) => e.name === tag);
    assert.ok(vscode && jetbrains, `<${tag}> missing from the editor data`);
    for (const { name } of element.attributes ?? []) {
      assert.ok(vscode.attributes.some((a) => a.name === name), `VS Code data: <${tag} ${name}>`);
      assert.ok(jetbrains.attributes.some((a) => a.name === name), `web-types: <${tag} ${name}>`);
    }
    for (const { name } of element.events ?? []) assert.ok(jetbrains.events?.some((e) => e.name === name), `web-types: <${tag}> ${name}`);
    if (jetbrains.source) assert.ok(existsSync(join(PKG, jetbrains.source.module)), `web-types source ${jetbrains.source.module}`);
  }
});
