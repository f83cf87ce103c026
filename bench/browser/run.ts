/**
 * `npm run bench:browser`: the widgets' timings in headless Chromium. Not a test — it prints
 * figures, the target each is held to, and the ratio against a baseline measured in the same
 * run (a plain Lit list that renders every item) where one applies. The feed scenarios drive
 * the source through a fake transport; the embed scenarios load the built script tag
 * (components/dist, rebuilt when stale) against a real gateway.
 */
import { build } from 'esbuild';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import puppeteer from 'puppeteer-core';
import type { scenarios as Scenarios } from './page.ts';
import { measureExports, measureLoad, median, startRig, type ExportResult } from './embed.ts';
import { measureHistory } from './history.ts';
// @ts-expect-error plain ESM helpers shared with the build and its tests
import { CHROMIUM_ARGS, CHROMIUM_PATH } from '../../scripts/chromium.mjs';
// @ts-expect-error plain ESM helpers shared with the build and its tests
import { ensureBuild } from '../../scripts/build.mjs';
// @ts-expect-error plain ESM helpers shared with the build and its tests
import { compositionTable, gzipBytes } from '../../scripts/bundle-report.mjs';

const OUT = '.bench/browser';
const quick = process.argv.includes('--quick');
/** `--only feed,export,load,history`: the groups to run (all by default), for iterating on one of them. */
const GROUPS = ['feed', 'export', 'load', 'history'] as const;
const onlyArg = process.argv.find((a) => a.startsWith('--only='))?.slice('--only='.length);
const only = new Set(onlyArg ? onlyArg.split(',') : GROUPS);
for (const group of only) if (!(GROUPS as readonly string[]).includes(group)) throw new Error(`--only: unknown group ${group} (${GROUPS.join(', ')})`);

async function main(): Promise<void> {
  mkdirSync(OUT, { recursive: true });
  if (ensureBuild().length) console.error('bench: components/dist was stale and has been rebuilt');
  const loader = 'components/dist/leadwire.js';
  const bundle = compositionTable('components/dist/leadwire', 'embed.js', [{ file: loader, bytes: readFileSync(loader).length, gzip: gzipBytes(readFileSync(loader)) }]);
  await build({
    entryPoints: ['bench/browser/page.ts'],
    bundle: true,
    format: 'esm',
    outfile: join(OUT, 'page.js'),
    conditions: ['production'],
    tsconfig: 'tsconfig.json',
    logLevel: 'error',
  });
  writeFileSync(join(OUT, 'index.html'), '<!doctype html><meta charset="utf-8"><body></body><script type="module" src="page.js"></script>');
  const rig = await startRig(OUT);
  const url = `${rig.origin}/index.html`;
  const browser = await puppeteer
    .launch({
      executablePath: CHROMIUM_PATH,
      headless: true,
      args: [
        ...CHROMIUM_ARGS,
        '--enable-precise-memory-info',
        '--js-flags=--expose-gc',
      ],
    })
    .catch(async (error) => {
      await rig.close();
      throw error;
    });
  try {
    const page = await browser.newPage();
    await page.setViewport({ width: 1024, height: 800 });
    page.on('pageerror', (error) => console.error('page error:', error));
    await page.goto(url);
    await page.waitForFunction('window.scenarios');
    const run = <K extends keyof typeof Scenarios>(name: K, ...args: Parameters<(typeof Scenarios)[K]>) =>
      page.evaluate((n, a) => (window as any).scenarios[n](...a), name, args) as Promise<Awaited<ReturnType<(typeof Scenarios)[K]>>>;

    const seconds = quick ? 3 : 10;
    const exportRows = quick ? 20_000 : 100_000;
    const rows: string[][] = [];
    const notes: string[] = [];
    if (only.has('feed')) {
      const first = await run('firstBatch', 500);
      const sustained = await run('sustained', 1_000, seconds, 5_000);
      const memory = await run('memory', quick ? 20_000 : 50_000, 5_000);
      const filter = await run('filter', 100_000);
      rows.push(
        ['first batch (500 events) → painted', ms(first.feedMs), ms(first.naiveMs), ratio(first.feedMs, first.naiveMs), '—'],
        [`1,000 events/s for ${seconds} s: long tasks (> 50 ms)`, String(sustained.feed.longTasks), String(sustained.naive.longTasks), '—', '0'],
        [`1,000 events/s for ${seconds} s: longest task`, ms(sustained.feed.longestTask), ms(sustained.naive.longestTask), ratio(sustained.feed.longestTask, sustained.naive.longestTask), '—'],
        [`1,000 events/s for ${seconds} s: dropped frames`, `${sustained.feed.dropped} of ${sustained.feed.frames}`, `${sustained.naive.dropped} of ${sustained.naive.frames}`, '—', '0'],
        [`… dropped frames of an idle page over the same ${seconds} s (the machine's floor)`, `${sustained.idle.dropped} of ${sustained.idle.frames}`, '—', '—', '—'],
        [`1,000 events/s for ${seconds} s: events offered → rendered`, `${sustained.feed.sent.toLocaleString('en')} → ${sustained.feed.received.toLocaleString('en')} (${sustained.feed.ratePerSecond.toLocaleString('en')}/s)`, '—', '—', 'all'],
        ...memory.checkpoints.map((c) => [`heap growth after ${c.events.toLocaleString('en')} events (max-items 5,000)`, `${c.heapMB.toFixed(1)} MB`, '—', '—', 'flat']),
        ['filter 100,000 events, 5 conditions (best of 5)', ms(filter.ms), '—', ratio(filter.ms, 16), '≤ 16 ms'],
      );
      notes.push(`Feed held ${memory.held.toLocaleString('en')} events at the end of the memory run; the filter kept ${filter.kept.toLocaleString('en')} of 100,000.`);
    }
    if (only.has('export')) {
      // Five runs where a target applies (CSV, XLSX), three for JSON, one for PDF (14 s a run).
      const exportRuns: Record<string, number> = quick ? {} : { csv: 5, xlsx: 5, json: 3 };
      const exports = await measureExports(browser, rig, exportRows, ['csv', 'xlsx', 'json', 'pdf'], exportRuns);
      rows.push(...exports.flatMap((e) => exportRowsOf(e, exportRows)));
      const repeated = exports.filter((e) => e.runsMs.length > 1);
      if (repeated.length) notes.push(`Export runs, in order: ${repeated.map((e) => `${e.format.toUpperCase()} ${e.runsMs.map((v) => v.toFixed(0)).join(', ')} ms`).join('; ')}.`);
    }
    rows.push(['core embed, gzip (script + chunks before any lazy import)', kb(bundle.coreGzip), '—', ratio(bundle.coreGzip, 35 * 1024), '≤ 35 KB']);
    if (only.has('load')) {
      const { leadwire: load, baseline } = await measureLoad(browser, rig, quick ? 3 : 10);
      const medianMax = (values: number[]) => `${ms(median(values))}; ${ms(Math.max(...values))}`;
      rows.push(
        [`script tag → five widgets rendered, cold cache (median of ${load.coldRenderMs.length}; max)`, medianMax(load.coldRenderMs), medianMax(baseline.coldRenderMs), ratio(median(load.coldRenderMs), median(baseline.coldRenderMs)), '≤ 100 ms'],
        [`script tag → five widgets rendered, warm cache (median; max)`, medianMax(load.warmRenderMs), medianMax(baseline.warmRenderMs), ratio(median(load.warmRenderMs), median(baseline.warmRenderMs)), '≤ 100 ms'],
        [`script tag → everything settled (filters restored, health charts drawn), cold (median)`, ms(median(load.coldSettledMs)), '—', '—', '—'],
        [`script tag → feed live on the gateway, cold (median)`, ms(median(load.coldLiveMs)), '—', '—', '—'],
        [
          `cold load until settled: main-thread tasks > 50 ms (median per load); longest (median; max)`,
          `${median(load.coldLongTasks)}; ${medianMax(load.coldLongestTaskMs)}`,
          `${median(baseline.coldLongTasks)}; ${medianMax(baseline.coldLongestTaskMs)}`,
          '—',
          '—',
        ],
      );
    }
    if (only.has('history')) {
      const { history, empty } = await measureHistory(browser, rig, quick ? 3 : 5);
      rows.push([
        `script tag → 1,000 history rows painted, cold (median of ${history.length}; max) — baseline: the same page on a tenant with no history`,
        `${ms(median(history))}; ${ms(Math.max(...history))}`,
        `${ms(median(empty))}; ${ms(Math.max(...empty))}`,
        ratio(median(history), median(empty)),
        '< 2,000 ms',
      ]);
    }
    const table = [
      `Browser benchmark — headless Chromium, ${new Date().toISOString()}${quick ? ' (quick)' : ''}${onlyArg ? ` (only ${onlyArg})` : ''}`,
      '',
      '| measure | Leadwire | baseline | ratio | target |',
      '|---|---|---|---|---|',
      ...rows.map((r) => `| ${r.join(' | ')} |`),
      ...(notes.length ? ['', ...notes] : []),
    ].join('\n');
    console.log(table);
    writeFileSync('.bench/last-browser.md', table + '\n');
  } finally {
    await browser.close();
    await rig.close();
  }
}

const TARGETS: Record<string, number | undefined> = { csv: 500, xlsx: 3_000 };

function exportRowsOf(e: ExportResult, rows: number): string[][] {
  const what = `export ${rows.toLocaleString('en')} rows → ${e.format.toUpperCase()}`;
  const target = TARGETS[e.format];
  return [
    [
      `${what}${e.pdfPages ? ` (${e.pdfPages.toLocaleString('en')} pages)` : ''}, ${kb(e.bytes)}${e.runsMs.length > 1 ? ` (median of ${e.runsMs.length}; min–max)` : ''}`,
      e.runsMs.length > 1 ? `${ms(e.ms)}; ${ms(Math.min(...e.runsMs))}–${ms(Math.max(...e.runsMs))}` : ms(e.ms),
      '—',
      target ? ratio(e.ms, target) : '—',
      target ? `≤ ${target.toLocaleString('en')} ms` : '—',
    ],
    [`${what}: main-thread tasks > 50 ms / > 100 ms (most in one run); longest`, `${e.longTasks50} / ${e.longTasks100}; ${ms(e.longestTaskMs)}`, '—', '—', '0 over 100 ms'],
  ];
}

const ms = (v: number) => `${v.toFixed(1)} ms`;
const kb = (bytes: number) => `${(bytes / 1024).toFixed(1)} KB`;
const ratio = (a: number, b: number) => (b > 0 ? `${(a / b).toFixed(2)}×` : '—');

await main();
