/**
 * The rollout end to end (docs/rollout.md): a real gateway on a real Redis serving two built
 * versions side by side — the package's own build as the stable one, and a candidate built with
 * LEADWIRE_TEST_FAULT=1, whose widgets throw — and headless Chromium loading a GHL-like page for
 * 40 locations through the one pasted URL. At 25 % exactly the locations whose bucket is below 25
 * run the candidate, and a reload keeps each where it was; the candidate's errors, reported by
 * its telemetry, make the gateway roll it back; an open candidate page is told to reload; the
 * next load of every location runs the stable version.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { Redis } from 'ioredis';
import puppeteer, { type Browser, type Page } from 'puppeteer-core';
import { mintToken } from '../gateway/src/auth.ts';
import { startGateway, type Gateway } from '../gateway/src/gateway.ts';
import { bucketOf } from '../gateway/src/rollout/model.ts';
import { RedisRolloutStore } from '../gateway/src/rollout/store.ts';
import { waitUntil } from '../gateway/test/support/http-clients.ts';
import { startRedis, type RedisServer } from '../gateway/test/support/redis.ts';
// @ts-expect-error — plain .mjs helpers, no declarations
import { CHROMIUM_ARGS, CHROMIUM_PATH } from './chromium.mjs';
// @ts-expect-error — plain .mjs helpers, no declarations
import { ROOT, ensureBuild } from './build.mjs';

const SECRET = 'rollout-proof-secret-rollout-proof-secret';
const STABLE = JSON.parse(readFileSync(join(ROOT, 'components/package.json'), 'utf8')).version as string;
const CANDIDATE = `${STABLE}-faulty.1`;
const LOCATIONS = Array.from({ length: 40 }, (_, i) => `loc_proof${i}`);
const QUARTER = LOCATIONS.filter((id) => bucketOf(id) < 25);
const EMAIL = 'jane.doe@example.com';

let work: string;
let redis: RedisServer;
let gateway: Gateway;
let site: Server;
let siteUrl: string;
let browser: Browser;
let cli: (args: string[]) => string;

/** One script-tag build as a published version: components/dist's embed files, copied. */
function publish(from: string, version: string): void {
  const to = join(work, 'versions', version);
  mkdirSync(to, { recursive: true });
  for (const name of ['leadwire.js', 'leadwire-rollout.js', 'leadwire']) cpSync(join(from, name), join(to, name), { recursive: true });
}

before(
  async () => {
    work = mkdtempSync(join(tmpdir(), 'leadwire-rollout-proof-'));
    ensureBuild(['embed']);
    publish(join(ROOT, 'components/dist'), STABLE);
    const built = spawnSync('npx', ['rollup', '-c', '--silent', '--environment', 'BUILD:embed'], {
      cwd: ROOT,
      encoding: 'utf8',
      env: { ...process.env, LEADWIRE_OUT: join(work, 'candidate'), LEADWIRE_VERSION: CANDIDATE, LEADWIRE_TEST_FAULT: '1' },
    });
    assert.equal(built.status, 0, built.stderr);
    publish(join(work, 'candidate'), CANDIDATE);

    redis = await startRedis();
    // A "GHL page" on its own origin: the pasted script tag, a widget, and the page's token URL.
    site = createServer((req, res) => {
      const url = new URL(req.url!, 'http://site');
      if (url.pathname === '/token') {
        void mintToken({ sub: 'page', tenants: [url.searchParams.get('location')!], scopes: ['events:read'] }, SECRET).then((token) =>
          res.writeHead(200, { 'content-type': 'application/json', 'cache-control': 'no-store' }).end(JSON.stringify({ token })),
        );
        return;
      }
      res.writeHead(200, { 'content-type': 'text/html' }).end(`<!doctype html><html><head>
<script src="${gateway.url}/leadwire.js" data-gateway="${gateway.url}" data-token-url="/token"></script></head>
<body><theme-toggle></theme-toggle></body></html>`);
    });
    await new Promise<void>((resolve) => site.listen(0, '127.0.0.1', resolve));
    siteUrl = `http://127.0.0.1:${(site.address() as AddressInfo).port}`;
    const env = { REDIS_URL: redis.url, ROLLOUT_KEY: 'leadwire:rollout', ROLLOUT_VERSIONS_DIR: join(work, 'versions') };
    cli = (args) => {
      const result = spawnSync(process.execPath, ['--import', 'tsx', 'scripts/rollout.ts', ...args, '--as', 'cli:proof'], { cwd: ROOT, encoding: 'utf8', env: { ...process.env, ...env } });
      assert.equal(result.status, 0, result.stderr);
      return result.stdout;
    };
    gateway = await startGateway({
      PORT: 0,
      AUTH_SECRET: SECRET,
      LOG_LEVEL: 'silent',
      ALLOWED_ORIGINS: siteUrl,
      ...env,
      ROLLOUT_CHECK_MS: 100,
      ROLLOUT_RECHECK_MS: 1_000,
      // Judged once every quarter location loaded it twice (first load and reload), at the next load.
      ROLLOUT_MIN_SAMPLE: 2 * QUARTER.length + 1,
      ROLLOUT_MARGIN: 0.2,
      HTTP_RATE_PER_SECOND: 1_000,
      HTTP_RATE_BURST: 1_000,
    });
    browser = await puppeteer.launch({ executablePath: CHROMIUM_PATH, headless: true, args: CHROMIUM_ARGS });
  },
  { timeout: 600_000 },
);

after(async () => {
  await browser?.close();
  site?.closeAllConnections();
  site?.close();
  await gateway?.close();
  await redis?.stop();
  if (work) rmSync(work, { recursive: true, force: true });
});

/** What each page said on its console: named when a load fails. */
const consoles = new WeakMap<Page, string[]>();
async function newPage(): Promise<Page> {
  const page = await browser.newPage();
  const said: string[] = [];
  consoles.set(page, said);
  page.on('console', (message) => said.push(`${message.type()}: ${message.text()}`));
  page.on('pageerror', (error) => said.push(`pageerror: ${String(error)}`));
  return page;
}

const loads = () => gateway.versionHealth.summary().reduce((sum, v) => sum + v.loads, 0);

/** Opens (or reloads) a location's page and waits for its widgets and its first telemetry report. */
async function load(page: Page, location: string, reload = false): Promise<string> {
  const before = loads();
  consoles.get(page)!.length = 0;
  if (reload) await page.reload();
  else await page.goto(`${siteUrl}/ghl?location_id=${location}`);
  try {
    // Polled on a timer, not on animation frames: a tab in the background gets none.
    await page.waitForFunction(() => (window as { Leadwire?: { version?: string } }).Leadwire?.version, { timeout: 60_000, polling: 100 });
    await waitUntil(() => loads() > before, `the telemetry of ${location}'s load`, 60_000);
  } catch (error) {
    throw new Error(`${location}: ${(error as Error).message}; the page said: ${consoles.get(page)!.join(' | ')}`);
  }
  return page.evaluate(() => (window as unknown as { Leadwire: { version: string } }).Leadwire.version);
}

test('25 %: the hashed quarter of 40 locations runs the candidate, reloads keep each on its version; its errors roll it back', { timeout: 600_000 }, async () => {
  assert.ok(QUARTER.length > 0 && QUARTER.length < LOCATIONS.length, 'the 40 ids straddle the 25 % line');
  cli(['init', STABLE]);
  cli(['stage', CANDIDATE]);
  assert.match(cli(['set', '25']), /at 25 %/);
  await gateway.rollout.tick();

  const page = await newPage();
  const first = new Map<string, string>();
  for (const location of LOCATIONS) {
    first.set(location, await load(page, location));
    assert.equal(await load(page, location, true), first.get(location), `${location} keeps its version on reload`);
  }
  const onCandidate = LOCATIONS.filter((id) => first.get(id) === CANDIDATE);
  assert.deepEqual(onCandidate, QUARTER, 'exactly the locations whose bucket is below 25');
  assert.ok(LOCATIONS.every((id) => [STABLE, CANDIDATE].includes(first.get(id)!)));

  const health = Object.fromEntries(gateway.versionHealth.summary().map((v) => [v.version, v]));
  assert.equal(health[CANDIDATE]!.loads, 2 * QUARTER.length);
  assert.equal(health[STABLE]!.loads, 2 * (LOCATIONS.length - QUARTER.length));
  assert.ok(health[CANDIDATE]!.errors > 0, 'the candidate reported its errors');
  assert.equal(health[STABLE]!.errors, 0);
  assert.ok(health[STABLE]!.renderMsAvg! > 0, 'render time reported');
  assert.equal(gateway.rollout.state!.percent, 25, 'not judged below the minimum sample');

  // A candidate page left open: told to reload once its version is withdrawn.
  const open = await newPage();
  await load(open, QUARTER[0]!);
  await waitUntil(() => gateway.rollout.state?.action === 'rollback', 'the automatic rollback', 20_000);
  const store = new RedisRolloutStore(redis.url, 'leadwire:rollout');
  const state = (await store.load().finally(() => store.close()))!;
  assert.deepEqual([state.percent, state.withdrawn, state.changedBy], [0, [CANDIDATE], 'gateway auto-rollback']);
  await open.waitForFunction((stable: string) => (window as { Leadwire?: { version?: string } }).Leadwire?.version === stable, { timeout: 60_000, polling: 100 }, STABLE);
  await open.close();
  await page.bringToFront();

  for (const location of LOCATIONS) assert.equal(await load(page, location), STABLE, `${location} after the rollback`);

  const written = (await gateway.log.readAfter('0-0', 10_000)).map((e) => JSON.parse(e.raw!) as { type: string; data: Record<string, unknown> });
  assert.deepEqual(
    written.filter((e) => e.type === 'audit.rollout').map((e) => [e.data.action, e.data.by]),
    [['init', 'cli:proof'], ['stage', 'cli:proof'], ['set', 'cli:proof'], ['rollback', 'gateway auto-rollback']],
  );
  assert.equal(written.filter((e) => e.type === 'system.alert').length, 1);
});

test('telemetry refuses unauthenticated and oversized reports and never stores an email or a phone number', async () => {
  const token = await mintToken({ sub: 'page', tenants: [LOCATIONS[0]!], scopes: ['events:read'] }, SECRET);
  const post = (body: string, bearer?: string) =>
    fetch(`${gateway.url}/v1/telemetry`, { method: 'POST', headers: { 'content-type': 'application/json', ...(bearer ? { authorization: `Bearer ${bearer}` } : {}) }, body });
  const before = JSON.stringify(gateway.versionHealth.summary());
  assert.equal((await post(JSON.stringify({ version: STABLE, loads: 1 }))).status, 401);
  assert.equal((await post(JSON.stringify({ version: STABLE, errors: 1, stack: 'x'.repeat(4_096) }), token)).status, 413);
  assert.equal((await post(JSON.stringify({ version: STABLE, errors: 1, message: `${EMAIL} +1 512 555 0199` }), token)).status, 400);
  assert.equal(JSON.stringify(gateway.versionHealth.summary()), before);
  // Nowhere the gateway keeps or shows anything: its metrics, and every key in Redis.
  const stored = [await (await fetch(`${gateway.url}/metrics`)).text()];
  const client = new Redis(redis.url);
  try {
    for (const key of await client.keys('*')) {
      const type = await client.type(key);
      if (type === 'string') stored.push((await client.get(key))!);
      if (type === 'stream') stored.push(JSON.stringify(await client.xrange(key, '-', '+')));
      if (type === 'hash') stored.push(JSON.stringify(await client.hgetall(key)));
    }
  } finally {
    client.disconnect();
  }
  assert.ok(stored.length > 2, 'the log and the rollout state were read');
  for (const text of stored) assert.doesNotMatch(text, /jane|example\.com|555 0199/);
});
