/**
 * A default export covers the filter's whole range from the gateway's history, not the rows the
 * page holds: a real gateway and Redis (the web-test-runner gateway plugin), 20,000 logged events.
 */
import { expect, fixture, html, oneEvent, waitUntil } from '@open-wc/testing';
import { executeServerCommand } from '@web/test-runner-commands';
import { groupStore } from '../core/store.ts';
import '../activity-feed/define.ts';
import './define.ts';
import type { ActivityFeed } from '../activity-feed/activity-feed.ts';
import type { ExportButton, ExportCompleteDetail, ExportErrorDetail } from './export-button.ts';
import '../../fixtures/resize-observer-loop.ts';

const DAY = 86_400_000;
const tenant = `loc_export${Date.now().toString(36)}`;
const info = () =>
  executeServerCommand<{ url: string; token: string }, { tenant: string; scopes: string[] }>('gateway-info', { tenant, scopes: ['events:read', 'export'] });
const publish = (envelopes: object[], backdateMs: number) =>
  executeServerCommand<string[], { tenant: string; envelopes: object[]; backdateMs: number }>('gateway-publish', { tenant, envelopes, backdateMs });

/** Leads numbered from `start`; every third is hot. */
const leads = (start: number, count: number) =>
  Array.from({ length: count }, (_, i) => ({
    id: `exp-${start + i}`,
    type: 'lead.temperature_changed',
    tenant,
    ts: 0,
    data: { leadId: `L${start + i}`, temperature: (start + i) % 3 === 0 ? 'hot' : 'warm' },
  }));
const hotLeads = (start: number, count: number) => leads(start, count).filter((e) => e.data.temperature === 'hot').map((e) => e.data.leadId);

const part = (el: ExportButton, name: string) => el.shadowRoot!.querySelector<HTMLElement>(`[part~="${name}"]`);
const items = (el: ExportButton) => [...el.shadowRoot!.querySelectorAll<HTMLButtonElement>('[part~="item"]')];

async function choose(el: ExportButton, label: RegExp) {
  part(el, 'trigger')!.click();
  await waitUntil(() => items(el).length > 0, 'the menu never opened');
  items(el).find((i) => label.test(i.textContent!.trim()))!.click();
}

describe('<export-button> exports through history (real gateway and Redis)', () => {
  let group = '';
  before(async () => {
    // 20,000 logged: 5,000 forty days old, 5,000 ten days old, 10,000 now.
    for (let i = 0; i < 5; i++) await publish(leads(i * 1_000, 1_000), 40 * DAY);
    for (let i = 5; i < 10; i++) await publish(leads(i * 1_000, 1_000), 10 * DAY);
    for (let i = 10; i < 20; i++) await publish(leads(i * 1_000, 1_000), 0);
    const { url, token } = (await info())!;
    group = `export-history-${tenant}`;
    groupStore(group).configureGateway({ url: `${url}/?test=${group}`, token, backoff: { initialMs: 50, maxMs: 500 } });
    groupStore(group).setFilter({ datePreset: '30d', from: Date.now() - 30 * DAY, temperatures: ['hot'] });
  });

  it('"last 30 days, hot leads" over 20,000 logged events: exactly the matching rows, while the feed holds at most max-items', async () => {
    const wrapper = await fixture<HTMLElement>(html`<div>
      <export-button group=${group}></export-button>
      <activity-feed group=${group} max-items="100" style="--lw-feed-height: 200px"></activity-feed>
    </div>`);
    const el = wrapper.querySelector('export-button')!;
    const feed = wrapper.querySelector<ActivityFeed>('activity-feed')!;
    await waitUntil(() => feed.visibleEvents.length === 100 && el.disabledReason === null, 'the feed never filled', { timeout: 20_000 });
    const progress: number[] = [];
    el.addEventListener('lw-export-progress', (e) => progress.push(e.detail.fraction));
    const complete = oneEvent(el, 'lw-export-complete');
    await choose(el, /^JSON$/);
    const event = await complete;
    event.preventDefault();
    const detail = event.detail as ExportCompleteDetail;
    const { rows } = JSON.parse(await detail.blob.text()) as { rows: Array<{ leadId: string }> };
    const expected = [...hotLeads(5_000, 5_000), ...hotLeads(10_000, 10_000)];
    expect(detail.rows).to.equal(expected.length);
    expect(rows.length).to.equal(expected.length);
    // Newest first, exactly the matching leads: none forty days old, none warm, none twice.
    expect(rows.map((row) => row.leadId)).to.deep.equal([...expected].reverse());
    expect(feed.events.length).to.be.at.most(100);
    expect(progress.at(-1)).to.equal(1);
    expect(progress.length).to.be.greaterThan(1);
  });

  it('stops at max-rows with a message that says why and what to do', async () => {
    const wrapper = await fixture<HTMLElement>(html`<div><export-button group=${group} max-rows="1000"></export-button></div>`);
    const el = wrapper.querySelector('export-button')!;
    await waitUntil(() => el.disabledReason === null, 'never granted', { timeout: 10_000 });
    const failed = oneEvent(el, 'lw-export-error');
    await choose(el, /^CSV$/);
    const detail = (await failed).detail as ExportErrorDetail;
    expect(detail.cancelled).to.equal(false);
    expect(detail.message).to.equal('More than 1,000 events match these filters, the most one export takes. Narrow them (a shorter date range, fewer types) and export again.');
    expect(part(el, 'status')!.textContent).to.contain('More than 1,000 events match');
  });

  it('can be cancelled while it collects', async () => {
    const wrapper = await fixture<HTMLElement>(html`<div><export-button group=${group}></export-button></div>`);
    const el = wrapper.querySelector('export-button')!;
    await waitUntil(() => el.disabledReason === null, 'never granted', { timeout: 10_000 });
    groupStore(group).setFilter({});
    const failed = oneEvent(el, 'lw-export-error');
    await choose(el, /^CSV$/);
    await waitUntil(() => part(el, 'cancel') !== null, 'no cancel while collecting');
    part(el, 'cancel')!.click();
    const detail = (await failed).detail as ExportErrorDetail;
    expect(detail.cancelled).to.equal(true);
    expect(part(el, 'status')!.textContent).to.equal('Export cancelled.');
  });
});
