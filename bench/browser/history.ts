/**
 * History on open: the script tag and one <activity-feed> on a plain page against the bench's
 * real gateway, timed from just before the script tag to 1,000 history rows painted — against the
 * same page on a tenant with no history (the feed live and saying so), in the same run.
 */
import type { Browser } from 'puppeteer-core';

export const HISTORY_TENANT = 'loc_BenchHistory01';
export const EMPTY_TENANT = 'loc_BenchEmpty01';
export const PUBLISHER_KEY = 'bench-publisher-key-0123456789';

/** The page: time zero before the script tag; `__painted` once the feed shows what it will show. */
export function historyPage(scriptTag: string, rows: number): string {
  return `<!doctype html><meta charset="utf-8"><title>history</title><body>
<script>window.__t0 = performance.now();</script>
${scriptTag}
<activity-feed style="height:400px"></activity-feed>
<script>
(async () => {
  await customElements.whenDefined('activity-feed');
  const feed = document.querySelector('activity-feed');
  const done = () =>
    ${rows} > 0
      ? feed.visibleEvents.length >= ${rows} && feed.shadowRoot.querySelector('[part~="item"]')
      : feed.status === 'live' && feed.shadowRoot.querySelector('[part~="state"][data-kind="empty"]');
  while (!done()) await new Promise((r) => setTimeout(r, 2));
  await new Promise((r) => requestAnimationFrame(() => setTimeout(r)));
  window.__painted = performance.now() - window.__t0;
})();
</script>`;
}

/** Appends `count` lead events for the history tenant through the gateway's HTTP ingest. */
export async function seedHistory(gateway: string, count: number): Promise<void> {
  for (let start = 0; start < count; start += 500) {
    const batch = Array.from({ length: Math.min(500, count - start) }, (_, i) => ({
      id: `bench-history-${start + i}`,
      type: 'lead.created',
      tenant: HISTORY_TENANT,
      ts: Date.now(),
      data: { leadId: `L${start + i}`, name: `Lead ${start + i}`, source: 'Zillow', temperature: ['hot', 'warm', 'cold'][i % 3] },
    }));
    const res = await fetch(`${gateway}/v1/events`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${PUBLISHER_KEY}` },
      body: JSON.stringify(batch),
    });
    if (res.status !== 202) throw new Error(`seeding history: HTTP ${res.status} ${await res.text()}`);
  }
}

/** `runs` cold loads of each page, alternated so both see the same machine: ms to painted. */
export async function measureHistory(browser: Browser, rig: { origin: string }, runs: number): Promise<{ history: number[]; empty: number[] }> {
  const out = { history: [] as number[], empty: [] as number[] };
  for (let i = 0; i < runs; i++) {
    for (const [kind, path] of [['history', '/history.html'], ['empty', '/history-empty.html']] as const) {
      const context = await browser.createBrowserContext();
      try {
        const page = await context.newPage();
        page.on('pageerror', (error) => console.error('history page error:', error));
        await page.goto(`${rig.origin}${path}`);
        await page.waitForFunction('window.__painted !== undefined', { timeout: 30_000 });
        out[kind].push(await page.evaluate(() => (window as any).__painted as number));
      } finally {
        await context.close();
      }
    }
  }
  return out;
}
