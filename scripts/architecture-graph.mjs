// The import graph of docs/architecture.md, read by dependency-cruiser with the rules of
// .dependency-cruiser.cjs. `npm run graph` redraws the pictures in the doc; `--check` only says
// whether they are current (scripts/architecture.test.ts runs it).
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

const ROOT = resolve(import.meta.dirname, '..');
const DOC = join(ROOT, 'docs/architecture.md');
const SOURCES = ['protocol', 'gateway/src', 'components', 'demo', 'fixtures', 'stories', 'scripts', 'bench'];
const TEST = /\.(test|typecheck)\.tsx?$/;

/** Every module under SOURCES with its resolved imports, and the rule violations found. */
export function cruise() {
  const out = execFileSync(
    join(ROOT, 'node_modules/.bin/depcruise'),
    [...SOURCES, '--config', '.dependency-cruiser.cjs', '--output-type', 'json'],
    { cwd: ROOT, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 },
  );
  const { modules, summary } = JSON.parse(out);
  return { modules, violations: summary.violations };
}

const TOP = (path) => path.split('/')[0];
const GATEWAY = (path) => {
  const m = /^gateway\/src\/([^/]+?)(?:\.ts)?(?:\/|$)/.exec(path);
  if (m) return /^(ingest|log|metrics|transports)$/.test(m[1]) ? `${m[1]}/` : m[1];
  return path.startsWith('protocol/') ? 'protocol' : undefined;
};
const WIDGETS = (path) => {
  const m = /^components\/([^/]+?)(?:\.ts)?(\/|$)/.exec(path);
  if (m) return m[2] ? `${m[1]}/` : m[1];
  return path.startsWith('protocol/') ? 'protocol' : undefined;
};

/** A mermaid flowchart of the graph with modules collapsed into parts by `partOf`. */
function flowchart(modules, partOf, keep = () => true) {
  const edges = new Set();
  const parts = new Set();
  for (const module of modules) {
    const from = partOf(module.source);
    if (!from || TEST.test(module.source) || !keep(module.source)) continue;
    parts.add(from);
    for (const dep of module.dependencies) {
      const to = partOf(dep.resolved);
      if (!to || to === from || TEST.test(dep.resolved)) continue;
      parts.add(to);
      edges.add(`${from}\0${to}`);
    }
  }
  const id = (part) => part.replace(/[^a-z0-9]/gi, '_');
  return [
    'flowchart TD',
    ...[...parts].sort().map((p) => `  ${id(p)}["${p}"]`),
    ...[...edges].sort().map((e) => e.split('\0')).map(([a, b]) => `  ${id(a)} --> ${id(b)}`),
  ].join('\n');
}

const KEEP_LIBRARY = (path) => /^(protocol|gateway|components|demo|fixtures|stories)\//.test(path);

/** The three pictures: the repository's parts, the gateway's, the widgets'. */
export function pictures(modules) {
  return {
    repository: flowchart(modules, (p) => (KEEP_LIBRARY(p) ? TOP(p) : undefined)),
    gateway: flowchart(modules, GATEWAY),
    widgets: flowchart(modules, WIDGETS),
  };
}

const block = (name) => new RegExp(`(<!-- graph:${name} -->\\n\`\`\`mermaid\\n)[\\s\\S]*?(\`\`\`\\n<!-- /graph:${name} -->)`);

/** docs/architecture.md with each picture between its markers replaced by the current one. */
export function redraw(doc, drawn) {
  let next = doc;
  for (const [name, chart] of Object.entries(drawn)) {
    if (!block(name).test(next)) throw new Error(`docs/architecture.md has no <!-- graph:${name} --> block`);
    next = next.replace(block(name), (_, open, close) => `${open}${chart}\n${close}`);
  }
  return next;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const doc = readFileSync(DOC, 'utf8');
  const next = redraw(doc, pictures(cruise().modules));
  if (process.argv.includes('--check')) {
    if (next !== doc) {
      console.error('docs/architecture.md: the import graph changed; run `npm run graph`');
      process.exit(1);
    }
    console.log('docs/architecture.md: graphs current');
  } else {
    writeFileSync(DOC, next);
    console.log('docs/architecture.md: graphs redrawn');
  }
}
