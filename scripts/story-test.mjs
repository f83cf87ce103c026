/**
 * The built Storybook, story by story, in headless Chromium: every story (storybook-static/
 * index.json, type `story`) must render without a console error or page error and pass axe's
 * WCAG 2 A/AA rules on the story root; every autodocs page must render its API table with the
 * manifest's attributes, properties, events, CSS parts and CSS properties, and every written
 * (MDX) page must pass axe too.
 *
 * Usage: node scripts/story-test.mjs [--dir storybook-static] [--filter <id part>]
 *   [--globals theme:dark] (toolbar globals, e.g. the whole suite in a theme) [--viewport 320x640]
 */
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { extname, join, normalize, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { createRequire } from 'node:module';
import puppeteer from 'puppeteer-core';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from './chromium.mjs';

const { values: options } = parseArgs({
  options: {
    dir: { type: 'string', default: 'storybook-static' },
    filter: { type: 'string' },
    globals: { type: 'string' },
    viewport: { type: 'string', default: '1280x800' },
  },
});

const AXE = createRequire(import.meta.url).resolve('axe-core/axe.min.js');
const AXE_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'];
/** The categories Storybook gives the manifest's sections in the API table. */
const API_SECTIONS = ['attributes', 'properties', 'events', 'css custom properties', 'css shadow parts'];
/** The a11y addon runs its own axe after each render; one axe per page at a time, so this run is the only one. */
const ADDON_AXE_OFF = 'a11y.manual:!true';
const TIMEOUT_MS = 20_000;
/**
 * The toolbar's desktop viewport. A virtualised list renders only rows inside the viewport, so a
 * feed below the fold has no rows yet (axe: a scrollable region without focusable content).
 */
const [width, height] = options.viewport.split('x').map(Number);
const VIEWPORT = { width, height };
const GLOBALS = [ADDON_AXE_OFF, options.globals].filter(Boolean).join(';');
const SETTLE_FRAMES = 3;
const SETTLE_MAX_MS = 3_000;
/** Two pages at a time: most of a story's time is waiting on the page, and the machine has two cores. */
const CONCURRENCY = 2;


const MIME = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript',
  '.mjs': 'text/javascript',
  '.css': 'text/css',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
  '.woff2': 'font/woff2',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
};

/** A static file server for the build, on a free loopback port. */
async function serve(dir) {
  const root = resolve(dir);
  const server = createServer((req, res) => {
    const path = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname);
    if (path === '/favicon.ico') return void res.writeHead(204).end(); // asked for by the browser, not the build
    const file = normalize(join(root, path.endsWith('/') ? `${path}index.html` : path));
    if (!file.startsWith(root)) return void res.writeHead(403).end();
    try {
      const body = readFileSync(file);
      res.writeHead(200, { 'content-type': MIME[extname(file)] ?? 'application/octet-stream' }).end(body);
    } catch {
      res.writeHead(404).end();
    }
  });
  await new Promise((done) => server.listen(0, '127.0.0.1', done));
  return { server, url: `http://127.0.0.1:${server.address().port}/` };
}

/** Collects what the page reports as broken: console errors, uncaught errors, failed requests. */
function watch(page) {
  const problems = [];
  page.on('console', (message) => {
    if (message.type() === 'error') {
      const where = message.location()?.url;
      problems.push(`console error: ${message.text()}${where ? ` (${where})` : ''}`);
    }
  });
  page.on('pageerror', (error) => problems.push(`page error: ${error instanceof Error ? error.message : String(error)}`));
  page.on('requestfailed', (request) => {
    if (request.failure()?.errorText !== 'net::ERR_ABORTED') problems.push(`request failed: ${request.url()} (${request.failure()?.errorText})`);
  });
  return problems;
}

/**
 * Resolves once Storybook shows the story (or its error display) and the story has settled: every
 * Lit element under the root has updated and the DOM, shadow roots included, has not changed for
 * a few frames (a virtualised list sizes itself a frame before it renders its rows). A story that
 * never settles (live traffic at a high rate) is checked as it is after SETTLE_MAX_MS.
 */
async function rendered(page, rootSelector) {
  await page.waitForSelector('body.sb-show-main, body.sb-show-errordisplay', { timeout: TIMEOUT_MS });
  const error = await page.$eval('body', (body) => (body.classList.contains('sb-show-errordisplay') ? (document.querySelector('#error-message')?.textContent ?? 'error display') : null));
  if (error) throw new Error(`Storybook shows an error: ${error.trim()}`);
  await page.evaluate(
    async (selector, quietFrames, maxMs) => {
      const root = document.querySelector(selector) ?? document.body;
      let changed = false;
      const observer = new MutationObserver(() => (changed = true));
      const observed = new WeakSet();
      const scan = (node) =>
        [...node.querySelectorAll('*')].flatMap((element) => {
          const shadow = element.shadowRoot;
          if (shadow && !observed.has(shadow)) {
            observed.add(shadow);
            observer.observe(shadow, { subtree: true, childList: true, attributes: true, characterData: true });
          }
          return [...('updateComplete' in element ? [element.updateComplete] : []), ...(shadow ? scan(shadow) : [])];
        });
      observer.observe(root, { subtree: true, childList: true, attributes: true, characterData: true });
      const start = performance.now();
      for (let quiet = 0; quiet < quietFrames && performance.now() - start < maxMs; ) {
        await Promise.all(scan(root));
        await new Promise((frame) => requestAnimationFrame(frame));
        quiet = changed ? 0 : quiet + 1;
        changed = false;
      }
      observer.disconnect();
    },
    rootSelector,
    SETTLE_FRAMES,
    SETTLE_MAX_MS,
  );
}

async function axe(page, rootSelector) {
  await page.addScriptTag({ path: AXE });
  const violations = await page.evaluate(async (root, tags) => {
    const result = await window.axe.run(root, {
      runOnly: { type: 'tag', values: tags },
      resultTypes: ['violations'],
    });
    return result.violations.map(
      (v) => ({ id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.map((n) => `${JSON.stringify(n.target)}: ${n.failureSummary?.replace(/\s+/g, ' ')}`) }),
    );
  }, rootSelector, AXE_TAGS);
  return violations.map((v) => `axe ${v.id} (${v.impact}): ${v.help}\n      ${v.nodes.slice(0, 4).join('\n      ')}${v.nodes.length > 4 ? `\n      … ${v.nodes.length - 4} more` : ''}`);
}

async function checkStory(browser, base, entry) {
  const page = await browser.newPage();
  const problems = watch(page);
  try {
    await page.setViewport(VIEWPORT);
    await page.emulateMediaFeatures([{ name: 'prefers-reduced-motion', value: 'reduce' }]);
    // Stories tagged forced-colors render as under Windows High Contrast (puppeteer's
    // emulateMediaFeatures refuses forced-colors; CDP takes it).
    if (entry.tags?.includes('forced-colors')) {
      const cdp = await page.createCDPSession();
      await cdp.send('Emulation.setEmulatedMedia', { features: [{ name: 'forced-colors', value: 'active' }, { name: 'prefers-reduced-motion', value: 'reduce' }] });
    }
    await page.goto(`${base}iframe.html?id=${encodeURIComponent(entry.id)}&viewMode=story&globals=${GLOBALS}`, { timeout: TIMEOUT_MS });
    await rendered(page, '#storybook-root');
    problems.push(...(await axe(page, '#storybook-root')));
  } catch (error) {
    problems.push(error instanceof Error ? error.message : String(error));
  } finally {
    await page.close();
  }
  return problems;
}

/** An autodocs page must show the API table; a written page (MDX) must pass axe like a story. */
async function checkDocs(browser, base, entry) {
  const page = await browser.newPage();
  const problems = watch(page);
  try {
    await page.setViewport(VIEWPORT);
    await page.goto(`${base}iframe.html?id=${encodeURIComponent(entry.id)}&viewMode=docs&globals=${GLOBALS}`, { timeout: TIMEOUT_MS });
    // Written pages carry `attached-mdx`/`unattached-mdx` (and the project-wide `autodocs` tag too).
    const written = entry.tags?.some((tag) => tag.endsWith('attached-mdx'));
    if (!written) {
      await page.waitForSelector('.docblock-argstable', { timeout: TIMEOUT_MS });
      await rendered(page, '#storybook-docs');
      // Each section of the table opens with a row titled "Hide <section> items".
      const sections = await page.$$eval('.docblock-argstable tr[title^="Hide "]', (rows) =>
        rows.map((row) => row.getAttribute('title').replace(/^Hide (.*) items$/, '$1').toLowerCase()),
      );
      const missing = API_SECTIONS.filter((section) => !sections.includes(section));
      if (missing.length) problems.push(`API table lacks: ${missing.join(', ')} (has: ${sections.filter((s) => API_SECTIONS.includes(s)).join(', ') || 'none'})`);
    } else {
      await page.waitForSelector('#storybook-docs h1', { timeout: TIMEOUT_MS });
      await rendered(page, '#storybook-docs');
      problems.push(...(await axe(page, '#storybook-docs')));
    }
  } catch (error) {
    problems.push(error instanceof Error ? error.message : String(error));
  } finally {
    await page.close();
  }
  return problems;
}

async function main() {
  const index = JSON.parse(readFileSync(join(options.dir, 'index.json'), 'utf8'));
  const entries = Object.values(index.entries).filter((e) => !options.filter || e.id.includes(options.filter));
  const stories = entries.filter((e) => e.type === 'story');
  const docs = entries.filter((e) => e.type === 'docs');
  if (options.filter ? entries.length === 0 : stories.length === 0) {
    console.error(`story test: nothing to check in the index${options.filter ? ` matching "${options.filter}"` : ''}`);
    return 1;
  }
  const { server, url } = await serve(options.dir);
  const browser = await puppeteer.launch({
    executablePath: CHROMIUM_PATH,
    headless: true,
    args: CHROMIUM_ARGS,
  });
  let passed = 0;
  let failed = 0;
  try {
    const queue = [
      ...stories.map((entry) => ({ entry, label: `${entry.title} › ${entry.name}`, check: checkStory })),
      ...docs.map((entry) => ({ entry, label: `${entry.title} › ${entry.name}`, check: checkDocs })),
    ];
    const worker = async () => {
      for (let job = queue.shift(); job; job = queue.shift()) {
        const started = performance.now();
        const problems = await job.check(browser, url, job.entry);
        const took = `${((performance.now() - started) / 1000).toFixed(1)} s`;
        if (problems.length === 0) {
          passed++;
          console.log(`  ✓ ${job.label} (${took})`);
        } else {
          failed++;
          console.log(`  ✗ ${job.label} (${job.entry.id})\n    ${problems.join('\n    ')}`);
        }
      }
    };
    await Promise.all(Array.from({ length: CONCURRENCY }, worker));
  } finally {
    await browser.close();
    server.close();
  }
  console.log(`story test: ${passed} passed, ${failed} failed (${stories.length} stories, ${docs.length} docs pages)`);
  return failed === 0 ? 0 : 1;
}

process.exit(await main());
