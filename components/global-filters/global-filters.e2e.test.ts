/**
 * End to end: <global-filters> beside a feed on a real gateway and Redis (started by the
 * web-test-runner gateway plugin). A filter change must reach the gateway as the connection's
 * subscription, so events that no longer match stop being sent at all, not just hidden.
 */
import { expect, fixture, html, waitUntil } from '@open-wc/testing';
import { executeServerCommand } from '@web/test-runner-commands';
import type { StreamEvent } from '../../protocol/index.ts';
import '../activity-feed/define.ts';
import type { ActivityFeed } from '../activity-feed/activity-feed.ts';
import { groupStore } from '../core/store.ts';
import './define.ts';
import type { GlobalFilters } from './global-filters.ts';
import { storageKey } from './presets.ts';

interface Info {
  url: string;
  tenant: string;
  token: string;
}

const info = () => executeServerCommand<Info, undefined>('gateway-info');

let serial = 0;
/** A lead message of the given temperature, as a publisher would XADD it. */
const message = (tenant: string, temperature: string) => ({
  id: `gf-e2e-${Date.now()}-${++serial}`,
  type: 'lead.message_received',
  tenant,
  ts: Date.now(),
  data: { leadId: `lead-${serial}`, name: `Lead ${serial}`, temperature, channel: 'sms', text: `message ${serial}` },
});

describe('<global-filters> against a real gateway and Redis', () => {
  it('changes the subscription: the gateway stops sending events that no longer match', async () => {
    const { url, token, tenant } = (await info())!;
    const group = `gf-e2e-${Date.now()}`;
    groupStore(group).configureGateway({ url, token, backoff: { initialMs: 50, maxMs: 500 } });
    const page = await fixture(html`<div>
      <global-filters group=${group} tenant=${`e2e-${Date.now()}`}></global-filters>
      <activity-feed group=${group}></activity-feed>
    </div>`);
    const filters = page.querySelector('global-filters')!;
    const feed = page.querySelector<ActivityFeed>('activity-feed')!;
    // What the gateway sent, before any client-side filtering.
    const sent: StreamEvent[] = [];
    feed.addEventListener('lw-new-event', (e) => sent.push(...e.detail.events));
    await waitUntil(() => feed.status === 'live', 'never live', { timeout: 10_000 });

    const publish = async (...temperatures: string[]) => {
      const envelopes = temperatures.map((t) => message(tenant, t));
      await executeServerCommand('gateway-publish', { envelopes });
      return envelopes.map((e) => e.id);
    };
    const arrived = (id: string) => sent.some((e) => e.id === id);

    const [cold, hot] = await publish('cold', 'hot');
    await waitUntil(() => arrived(hot), 'unfiltered events never arrived', { timeout: 10_000 });
    expect(arrived(cold)).to.equal(true);

    const hotOption = [...filters.shadowRoot!.querySelectorAll('[part~="temperatures"] label')].find((l) => l.textContent!.trim() === 'Hot')!;
    hotOption.querySelector('input')!.click();
    expect(filters.value).to.deep.equal({ temperatures: ['hot'] });

    // The subscribe frame and the XADDs travel different paths: publish (cold, hot) pairs until
    // a hot one arrives without its cold twin, which only server-side filtering explains.
    let filtered = false;
    for (let attempt = 0; attempt < 20 && !filtered; attempt++) {
      const [c, h] = await publish('cold', 'hot');
      await waitUntil(() => arrived(h), 'a hot event never arrived', { timeout: 10_000 });
      filtered = !arrived(c);
    }
    expect(filtered, 'the gateway kept sending cold events').to.equal(true);

    // From now on, nothing cold is sent at all.
    const ids = await publish('cold', 'warm', 'cold', 'hot');
    await waitUntil(() => arrived(ids[3]), 'the last hot event never arrived', { timeout: 10_000 });
    expect(ids.slice(0, 3).filter(arrived)).to.deep.equal([]);
    expect(feed.visibleEvents.every((e) => (e.data as { temperature?: string }).temperature === 'hot')).to.equal(true);
  });
});

/**
 * Presets and the last used filter are per tenant. With `token-url` (the GHL embed) the widget
 * learns the tenant from the token the group's connection fetches — here the gateway plugin's
 * `/__leadwire/token`, minted for the test tenant — or from the GHL location in the token URL.
 */
describe('<global-filters> storage key with token-url', () => {
  afterEach(() => localStorage.clear());
  let n = 0;
  const group = () => `gf-token-url-${Date.now()}-${++n}`;
  const mount = async (name: string) => {
    const el = document.createElement('global-filters');
    el.group = name;
    await fixture(el);
    return el as GlobalFilters;
  };
  const stored = (key: string) => JSON.parse(localStorage.getItem(storageKey(key)) ?? 'null') as { last?: unknown; presets: Array<{ name: string }> } | null;

  it('keys by the tenants of the fetched token, and restores that tenant\'s last used filter', async () => {
    const { url, tenant } = (await info())!;
    localStorage.setItem(storageKey(tenant), JSON.stringify({ v: 1, presets: [{ id: 'p', name: 'Closed', filter: { stages: ['closed'] } }], last: { stages: ['new'] } }));
    localStorage.setItem(storageKey('default'), JSON.stringify({ v: 1, presets: [], last: { stages: ['handoff'] } }));
    const name = group();
    groupStore(name).configureGateway({ url, tokenUrl: '/__leadwire/token' });
    const el = await mount(name);
    await waitUntil(() => el.presets.length === 1, 'the tenant\'s presets never showed', { timeout: 10_000 });
    expect(el.value).to.deep.equal({ stages: ['new'] });
    el.savePreset('Mine');
    expect(stored(tenant)!.presets.map((p) => p.name)).to.deep.equal(['Closed', 'Mine']);
    expect(stored('default')!.presets).to.deep.equal([]);
  });

  it('keys by the GHL location in the token URL: two locations on one origin keep apart', async () => {
    const { url } = (await info())!;
    const [a, b] = [group(), group()];
    groupStore(a).configureGateway({ url, tokenUrl: '/__leadwire/token?location=loc_Dallas01' });
    groupStore(b).configureGateway({ url, tokenUrl: '/__leadwire/token?location=loc_Tampa01' });
    const dallas = await mount(a);
    const tampa = await mount(b);
    dallas.value = { temperatures: ['hot'] };
    tampa.value = { temperatures: ['cold'] };
    dallas.savePreset('Dallas');
    expect(stored('loc_Dallas01')).to.deep.include({ last: { temperatures: ['hot'] } });
    expect(stored('loc_Tampa01')).to.deep.include({ last: { temperatures: ['cold'] } });
    expect(tampa.presets).to.deep.equal([]);
  });

  it('restores once the gateway is configured after the widget loaded (the embed\'s order)', async () => {
    const { url, tenant } = (await info())!;
    localStorage.setItem(storageKey(tenant), JSON.stringify({ v: 1, presets: [], last: { timelines: ['asap'] } }));
    const name = group();
    const el = await mount(name);
    expect(el.value).to.deep.equal({});
    groupStore(name).configureGateway({ url, tokenUrl: '/__leadwire/token' });
    await waitUntil(() => (el.value.timelines ?? []).includes('asap'), 'the tenant\'s last used filter never applied', { timeout: 10_000 });
    expect(groupStore(name).filter).to.deep.equal({ timelines: ['asap'] });
  });
});
