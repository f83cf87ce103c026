/**
 * The two packages as a developer and an operator get them, following docs/developers.md and
 * docs/gateway.md: `npm run pack`, each tarball installed with `npm install --omit=dev` into a
 * fresh project (dependencies from the npm registry, or npm's cache), then
 *  - the gateway started through its bin on plain Node, on a real Redis, and again over TLS
 *    (a self-signed certificate made by openssl), with the Dockerfile's health check and the
 *    systemd unit's ExecStart tried against the installed package;
 *  - the widgets in real headless Chromium three ways — a Vite production build using the React
 *    wrappers, a page with the documented import map and no bundler, and the script tag from a
 *    CDN origin under the documented strict CSP — each live on events from the packaged
 *    gateway, and each exporting XLSX in the export worker (the `leadwire:export-builder` mark
 *    and the worker Chromium saw), not on the page.
 * One install and one browser for the whole file.
 */
import assert from 'node:assert/strict';
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { get as httpsGet } from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { extname, join, normalize } from 'node:path';
import { after, before, test } from 'node:test';
import { Redis } from 'ioredis';
import puppeteer, { type Browser, type Page } from 'puppeteer-core';
import { WebSocket } from 'ws';
import * as XLSX from 'xlsx';
import { leadEvent } from '../gateway/test/support/events.ts';
import { freePort, startRedis, type RedisServer } from '../gateway/test/support/redis.ts';
import { parseDockerfile, parseUnit } from '../gateway/test/support/deploy-files.ts';
// @ts-expect-error — plain .mjs helpers, no declarations
import { CHROMIUM_ARGS, CHROMIUM_PATH } from './chromium.mjs';
// @ts-expect-error — plain .mjs helpers, no declarations
import { pack } from './pack.mjs';
// @ts-expect-error — plain .mjs helpers, no declarations
import { ROOT } from './build.mjs';

const SECRET = 'packages-test-secret-packages-test-secret';
const TENANT = 'loc_Packaged01';
const SERVER_ONLY = ['express', 'ioredis', 'ws', 'jose', 'pino', 'prom-client', 'zod'];

let work: string;
let redis: RedisServer;
let browser: Browser;
const children: ChildProcess[] = [];
const servers: Server[] = [];
/** The gateway started from the installed package's bin, plain HTTP. */
let gateway: { url: string; child: ChildProcess };
let token: string;
let site: string;
let cdn: string;

const gatewayDir = () => join(work, 'gateway');
const appDir = () => join(work, 'app');
const bin = (name: string) => join(gatewayDir(), 'node_modules/.bin', name);

function run(command: string, args: string[], cwd: string, env: NodeJS.ProcessEnv = process.env): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (err += d));
    child.on('exit', (code) => (code === 0 ? resolve(out) : reject(new Error(`${command} ${args.join(' ')} (in ${cwd}) exited with ${code}:\n${out}\n${err}`))));
  });
}

/** A fresh project with `packages` installed as a user would, without development dependencies. */
async function install(dir: string, packages: string[]): Promise<void> {
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: `try-${dir.split('/').at(-1)}`, private: true, type: 'module' }));
  await run('npm', ['install', '--omit=dev', '--no-audit', '--no-fund', '--prefer-offline', ...packages], dir);
}

/** Starts the installed `leadwire-gateway` bin; resolves with the URL it prints. */
function startGatewayBin(env: Record<string, string>): Promise<{ url: string; child: ChildProcess }> {
  const child = spawn(bin('leadwire-gateway'), [], {
    cwd: gatewayDir(),
    env: { PATH: process.env.PATH, PORT: '0', AUTH_SECRET: SECRET, LOG_LEVEL: 'warn', TAIL_BLOCK_MS: '200', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.push(child);
  return new Promise((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', (d) => {
      out += d;
      const url = /Leadwire gateway on (\S+)/.exec(out)?.[1];
      if (url) resolve({ url, child });
    });
    child.stderr!.on('data', (d) => (out += d));
    child.on('exit', (code) => reject(new Error(`leadwire-gateway exited with ${code}:\n${out}`)));
  });
}

async function until<T>(what: string, probe: () => Promise<T | undefined> | T | undefined, timeoutMs = 15_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

const TYPES: Record<string, string> = { '.html': 'text/html', '.js': 'text/javascript', '.mjs': 'text/javascript', '.json': 'application/json', '.map': 'application/json', '.css': 'text/css' };

/** A static server: `routes` maps a URL prefix to a folder, `pages` a path to HTML; `cors` for a CDN. */
async function staticServer(routes: Record<string, string>, pages: Record<string, () => string> = {}, cors = false): Promise<string> {
  const server = createServer((req, res) => {
    const path = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname);
    const headers: Record<string, string> = cors ? { 'access-control-allow-origin': '*' } : {};
    if (path === '/favicon.ico') return void res.writeHead(204, headers).end();
    if (path === '/token') return void res.writeHead(200, { ...headers, 'content-type': 'application/json', 'cache-control': 'no-store' }).end(JSON.stringify({ token }));
    if (pages[path]) return void res.writeHead(200, { ...headers, 'content-type': 'text/html' }).end(pages[path]());
    const prefix = Object.keys(routes).find((p) => path.startsWith(p));
    const file = prefix && join(routes[prefix], normalize(path.slice(prefix.length)));
    if (!file || file.includes('..') || !existsSync(file) || !statSync(file).isFile()) return void res.writeHead(404, headers).end();
    res.writeHead(200, { ...headers, 'content-type': TYPES[extname(file)] ?? 'application/octet-stream' }).end(readFileSync(file));
  });
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

/** The fenced block of `language` in `doc` that contains `marker`. */
function docBlock(doc: string, language: string, marker: string): string {
  const blocks: Array<{ language: string; text: string }> = [];
  let open: { language: string; lines: string[] } | undefined;
  for (const line of readFileSync(join(ROOT, 'docs', doc), 'utf8').split('\n')) {
    const fence = /^\s*```(\w*)\s*$/.exec(line);
    if (fence && !open) open = { language: fence[1], lines: [] };
    else if (fence && open) {
      blocks.push({ language: open.language, text: open.lines.join('\n') });
      open = undefined;
    } else open?.lines.push(line);
  }
  const block = blocks.find((b) => b.language === language && b.text.includes(marker));
  assert.ok(block, `docs/${doc} has no \`\`\`${language} block with ${marker}`);
  return block.text;
}

/** docs/developers.md's import map for a page without a bundler. */
const documentedImportMap = () => {
  const html = docBlock('developers.md', 'html', '"importmap"');
  return JSON.parse(/<script type="importmap">([\s\S]*?)<\/script>/.exec(html)![1]) as { imports: Record<string, string> };
};

/** docs/embedding-ghl.md's strict policy for a page loading the script from a CDN, with this test's origins. */
const documentedCdnPolicy = (gatewayUrl: string) =>
  docBlock('embedding-ghl.md', '', 'https://cdn.example.com')
    .trim()
    .replace(/\s*\n\s*/g, ' ')
    .replaceAll('https://cdn.example.com', cdn)
    .replaceAll('https://gateway.example.com', gatewayUrl)
    .replaceAll('wss://gateway.example.com', gatewayUrl.replace(/^http/, 'ws'));

before(
  async () => {
    work = mkdtempSync(join(tmpdir(), 'leadwire-packages-'));
    const [widgets, gatewayTarball] = pack(join(work, 'packs')) as string[];
    assert.match(widgets, /leadwire-\d+\.\d+\.\d+\.tgz$/);
    assert.match(gatewayTarball, /leadwire-gateway-\d+\.\d+\.\d+\.tgz$/);
    const react = JSON.parse(readFileSync(join(ROOT, 'node_modules/react/package.json'), 'utf8')).version as string;
    const [started] = await Promise.all([
      startRedis(),
      install(gatewayDir(), [gatewayTarball]),
      install(appDir(), [widgets, `react@${react}`, `react-dom@${react}`]),
    ]);
    redis = started;
    gateway = await startGatewayBin({ REDIS_URL: redis.url });
    token = (await run(bin('leadwire-token'), ['--tenant', TENANT, '--scope', 'events:read', '--scope', 'export', '--ttl', '3600'], gatewayDir(), { ...process.env, AUTH_SECRET: SECRET })).trim();
    browser = await puppeteer.launch({ executablePath: CHROMIUM_PATH, headless: true, args: CHROMIUM_ARGS });
    // docs/embedding-ghl.md: the package's dist/ folder uploaded to a CDN that answers with CORS.
    cdn = await staticServer({ '/leadwire/': join(appDir(), 'node_modules/leadwire/dist') }, {}, true);
    site = await staticServer({ '/vite/': join(appDir(), 'dist'), '/node_modules/': join(appDir(), 'node_modules') }, {
      '/vite/': () => readFileSync(join(appDir(), 'dist/index.html'), 'utf8'),
      '/import-map.html': importMapPage,
      '/cdn.html': cdnPage,
    });
  },
  { timeout: 600_000 },
);

after(async () => {
  await browser?.close();
  for (const server of servers) {
    server.closeAllConnections();
    server.close();
  }
  for (const child of children) if (child.exitCode === null) child.kill('SIGTERM');
  await Promise.all(children.map((c) => (c.exitCode === null ? new Promise((r) => c.once('exit', r)) : undefined)));
  await redis?.stop();
  if (work) rmSync(work, { recursive: true, force: true });
});

// ---- the packages as installed ---------------------------------------------------------------

test('the widgets install only what the browser loads; the gateway only what the server loads, and no TypeScript loader', () => {
  const installed = (dir: string, name: string) => existsSync(join(dir, 'node_modules', name, 'package.json'));
  for (const name of SERVER_ONLY) assert.equal(installed(appDir(), name), false, `the widgets' install has ${name}`);
  for (const name of ['lit', '@lit/context', '@lit-labs/virtualizer', 'chart.js', 'xlsx', 'jspdf']) assert.ok(installed(appDir(), name), `the widgets' install lacks ${name}`);
  assert.equal(existsSync(join(appDir(), 'node_modules/leadwire/node_modules/react')), false, 'the widgets bring a React of their own');
  for (const name of SERVER_ONLY) assert.ok(installed(gatewayDir(), name), `the gateway's install lacks ${name}`);
  for (const name of ['tsx', 'typescript', 'lit', 'xlsx']) assert.equal(installed(gatewayDir(), name), false, `the gateway's install has ${name}`);
  const widgetsPkg = JSON.parse(readFileSync(join(appDir(), 'node_modules/leadwire/package.json'), 'utf8'));
  for (const file of ['README.md', 'LICENSE', widgetsPkg.customElements, widgetsPkg['web-types'], 'dist/vscode.html-custom-data.json', 'dist/vscode.css-custom-data.json', 'dist/leadwire.js']) {
    assert.ok(existsSync(join(appDir(), 'node_modules/leadwire', file)), `leadwire lacks ${file}`);
  }
  for (const file of ['README.md', 'LICENSE', 'deploy/Dockerfile', 'dist/gateway/src/index.d.ts']) assert.ok(existsSync(join(gatewayDir(), 'node_modules/leadwire-gateway', file)), `leadwire-gateway lacks ${file}`);
});

test('the gateway runs from its bin: ready on Redis, and over TLS on https: and wss:', async () => {
  const ready = await until('readiness', async () => {
    const response = await fetch(`${gateway.url}/readyz`);
    return response.ok ? ((await response.json()) as { ready: boolean; log: string }) : undefined;
  });
  assert.deepEqual([ready.ready, ready.log], [true, 'redis']);

  const cert = join(work, 'gateway.crt');
  const key = join(work, 'gateway.key');
  execFileSync('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-days', '1', '-subj', '/CN=localhost', '-addext', 'subjectAltName=IP:127.0.0.1', '-keyout', key, '-out', cert], { stdio: 'ignore' });
  const tls = await startGatewayBin({ REDIS_URL: redis.url, TLS_CERT_FILE: cert, TLS_KEY_FILE: key });
  assert.match(tls.url, /^https:\/\//);
  const ca = readFileSync(cert);
  const status = await until('TLS readiness', () =>
    new Promise<number | undefined>((resolve) =>
      httpsGet(`${tls.url}/readyz`, { ca }, (res) => {
        res.resume();
        resolve(res.statusCode === 200 ? res.statusCode : undefined);
      }).on('error', () => resolve(undefined)),
    ),
  );
  assert.equal(status, 200);
  const socket = new WebSocket(`${tls.url.replace(/^https/, 'wss')}/v1/ws`, { ca });
  const welcome = new Promise<{ type: string }>((resolve, reject) => {
    socket.once('message', (data) => resolve(JSON.parse(data.toString())));
    socket.once('error', reject);
  });
  socket.once('open', () => socket.send(JSON.stringify({ type: 'hello', v: 1, token })));
  assert.equal((await welcome).type, 'welcome');
  socket.close();

  // The Dockerfile's health check, as the container runtime runs it, against both.
  const steps = parseDockerfile(readFileSync(join(gatewayDir(), 'node_modules/leadwire-gateway/deploy/Dockerfile'), 'utf8'));
  const healthcheck = steps.find((s) => s.instruction === 'HEALTHCHECK')!.args;
  const [command, ...args] = JSON.parse(healthcheck.slice(healthcheck.indexOf('CMD') + 3)) as string[];
  const check = (env: Record<string, string>) => run(command, args, work, { PATH: process.env.PATH, ...env }).then(() => 0, () => 1);
  assert.equal(await check({ PORT: new URL(gateway.url).port }), 0, 'healthy over HTTP');
  assert.equal(await check({ PORT: new URL(tls.url).port, TLS_CERT_FILE: cert }), 0, 'healthy over TLS');
  assert.equal(await check({ PORT: String(await freePort()) }), 1, 'nothing listening: unhealthy');
  // The systemd unit's ExecStart names the bin an `npm install --prefix /opt/leadwire` makes.
  const unit = parseUnit(readFileSync(join(gatewayDir(), 'node_modules/leadwire-gateway/deploy/leadwire-gateway.service'), 'utf8'));
  const execStart = unit.get('Service')!.get('ExecStart')![0].replace('/opt/leadwire', gatewayDir());
  assert.ok(statSync(execStart).mode & 0o111, `${execStart} is not executable`);
});

// ---- the widgets in Chromium ------------------------------------------------------------------

interface PageRun {
  warnings: string[];
  errors: string[];
  workers: string[];
}

async function open(url: string): Promise<{ page: Page; seen: PageRun }> {
  const page = await browser.newPage();
  const seen: PageRun = { warnings: [], errors: [], workers: [] };
  page.on('console', (message) => {
    if (message.type() === 'warn') seen.warnings.push(message.text());
    if (message.type() === 'error') seen.errors.push(message.text());
  });
  page.on('pageerror', (error) => seen.errors.push(String(error)));
  page.on('workercreated', (worker) => seen.workers.push(worker.url()));
  // tsx compiles this file keeping function names through a helper, __name, which functions
  // handed to page.evaluate() carry into the page.
  await page.evaluateOnNewDocument('globalThis.__name = (fn) => fn;');
  await page.goto(url);
  return { page, seen };
}

/** Events published into Redis reach the page's feed from the packaged gateway. */
async function liveEvents(page: Page): Promise<string[]> {
  await page.waitForFunction(() => (document.querySelector('activity-feed') as HTMLElement & { status?: string })?.status === 'live', { timeout: 20_000 });
  const publisher = new Redis(redis.url);
  const names: string[] = [];
  try {
    // Names without digits: the gateway masks digit runs that look like phone numbers (no pii:read).
    const run = Array.from({ length: 6 }, () => String.fromCharCode(97 + Math.floor(Math.random() * 26))).join('');
    for (const first of ['Ana', 'Bruno', 'Clara']) {
      const envelope = leadEvent(TENANT, {}, { name: `${first} ${run}` });
      names.push((envelope.data as { name: string }).name);
      await publisher.xadd('leadwire:events', '*', 'e', JSON.stringify(envelope));
    }
  } finally {
    publisher.disconnect();
  }
  await page.waitForFunction(
    (expected: string[]) => {
      const feed = document.querySelector('activity-feed') as HTMLElement & { visibleEvents?: Array<{ data: { name?: string } }> };
      return expected.every((name) => feed.visibleEvents?.some((e) => e.data.name === name));
    },
    { timeout: 20_000 },
    names,
  );
  return names;
}

/** Picks Excel in the export button's menu; the file (kept off the disk) and where it was built. */
async function exportXlsx(page: Page): Promise<{ book: XLSX.WorkBook; builders: unknown[] }> {
  const result = await page.evaluate(async () => {
    const button = document.querySelector('export-button') as HTMLElement & { disabledReason: string | null };
    const wait = async (probe: () => unknown, what: string) => {
      for (let i = 0; !probe(); i++) {
        if (i > 200) throw new Error(`${what} never happened`);
        await new Promise((r) => setTimeout(r, 50));
      }
    };
    await wait(() => button.disabledReason === null, 'export enabled');
    const done = new Promise<CustomEvent<{ blob: Blob }>>((resolve) =>
      button.addEventListener('lw-export-complete', (event) => (event.preventDefault(), resolve(event as CustomEvent<{ blob: Blob }>)), { once: true }),
    );
    button.shadowRoot!.querySelector<HTMLButtonElement>('[part~="trigger"]')!.click();
    const item = () => [...button.shadowRoot!.querySelectorAll<HTMLButtonElement>('[part~="item"]')].find((b) => b.textContent!.includes('xlsx'));
    await wait(item, 'the menu');
    item()!.click();
    const bytes = new Uint8Array(await (await done).detail.blob.arrayBuffer());
    let binary = '';
    for (const byte of bytes) binary += String.fromCharCode(byte);
    return { base64: btoa(binary), builders: performance.getEntriesByName('leadwire:export-builder').map((m) => (m as PerformanceMark).detail) };
  });
  return { book: XLSX.read(Buffer.from(result.base64, 'base64'), { type: 'buffer' }), builders: result.builders };
}

/** Live, then an XLSX export built in a worker holding the events that arrived. */
async function liveAndExportedByTheWorker(url: string, workerScript: RegExp): Promise<PageRun> {
  const { page, seen } = await open(url);
  try {
    const names = await liveEvents(page).catch(async (error: Error) => {
      const state = await page.evaluate(() => {
        const feed = document.querySelector('activity-feed') as (HTMLElement & { status?: string; events?: Array<{ data: { name?: string } }>; visibleEvents?: unknown[] }) | null;
        if (!feed) return { feed: 'no <activity-feed>' };
        return { status: feed.status, held: feed.events?.map((e) => e.data.name), visible: feed.visibleEvents?.length };
      });
      throw new Error(`${error.message}: ${JSON.stringify(state)}; console: ${JSON.stringify(seen)}`);
    });
    const { book, builders } = await exportXlsx(page);
    assert.deepEqual(builders, [{ format: 'xlsx', builder: 'worker' }], 'built on the page, not in the worker');
    assert.ok(seen.workers.some((w) => workerScript.test(w)), `no export worker started: ${seen.workers.join(', ') || 'none'}`);
    const rows = XLSX.utils.sheet_to_json<Record<string, unknown>>(book.Sheets.Export);
    for (const name of names) assert.ok(rows.some((row) => Object.values(row).includes(name)), `${name} is not in the export`);
    assert.deepEqual(seen.warnings.filter((w) => w.includes('[leadwire]')), []);
    assert.deepEqual(seen.errors, []);
    return seen;
  } finally {
    await page.close();
  }
}

test('a Vite production build with the React wrappers: live from the packaged gateway, XLSX built by the worker', async () => {
  writeFileSync(
    join(appDir(), 'index.html'),
    '<!doctype html><html><head><meta charset="utf-8"><title>Leadwire in a Vite app</title></head><body><div id="root"></div><script type="module" src="./main.js"></script></body></html>',
  );
  writeFileSync(
    join(appDir(), 'main.js'),
    `import { createElement as h, Fragment } from 'react';
import { createRoot } from 'react-dom/client';
import { ActivityFeed, ExportButton } from 'leadwire/react';

const gateway = new URLSearchParams(location.search).get('gateway');
createRoot(document.getElementById('root')).render(
  h(Fragment, null, h(ExportButton), h(ActivityFeed, { gateway, tokenUrl: '/token', maxItems: 100 })),
);
`,
  );
  // Vite from this repository, resolving everything from the app's own node_modules.
  await run(join(ROOT, 'node_modules/.bin/vite'), ['build', '--base', '/vite/', '--logLevel', 'warn'], appDir());
  const emitted = readFileSync(join(appDir(), 'dist/index.html'), 'utf8');
  assert.match(emitted, /\/vite\/assets\/index-[\w-]+\.js/);
  await liveAndExportedByTheWorker(`${site}/vite/?gateway=${encodeURIComponent(gateway.url)}`, /\/vite\/assets\/xlsx\.worker[-.\w]*\.js$/);
});

function importMapPage(): string {
  return `<!doctype html><html><head><meta charset="utf-8"><title>Leadwire with an import map</title>
<script type="importmap">${JSON.stringify(documentedImportMap())}</script>
<script type="module">
  import 'leadwire/activity-feed/define.js';
  import 'leadwire/export-button/define.js';
</script></head>
<body><export-button></export-button><activity-feed gateway="${gateway.url}" token-url="/token"></activity-feed></body></html>`;
}

test('a page with the documented import map (no bundler): every mapping is installed, live, XLSX built by the worker', async () => {
  const { imports } = documentedImportMap();
  for (const [specifier, address] of Object.entries(imports)) {
    const file = join(appDir(), address);
    assert.ok(existsSync(file) && (specifier.endsWith('/') ? statSync(file).isDirectory() : statSync(file).isFile()), `${specifier} → ${address} is not in the install`);
  }
  await liveAndExportedByTheWorker(`${site}/import-map.html`, /\/node_modules\/leadwire\/dist\/esm\/components\/export-button\/xlsx\.worker\.js$/);
  // The libraries the page itself loads on demand (charts, chart and on-page PDFs) resolve too.
  const { page, seen } = await open(`${site}/import-map.html`);
  try {
    const loaded = await page.evaluate(async () => {
      const names: string[] = [];
      for (const spec of ['chart.js', 'jspdf', 'xlsx']) names.push(Object.keys(await import(spec)).length > 0 ? spec : `${spec} (empty)`);
      return names;
    });
    assert.deepEqual(loaded, ['chart.js', 'jspdf', 'xlsx']);
    assert.deepEqual(seen.errors, []);
  } finally {
    await page.close();
  }
});

function cdnPage(): string {
  return `<!doctype html><html><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${documentedCdnPolicy(gateway.url)}">
<title>Leadwire from a CDN</title>
<script src="${cdn}/leadwire/leadwire.js" data-gateway="${gateway.url}" data-token-url="/token"></script></head>
<body><export-button></export-button><activity-feed></activity-feed></body></html>`;
}

test('the script tag from a CDN origin under the documented strict CSP: live, XLSX built by the worker', async () => {
  assert.notEqual(new URL(cdn).origin, new URL(site).origin);
  const seen = await liveAndExportedByTheWorker(`${site}/cdn.html`, /^blob:/);
  assert.deepEqual(seen.errors.filter((e) => /Content Security Policy/i.test(e)), []);
});
