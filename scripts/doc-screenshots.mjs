// Captures the screenshots in docs/images from Chromium: the demo page's first screen at
// 1440 × 1000, the filter bar with an editor open, the same at 360 px, the panel layout, and the
// feed in both densities. Run `node scripts/doc-screenshots.mjs` (it builds the embed, starts the
// demo on a free port and stops it) after changing how the widgets look.
import { join } from 'node:path';
import puppeteer from 'puppeteer-core';
import { ensureBuild, ROOT } from './build.mjs';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from './chromium.mjs';
import { startDemo } from './start-demo.mjs';

const OUT = join(ROOT, 'docs/images');

ensureBuild(['embed']);
const { url, child: demo } = await startDemo();
const browser = await puppeteer.launch({ executablePath: CHROMIUM_PATH, headless: true, args: CHROMIUM_ARGS });

/** The demo page at `width` × `height`, once the feed has rows and the panel its charts. */
async function demoPage(width, height) {
  const page = await browser.newPage();
  await page.setViewport({ width, height });
  await page.emulateMediaFeatures([{ name: 'prefers-reduced-motion', value: 'reduce' }]);
  await page.goto(`${url}/`, { waitUntil: 'load' });
  await page.waitForFunction(`(document.querySelector('activity-feed')?.shadowRoot?.querySelectorAll('[part~="item"]').length ?? 0) >= 12`, { timeout: 90_000 });
  await page.waitForFunction(`!!document.querySelector('global-filters')?.shadowRoot?.querySelector('[part~="chip"]')`, { timeout: 30_000 });
  if (width > 860) await page.waitForFunction(`document.querySelector('health-panel').chartCanvases().length === 2`, { timeout: 60_000 });
  return page;
}

/** Sets a filter, then opens one chip's editor. */
const openEditor = (field) => `(async () => {
  const el = document.querySelector('global-filters');
  el.value = { datePreset: '7d', temperatures: ['hot', 'warm'], stages: ['qualifying'] };
  await el.updateComplete;
  el.shadowRoot.querySelector('#chip-${field}').click();
  await new Promise((r) => setTimeout(r, 300));
})()`;
const shot = (page, name, clip) => page.screenshot({ path: join(OUT, name), ...(clip ? { clip } : {}) });

try {
  let page = await demoPage(1440, 1000);
  await shot(page, 'demo-1440.png');
  await page.evaluate(openEditor('temperatures'));
  await shot(page, 'filters-bar-editor.png', { x: 0, y: 0, width: 1440, height: 420 });
  await page.close();

  page = await demoPage(360, 800);
  await page.evaluate(openEditor('temperatures'));
  await shot(page, 'filters-bar-360.png');
  await page.close();

  page = await demoPage(1440, 1000);
  await page.evaluate(`(async () => {
    document.querySelector('global-filters').setAttribute('layout', 'panel');
    document.querySelector('activity-feed').setAttribute('density', 'comfortable');
    await new Promise((r) => setTimeout(r, 800));
  })()`);
  await shot(page, 'panel-comfortable-1440.png');
  await page.close();
  console.log(`screenshots written to ${OUT}`);
} finally {
  await browser.close();
  demo.kill('SIGTERM');
}
