/**
 * The script-tag build in headless Chromium against a real gateway (child process, in-memory
 * log): how long one <script src> takes to render all five widgets on a plain page, and how long
 * <export-button> takes to turn 100,000 rows into each format — with the main thread watched
 * for long tasks the whole time, since an export must never freeze the page.
 */
import { build } from 'esbuild';
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, join, normalize } from 'node:path';
import type { Browser, Page } from 'puppeteer-core';
import { mintToken } from '../../gateway/src/auth.ts';
import { freePort, stop } from '../gateway/procs.ts';
import { EMPTY_TENANT, HISTORY_TENANT, historyPage, PUBLISHER_KEY, seedHistory } from './history.ts';

const SECRET = 'bench-browser-secret-at-least-32-characters';
const TENANT = 'loc_Bench01';
const TAGS = ['global-filters', 'export-button', 'theme-toggle', 'activity-feed', 'health-panel'];
const BASELINE_TAGS = ['baseline-filters', 'baseline-export', 'baseline-toggle', 'baseline-feed', 'baseline-health'];
const TYPES: Record<string, string> = { '.js': 'text/javascript', '.map': 'application/json', '.html': 'text/html' };

export interface EmbedRig {
  origin: string;
  gateway: string;
  close(): Promise<void>;
}

/** A gateway process and a static server for the widgets' build (at /dist/) and the bench pages, on free loopback ports. */
export async function startRig(outDir: string): Promise<EmbedRig> {
  await build({ entryPoints: ['bench/browser/rows.ts'], bundle: true, format: 'iife', outfile: join(outDir, 'rows.js'), logLevel: 'error' });
  await build({ entryPoints: ['bench/browser/baseline/loader.ts'], bundle: true, minify: true, format: 'iife', outfile: join(outDir, 'baseline/loader.js'), logLevel: 'error' });
  await build({ entryPoints: ['bench/browser/baseline/widgets.ts'], bundle: true, minify: true, format: 'esm', outfile: join(outDir, 'baseline/widgets.js'), conditions: ['production'], logLevel: 'error' });
  const port = await freePort();
  const origin = `http://127.0.0.1:${port}`;
  const gatewayPort = await freePort();
  const gateway = `http://127.0.0.1:${gatewayPort}`;
  const child: ChildProcess = spawn(process.execPath, ['--import', 'tsx', 'gateway/src/main.ts'], {
    env: {
      ...process.env,
      PORT: String(gatewayPort),
      HOST: '127.0.0.1',
      AUTH_SECRET: SECRET,
      ALLOWED_ORIGINS: origin,
      LOG_LEVEL: 'warn',
      HTTP_RATE_PER_SECOND: '1000',
      PUBLISHER_KEYS: PUBLISHER_KEY,
    },
    stdio: 'ignore',
  });
  for (let i = 0; !(await fetch(`${gateway}/readyz`).then((r) => r.ok, () => false)); i++) {
    if (child.exitCode !== null || i > 300) throw new Error('bench gateway did not become ready');
    await new Promise((r) => setTimeout(r, 100));
  }
  const token = await mintToken({ sub: 'bench', tenants: [TENANT], scopes: ['events:read', 'system:read', 'export'] }, SECRET, 3600);
  const tenantTokens: Record<string, string> = {
    [HISTORY_TENANT]: await mintToken({ sub: 'bench', tenants: [HISTORY_TENANT], scopes: ['events:read'] }, SECRET, 3600),
    [EMPTY_TENANT]: await mintToken({ sub: 'bench', tenants: [EMPTY_TENANT], scopes: ['events:read'] }, SECRET, 3600),
  };
  await seedHistory(gateway, 1_000);
  const pages: Record<string, string> = {
    '/history.html': historyPage(scriptTag(gateway, `/token?tenant=${HISTORY_TENANT}`), 1_000),
    '/history-empty.html': historyPage(scriptTag(gateway, `/token?tenant=${EMPTY_TENANT}`), 0),
    '/load.html': loadPage(scriptTag(gateway), TAGS, true),
    '/load-baseline.html': loadPage('<script src="/baseline/loader.js"></script>', BASELINE_TAGS, false),
    '/export.html': exportPage(gateway),
  };
  const server: Server = createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0];
    if (path === '/token') {
      const asked = new URL(req.url ?? '/', origin).searchParams.get('tenant');
      const body = JSON.stringify({ token: (asked && tenantTokens[asked]) || token });
      return void res.writeHead(200, { 'content-type': 'application/json', 'cache-control': 'no-store' }).end(body);
    }
    if (pages[path]) return void res.writeHead(200, { 'content-type': 'text/html' }).end(pages[path]);
    // /dist/ is the widgets package's build, as a site serves it.
    const file = path.startsWith('/dist/') ? join('components', normalize(path.slice(1))) : join(outDir, normalize(path));
    if (file.includes('..')) return void res.writeHead(400).end();
    let body: Buffer;
    try {
      body = readFileSync(file);
    } catch {
      return void res.writeHead(404).end();
    }
    res.writeHead(200, { 'content-type': TYPES[extname(file)] ?? 'application/octet-stream' }).end(body);
  });
  await new Promise<void>((r) => server.listen(port, '127.0.0.1', r));
  return {
    origin,
    gateway,
    async close() {
      await new Promise((r) => server.close(r));
      await stop(child);
    },
  };
}

const scriptTag = (gateway: string, tokenUrl = '/token') => `<script src="/dist/leadwire.js" data-gateway="${gateway}" data-token-url="${tokenUrl}"></script>`;

/**
 * Time zero is set just before the script tag; "rendered" is every widget's first view painted,
 * "settled" every pending update done (restored filters, charts), "live" the feed connected.
 * The baseline page (five minimal Lit elements behind the same kind of loader) has no feed.
 */
function loadPage(script: string, tags: string[], live: boolean): string {
  return `<!doctype html><meta charset="utf-8"><title>load</title><body>
<script>
window.__t0 = performance.now();
// Main-thread tasks over 50 ms from here until settled: a page that loads widgets should not
// stay unresponsive behind them.
window.__tasks = [];
new PerformanceObserver((list) => list.getEntries().forEach((e) => window.__settled === undefined && window.__tasks.push(e.duration))).observe({ type: 'longtask' });
</script>
${script}
${tags.map((t) => `<${t}${t === 'activity-feed' ? ' style="height:400px"' : ''}></${t}>`).join('\n')}
<script>
(async () => {
  const tags = ${JSON.stringify(tags)};
  const elements = tags.map((t) => document.querySelector(t));
  await Promise.all(tags.map((t) => customElements.whenDefined(t)));
  // Rendered: every widget has made its first view and a frame showing them has been painted.
  while (!elements.every((el) => el.hasUpdated)) await new Promise((r) => requestAnimationFrame(r));
  await new Promise((r) => requestAnimationFrame(() => setTimeout(r)));
  window.__rendered = performance.now() - window.__t0;
  // Settled: what follows asynchronously too (restored filters, the health panel's charts).
  await Promise.all(elements.map((el) => el.updateComplete));
  await new Promise((r) => requestAnimationFrame(() => setTimeout(r)));
  window.__settled = performance.now() - window.__t0;
  const feed = document.querySelector('activity-feed');
  while (${live} && feed.status !== 'live') await new Promise((r) => setTimeout(r, 2));
  window.__live = performance.now() - window.__t0;
})();
</script>`;
}

function exportPage(gateway: string): string {
  return `<!doctype html><meta charset="utf-8"><title>export</title><body>
${scriptTag(gateway)}
<script src="/rows.js"></script>
<export-button></export-button>`;
}

export interface LoadResult {
  coldRenderMs: number[];
  coldSettledMs: number[];
  warmRenderMs: number[];
  coldLiveMs: number[];
  /** Per cold load: main-thread tasks over 50 ms until settled, and the longest of them. */
  coldLongTasks: number[];
  coldLongestTaskMs: number[];
}

/**
 * `runs` cold loads (fresh browser context, empty cache) of Leadwire's page and of the baseline's,
 * alternated so both see the same machine, each followed by a warm reload.
 */
export async function measureLoad(browser: Browser, rig: EmbedRig, runs: number): Promise<{ leadwire: LoadResult; baseline: LoadResult }> {
  const empty = (): LoadResult => ({ coldRenderMs: [], coldSettledMs: [], warmRenderMs: [], coldLiveMs: [], coldLongTasks: [], coldLongestTaskMs: [] });
  const results = { leadwire: empty(), baseline: empty() };
  for (let i = 0; i < runs; i++) {
    for (const [system, path] of [['leadwire', '/load.html'], ['baseline', '/load-baseline.html']] as const) {
      const result = results[system];
      const context = await browser.createBrowserContext();
      try {
        const page = await context.newPage();
        page.on('pageerror', (error) => console.error('load page error:', error));
        const timings = async () => {
          await page.waitForFunction('window.__live !== undefined', { timeout: 30_000 });
          return page.evaluate(() => ({
            rendered: (window as any).__rendered as number,
            settled: (window as any).__settled as number,
            live: (window as any).__live as number,
            tasks: (window as any).__tasks as number[],
          }));
        };
        await page.goto(`${rig.origin}${path}`);
        const cold = await timings();
        result.coldRenderMs.push(cold.rendered);
        result.coldSettledMs.push(cold.settled);
        result.coldLiveMs.push(cold.live);
        result.coldLongTasks.push(cold.tasks.length);
        result.coldLongestTaskMs.push(Math.max(0, ...cold.tasks));
        await page.reload();
        result.warmRenderMs.push((await timings()).rendered);
      } finally {
        await context.close();
      }
    }
  }
  return results;
}

/** The middle value (the upper one of an even count). */
export const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

export interface ExportResult {
  format: string;
  /** Median over the runs, and every run's time. */
  ms: number;
  runsMs: number[];
  bytes: number;
  longTasks50: number;
  longTasks100: number;
  longestTaskMs: number;
  pdfPages?: number;
}

/**
 * Each format of <export-button> over `rows` rows, clicked as a user does, download suppressed:
 * `runs[format]` times (default 1), the median reported — one run of an export moved by ±20 %
 * between runs minutes apart on the shared VMs. Long tasks are counted over all runs.
 */
export async function measureExports(browser: Browser, rig: EmbedRig, rows: number, formats: string[], runs: Record<string, number> = {}): Promise<ExportResult[]> {
  const page: Page = await browser.newPage();
  page.on('pageerror', (error) => console.error('export page error:', error));
  try {
    await page.goto(`${rig.origin}/export.html`);
    await page.waitForFunction(() => {
      const button = document.querySelector('export-button') as any;
      return (window as any).benchRows && button?.updateComplete && button.disabledReason === null;
    }, { timeout: 30_000 });
    await page.evaluate((n) => {
      (document.querySelector('export-button') as any).rows = (window as any).benchRows(n);
    }, rows);
    const results: ExportResult[] = [];
    for (const format of formats) {
      // A first run warms the lazy chunks (SheetJS, jsPDF) so the figure is the export itself;
      // the cold load of those chunks is a one-off download, reported by the bundle table.
      await page.evaluate(runExport, format, 1_000);
      const each = [];
      for (let i = 0; i < (runs[format] ?? 1); i++) each.push(await page.evaluate(runExport, format, rows));
      const runsMs = each.map((e) => e.ms);
      results.push({
        ...each[0],
        format,
        ms: median(runsMs),
        runsMs,
        longTasks50: Math.max(...each.map((e) => e.longTasks50)),
        longTasks100: Math.max(...each.map((e) => e.longTasks100)),
        longestTaskMs: Math.max(...each.map((e) => e.longestTaskMs)),
      });
    }
    return results;
  } finally {
    await page.close();
  }
}

/** In the page: picks `format` from the menu and waits for export-complete; main thread watched. */
async function runExport(format: string, count: number) {
  const button = document.querySelector('export-button') as any;
  const all = (window as any).__allRows ?? ((window as any).__allRows = button.rows);
  button.rows = all.slice(0, count);
  await button.updateComplete;
  const labels: Record<string, string> = { csv: 'CSV', xlsx: 'Excel', json: 'JSON', pdf: 'PDF report' };
  const tasks: number[] = [];
  const observer = new PerformanceObserver((list) => list.getEntries().forEach((e) => tasks.push(e.duration)));
  observer.observe({ type: 'longtask', buffered: false });
  const done = new Promise<{ bytes: number; blob: Blob }>((resolve, reject) => {
    button.addEventListener('lw-export-complete', (e: CustomEvent) => {
      e.preventDefault(); // no download: the bench wants the bytes, not a file on disk
      resolve(e.detail);
    }, { once: true });
    button.addEventListener('lw-export-error', (e: CustomEvent) => reject(new Error(e.detail.message)), { once: true });
  });
  const t0 = performance.now();
  button.shadowRoot.querySelector('[part~="trigger"]').click();
  // The menu loads on first intent (a lazy chunk): wait for its items.
  // (No named closures in here: the function is serialised into the page, without tsx's helpers.)
  for (let i = 0; !button.shadowRoot.querySelector('[part~="item"]') && i < 500; i++) await new Promise((r) => setTimeout(r, 10));
  const item = ([...button.shadowRoot.querySelectorAll('[part~="item"]')] as HTMLElement[]).find((el) => el.textContent!.trim().startsWith(labels[format]));
  if (!item) throw new Error(`no ${format} item in the menu`);
  item.click();
  const { bytes, blob } = await done;
  const ms = performance.now() - t0;
  await new Promise((r) => setTimeout(r, 50)); // let the observer deliver the last entries
  observer.disconnect();
  let pdfPages: number | undefined;
  if (format === 'pdf') pdfPages = ((await blob.text()).match(/\/Type \/Page\b(?!s)/g) ?? []).length;
  return {
    ms,
    bytes,
    longTasks50: tasks.length,
    longTasks100: tasks.filter((d) => d > 100).length,
    longestTaskMs: Math.round(Math.max(0, ...tasks)),
    ...(pdfPages !== undefined ? { pdfPages } : {}),
  };
}
