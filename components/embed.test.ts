/**
 * The script-tag embed as a host page uses it: plain HTML pages (components/embed-pages/, no
 * bundler) that include only dist/leadwire.js and the widget tags, each opened in its own iframe,
 * against the real gateway and Redis the web-test-runner gateway plugin starts (it also builds
 * dist/ when stale and serves the pages with the gateway's address filled in).
 */
import { expect, waitUntil } from '@open-wc/testing';
import { executeServerCommand } from '@web/test-runner-commands';
import type { ActivityFeed } from './activity-feed/activity-feed.ts';
import type { LeadwireElement } from './core/element.ts';
import type { EmbedNamespace } from './embed.ts';
import type { ExportButton } from './export-button/export-button.ts';
import type { GlobalFilters } from './global-filters/global-filters.ts';
import { storageKey } from './global-filters/presets.ts';
import { closePages, openPage, type PageWindow } from '../fixtures/embed-page.ts';

interface Info {
  url: string;
  tenant: string;
  token: string;
}
interface CdnRequest {
  path: string;
  dest?: string;
  origin?: string;
}
type LitLike = HTMLElement & { updateComplete: Promise<boolean> };

const publish = (count: number) => executeServerCommand<string[], { count: number }>('gateway-publish', { count });
const info = () => executeServerCommand<Info, undefined>('gateway-info') as Promise<Info>;
const cdnRequests = () => executeServerCommand<CdnRequest[], undefined>('cdn-requests') as Promise<CdnRequest[]>;

afterEach(closePages);

/** Every custom-element tag the page uses: each must get defined and rendered. */
const widgetsOf = (doc: Document) => [...doc.body.querySelectorAll<LitLike>('*')].filter((el) => el.localName.includes('-'));

async function allRendered(win: PageWindow, doc: Document): Promise<LitLike[]> {
  const widgets = widgetsOf(doc);
  expect(widgets.length).to.be.greaterThan(0);
  await waitUntil(() => widgets.every((el) => win.customElements.get(el.localName)), 'not every widget got defined', { timeout: 10_000 });
  await Promise.all(widgets.map((el) => el.updateComplete));
  for (const el of widgets) expect(el.shadowRoot?.childElementCount, `<${el.localName}> rendered`).to.be.greaterThan(0);
  return widgets;
}

async function liveEventsArrive(doc: Document): Promise<ActivityFeed> {
  const feed = doc.querySelector<ActivityFeed>('activity-feed')!;
  await waitUntil(() => feed.status === 'live', `the feed never went live (${feed.status})`, { timeout: 10_000 });
  const ids = (await publish(3))!;
  await waitUntil(() => ids.every((id) => feed.visibleEvents.some((e) => e.cursor === id)), 'published events never reached the feed', {
    timeout: 10_000,
  });
  await waitUntil(() => feed.shadowRoot!.querySelectorAll('[part~="item"]').length >= 3, 'rows never rendered', { timeout: 10_000 });
  return feed;
}

/** Picks Excel in the button's menu; resolves with export-complete's detail (no download). */
async function exportXlsx(button: ExportButton): Promise<{ blob: Blob; rows: number }> {
  await waitUntil(() => button.disabledReason === null, 'export never enabled', { timeout: 10_000 });
  const done = new Promise<CustomEvent>((resolve) =>
    button.addEventListener(
      'lw-export-complete',
      (event) => {
        event.preventDefault(); // keep the file off the disk
        resolve(event as CustomEvent);
      },
      { once: true },
    ),
  );
  button.shadowRoot!.querySelector<HTMLButtonElement>('[part~="trigger"]')!.click();
  const item = () => [...button.shadowRoot!.querySelectorAll<HTMLButtonElement>('[part~="item"]')].find((b) => b.textContent!.includes('xlsx'));
  await waitUntil(item, 'the menu never opened', { timeout: 10_000 });
  item()!.click();
  return (await done).detail;
}

describe('script-tag embed (dist/leadwire.js) on plain HTML pages', () => {
  it('renders every widget, receives live events from Redis, and defines only window.Leadwire', async () => {
    const { win, doc } = await openPage('plain');
    const widgets = await allRendered(win, doc);
    expect(widgets.map((w) => w.localName)).to.include.members(['activity-feed', 'global-filters', 'export-button', 'theme-toggle']);
    await liveEventsArrive(doc);
    // Lit's own page-wide registries (shared by every Lit copy on a page) are the only others.
    const LIT = ['litPropertyMetadata', 'reactiveElementVersions', 'litHtmlVersions', 'litElementVersions'];
    const added = Object.keys(win).filter((key) => !win.__watch.globalsBefore.includes(key) && key !== '__watch' && !LIT.includes(key));
    expect(added).to.deep.equal(['Leadwire']);
    expect(win.Leadwire!.version).to.match(/^\d+\.\d+\.\d+/);
    // No global CSS: the page's own sheets are untouched, the widgets' live in their shadow roots.
    expect(doc.styleSheets.length).to.equal(0);
    expect(doc.adoptedStyleSheets.length).to.equal(0);
    for (const el of widgets) expect(el.shadowRoot!.adoptedStyleSheets.length, `<${el.localName}> adopts its styles`).to.be.greaterThan(0);
    // Parts used only after a click come later: the export menu, the saved-filters manager.
    const loaded = (chunk: string) => win.performance.getEntriesByType('resource').some((e) => e.name.includes(`/chunks/${chunk}-`));
    expect(loaded('menu') || loaded('preset-manager'), 'loaded before use').to.equal(false);
    doc.querySelector('export-button')!.shadowRoot!.querySelector<HTMLButtonElement>('[part~="trigger"]')!.click();
    doc.querySelector('global-filters')!.shadowRoot!.querySelector<HTMLButtonElement>('[part~="presets-toggle"]')!.click();
    await waitUntil(() => loaded('menu') && loaded('preset-manager'), 'not loaded on use', { timeout: 10_000 });
    await waitUntil(() => doc.querySelector('global-filters')!.shadowRoot!.querySelector('[part~="preset-save"]'), 'the saved filters never showed');
    expect(win.__watch.errors).to.deep.equal([]);
  });

  it('works under a strict Content-Security-Policy, XLSX export through the worker included', async () => {
    const { win, doc } = await openPage('csp');
    await allRendered(win, doc);
    await liveEventsArrive(doc);

    const detail = await exportXlsx(doc.querySelector<ExportButton>('export-button')!);
    const head = new Uint8Array(await detail.blob.slice(0, 2).arrayBuffer());
    expect(String.fromCharCode(...head)).to.equal('PK'); // a zip: the .xlsx container
    expect(detail.rows).to.be.greaterThan(0);
    const fetched = win.performance.getEntriesByType('resource').map((e) => e.name);
    expect(fetched.some((url) => /\/chunks\/xlsx\.worker-[\w-]+\.js$/.test(url)), 'the worker chunk was loaded').to.equal(true);
    expect(fetched.filter((url) => /\/chunks\/xlsx-/.test(url)), 'SheetJS loaded by the page: the build fell back to the page').to.deep.equal([]);
    expect(win.__watch.warnings.filter((w) => w.includes('export worker could not start'))).to.deep.equal([]);
    expect(win.__watch.violations).to.deep.equal([]);
    expect(win.__watch.errors).to.deep.equal([]);
  });

  it('loads twice, and beside another version, without throwing and registering once', async () => {
    const { win, doc } = await openPage('twice');
    const widgets = await allRendered(win, doc);
    await liveEventsArrive(doc);
    expect(win.__watch.errors).to.deep.equal([]);
    // The second version's define step found every tag taken, warned, and left the first one.
    await waitUntil(() => win.__watch.warnings.filter((w) => w.includes('already defined by another version')).length >= widgets.length, 'no warnings from the second version', { timeout: 10_000 });
    expect(win.Leadwire!.version).to.not.equal('0.0.0-other');
    const loaded = win.performance.getEntriesByType('resource').map((e) => e.name);
    expect(loaded.filter((url) => url.endsWith('/dist/leadwire/embed.js'))).to.have.length(1);
  });

  it('stays usable under hostile host CSS and a 62.5% root font size', async () => {
    const { win, doc } = await openPage('host-css');
    const widgets = await allRendered(win, doc);
    const feed = await liveEventsArrive(doc);
    for (const el of widgets) {
      const box = el.getBoundingClientRect();
      expect(box.width * box.height, `<${el.localName}> takes space`).to.be.greaterThan(0);
    }
    // Sizes come from the widgets' own tokens, not the host's root font size (10px here).
    const title = feed.shadowRoot!.querySelector<HTMLElement>('[part~="title"]')!;
    expect(parseFloat(win.getComputedStyle(title).fontSize)).to.be.at.least(13);
    const trigger = doc.querySelector('export-button')!.shadowRoot!.querySelector<HTMLElement>('[part~="trigger"]')!;
    const style = win.getComputedStyle(trigger);
    expect(style.display).to.not.equal('none');
    expect(parseFloat(style.fontSize)).to.be.at.least(12);
    expect(trigger.getBoundingClientRect().height).to.be.at.least(24);
    expect(win.__watch.errors).to.deep.equal([]);
  });

  it('registers under data-prefix beside a host page that owns a tag, the group shared across prefixed tags', async () => {
    const { win, doc } = await openPage('prefix');
    const hostToggle = doc.querySelector('theme-toggle')!;
    await waitUntil(() => win.customElements.get('lw-activity-feed'), 'the prefixed widgets never got defined', { timeout: 10_000 });
    expect(hostToggle.textContent).to.equal('host toggle'); // the page's own element, untouched
    expect(hostToggle.shadowRoot).to.equal(null);
    for (const tag of ['lw-activity-feed', 'lw-global-filters', 'lw-export-button', 'lw-theme-toggle', 'lw-health-panel']) {
      expect(win.customElements.get(tag), tag).to.be.a('function');
    }
    expect(win.customElements.get('activity-feed'), 'no unprefixed tags').to.equal(undefined);
    const feed = doc.querySelector<ActivityFeed & LitLike>('lw-activity-feed')!;
    const toggle = doc.querySelector<LitLike & { value: string }>('lw-theme-toggle')!;
    await Promise.all([feed.updateComplete, toggle.updateComplete]);
    await waitUntil(() => feed.status === 'live', `the feed never went live (${feed.status})`, { timeout: 10_000 });
    const ids = (await publish(2))!;
    await waitUntil(() => ids.every((id) => feed.visibleEvents.some((e) => e.cursor === id)), 'published events never reached the prefixed feed', { timeout: 10_000 });
    toggle.value = 'dark';
    await waitUntil(() => feed.dataset.theme === 'dark', 'the prefixed feed did not follow its group\'s theme');
    expect(win.__watch.warnings.filter((w) => w.includes('already defined'))).to.deep.equal([]);
    expect(win.__watch.errors).to.deep.equal([]);
  });

  it('says clearly why a widget is missing when the host page defined its tag first', async () => {
    const { win, doc } = await openPage('taken');
    await waitUntil(() => win.customElements.get('activity-feed'), 'the widgets never got defined', { timeout: 10_000 });
    const warning = win.__watch.warnings.find((w) => w.includes('<theme-toggle>'));
    expect(warning).to.contain('already defined by the page, not by Leadwire');
    expect(warning).to.contain('data-prefix="lw"');
    expect(doc.querySelector('theme-toggle')!.shadowRoot).to.equal(null);
    expect(win.__watch.errors).to.deep.equal([]);
  });

  it('says a data-prefix is unusable and registers the widgets under their own names', async () => {
    const { win, doc } = await openPage('prefix-invalid');
    await allRendered(win, doc);
    await liveEventsArrive(doc);
    const errors = (win as PageWindow & { __consoleErrors: string[] }).__consoleErrors;
    expect(errors.filter((e) => e.includes('"LW!" is not a tag prefix') && e.includes('registered without one'))).to.have.length(1);
  });

  it('replays calls queued on window.Leadwire.q before the script loaded', async () => {
    const { win, doc } = await openPage('queue');
    await allRendered(win, doc);
    const feed = await liveEventsArrive(doc);
    expect(win.received!.length).to.be.at.least(3);
    expect(win.received).to.deep.include.members(feed.visibleEvents.slice(0, 3));
    expect(win.Leadwire!.q).to.deep.equal([]);
    expect(win.__watch.errors).to.deep.equal([]);
  });

  it('runs the XLSX export in a worker with the script on a CDN (another origin)', async () => {
    const before = (await cdnRequests()).length;
    const { win, doc } = await openPage('cdn');
    await allRendered(win, doc);
    await liveEventsArrive(doc);
    const detail = await exportXlsx(doc.querySelector<ExportButton>('export-button')!);
    expect(String.fromCharCode(...new Uint8Array(await detail.blob.slice(0, 2).arrayBuffer()))).to.equal('PK');
    const served = (await cdnRequests()).slice(before).map((r) => r.path);
    const page = win.location.origin;
    expect(page, 'the page and the script are on different origins').to.not.equal(new URL(doc.querySelector('script[src*="leadwire.js"]')!.getAttribute('src')!).origin);
    // The worker's script and SheetJS came from the CDN, and the page never fetched SheetJS
    // itself: the page's resource timeline lists what the page loaded, not what a worker did.
    expect(served.some((p) => /\/chunks\/xlsx\.worker-[\w-]+\.js$/.test(p)), 'the worker chunk was fetched').to.equal(true);
    expect(served.some((p) => /\/chunks\/xlsx-[\w-]+\.js$/.test(p)), 'SheetJS was fetched').to.equal(true);
    const byPage = win.performance.getEntriesByType('resource').map((e) => e.name);
    expect(byPage.some((url) => url.includes('/chunks/embed') || url.endsWith('/leadwire/embed.js')), 'the page loaded the embed').to.equal(true);
    expect(byPage.filter((url) => /\/chunks\/xlsx-/.test(url)), 'SheetJS loaded by the page: the build fell back to the page').to.deep.equal([]);
    expect(win.__watch.warnings.filter((w) => w.includes('export worker could not start'))).to.deep.equal([]);
    expect(win.__watch.errors).to.deep.equal([]);
  });

  it('runs the XLSX export in a worker with the script on a CDN, under the documented strict CSP', async () => {
    const { win, doc } = await openPage('cdn-csp');
    await allRendered(win, doc);
    await liveEventsArrive(doc);
    const detail = await exportXlsx(doc.querySelector<ExportButton>('export-button')!);
    expect(String.fromCharCode(...new Uint8Array(await detail.blob.slice(0, 2).arrayBuffer()))).to.equal('PK');
    const marks = win.performance.getEntriesByName('leadwire:export-builder') as PerformanceMark[];
    expect(marks.map((m) => m.detail)).to.deep.equal([{ format: 'xlsx', builder: 'worker' }]);
    expect(win.__watch.warnings).to.deep.equal([]);
    expect(win.__watch.violations).to.deep.equal([]);
    expect(win.__watch.errors).to.deep.equal([]);
  });

  it('says once why no export worker starts (a CSP without blob: workers) and builds on the page, in short tasks', async () => {
    const { win, doc } = await openPage('cdn-csp-no-blob');
    await allRendered(win, doc);
    await liveEventsArrive(doc);
    const button = doc.querySelector<ExportButton>('export-button')!;
    const tasksBefore = (win as unknown as { __longTasks: number[] }).__longTasks.length;
    for (let i = 0; i < 2; i++) {
      const detail = await exportXlsx(button);
      expect(String.fromCharCode(...new Uint8Array(await detail.blob.slice(0, 2).arrayBuffer()))).to.equal('PK');
    }
    const marks = win.performance.getEntriesByName('leadwire:export-builder') as PerformanceMark[];
    expect(marks.map((m) => m.detail)).to.deep.equal([{ format: 'xlsx', builder: 'page' }, { format: 'xlsx', builder: 'page' }]);
    await waitUntil(() => win.__watch.warnings.length > 0, 'no warning', { timeout: 5_000 });
    const warnings = win.__watch.warnings.filter((w) => w.startsWith('[leadwire]'));
    expect(warnings, 'one warning for two exports').to.have.length(1);
    expect(warnings[0]).to.include('export worker could not start').and.include('worker-src').and.include('blob:');
    const longTasks = (win as unknown as { __longTasks: number[] }).__longTasks.slice(tasksBefore);
    expect(longTasks.filter((ms) => ms > 100), 'main-thread tasks over 100 ms during the exports').to.deep.equal([]);
  });

  it('loads from a later script tag after a failed one (chunks missing beside the first)', async () => {
    const { win, doc } = await openPage('broken');
    await allRendered(win, doc);
    await liveEventsArrive(doc);
    expect(win.Leadwire!.loading).to.equal(true);
    expect(win.Leadwire!.retry).to.equal(undefined);
  });

  it('loads from a script tag added after the failure', async () => {
    const { win, doc } = await openPage('broken-alone');
    await waitUntil(() => win.Leadwire?.loading === false, 'the failed load never gave up', { timeout: 10_000 });
    expect(win.customElements.get('activity-feed')).to.equal(undefined);
    const script = doc.createElement('script');
    script.src = '/dist/leadwire.js';
    Object.assign(script.dataset, { gateway: doc.querySelector<HTMLScriptElement>('script[data-gateway]')!.dataset.gateway, tokenUrl: '/__leadwire/token' });
    doc.head.append(script);
    await allRendered(win, doc);
    await liveEventsArrive(doc);
  });
});

describe('the embed API (window.Leadwire)', () => {
  it('setToken keeps the gateway configure() gave the group (data-group by default)', async () => {
    const { url, token } = await info();
    const { win, doc } = await openPage('api');
    await allRendered(win, doc);
    const lw = win.Leadwire!;
    const feed = doc.querySelector<ActivityFeed>('activity-feed')!;
    const later = doc.querySelector<LeadwireElement>('theme-toggle')!;

    lw.setToken(token, 'later'); // no gateway yet for that group: kept for its configure()
    expect(later.store.gateway).to.equal(undefined);
    lw.configure({ gateway: url, tokenUrl: '/__leadwire/token' }); // group: data-group="crm"
    await waitUntil(() => feed.status === 'live', `never live through the token URL (${feed.status})`, { timeout: 10_000 });
    expect(feed.store.gateway).to.deep.include({ url });

    lw.setToken(token);
    expect(feed.store.gateway).to.deep.equal({ url, token });
    await waitUntil(() => feed.status === 'live', `never live with the token (${feed.status})`, { timeout: 10_000 });
    await liveEventsArrive(doc);

    lw.configure({ gateway: url, group: 'later' });
    expect(later.store.gateway).to.deep.equal({ url, token });
    expect(win.__watch.errors).to.deep.equal([]);
  });

  it('on/off keep one listener per (type, function)', async () => {
    const { win, doc } = await openPage('api');
    await allRendered(win, doc);
    const lw = win.Leadwire!;
    const calls: string[] = [];
    const listener = (event: CustomEvent) => calls.push(event.type);
    const fire = (...types: string[]) => types.forEach((type) => doc.dispatchEvent(new win.CustomEvent(type)));
    lw.on('lw-a', listener);
    lw.on('lw-b', listener);
    lw.on('lw-a', listener); // twice: still once
    fire('lw-a', 'lw-b');
    expect(calls).to.deep.equal(['lw-a', 'lw-b']);
    lw.off('lw-a', listener);
    fire('lw-a', 'lw-b');
    expect(calls).to.deep.equal(['lw-a', 'lw-b', 'lw-b']);
    lw.off('lw-b', listener);
    lw.off('lw-b', listener); // nothing left: no error
    fire('lw-a', 'lw-b');
    expect(calls).to.have.length(3);
  });

  it('picks up the GHL location from the page URL and asks the token URL for it', async () => {
    const { win, doc } = await openPage('plain', '?location_id=loc_Austin01');
    const widgets = await allRendered(win, doc);
    for (const el of widgets as unknown as LeadwireElement[]) {
      expect(new URL(el.store.gateway!.tokenUrl!).searchParams.get('location'), `<${el.localName}>`).to.equal('loc_Austin01');
    }
    await liveEventsArrive(doc);
    // Saved filters are kept per location.
    const filters = doc.querySelector<GlobalFilters>('global-filters')!;
    filters.savePreset('Austin');
    expect(JSON.parse(win.localStorage.getItem(storageKey('loc_Austin01'))!).presets[0].name).to.equal('Austin');
    win.localStorage.clear();
  });
});

describe('GHL location pickup (embed.ts)', () => {
  it('reads location_id, locationId or location from a URL', async () => {
    const { locationFromUrl } = await import('./embed.ts');
    expect(locationFromUrl('https://app.example/leadwire.html?location_id=loc_A')).to.equal('loc_A');
    expect(locationFromUrl('https://app.example/leadwire.html?locationId=loc_B&x=1')).to.equal('loc_B');
    expect(locationFromUrl('https://app.example/leadwire.html?location=loc_C')).to.equal('loc_C');
    expect(locationFromUrl('https://app.example/leadwire.html?location_id=loc_A&location=loc_C')).to.equal('loc_A');
    expect(locationFromUrl('https://app.example/leadwire.html')).to.equal(undefined);
  });

  it('adds it to the token URL, keeping a location the URL already names', async () => {
    const { tokenUrlFor } = await import('./embed.ts');
    expect(tokenUrlFor('https://app.example/token', 'loc_A')).to.equal('https://app.example/token?location=loc_A');
    expect(tokenUrlFor('/token?user=7', 'loc_A')).to.equal(new URL('/token?user=7&location=loc_A', document.baseURI).href);
    expect(tokenUrlFor('https://app.example/token?location=loc_Z', 'loc_A')).to.equal('https://app.example/token?location=loc_Z');
    expect(tokenUrlFor('https://app.example/token', undefined)).to.equal('https://app.example/token');
    expect(tokenUrlFor(undefined, 'loc_A')).to.equal(undefined);
  });
});
