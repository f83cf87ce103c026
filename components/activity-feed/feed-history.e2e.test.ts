/**
 * History on open, end to end: a real redis-server and gateway (the web-test-runner gateway
 * plugin), events XADDed into Redis, feeds in Chromium. Each test reads a tenant of its own, so
 * its log holds only what it published.
 */
import { expect, fixture, html, waitUntil } from '@open-wc/testing';
import { executeServerCommand, sendKeys } from '@web/test-runner-commands';
import type { StreamEvent } from '../../protocol/index.ts';
import { groupStore } from '../core/store.ts';
import './define.ts';
import type { ActivityFeed } from './activity-feed.ts';
import '../../fixtures/resize-observer-loop.ts';

interface Info {
  url: string;
  tenant: string;
  token: string;
}
const DAY = 86_400_000;
let n = 0;
const fresh = () => `loc_hist${++n}x${Date.now().toString(36)}`;
const info = (tenant: string) => executeServerCommand<Info, { tenant: string }>('gateway-info', { tenant });
const publish = (tenant: string, count: number, backdateMs = 0) =>
  executeServerCommand<string[], { tenant: string; count: number; backdateMs: number }>('gateway-publish', { tenant, count, backdateMs }).then((ids) => ids!);
const publishEnvelopes = (tenant: string, envelopes: object[]) =>
  executeServerCommand<string[], { tenant: string; envelopes: object[] }>('gateway-publish', { tenant, envelopes }).then((ids) => ids!);
const cursors = (events: readonly StreamEvent[]) => events.map((e) => e.cursor);

/** A group on its own gateway client for `tenant`. */
async function group(tenant: string) {
  const { url, token } = (await info(tenant))!;
  const name = `hist-${tenant}`;
  groupStore(name).configureGateway({ url: `${url}/?test=${name}`, token, backoff: { initialMs: 50, maxMs: 500 } });
  return name;
}

const mount = (name: string, maxItems = 1_000) =>
  fixture<ActivityFeed>(html`<activity-feed group=${name} max-items=${maxItems}></activity-feed>`);

const footer = (el: ActivityFeed) => el.shadowRoot!.querySelector<HTMLElement>('[part~="history"]');

describe('<activity-feed> opens on history (real gateway and Redis)', () => {
  it('shows the 50 stored events newest first, then live ones, with no gap and no duplicate', async () => {
    const tenant = fresh();
    const stored = await publish(tenant, 50);
    const el = await mount(await group(tenant));
    await waitUntil(() => el.visibleEvents.length === 50, `history never shown (${el.visibleEvents.length})`, { timeout: 10_000 });
    expect(cursors(el.visibleEvents)).to.deep.equal([...stored].reverse());
    const live = await publish(tenant, 5);
    await waitUntil(() => el.visibleEvents.length === 55, `live events never followed (${el.visibleEvents.length})`, { timeout: 10_000 });
    expect(cursors(el.visibleEvents)).to.deep.equal([...stored, ...live].reverse());
    expect(footer(el)?.querySelector('[data-kind="end"]')?.textContent).to.equal('Nothing older.');
  });

  it('re-created 10 times, with events published between mounts and just after unmount: every event shown exactly once', async () => {
    const tenant = fresh();
    const name = await group(tenant);
    const published: string[] = [];
    for (let round = 0; round < 10; round++) {
      const el = await mount(name);
      await waitUntil(() => el.visibleEvents.length === published.length && el.status === 'live', `round ${round}: ${el.visibleEvents.length} of ${published.length}`, {
        timeout: 10_000,
      });
      published.push(...(await publish(tenant, 1)));
      await waitUntil(() => el.visibleEvents.length === published.length, `round ${round}: live event`, { timeout: 10_000 });
      const shown = cursors(el.visibleEvents);
      expect(shown).to.deep.equal([...published].reverse(), `round ${round}`);
      el.remove();
      // In the second the shared connection stays up with nobody listening…
      published.push(...(await publish(tenant, 2)));
      // …and, every other round, after it has closed.
      if (round % 2) await new Promise((resolve) => setTimeout(resolve, 1_500));
      published.push(...(await publish(tenant, 1)));
    }
    const last = await mount(name);
    await waitUntil(() => last.visibleEvents.length === published.length, `last mount: ${last.visibleEvents.length} of ${published.length}`, { timeout: 10_000 });
    expect(cursors(last.visibleEvents)).to.deep.equal([...published].reverse());
  });

  it('the group client hands events that arrive while no widget listens to the next listener, once', async () => {
    const tenant = fresh();
    const name = await group(tenant);
    const client = groupStore(name).client!;
    const taken: string[] = [];
    const published: string[] = [];
    for (let round = 0; round < 10; round++) {
      const stop = client.listen({ events: (events) => taken.push(...cursors(events)) });
      await waitUntil(() => client.state.status === 'live' && taken.length === published.length, `round ${round}: ${taken.length} of ${published.length}`, { timeout: 10_000 });
      published.push(...(await publish(tenant, 1)));
      await waitUntil(() => taken.length === published.length, `round ${round}: live`, { timeout: 10_000 });
      stop();
      published.push(...(await publish(tenant, 2)));
      // Give the connection time to receive them with nobody listening (it stays up ~1 s).
      await new Promise((resolve) => setTimeout(resolve, round % 2 ? 1_500 : 300));
    }
    const stop = client.listen({ events: (events) => taken.push(...cursors(events)) });
    await waitUntil(() => taken.length >= published.length, `${taken.length} of ${published.length}`, { timeout: 10_000 });
    stop();
    expect(taken).to.deep.equal(published);
  });

  it('"Last 7 days" shows the event backdated 3 days and not the one backdated 10 days, marked as backdated', async () => {
    const tenant = fresh();
    const [threeDays] = await publish(tenant, 1, 3 * DAY);
    const [tenDays] = await publish(tenant, 1, 10 * DAY);
    const [today] = await publish(tenant, 1);
    const name = await group(tenant);
    groupStore(name).setFilter({ datePreset: '7d', from: Date.now() - 7 * DAY });
    const el = await mount(name);
    await waitUntil(() => el.visibleEvents.length === 2 && !!footer(el)?.querySelector('[data-kind="end"]'), `history (${el.visibleEvents.length})`, { timeout: 10_000 });
    expect(cursors(el.visibleEvents)).to.deep.equal([today, threeDays]);
    expect(cursors(el.visibleEvents)).not.to.include(tenDays);
    const rows = [...el.shadowRoot!.querySelectorAll('[part~="item"]')];
    expect(rows[1].querySelector('[part~="backdated"]')).to.exist;
    expect(rows[0].querySelector('[part~="backdated"]')).to.equal(null);
  });

  it('caps at max-items and says so; "Load older" (keyboard) pages back to the end marker', async () => {
    const tenant = fresh();
    const stored = await publish(tenant, 50);
    const el = await mount(await group(tenant), 20);
    await waitUntil(() => el.visibleEvents.length === 20 && !!footer(el)?.querySelector('[part~="load-older"]'), 'first page', { timeout: 10_000 });
    expect(cursors(el.visibleEvents)).to.deep.equal([...stored].reverse().slice(0, 20));
    expect(footer(el)!.textContent).to.contain('Showing the newest 20');
    const button = footer(el)!.querySelector<HTMLButtonElement>('[part~="load-older"]')!;
    button.focus();
    await sendKeys({ press: 'Enter' });
    await waitUntil(() => el.visibleEvents.length === 40, `second page (${el.visibleEvents.length})`, { timeout: 10_000 });
    footer(el)!.querySelector<HTMLButtonElement>('[part~="load-older"]')!.click();
    await waitUntil(() => el.visibleEvents.length === 50 && !!footer(el)?.querySelector('[data-kind="end"]'), 'the end', { timeout: 10_000 });
    expect(cursors(el.visibleEvents)).to.deep.equal([...stored].reverse());
    // The list now holds what was loaded; a live event evicts the oldest row, and the feed says so.
    const live = await publish(tenant, 1);
    await waitUntil(() => cursors(el.visibleEvents)[0] === live[0], 'live after older pages', { timeout: 10_000 });
    expect(cursors(el.visibleEvents)).to.deep.equal([...stored, ...live].reverse().slice(0, 50));
    expect(footer(el)!.textContent).to.contain('1 older left the list (at most 50 are kept)');
  });

  it('a new filter asks history again; audit.export records stay out unless the filter names them', async () => {
    const tenant = fresh();
    const hot = await publishEnvelopes(
      tenant,
      Array.from({ length: 5 }, (_, i) => ({ id: `hot-${i}`, type: 'lead.temperature_changed', tenant, ts: 0, data: { leadId: `H${i}`, temperature: 'hot' } })),
    );
    await publish(tenant, 30); // the demo mix: newer than the hot ones
    const [audit] = await publishEnvelopes(tenant, [
      { id: 'audit-1', type: 'audit.export', tenant, ts: 0, data: { subject: 'someone', format: 'csv', rows: 3, filters: 'none' } },
    ]);
    const name = await group(tenant);
    const el = await mount(name, 10);
    await waitUntil(() => el.visibleEvents.length === 10, 'first page', { timeout: 10_000 });
    expect(cursors(el.visibleEvents)).not.to.include(audit);
    expect(cursors(el.visibleEvents)).not.to.include(hot[0]);
    groupStore(name).setFilter({ types: ['lead.temperature_changed'], temperatures: ['hot'] });
    await waitUntil(() => hot.every((c) => cursors(el.visibleEvents).includes(c)), `hot leads from history (${cursors(el.visibleEvents)})`, { timeout: 10_000 });
    groupStore(name).setFilter({ types: ['audit'] });
    await waitUntil(() => cursors(el.visibleEvents).includes(audit), 'the audit record, when asked for', { timeout: 10_000 });
    expect(el.visibleEvents.every((e) => e.type === 'audit.export')).to.equal(true);
  });
});
