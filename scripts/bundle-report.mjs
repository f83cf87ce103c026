/**
 * What the script-tag build ships, read back from the files on disk:
 *  - chunkGraph(dir): every .js file with its raw and gzip bytes and its static and dynamic imports
 *    (parsed with Rollup's own parser, so it is the code the browser runs that decides);
 *  - staticClosure(graph, entry): what loads before any lazy import() fires;
 *  - contributions(dir, file): which sources the bytes of a chunk come from, from its source map
 *    (a source-map-explorer in thirty lines);
 *  - bundleReport(): a Rollup plugin that prints the per-chunk table after the build writes it.
 * Used by the build (the table) and by scripts/bundle-size.test.ts (the budget).
 */
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { gzipSync } from 'node:zlib';
import { parseAst } from 'rollup/parseAst';

/** gzip level 9, as CDNs serve static files. */
export const gzipBytes = (code) => gzipSync(code, { level: 9 }).length;

function jsFiles(dir) {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return jsFiles(path);
    return name.endsWith('.js') ? [path] : [];
  });
}

/** Import specifiers of one ES module: static (import/export … from) and dynamic (import('…')). */
function importsOf(code) {
  const staticImports = [];
  const dynamicImports = [];
  const walk = (node) => {
    if (!node || typeof node.type !== 'string') return;
    if ((node.type === 'ImportDeclaration' || node.type === 'ExportAllDeclaration' || node.type === 'ExportNamedDeclaration') && node.source) {
      staticImports.push(node.source.value);
    }
    if (node.type === 'ImportExpression' && node.source.type === 'Literal') dynamicImports.push(node.source.value);
    for (const value of Object.values(node)) {
      if (Array.isArray(value)) value.forEach(walk);
      else if (value && typeof value === 'object') walk(value);
    }
  };
  walk(parseAst(code));
  return { staticImports, dynamicImports };
}

/** Worker scripts a chunk starts: `new URL('chunks/x.js', import.meta.url)` as Rollup writes them. */
function workerUrlsOf(code) {
  return [...code.matchAll(/Worker\(\s*new URL\(\s*new URL\(\s*["']([^"']+\.js)["']\s*,\s*import\.meta\.url/g)].map((m) => m[1]);
}

/**
 * @param {string} dir  the build's output folder (e.g. dist/leadwire)
 * @returns {Map<string, { file: string, bytes: number, gzip: number, static: string[], dynamic: string[], workers: string[] }>}
 *          keyed by path relative to dir
 */
export function chunkGraph(dir) {
  const graph = new Map();
  for (const path of jsFiles(dir)) {
    const code = readFileSync(path, 'utf8');
    const file = relative(dir, path);
    const near = (specifier) => relative(dir, resolve(dirname(path), specifier));
    const { staticImports, dynamicImports } = importsOf(code);
    graph.set(file, {
      file,
      bytes: Buffer.byteLength(code),
      gzip: gzipBytes(code),
      static: staticImports.filter((s) => s.startsWith('.')).map(near),
      dynamic: dynamicImports.filter((s) => s.startsWith('.')).map(near),
      workers: workerUrlsOf(code).map(near),
    });
  }
  return graph;
}

/** Files that load with `entry` before any dynamic import() or worker runs. */
export function staticClosure(graph, entry) {
  const seen = new Set();
  const visit = (file) => {
    if (seen.has(file)) return;
    const chunk = graph.get(file);
    if (!chunk) throw new Error(`${file} is imported but not in the build`);
    seen.add(file);
    chunk.static.forEach(visit);
  };
  visit(entry);
  return seen;
}

/** How each lazy file is first reached from `entry`: 'import()' or 'worker', through which file. */
export function lazyRoutes(graph, entry) {
  const core = staticClosure(graph, entry);
  const routes = new Map();
  const queue = [...core];
  const reach = (from, file, how) => {
    if (core.has(file) || routes.has(file)) return;
    routes.set(file, { how, from });
    queue.push(file);
  };
  while (queue.length) {
    const file = queue.shift();
    const chunk = graph.get(file);
    if (!chunk) continue;
    chunk.dynamic.forEach((f) => reach(file, f, 'import()'));
    chunk.workers.forEach((f) => reach(file, f, 'worker'));
    chunk.static.forEach((f) => reach(file, f, routes.get(file)?.how ?? 'import()'));
  }
  return routes;
}

// ---- source-map attribution -----------------------------------------------------------------

const BASE64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
const DIGIT = Object.fromEntries([...BASE64].map((c, i) => [c, i]));

function decodeSegment(text) {
  const values = [];
  let value = 0;
  let shift = 0;
  for (const char of text) {
    const digit = DIGIT[char];
    value += (digit & 31) << shift;
    if (digit & 32) {
      shift += 5;
    } else {
      values.push(value & 1 ? -(value >>> 1) : value >>> 1);
      value = 0;
      shift = 0;
    }
  }
  return values;
}

/**
 * Bytes of `file` (in `dir`) per original source, from its .map: each mapped segment owns the
 * characters up to the next segment on its line. Sources are shortened to a package name
 * (node_modules/<pkg>) or a repository path.
 * @returns {Array<{ source: string, bytes: number }>} largest first
 */
export function contributions(dir, file) {
  const code = readFileSync(join(dir, file), 'utf8');
  const map = JSON.parse(readFileSync(join(dir, `${file}.map`), 'utf8'));
  const lines = code.split('\n');
  const totals = new Map();
  let sourceIndex = 0;
  map.mappings.split(';').forEach((line, lineNo) => {
    const text = lines[lineNo] ?? '';
    let column = 0;
    const segments = line
      .split(',')
      .filter(Boolean)
      .map((segment) => {
        const [dc, ds] = decodeSegment(segment);
        column += dc;
        if (ds !== undefined) sourceIndex += ds;
        return { column, source: ds === undefined ? -1 : sourceIndex };
      });
    segments.forEach((segment, i) => {
      const end = segments[i + 1]?.column ?? text.length;
      const name = segment.source < 0 ? '(generated)' : shorten(map.sources[segment.source]);
      totals.set(name, (totals.get(name) ?? 0) + Buffer.byteLength(text.slice(segment.column, end)));
    });
  });
  return [...totals].map(([source, bytes]) => ({ source, bytes })).sort((a, b) => b.bytes - a.bytes);
}

function shorten(source) {
  const modules = source.lastIndexOf('node_modules/');
  if (modules >= 0) {
    const [scopeOrName, name] = source.slice(modules + 'node_modules/'.length).split('/');
    return scopeOrName.startsWith('@') ? `${scopeOrName}/${name}` : scopeOrName;
  }
  return source.replace(/^(\.\.\/)+/, '');
}

// ---- the table the build prints -------------------------------------------------------------

const kb = (n) => `${(n / 1024).toFixed(1)} KB`;

/** The composition of `dir` loaded through `entry`, as a Markdown table, plus the totals. */
export function compositionTable(dir, entry, extra = []) {
  const graph = chunkGraph(dir);
  const core = staticClosure(graph, entry);
  const routes = lazyRoutes(graph, entry);
  const rows = [...graph.values()].map((chunk) => {
    const top = contributions(dir, chunk.file)
      .slice(0, 3)
      .map((c) => c.source.replace(/^components\//, ''))
      .join(', ');
    const route = routes.get(chunk.file);
    const loads = core.has(chunk.file) ? 'core' : route ? `lazy (${route.how})` : 'unreached';
    return { ...chunk, loads, top };
  });
  const order = (r) => (r.loads === 'core' ? 0 : r.loads === 'unreached' ? 2 : 1);
  rows.sort((a, b) => order(a) - order(b) || b.gzip - a.gzip);
  const coreBytes = [...extra, ...rows.filter((r) => r.loads === 'core')];
  const sum = (list, key) => list.reduce((n, r) => n + r[key], 0);
  const lines = [
    '| file | loads | raw | gzip | largest sources |',
    '|---|---|---:|---:|---|',
    ...extra.map((r) => `| ${r.file} | core (script tag) | ${kb(r.bytes)} | ${kb(r.gzip)} | ${r.top ?? ''} |`),
    ...rows.map((r) => `| ${r.file} | ${r.loads} | ${kb(r.bytes)} | ${kb(r.gzip)} | ${r.top} |`),
    `| **core total** | before any lazy import | ${kb(sum(coreBytes, 'bytes'))} | **${kb(sum(coreBytes, 'gzip'))}** | |`,
  ];
  return { table: lines.join('\n'), coreGzip: sum(coreBytes, 'gzip'), coreBytes: sum(coreBytes, 'bytes'), rows };
}

/**
 * Rollup plugin for the embed build: after the files are written, prints the table. `loader` is
 * the classic script that starts it all (counted as core).
 */
export function bundleReport({ entry = 'embed.js', loader } = {}) {
  return {
    name: 'leadwire-bundle-report',
    writeBundle(options) {
      const extra = loader
        ? [{ file: loader, bytes: statSync(loader).size, gzip: gzipBytes(readFileSync(loader)) }]
        : [];
      const { table } = compositionTable(options.dir, entry, extra);
      console.log(`\nScript-tag build (${options.dir}):\n${table}\n`);
    },
  };
}
