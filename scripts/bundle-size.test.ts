// Size budgets of the script-tag build, in bytes (timings live in `npm run bench:browser`):
// what a page downloads before any lazy import() — the classic loader plus every chunk it pulls
// in statically, i.e. all five widgets — must stay within 37 KB gzip, and the heavy libraries
// must stay out of it.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
// @ts-expect-error — plain .mjs build helpers, no declarations
import { ensureBuild } from './build.mjs';
// @ts-expect-error — plain .mjs build helpers, no declarations
import { chunkGraph, compositionTable, contributions, gzipBytes, staticClosure } from './bundle-report.mjs';

const CORE_GZIP_BUDGET = 37 * 1024;
const DIR = 'components/dist/leadwire';
const LOADER = 'components/dist/leadwire.js';

ensureBuild(['embed']);

test('the core embed (loader + all five widgets, before any lazy import) is within 37 KB gzip', () => {
  const loader = readFileSync(LOADER);
  const { table, coreGzip } = compositionTable(DIR, 'embed.js', [{ file: LOADER, bytes: loader.length, gzip: gzipBytes(loader) }]);
  console.log(table);
  assert.ok(coreGzip <= CORE_GZIP_BUDGET, `core embed is ${(coreGzip / 1024).toFixed(1)} KB gzip, over the ${CORE_GZIP_BUDGET / 1024} KB budget`);
});

test('chart.js, SheetJS and jsPDF load only on first use, never with the core', () => {
  const graph = chunkGraph(DIR);
  const core = [...staticClosure(graph, 'embed.js')] as string[];
  const sources = core.flatMap((file) => contributions(DIR, file).map((c: { source: string }) => c.source));
  for (const heavy of ['chart.js', 'xlsx', 'jspdf']) assert.ok(!sources.includes(heavy), `${heavy} is in the core: ${core.join(', ')}`);
  // …and they are in the build at all, reachable lazily (a budget met by dropping them is no budget).
  const all = [...graph.keys()].flatMap((file) => contributions(DIR, file).map((c: { source: string }) => c.source));
  for (const heavy of ['chart.js', 'xlsx', 'jspdf']) assert.ok(all.includes(heavy), `${heavy} is missing from the build`);
});
