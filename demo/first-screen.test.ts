/**
 * The demo page as a GHL agency user first sees it, in real Chromium at 1440 × 1000: the filter
 * bar, at least twelve feed rows and the health panel's charts, all on the first screen,
 * measured from the laid-out page. Also: normal demo traffic keeps the latency tile out of red.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import puppeteer from 'puppeteer-core';
// @ts-expect-error — plain .mjs build helpers, no declarations
import { ensureBuild } from '../scripts/build.mjs';
// @ts-expect-error — plain .mjs helpers, no declarations
import { CHROMIUM_ARGS, CHROMIUM_PATH } from '../scripts/chromium.mjs';
// @ts-expect-error — plain .mjs helpers, no declarations
import { startDemo } from '../scripts/start-demo.mjs';

const VIEWPORT = { width: 1440, height: 1000 };

ensureBuild(['embed']);

test('the demo at 1440 × 1000 shows the filter bar, ≥ 12 feed rows and the health charts on the first screen', async () => {
  const { url, child, exited } = (await startDemo()) as { url: string; child: import('node:child_process').ChildProcess; exited: Promise<number | null> };
  const browser = await puppeteer.launch({ executablePath: CHROMIUM_PATH, headless: true, args: CHROMIUM_ARGS });
  try {
    const page = await browser.newPage();
    await page.setViewport(VIEWPORT);
    await page.goto(url + '/', { waitUntil: 'load' });
    // Live traffic fills the feed; the panel draws its charts once chart.js is in.
    // Until the rows reach the bottom of the feed's list: the screen is as full as it gets.
    await page.waitForFunction(
      `(() => {
        const root = document.querySelector('activity-feed')?.shadowRoot;
        const list = root?.querySelector('[part~="list"]');
        const rows = root ? [...root.querySelectorAll('[part~="item"]')] : [];
        return !!list && rows.some((row) => row.getBoundingClientRect().bottom >= list.getBoundingClientRect().bottom);
      })()`,
      { timeout: 90_000 },
    );
    await page.waitForFunction(`document.querySelector('health-panel').chartCanvases().length === 2`, { timeout: 60_000 });
    await page.waitForFunction(`!!document.querySelector('global-filters')?.shadowRoot?.querySelector('[part~="chip"]')`, { timeout: 30_000 });

    // A string, not a function: the test's TypeScript transform would add helpers the page lacks.
    const measured = (await page.evaluate(`(() => {
      const height = ${VIEWPORT.height};
      const onScreen = (r) => r.top >= 0 && r.bottom <= height && r.width > 0 && r.height > 0;
      const feed = document.querySelector('activity-feed');
      const list = feed.shadowRoot.querySelector('[part~="list"]').getBoundingClientRect();
      const rows = [...feed.shadowRoot.querySelectorAll('[part~="item"]')].map((row) => row.getBoundingClientRect());
      // A row counts when it is wholly inside both the viewport and the feed's visible list.
      const rowsShown = rows.filter((r) => onScreen(r) && r.top >= list.top && r.bottom <= list.bottom).length;
      const panel = document.querySelector('health-panel');
      const charts = panel.chartCanvases().map((c) => c.getBoundingClientRect());
      const filters = document.querySelector('global-filters').getBoundingClientRect();
      const latency = panel.shadowRoot.querySelector('[part~="tile-latency"]');
      return {
        rowsShown,
        chartsOnScreen: charts.filter(onScreen).length,
        chartBottoms: charts.map((c) => Math.round(c.bottom)),
        filtersHeight: Math.round(filters.height),
        latencyLevel: latency.dataset.level,
      };
    })()`)) as { rowsShown: number; chartsOnScreen: number; chartBottoms: number[]; filtersHeight: number; latencyLevel: string };
    console.log(`demo first screen at 1440 × 1000: ${JSON.stringify(measured)}`);
    assert.ok(measured.rowsShown >= 12, `only ${measured.rowsShown} feed rows on the first screen`);
    assert.equal(measured.chartsOnScreen, 2, `health charts end at ${measured.chartBottoms.join(', ')} px, past ${VIEWPORT.height}`);
    assert.ok(measured.filtersHeight <= 80, `the filter bar takes ${measured.filtersHeight} px`);
    assert.notEqual(measured.latencyLevel, 'critical', 'normal demo traffic shows a critical latency tile');
  } finally {
    await browser.close();
    if (child.exitCode === null) child.kill('SIGTERM');
    await exited;
  }
});
