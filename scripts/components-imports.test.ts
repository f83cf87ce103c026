// The widgets' import graph, every kind of import counted (static, type-only, dynamic import()):
// no circles, and every arrow points down — production modules never import demo/, stories/,
// fixtures/ or test code, and core/ imports nothing of the widgets.
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { test } from 'node:test';

const ROOT = resolve(import.meta.dirname, '..');
const IMPORT = /(?:^|[\s;])(?:import|export)\s[^'";]*?from\s*['"](\.[^'"]+)['"]|^\s*import\s*['"](\.[^'"]+)['"]|\bimport\(\s*['"](\.[^'"]+)['"]\s*\)/gm;

const isTest = (file: string) => /\.test\.tsx?$|\.typecheck\.tsx?$/.test(file);
const modules = readdirSync(join(ROOT, 'components'), { recursive: true, withFileTypes: true })
  .filter((e) => e.isFile() && /\.tsx?$/.test(e.name))
  .map((e) => relative(ROOT, join(e.parentPath, e.name)));

/** Each module's relative imports, as repository paths. */
function importsOf(file: string): string[] {
  const source = readFileSync(join(ROOT, file), 'utf8').replace(/^\s*(?:\/\/.*|\/?\*.*)$/gm, '');
  return [...source.matchAll(IMPORT)].map((m) => relative(ROOT, resolve(ROOT, dirname(file), m[1] ?? m[2] ?? m[3])));
}
const graph = new Map(modules.filter((f) => !isTest(f)).map((f) => [f, importsOf(f)]));

/** The circles of the graph, each as the path that closes it. */
function circles(edges: Map<string, string[]>): string[][] {
  const found: string[][] = [];
  const state = new Map<string, 'open' | 'done'>();
  const path: string[] = [];
  const visit = (node: string) => {
    state.set(node, 'open');
    path.push(node);
    for (const next of edges.get(node) ?? []) {
      if (state.get(next) === 'open') found.push([...path.slice(path.indexOf(next)), next]);
      else if (!state.has(next) && edges.has(next)) visit(next);
    }
    path.pop();
    state.set(node, 'done');
  };
  for (const node of edges.keys()) if (!state.has(node)) visit(node);
  return found;
}

test('the graph is read: every widget module and its imports', () => {
  assert.ok(graph.size > 40, `${graph.size} modules`);
  assert.ok(graph.get('components/core/client.ts')?.includes('components/core/transport.ts'));
  assert.ok(graph.get('components/core/default-transports.ts')?.includes('components/core/http-transports.ts'), 'dynamic import() counts');
});

test('the widgets import graph has no circles', () => {
  assert.deepEqual(circles(graph).map((c) => c.join(' → ')), []);
});

test('the circle finder finds one', () => {
  const edges = new Map([['a', ['b']], ['b', ['c']], ['c', ['a']], ['d', ['a']]]);
  assert.deepEqual(circles(edges), [['a', 'b', 'c', 'a']]);
});

test('production modules import neither demo/, stories/, fixtures/, scripts/ nor test code', () => {
  const up = [...graph].flatMap(([file, imports]) =>
    imports.filter((to) => /^(demo|stories|fixtures|scripts|bench|gateway)\//.test(to) || isTest(to)).map((to) => `${file} → ${to}`),
  );
  assert.deepEqual(up, []);
});

test('core/ imports nothing of the widgets (only itself and protocol/)', () => {
  const up = [...graph]
    .filter(([file]) => file.startsWith('components/core/'))
    .flatMap(([file, imports]) => imports.filter((to) => !to.startsWith('components/core/') && !to.startsWith('protocol/')).map((to) => `${file} → ${to}`));
  assert.deepEqual(up, []);
});
