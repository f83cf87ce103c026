import { expect, fixture, html, oneEvent, waitUntil } from '@open-wc/testing';
import { executeServerCommand, sendKeys } from '@web/test-runner-commands';
import * as XLSX from 'xlsx';
import { groupStore } from '../core/store.ts';
import '../activity-feed/define.ts';
import './define.ts';
import type { ExportButton, ExportCompleteDetail, ExportErrorDetail, ExportSource } from './export-button.ts';
import { parseCsv, pdfSource, pdfText, plainText, SCRIPT_NAMES } from '../../fixtures/export-readers.ts';
import { leadEvent, trafficEvents } from '../../fixtures/stream-events.ts';

/** An unsigned JWT: the button only reads the scopes; the gateway verifies signatures. */
const jwt = (scopes: string[]) =>
  ['e30', btoa(JSON.stringify({ sub: 'agent', tenants: ['loc_A'], scopes, exp: 4_102_444_800 })).replace(/=+$/, ''), 'sig'].join('.');

let n = 0;
const uniqueGroup = () => `export-test-${++n}`;
const part = (el: ExportButton, name: string) => el.shadowRoot!.querySelector<HTMLElement>(`[part~="${name}"]`);
const items = (el: ExportButton) => [...el.shadowRoot!.querySelectorAll<HTMLButtonElement>('[part~="item"]')];
const focused = (el: ExportButton) => el.shadowRoot!.activeElement;

async function button(template = html`<export-button></export-button>`, group = uniqueGroup()) {
  const wrapper = await fixture<HTMLElement>(html`<div>${template}</div>`);
  const el = wrapper.querySelector('export-button')!;
  el.group = group;
  await el.updateComplete;
  return el;
}

/** Clicks the trigger; the menu is loaded on first use, so wait for its items. */
async function openMenu(el: ExportButton) {
  part(el, 'trigger')!.click();
  await waitUntil(() => items(el).length > 0, 'the menu never opened');
}

/** Picks a menu item by its label, keeping the file off the disk; resolves with the detail. */
async function pick(el: ExportButton, label: RegExp): Promise<ExportCompleteDetail> {
  await openMenu(el);
  const item = items(el).find((i) => label.test(i.textContent!.trim()));
  expect(item, `menu item ${label}`).to.exist;
  const complete = oneEvent(el, 'lw-export-complete');
  item!.click();
  const event = await complete;
  event.preventDefault();
  return event.detail;
}

const csvRows = async (blob: Blob) => parseCsv((await blob.text()).replace(/^\uFEFF/, ''));

describe('<export-button>', () => {
  it('exports the group feed’s visible events by keyboard, with start, progress and complete events', async () => {
    const group = uniqueGroup();
    const events = trafficEvents(40);
    groupStore(group).setVisibleEvents(events);
    const el = await button(undefined, group);
    const seen: string[] = [];
    for (const name of ['lw-export-start', 'lw-export-progress', 'lw-export-complete']) {
      document.addEventListener(name, (e) => seen.push(`${e.type}:${(e as CustomEvent).composed}`), { once: name !== 'lw-export-progress' });
    }
    const complete = oneEvent(el, 'lw-export-complete');
    part(el, 'trigger')!.focus();
    await sendKeys({ press: 'ArrowDown' });
    await waitUntil(() => focused(el)?.textContent?.trim() === 'CSV', 'ArrowDown did not open the menu on its first item');
    await sendKeys({ press: 'Enter' });
    const event = await complete;
    event.preventDefault();
    const { blob, bytes, rows, format, fileName } = event.detail;
    expect(format).to.equal('csv');
    expect(rows).to.equal(40);
    expect(bytes).to.equal(blob.size);
    expect(bytes).to.be.greaterThan(0);
    expect(fileName).to.match(/^leadwire-activity-\d{4}-\d{2}-\d{2}T\d{4}\.csv$/);
    const table = await csvRows(blob);
    expect(table.length).to.equal(41);
    expect(table.slice(1).map((r) => r[table[0].indexOf('Cursor')])).to.deep.equal(events.map((e) => e.cursor));
    expect(seen[0]).to.equal('lw-export-start:true');
    expect(seen).to.include('lw-export-progress:true');
    expect(seen.at(-1)).to.equal('lw-export-complete:true');
    await waitUntil(() => part(el, 'status')!.textContent!.includes('Exported 40 rows'), 'status not announced');
    // Focus comes back to the Export button (it went nowhere, not to <body>).
    await waitUntil(() => focused(el) === part(el, 'trigger'), `focus did not return to the trigger (on ${document.activeElement?.localName})`);
    expect(document.activeElement).to.equal(el);
  });

  it('keeps keyboard focus in the button through a long export: cancel, then the trigger again', async () => {
    const el = await button();
    el.rows = trafficEvents(20_000);
    part(el, 'trigger')!.focus();
    await sendKeys({ press: 'ArrowUp' });
    await waitUntil(() => /PDF/.test(focused(el)?.textContent ?? ''), 'ArrowUp did not open the menu on its last item');
    const errored = oneEvent(el, 'lw-export-error');
    await sendKeys({ press: 'Enter' });
    await waitUntil(() => focused(el) === part(el, 'cancel'), `focus did not move to cancel (on ${document.activeElement?.localName})`);
    await sendKeys({ press: 'Enter' });
    expect(((await errored) as CustomEvent<ExportErrorDetail>).detail.cancelled).to.equal(true);
    await waitUntil(() => focused(el) === part(el, 'trigger'), `focus did not return to the trigger (on ${document.activeElement?.localName})`);
  });

  it('exports an element named by `for` (exportRows, exportColumns)', async () => {
    const source = Object.assign(document.createElement('div'), {
      id: 'history-source',
      exportRows: async () => [{ check: 1, p95: 12.5 }, { check: 2, p95: -3 }],
      exportColumns: [{ key: 'check', header: 'Check' }, { key: 'p95', header: 'p95 (ms)' }],
    } satisfies ExportSource & { id: string });
    const el = await button(html`<export-button for="history-source"></export-button>`);
    el.parentElement!.append(source);
    const { blob, rows } = await pick(el, /^CSV$/);
    expect(rows).to.equal(2);
    expect(await csvRows(blob)).to.deep.equal([['Check', 'p95 (ms)'], ['1', '12.5'], ['2', '-3']]);
  });

  it('exports a source’s visibleEvents when it has no exportRows()', async () => {
    const events = [leadEvent({ name: 'Ava' }), leadEvent({ name: 'Omar' })];
    const el = await button(html`<export-button for="feed-like"></export-button>`);
    el.parentElement!.append(Object.assign(document.createElement('div'), { id: 'feed-like', visibleEvents: events }));
    const { blob } = await pick(el, /^JSON$/);
    expect((JSON.parse(await blob.text()) as { rows: Array<{ name: string }> }).rows.map((r) => r.name)).to.deep.equal(['Ava', 'Omar']);
  });

  it('exports `rows` with `columns` to Excel, carrying the group’s filter summary', async () => {
    const group = uniqueGroup();
    groupStore(group).setFilter({ temperatures: ['hot'], stages: ['qualifying'], datePreset: '7d', from: 1 });
    const el = await button(undefined, group);
    el.rows = [{ name: '=cmd()', score: 91 }];
    el.columns = [{ key: 'name', header: 'Name' }, { key: 'score', header: 'Score' }];
    const { blob, format } = await pick(el, /Excel/);
    expect(format).to.equal('xlsx');
    const book = XLSX.read(new Uint8Array(await blob.arrayBuffer()), { type: 'array' });
    expect(XLSX.utils.sheet_to_json(book.Sheets.Export)).to.deep.equal([{ Name: "'=cmd()", Score: 91 }]);
    const filters = XLSX.utils.sheet_to_json<unknown[]>(book.Sheets.Filters, { header: 1 });
    expect(filters[1]).to.deep.equal(['Filters', 'Hot · Qualifying · last 7 days']);
  });

  it('is disabled with a visible reason when the token lacks the export scope, and stays accessible', async () => {
    const el = await button(html`<export-button token=${jwt(['events:read'])}></export-button>`);
    await waitUntil(() => el.disabledReason === 'scope', 'scope never checked');
    await el.updateComplete;
    const trigger = part(el, 'trigger') as HTMLButtonElement;
    expect(trigger.disabled).to.equal(true);
    const reason = part(el, 'reason')!;
    expect(reason.textContent).to.contain('"export" permission');
    expect(reason.getBoundingClientRect().width).to.be.greaterThan(0);
    expect(trigger.getAttribute('aria-describedby')).to.equal(reason.id);
    await expect(el).to.be.accessible();

    el.token = jwt(['events:read', 'export']);
    await waitUntil(() => el.disabledReason === null, 'granting the scope did not enable it');
    await el.updateComplete;
    expect((part(el, 'trigger') as HTMLButtonElement).disabled).to.equal(false);
    expect(part(el, 'reason')).to.equal(null);
  });

  it('stays enabled in a group whose gateway needs no token (AUTH=off, the stories)', async () => {
    const group = uniqueGroup();
    groupStore(group).configureGateway({ url: 'https://gateway.example.test/open' });
    const el = await button(undefined, group);
    await el.updateComplete;
    expect(el.disabledReason).to.equal(null);
    expect((part(el, 'trigger') as HTMLButtonElement).disabled).to.equal(false);
  });

  it('records the export with the gateway when the token has the export scope', async () => {
    const group = uniqueGroup();
    const token = jwt(['events:read', 'export']);
    groupStore(group).configureGateway({ url: 'https://gateway.example.test/lw', token });
    groupStore(group).setFilter({ temperatures: ['warm'] });
    groupStore(group).setVisibleEvents(trafficEvents(7));
    const el = await button(html`<export-button rows-from="feed"></export-button>`, group);
    await waitUntil(() => el.disabledReason === null);
    // The HTTP boundary only: the route itself is tested against a real gateway (gateway/test/audit.test.ts).
    const requests: Array<{ url: string; init: RequestInit }> = [];
    const realFetch = window.fetch;
    window.fetch = async (url, init) => (requests.push({ url: String(url), init: init! }), new Response('{"cursor":"1-0"}', { status: 202 }));
    try {
      const detail = await pick(el, /^JSON$/);
      expect(detail.audited).to.equal(true);
      expect(requests).to.have.length(1);
      expect(requests[0].url).to.equal('https://gateway.example.test/lw/v1/audit');
      expect(new Headers(requests[0].init.headers).get('authorization')).to.equal(`Bearer ${token}`);
      expect(JSON.parse(requests[0].init.body as string)).to.deep.equal({ format: 'json', rows: 7, filters: 'Warm', fileName: detail.fileName });
    } finally {
      window.fetch = realFetch;
    }
  });

  it('uses the token of the group\'s connection: one token fetch for the feed and the button, audited by the real gateway', async () => {
    const { url } = (await executeServerCommand<{ url: string }, undefined>('gateway-info'))!;
    const tokenUrl = `/__leadwire/token?export-test=${Date.now()}`;
    let fetches = 0;
    const realFetch = window.fetch;
    window.fetch = (input, init) => {
      if (String(input).includes('export-test=')) fetches++;
      return realFetch(input, init);
    };
    try {
      const group = uniqueGroup();
      groupStore(group).configureGateway({ url, tokenUrl, backoff: { initialMs: 50, maxMs: 500 } });
      const wrapper = await fixture<HTMLElement>(html`<div>
        <export-button group=${group}></export-button>
        <activity-feed group=${group} style="--lw-feed-height: 200px"></activity-feed>
      </div>`);
      const el = wrapper.querySelector('export-button')!;
      const feed = wrapper.querySelector('activity-feed')!;
      await waitUntil(() => feed.status === 'live', `the feed never went live (${feed.status})`, { timeout: 10_000 });
      await waitUntil(() => el.disabledReason === null, 'the export scope was never granted', { timeout: 10_000 });
      el.rows = [{ a: 1 }];
      const detail = await pick(el, /^CSV$/);
      expect(detail.audited, 'recorded by the gateway').to.equal(true);
      expect(fetches, 'token fetches').to.equal(1);
    } finally {
      window.fetch = realFetch;
    }
  });

  it('shows progress and cancels a large export', async () => {
    const el = await button();
    el.rows = trafficEvents(20_000);
    await openMenu(el);
    let completed = false;
    el.addEventListener('lw-export-complete', () => (completed = true));
    const errored = oneEvent(el, 'lw-export-error');
    const progressed = oneEvent(el, 'lw-export-progress');
    items(el).find((i) => /PDF/.test(i.textContent!))!.click();
    await progressed;
    await el.updateComplete;
    expect(el.exporting).to.equal(true);
    expect(el.hasAttribute('exporting')).to.equal(true);
    expect(part(el, 'progress')).to.exist;
    expect(part(el, 'progress-label')!.textContent).to.match(/Exporting PDF report… \d+%/);
    await expect(el).to.be.accessible();
    part(el, 'cancel')!.click();
    const error = (await errored) as CustomEvent<ExportErrorDetail>;
    expect(error.detail).to.include({ cancelled: true, format: 'pdf', rows: 20_000 });
    expect(error.bubbles && error.composed).to.equal(true);
    await el.updateComplete;
    expect(completed).to.equal(false);
    expect(el.exporting).to.equal(false);
    expect(part(el, 'trigger')).to.exist;
    expect(part(el, 'status')!.textContent).to.contain('cancelled');
  });

  it('offers chart PNGs and a PDF of charts when the source has charts', async () => {
    const canvas = Object.assign(document.createElement('canvas'), { width: 200, height: 100 });
    canvas.getContext('2d')!.fillRect(0, 0, 50, 50);
    const el = await button(html`<export-button for="charts-source"></export-button>`);
    el.parentElement!.append(
      Object.assign(document.createElement('div'), {
        id: 'charts-source',
        exportRows: () => [{ p95: 1 }],
        exportCharts: () => [{ title: 'Latency', canvas }],
      }),
    );
    const png = await pick(el, /Latency chart \(PNG\)/);
    expect(png.format).to.equal('png');
    expect(png.fileName).to.match(/^leadwire-activity-Latency-.*\.png$/);
    expect([...new Uint8Array(await png.blob.arrayBuffer()).slice(0, 4)]).to.deep.equal([0x89, 0x50, 0x4e, 0x47]);
    expect((await createImageBitmap(png.blob)).width).to.equal(200);
    const pdf = await pick(el, /Charts \(PDF\)/);
    expect(pdf.format).to.equal('pdf');
    expect(await pdf.blob.slice(0, 5).text()).to.equal('%PDF-');
  });

  it('makes a PDF report people read: names in every script read back, charts in the same report, SVG charts', async () => {
    const canvas = Object.assign(document.createElement('canvas'), { width: 200, height: 100 });
    canvas.getContext('2d')!.fillRect(0, 0, 200, 100);
    const el = await button(html`<export-button for="report-source"></export-button>`);
    const svg = '<svg xmlns="http://www.w3.org/2000/svg"><path class="series" d="M0 0L10 10"/></svg>';
    el.parentElement!.append(
      Object.assign(document.createElement('div'), {
        id: 'report-source',
        exportRows: () => SCRIPT_NAMES.map((name, i) => leadEvent({ name, email: `lead${i}@example.com` })),
        exportCharts: () => [{ title: 'Latency', canvas, svg: () => svg }],
      }),
    );
    const pdf = await pick(el, /^PDF report$/);
    expect(pdf.format).to.equal('pdf');
    const text = plainText(await pdfText(pdf.blob));
    for (const name of SCRIPT_NAMES) expect(text, name).to.contain(plainText(name));
    expect(text).to.contain('Latency');
    expect((await pdfSource(pdf.blob)).match(/\/Subtype \/Image/g)).to.have.length(1);
    const vector = await pick(el, /Latency chart \(SVG\)/);
    expect(vector).to.include({ format: 'svg' });
    expect(vector.fileName).to.match(/^leadwire-activity-Latency-.*\.svg$/);
    expect(vector.blob.type).to.equal('image/svg+xml');
    const doc = new DOMParser().parseFromString(await vector.blob.text(), 'image/svg+xml');
    expect(doc.querySelector('path.series')?.getAttribute('d')).to.equal('M0 0L10 10');
  });

  it('has a keyboard-operable, accessible menu', async () => {
    const el = await button(html`<export-button formats="csv,xlsx,json"></export-button>`);
    const trigger = part(el, 'trigger')!;
    trigger.focus();
    await sendKeys({ press: 'ArrowUp' });
    await waitUntil(() => focused(el)?.textContent?.trim() === 'JSON', 'ArrowUp did not open the menu on its last item');
    expect(trigger.getAttribute('aria-expanded')).to.equal('true');
    expect(items(el).map((i) => i.textContent!.trim())).to.deep.equal(['CSV', 'Excel (.xlsx)', 'JSON']);
    expect(focused(el)?.textContent?.trim()).to.equal('JSON');
    await sendKeys({ press: 'ArrowDown' });
    expect(focused(el)?.textContent?.trim()).to.equal('CSV');
    await sendKeys({ press: 'End' });
    expect(focused(el)?.textContent?.trim()).to.equal('JSON');
    await sendKeys({ press: 'Home' });
    expect(focused(el)?.textContent?.trim()).to.equal('CSV');
    await expect(el).to.be.accessible();
    await sendKeys({ press: 'Escape' });
    await el.updateComplete;
    expect(part(el, 'menu')).to.equal(null);
    expect(trigger.getAttribute('aria-expanded')).to.equal('false');
    expect(focused(el)).to.equal(trigger);
  });

  it('fires export-error when `for` names nothing, and export-start can be cancelled', async () => {
    const el = await button(html`<export-button for="nowhere"></export-button>`);
    await openMenu(el);
    const errored = oneEvent(el, 'lw-export-error');
    items(el)[0].click();
    expect((await errored).detail.message).to.contain('"nowhere"');

    el.for = null;
    el.rows = [{ a: 1 }];
    el.addEventListener('lw-export-start', (e) => e.preventDefault(), { once: true });
    let started = false;
    el.addEventListener('lw-export-progress', () => (started = true));
    await openMenu(el);
    items(el)[0].click();
    await el.updateComplete;
    expect(el.exporting).to.equal(false);
    expect(started).to.equal(false);
  });
});
