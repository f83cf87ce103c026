// docs/architecture.md, checked: the import rules of .dependency-cruiser.cjs hold, long files say
// why they are long, and the pictures in the doc are the graph of today's code.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { test } from 'node:test';
// @ts-expect-error a plain ES module of the tooling, without types
import { cruise, pictures, redraw } from './architecture-graph.mjs';

const ROOT = resolve(import.meta.dirname, '..');
interface Dependency { resolved: string; dynamic: boolean; dependencyTypes: string[] }
interface Module { source: string; dependencies: Dependency[] }
interface Violation { from: string; to: string; rule: { name: string } }
const { modules, violations } = cruise() as { modules: Module[]; violations: Violation[] };
const bySource = new Map(modules.map((m) => [m.source, m]));

test('the graph is read: every kind of import is an edge', () => {
  const importsOf = (file: string) => bySource.get(file)?.dependencies ?? [];
  assert.ok(modules.length > 200, `${modules.length} modules`);
  assert.ok(
    importsOf('components/core/default-transports.ts').some((d) => d.resolved === 'components/core/http-transports.ts' && d.dynamic),
    'a dynamic import() is an edge',
  );
  assert.ok(
    importsOf('gateway/src/gateway.ts').some((d) => d.resolved === 'gateway/src/hub.ts'),
    'a static import is an edge',
  );
  assert.ok(
    modules.some((m) => m.dependencies.some((d) => d.dependencyTypes.includes('type-only'))),
    'a type-only import is an edge',
  );
});

test('every arrow points down: no circles, no upward or sideways imports', () => {
  assert.deepEqual(
    violations.map((v) => `${v.rule.name}: ${v.from} → ${v.to}`),
    [],
  );
});

test('a source file over 400 lines says at its top why', () => {
  const long = modules
    .map((m) => m.source)
    .filter((file) => /^(protocol|gateway\/src|components|demo|fixtures)\/.*\.tsx?$/.test(file) && !/\.test\.tsx?$/.test(file))
    .filter((file) => {
      const text = readFileSync(join(ROOT, file), 'utf8');
      const lines = text.split('\n').length;
      return lines > 400 && !/Over 400 lines (because|on purpose)/.test(text.slice(0, 2000));
    });
  assert.deepEqual(long, []);
});

test('the pictures in docs/architecture.md are the graph of the code', () => {
  const doc = readFileSync(join(ROOT, 'docs/architecture.md'), 'utf8');
  assert.equal(redraw(doc, pictures(modules)), doc, 'run `npm run graph`');
});
