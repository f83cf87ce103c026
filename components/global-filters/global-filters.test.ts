import { aTimeout, expect, fixture, html, waitUntil } from '@open-wc/testing';
import { executeServerCommand, sendKeys } from '@web/test-runner-commands';
import type { Filter } from '../../protocol/index.ts';
import { FakeGateway } from '../../fixtures/fake-gateway.ts';
import '../activity-feed/define.ts';
import type { ActivityFeed } from '../activity-feed/activity-feed.ts';
import { groupStore } from '../core/store.ts';
import './define.ts';
import type { FilterChangeDetail, GlobalFilters } from './global-filters.ts';
import { storageKey } from './presets.ts';
import { clock } from '../core/filter-value.ts';
import '../../fixtures/resize-observer-noise.ts';

let n = 0;
const unique = (prefix: string) => `${prefix}-${++n}-${Date.now()}`;

interface Mounted {
  el: GlobalFilters;
  changes: FilterChangeDetail[];
  group: string;
  tenant: string;
}

async function mount({ group = unique('gf'), tenant = unique('tenant'), attrs = {} as Record<string, string> } = {}): Promise<Mounted> {
  const el = document.createElement('global-filters');
  el.setAttribute('group', group);
  el.setAttribute('tenant', tenant);
  el.setAttribute('search-delay', '40');
  // These tests are the panel layout's (every control at once); bar.test.ts covers the bar.
  el.setAttribute('layout', 'panel');
  for (const [name, value] of Object.entries(attrs)) el.setAttribute(name, value);
  el.style.width = '900px';
  const changes: FilterChangeDetail[] = [];
  el.addEventListener('lw-filter-change', (e) => changes.push(e.detail));
  await fixture(el);
  await el.updateComplete;
  return { el, changes, group, tenant };
}

const root = (el: Element) => el.shadowRoot!;
const part = <T extends HTMLElement = HTMLElement>(el: Element, name: string) => root(el).querySelector<T>(`[part~="${name}"]`);
const parts = <T extends HTMLElement = HTMLElement>(el: Element, name: string) => [...root(el).querySelectorAll<T>(`[part~="${name}"]`)];
/** The input of the option labelled `label` inside the group `groupPart`. */
function option(el: GlobalFilters, groupPart: string, label: string): HTMLInputElement {
  const labels = [...root(el).querySelectorAll<HTMLLabelElement>(`[part~="${groupPart}"] label.option`)];
  const match = labels.find((l) => l.textContent!.trim().replace(/\s+\d+\/\d+$/, '') === label);
  if (!match) throw new Error(`no option "${label}" in ${groupPart}`);
  return match.querySelector('input')!;
}
async function click(el: GlobalFilters, target: HTMLElement) {
  target.click();
  await el.updateComplete;
}
async function enter(el: GlobalFilters, input: HTMLInputElement, value: string) {
  input.value = value;
  input.dispatchEvent(new Event('input', { bubbles: true, composed: true }));
  input.dispatchEvent(new Event('change', { bubbles: true }));
  await el.updateComplete;
}

/** Local calendar arithmetic done independently of the widget's helpers. */
function localDay(offsetDays: number, end = false): number {
  const now = new Date();
  const d = new Date(now.getFullYear(), now.getMonth(), now.getDate() + offsetDays + (end ? 1 : 0));
  return d.getTime() - (end ? 1 : 0);
}

afterEach(() => localStorage.clear());

describe('<global-filters> controls', () => {
  it('resolves date presets to a local-midnight start with no end, and fires one event per choice', async () => {
    const { el, changes } = await mount();
    await click(el, option(el, 'dates', 'Last 7 days'));
    expect(changes).to.have.length(1);
    expect(el.value).to.deep.equal({ from: localDay(-6), datePreset: '7d' });
    expect(changes[0].filter).to.deep.equal(el.value);
    expect(changes[0].summary).to.equal('last 7 days');
    await click(el, option(el, 'dates', 'Today'));
    expect(el.value).to.deep.equal({ from: localDay(0), datePreset: 'today' });
    await click(el, option(el, 'dates', 'Last 30 days'));
    expect(el.value.from).to.equal(localDay(-29));
    await click(el, option(el, 'dates', 'Any time'));
    expect(el.value).to.deep.equal({});
    expect(changes).to.have.length(4);
  });

  it('takes a custom from/to range', async () => {
    const { el, changes } = await mount();
    await click(el, option(el, 'dates', 'Custom'));
    expect(changes).to.have.length(1);
    expect(el.value).to.deep.equal({ from: localDay(0), to: localDay(0, true), datePreset: 'custom' });
    await enter(el, part<HTMLInputElement>(el, 'date-from')!, '2024-03-01');
    await enter(el, part<HTMLInputElement>(el, 'date-to')!, '2024-03-07');
    expect(changes).to.have.length(3);
    expect(el.value).to.deep.equal({
      from: new Date(2024, 2, 1).getTime(),
      to: new Date(2024, 2, 8).getTime() - 1,
      datePreset: 'custom',
    });
    expect(part(el, 'summary')!.textContent).to.match(/Mar 1, 2024 – Mar 7, 2024/);
  });

  it('picks several temperatures, stages and timelines', async () => {
    const { el, changes } = await mount();
    await click(el, option(el, 'temperatures', 'Hot'));
    await click(el, option(el, 'temperatures', 'Warm'));
    await click(el, option(el, 'stages', 'Qualifying'));
    await click(el, option(el, 'timelines', '3–6 months'));
    expect(changes).to.have.length(4);
    expect(el.value).to.deep.equal({ temperatures: ['hot', 'warm'], stages: ['qualifying'], timelines: ['3-6m'] });
    await click(el, option(el, 'temperatures', 'Hot'));
    expect(el.value.temperatures).to.deep.equal(['warm']);
    expect(changes).to.have.length(5);
    expect(option(el, 'temperatures', 'Warm').closest('label')!.part.contains('option-checked')).to.equal(true);
  });

  it('takes a budget range, swapping a reversed one, with Intl money in the summary', async () => {
    const { el, changes } = await mount();
    await enter(el, part<HTMLInputElement>(el, 'budget-min')!, '600000');
    await enter(el, part<HTMLInputElement>(el, 'budget-max')!, '300000');
    expect(changes).to.have.length(2);
    expect(el.value).to.deep.equal({ budgetMin: 300000, budgetMax: 600000 });
    expect(part(el, 'summary')!.textContent).to.equal('$300K–$600K');
    await enter(el, part<HTMLInputElement>(el, 'budget-max')!, '');
    expect(el.value).to.deep.equal({ budgetMin: 300000 });
    await enter(el, part<HTMLInputElement>(el, 'budget-min')!, '-5');
    expect(el.value).to.deep.equal({});
    expect(part<HTMLInputElement>(el, 'budget-min')!.value).to.equal('');
    expect(changes).to.have.length(4);
    // Unusable again, with nothing to change in the filter: still cleared from the input.
    await enter(el, part<HTMLInputElement>(el, 'budget-min')!, '-5');
    expect(part<HTMLInputElement>(el, 'budget-min')!.value).to.equal('');
    expect(changes).to.have.length(4);
  });

  it('picks event types by family and by type, with an indeterminate family', async () => {
    const { el, changes } = await mount();
    const family = () => option(el, 'types', 'Lead');
    await click(el, family());
    expect(el.value.types).to.deep.equal(['lead']);
    await click(el, part(el, 'family-toggle')!);
    expect(part(el, 'family-toggle')!.getAttribute('aria-expanded')).to.equal('true');
    await click(el, option(el, 'types', 'Analysis started'));
    expect(el.value.types).to.deep.equal([
      'lead.created',
      'lead.message_received',
      'lead.analysis_completed',
      'lead.analysis_failed',
      'lead.temperature_changed',
      'lead.stage_changed',
    ]);
    expect(family().indeterminate).to.equal(true);
    expect(family().checked).to.equal(false);
    await click(el, family());
    expect(el.value.types).to.deep.equal(['lead']);
    expect(family().indeterminate).to.equal(false);
    await click(el, family());
    expect(el.value).to.deep.equal({});
    expect(changes).to.have.length(4);
    await click(el, option(el, 'types', 'GHL'));
    expect(part(el, 'summary')!.textContent).to.equal('GHL');
  });

  it('searches once typing settles: one event for a burst of input', async () => {
    const { el, changes } = await mount();
    const input = part<HTMLInputElement>(el, 'search-input')!;
    for (const prefix of ['m', 'ma', 'map', 'mapl', 'maple']) {
      input.value = prefix; // keystrokes faster than the 40 ms quiet time
      input.dispatchEvent(new InputEvent('input', { bubbles: true, composed: true }));
    }
    expect(changes).to.have.length(0);
    await waitUntil(() => changes.length === 1, 'search never applied');
    await aTimeout(120); // well past the quiet time: nothing else may follow
    expect(changes).to.have.length(1);
    expect(el.value).to.deep.equal({ text: 'maple' });
  });

  it('applies typed search text at once on Enter', async () => {
    const { el, changes } = await mount();
    el.searchDelay = 60_000;
    part<HTMLInputElement>(el, 'search-input')!.focus();
    await sendKeys({ type: 'Maple St' });
    expect(changes).to.have.length(0);
    expect(part<HTMLButtonElement>(el, 'reset')!.disabled).to.equal(false); // a draft can be reset
    await sendKeys({ press: 'Enter' });
    expect(changes).to.have.length(1);
    expect(el.value.text).to.equal('Maple St');
    expect(changes[0].summary).to.equal('“Maple St”');
  });

  it('summarises in one line and resets with one event', async () => {
    const { el, changes } = await mount();
    el.value = { temperatures: ['hot'], stages: ['qualifying'], budgetMin: 300000, budgetMax: 600000, datePreset: '7d' };
    await el.updateComplete;
    expect(changes).to.have.length(0); // set by the page, not by the user
    expect(part(el, 'summary')!.textContent).to.equal('Hot · Qualifying · $300K–$600K · last 7 days');
    expect(el.value.from).to.equal(localDay(-6));
    await click(el, part(el, 'reset')!);
    expect(changes).to.have.length(1);
    expect(changes[0]).to.deep.equal({ filter: {}, summary: 'All activity' });
    expect(part<HTMLButtonElement>(el, 'reset')!.disabled).to.equal(true);
  });

  it('fires nothing when a change changes nothing', async () => {
    const { el, changes } = await mount();
    await enter(el, part<HTMLInputElement>(el, 'budget-min')!, '');
    await click(el, option(el, 'dates', 'Any time'));
    expect(changes).to.have.length(0);
  });
});

describe('<global-filters> and its group', () => {
  it('is followed at once by a sibling feed, and the feed resubscribes server-side', async () => {
    const gateway = new FakeGateway({ seed: 11 });
    const group = unique('gf-feed');
    groupStore(group).configureGateway({ url: `fake://${group}`, transports: gateway.transports(), backoff: { initialMs: 5, maxMs: 20 } });
    const page = await fixture(html`<div>
      <global-filters layout="panel" group=${group} tenant=${unique('t')}></global-filters>
      <activity-feed group=${group} style="--lw-feed-height: 300px"></activity-feed>
    </div>`);
    const el = page.querySelector('global-filters')!;
    const feed = page.querySelector<ActivityFeed>('activity-feed')!;
    await waitUntil(() => feed.status === 'live', 'feed never went live');
    // 30 lead messages at hot, warm, cold in turn, and 10 cache hits (no temperature at all).
    let i = 0;
    const temperatures = ['hot', 'warm', 'cold'];
    gateway.publish(30, (ts) => {
      const event = gateway.nextOfType(['lead.message_received'], ts);
      return { ...event, data: { ...(event.data as object), temperature: temperatures[i++ % 3] } } as typeof event;
    });
    gateway.publish(10, (ts) => gateway.nextOfType(['cache.hit'], ts));
    await waitUntil(() => feed.visibleEvents.length === 40);
    await click(el, option(el, 'temperatures', 'Hot'));
    await feed.updateComplete;
    const visible = feed.visibleEvents;
    expect(visible).to.have.length(10);
    expect(visible.every((e) => (e.data as { temperature?: string }).temperature === 'hot')).to.equal(true);
    expect(groupStore(group).visibleEvents).to.deep.equal(visible);
    await click(el, option(el, 'dates', 'Today'));
    const subscribe = gateway.received.filter((f) => f.type === 'subscribe').at(-1);
    expect(subscribe).to.deep.equal({
      type: 'subscribe',
      subscription: { filter: { from: localDay(0), temperatures: ['hot'] } },
    });
  });

  it('shows a filter set on the group by another widget, without firing', async () => {
    const { el, changes, group } = await mount();
    groupStore(group).setFilter({ stages: ['closed'] });
    await el.updateComplete;
    expect(option(el, 'stages', 'Closed').checked).to.equal(true);
    expect(part(el, 'summary')!.textContent).to.equal('Closed');
    expect(changes).to.have.length(0);
  });
});

/** A JWT-shaped token (unsigned: the widget only reads its claims). */
const token = (claims: object) => `e30.${btoa(JSON.stringify(claims)).replace(/=+$/, '')}.sig`;

/** Opens the saved filters with their toggle; the manager loads on first use. */
async function openPresets(el: GlobalFilters) {
  if (!el.presetsOpen) await click(el, part(el, 'presets-toggle')!);
  await waitUntil(() => part(el, 'preset-save'), 'the saved filters never opened');
}

describe('<global-filters> presets', () => {
  async function saveVia(el: GlobalFilters, name: string) {
    await openPresets(el);
    const input = root(el).querySelector<HTMLInputElement>('#preset-name')!;
    input.value = name;
    await click(el, part(el, 'preset-save')!);
  }
  const names = (el: GlobalFilters) => parts(el, 'preset-apply').map((b) => b.textContent!.trim());

  it('folds the saved filters behind a toggle that shows their count; presets-open shows them', async () => {
    const { el } = await mount();
    const toggle = part(el, 'presets-toggle')!;
    expect(toggle.getAttribute('aria-expanded')).to.equal('false');
    expect(part(el, 'preset-save')).to.equal(null);
    el.savePreset('One');
    await el.updateComplete;
    expect(toggle.textContent!.replace(/\s+/g, ' ').trim()).to.equal('▸ Saved filters (1)');
    await openPresets(el);
    expect(el.presetsOpen).to.equal(true);
    expect(el.hasAttribute('presets-open')).to.equal(true);
    expect(parts(el, 'preset-apply').map((b) => b.textContent!.trim())).to.deep.equal(['One']);
    await click(el, toggle);
    expect(el.presetsOpen).to.equal(false);
    expect(root(el).querySelector<HTMLElement>('#presets-manager')!.hidden).to.equal(true);

    const opened = await mount({ attrs: { 'presets-open': '' } });
    await waitUntil(() => part(opened.el, 'preset-save'), 'presets-open did not show the saved filters');
    expect(part(opened.el, 'presets-toggle')!.getAttribute('aria-expanded')).to.equal('true');
  });

  it('saves, applies, renames, deletes and marks a default', async () => {
    const { el, changes } = await mount();
    await click(el, option(el, 'temperatures', 'Hot'));
    await saveVia(el, 'Hot leads');
    await click(el, option(el, 'stages', 'Handoff'));
    await saveVia(el, 'Hot handoffs');
    expect(names(el)).to.deep.equal(['Hot leads', 'Hot handoffs']);
    await click(el, part(el, 'reset')!);
    changes.length = 0;

    await click(el, parts(el, 'preset-apply')[0]);
    expect(el.value).to.deep.equal({ temperatures: ['hot'] });
    expect(changes).to.have.length(1);

    await click(el, parts(el, 'preset-rename')[1]);
    const renameInput = root(el).querySelector<HTMLInputElement>('[part~="preset"] [part~="preset-name"]')!;
    expect(root(el).activeElement).to.equal(renameInput);
    renameInput.value = 'Ready for agents';
    renameInput.dispatchEvent(new KeyboardEvent('keydown', { key: 'Enter', bubbles: true, composed: true }));
    await waitUntil(() => names(el).includes('Ready for agents'));
    expect(root(el).activeElement).to.equal(parts(el, 'preset-rename')[1]);
    expect(el.renamePreset(el.presets[1].id, 'hot LEADS')).to.equal(false); // taken (any case)

    await click(el, parts(el, 'preset-default')[1]);
    expect(parts(el, 'preset-default').map((b) => b.getAttribute('aria-pressed'))).to.deep.equal(['false', 'true']);
    await click(el, parts(el, 'preset-default')[0]);
    expect(el.presets.filter((p) => p.default).map((p) => p.name)).to.deep.equal(['Hot leads']);

    await click(el, parts(el, 'preset-delete')[0]);
    expect(names(el)).to.deep.equal(['Ready for agents']);
    expect(changes).to.have.length(1); // preset management never changes the filter by itself
  });

  it('saving under an existing name replaces that preset', async () => {
    const { el } = await mount();
    await click(el, option(el, 'temperatures', 'Cold'));
    await saveVia(el, 'Mine');
    await click(el, option(el, 'temperatures', 'Warm'));
    await saveVia(el, 'mine');
    expect(el.presets).to.have.length(1);
    expect(el.presets[0].filter).to.deep.equal({ temperatures: ['warm', 'cold'] });
  });

  it('keeps presets and the last used filter across re-creation, per tenant', async () => {
    const first = await mount();
    await click(first.el, option(first.el, 'temperatures', 'Warm'));
    await saveVia(first.el, 'Warm');
    await click(first.el, option(first.el, 'dates', 'Last 30 days'));
    first.el.remove();
    groupStore(first.group).setFilter({}); // the page reloads: a fresh group

    const again = await mount({ group: first.group, tenant: first.tenant });
    expect(again.el.presets.map((p) => p.name)).to.deep.equal(['Warm']);
    expect(again.el.value).to.deep.equal({ from: localDay(-29), datePreset: '30d', temperatures: ['warm'] });
    expect(again.changes).to.have.length(0);
    expect(groupStore(first.group).filter).to.deep.equal(again.el.value);

    const stranger = await mount({ tenant: unique('other') });
    expect(stranger.el.presets).to.have.length(0);
    expect(stranger.el.value).to.deep.equal({});
  });

  it('a reload starts from the last used filter, else the default preset; a load itself stores nothing', async () => {
    const tenant = unique('t');
    const load = () => mount({ tenant }); // a fresh group each time: a reloaded page
    const stored = () => localStorage.getItem(storageKey(tenant));

    // First visit: save "Hot" as the default, then reset (the user's last choice is "nothing").
    const first = await load();
    await click(first.el, option(first.el, 'temperatures', 'Hot'));
    await saveVia(first.el, 'Hot');
    await click(first.el, parts(first.el, 'preset-default')[0]);
    await click(first.el, part(first.el, 'reset')!);
    first.el.remove();

    // Reload: the last used filter is empty, so the default preset applies, silently.
    const before = stored();
    const second = await load();
    expect(second.el.value).to.deep.equal({ temperatures: ['hot'] });
    expect(second.changes).to.have.length(0);
    expect(stored(), 'loading wrote to storage').to.equal(before);

    // The user narrows it; the reload keeps their choice over the default.
    await click(second.el, option(second.el, 'stages', 'Closed'));
    second.el.remove();
    const third = await load();
    expect(third.el.value).to.deep.equal({ temperatures: ['hot'], stages: ['closed'] });

    // Reset again: back to the default on the next load.
    await click(third.el, part(third.el, 'reset')!);
    third.el.remove();
    const fourth = await load();
    expect(fourth.el.value).to.deep.equal({ temperatures: ['hot'] });
    expect(fourth.changes).to.have.length(0);
  });

  it('applies the default preset on a first visit, refreshing relative dates', async () => {
    const tenant = unique('t');
    localStorage.setItem(
      storageKey(tenant),
      JSON.stringify({
        v: 1,
        presets: [
          { id: 'a', name: 'Old week', filter: { datePreset: '7d', from: 1, to: 2, stages: ['new'] } },
          { id: 'b', name: 'Not me', filter: { stages: ['closed'] } },
        ].map((p, i) => (i === 0 ? { ...p, default: true } : p)),
      }),
    );
    const { el } = await mount({ tenant });
    expect(el.value).to.deep.equal({ from: localDay(-6), datePreset: '7d', stages: ['new'] });
  });

  it('stores presets under the tenants of the group token when no tenant is named', async () => {
    const group = unique('gf-token');
    groupStore(group).configureGateway({ url: `fake://${group}`, token: token({ tenants: ['loc_b', 'loc_a'] }) });
    const el = await fixture<GlobalFilters>(html`<global-filters layout="panel" group=${group}></global-filters>`);
    el.savePreset('Everything');
    expect(JSON.parse(localStorage.getItem(storageKey('loc_a,loc_b'))!).presets[0].name).to.equal('Everything');
  });
});

describe('<global-filters> relative dates across midnight', () => {
  const realNow = clock.now;
  afterEach(() => (clock.now = realNow));
  const at = (y: number, m: number, d: number, h = 0, min = 0, s = 0, ms = 0) => new Date(y, m, d, h, min, s, ms).getTime();

  it('"Today" has no end, and its start moves at local midnight; the feed resubscribes', async () => {
    const gateway = new FakeGateway({ seed: 5 });
    const group = unique('gf-midnight');
    groupStore(group).configureGateway({ url: `fake://${group}`, transports: gateway.transports(), backoff: { initialMs: 5, maxMs: 20 } });
    clock.now = () => at(2031, 0, 15, 23, 59, 59, 850);
    const page = await fixture(html`<div>
      <global-filters layout="panel" group=${group} tenant=${unique('t')}></global-filters>
      <activity-feed group=${group} style="--lw-feed-height: 200px"></activity-feed>
    </div>`);
    const el = page.querySelector('global-filters')!;
    const feed = page.querySelector<ActivityFeed>('activity-feed')!;
    const changes: FilterChangeDetail[] = [];
    el.addEventListener('lw-filter-change', (e) => changes.push(e.detail));
    await waitUntil(() => feed.status === 'live', 'feed never went live');
    await click(el, option(el, 'dates', 'Today'));
    expect(el.value).to.deep.equal({ from: at(2031, 0, 15), datePreset: 'today' });

    clock.now = () => at(2031, 0, 16, 0, 0, 0, 20); // the local midnight passes
    await waitUntil(() => el.value.from === at(2031, 0, 16), 'the start never moved at midnight', { timeout: 5_000 });
    expect(el.value).to.deep.equal({ from: at(2031, 0, 16), datePreset: 'today' });
    expect(groupStore(group).filter).to.deep.equal(el.value);
    expect(changes, 'not a user action: no filter-change').to.have.length(1);
    await waitUntil(() => gateway.received.filter((f) => f.type === 'subscribe').length > 0);
    await waitUntil(
      () => JSON.stringify(gateway.received.filter((f) => f.type === 'subscribe').at(-1)) === JSON.stringify({ type: 'subscribe', subscription: { filter: { from: at(2031, 0, 16) } } }),
      'the feed did not resubscribe with the new start',
    );
  });

  it('re-resolves "last 7 days" when the tab is shown again and when re-attached', async () => {
    clock.now = () => at(2031, 5, 10, 12);
    const { el, changes } = await mount();
    await click(el, option(el, 'dates', 'Last 7 days'));
    expect(el.value).to.deep.equal({ from: at(2031, 5, 4), datePreset: '7d' });

    // Two days later (a laptop lid closed: the midnight timers never ran).
    clock.now = () => at(2031, 5, 12, 9);
    document.dispatchEvent(new Event('visibilitychange'));
    expect(el.value).to.deep.equal({ from: at(2031, 5, 6), datePreset: '7d' });

    clock.now = () => at(2031, 5, 13, 9);
    const parent = el.parentElement!;
    el.remove();
    parent.append(el);
    expect(el.value).to.deep.equal({ from: at(2031, 5, 7), datePreset: '7d' });
    expect(changes).to.have.length(1);
  });

  it('leaves custom ranges alone', async () => {
    clock.now = () => at(2031, 5, 10, 12);
    const { el } = await mount();
    el.value = { datePreset: 'custom', from: at(2031, 5, 1), to: at(2031, 5, 2) - 1 };
    await el.updateComplete;
    clock.now = () => at(2031, 5, 12, 9);
    document.dispatchEvent(new Event('visibilitychange'));
    expect(el.value).to.deep.equal({ datePreset: 'custom', from: at(2031, 5, 1), to: at(2031, 5, 2) - 1 });
  });
});

describe('<global-filters> with corrupt or foreign storage', () => {
  let warnings: string[];
  let warn: typeof console.warn;
  beforeEach(() => {
    warnings = [];
    warn = console.warn;
    console.warn = (...args: unknown[]) => warnings.push(args.join(' '));
  });
  afterEach(() => (console.warn = warn));

  const cases: Array<[string, string]> = [
    ['invalid JSON', '{"v":1,"presets":[{'],
    ['a list instead of an object', '[1,2,3]'],
    ['another version', JSON.stringify({ v: 2, presets: [{ id: 'x', name: 'x', filter: {} }] })],
    ['a string', '"hello"'],
  ];
  for (const [what, raw] of cases) {
    it(`ignores ${what} with a warning, and works`, async () => {
      const tenant = unique('t');
      localStorage.setItem(storageKey(tenant), raw);
      const { el, changes } = await mount({ tenant });
      expect(warnings.length).to.be.greaterThan(0);
      expect(warnings[0]).to.contain(storageKey(tenant));
      expect(el.presets).to.deep.equal([]);
      expect(el.value).to.deep.equal({});
      await click(el, option(el, 'temperatures', 'Hot'));
      expect(changes).to.have.length(1);
      el.savePreset('Fresh');
      expect(JSON.parse(localStorage.getItem(storageKey(tenant))!)).to.deep.include({ v: 1 });
    });
  }

  it('keeps the valid entries and drops wrong shapes and foreign keys one by one', async () => {
    const tenant = unique('t');
    const good = { id: 'good', name: 'Good', filter: { temperatures: ['hot'] } };
    localStorage.setItem(
      storageKey(tenant),
      JSON.stringify({
        v: 1,
        presets: [
          good,
          { id: 'evil', name: 'Evil', filter: { temperatures: ['hot'], $where: 'sleep(1)' } },
          { id: 'proto', name: 'Proto', filter: {}, isAdmin: true },
          { id: 'bad-enum', name: 'Bad', filter: { stages: ['boiling'] } },
          { id: 'bad-number', name: 'NaN', filter: { budgetMin: 'lots' } },
          { id: 'good', name: 'Duplicate', filter: {} },
          { name: 'No id', filter: {} },
          'just a string',
          null,
        ],
        last: { temperatures: 'hot' },
        injected: '<script>',
      }),
    );
    const { el } = await mount({ tenant });
    expect(el.presets).to.deep.equal([good]);
    expect(el.value).to.deep.equal({}); // the last used filter was unusable
    expect(warnings).to.have.length(10);
    expect(warnings.join('\n')).to.contain('unknown key "$where"').and.contain('unknown key "isAdmin"').and.contain('"injected"');
  });

  it('ignores a __proto__ key rather than letting it through', async () => {
    const tenant = unique('t');
    localStorage.setItem(storageKey(tenant), '{"v":1,"presets":[],"last":{"__proto__":{"polluted":true},"stages":["new"]}}');
    const { el } = await mount({ tenant });
    expect(el.value).to.deep.equal({});
    expect(({} as Record<string, unknown>).polluted).to.equal(undefined);
    expect(warnings.join()).to.contain('__proto__');
  });
});

describe('<global-filters> in a form', () => {
  it('submits the filter as JSON under its name and clears on form reset', async () => {
    const group = unique('gf-form');
    const form = await fixture<HTMLFormElement>(html`<form>
      <global-filters layout="panel" name="filters" group=${group} tenant=${unique('t')}></global-filters>
    </form>`);
    const el = form.querySelector('global-filters')!;
    expect(el.form).to.equal(form);
    expect(new FormData(form).get('filters')).to.equal('{}');
    await click(el, option(el, 'temperatures', 'Hot'));
    await click(el, option(el, 'stages', 'New'));
    expect(JSON.parse(new FormData(form).get('filters') as string)).to.deep.equal({ temperatures: ['hot'], stages: ['new'] });
    const changes: Filter[] = [];
    el.addEventListener('lw-filter-change', (e) => changes.push(e.detail.filter));
    form.reset();
    await el.updateComplete;
    expect(el.value).to.deep.equal({});
    expect(changes).to.deep.equal([{}]);
    expect(new FormData(form).get('filters')).to.equal('{}');
    expect(groupStore(group).filter).to.deep.equal({});
  });

  it('is disabled with a disabled fieldset around it', async () => {
    const form = await fixture<HTMLFormElement>(html`<form><fieldset disabled>
      <global-filters layout="panel" name="f" tenant=${unique('t')} group=${unique('gf')}></global-filters>
    </fieldset></form>`);
    const el = form.querySelector('global-filters')!;
    await el.updateComplete;
    expect(part<HTMLFieldSetElement>(el, 'base')!.disabled).to.equal(true);
    expect(new FormData(form).has('f')).to.equal(false);
  });
});

describe('<global-filters sync-url>', () => {
  let original: string;
  beforeEach(() => (original = location.href));
  afterEach(() => history.replaceState(history.state, '', original));

  it('reads the filter from the URL on load and writes each change back', async () => {
    const url = new URL(location.href);
    url.searchParams.set('view', JSON.stringify({ datePreset: 'today', stages: ['handoff'] }));
    url.searchParams.set('keep', 'me');
    history.replaceState(history.state, '', url);
    const { el, changes } = await mount({ attrs: { 'sync-url': '', 'url-param': 'view' } });
    expect(el.value).to.deep.equal({ from: localDay(0), datePreset: 'today', stages: ['handoff'] });
    expect(changes).to.have.length(0);
    await click(el, option(el, 'temperatures', 'Cold'));
    const params = new URL(location.href).searchParams;
    expect(JSON.parse(params.get('view')!)).to.deep.equal({ datePreset: 'today', temperatures: ['cold'], stages: ['handoff'] });
    expect(params.get('keep')).to.equal('me');
    await click(el, part(el, 'reset')!);
    expect(new URL(location.href).searchParams.has('view')).to.equal(false);
  });

  it('round-trips a custom range and a search through a shared link', async () => {
    const first = await mount({ attrs: { 'sync-url': '' } });
    first.el.value = { from: 1_700_000_000_000, to: 1_700_600_000_000, datePreset: 'custom', text: 'Zoë', types: ['ghl.api_error'] };
    await first.el.updateComplete;
    const shared = location.href;
    first.el.remove();
    history.replaceState(history.state, '', original);
    history.replaceState(history.state, '', shared);
    const second = await mount({ attrs: { 'sync-url': '' } });
    expect(second.el.value).to.deep.equal(first.el.value);
  });

  it('ignores an unusable URL parameter with a warning', async () => {
    const warn = console.warn;
    const warnings: string[] = [];
    console.warn = (...args: unknown[]) => warnings.push(args.join(' '));
    try {
      history.replaceState(history.state, '', `?filters=${encodeURIComponent('{"types":["rm -rf"]}')}`);
      const { el } = await mount({ attrs: { 'sync-url': '' } });
      expect(el.value).to.deep.equal({});
      expect(warnings.join()).to.contain('"filters" URL parameter');
    } finally {
      console.warn = warn;
    }
  });
});

describe('<global-filters> keyboard and layout', () => {
  it('is operable with the keyboard alone', async () => {
    const { el, changes } = await mount();
    const before = document.createElement('button');
    before.textContent = 'before';
    el.before(before);
    before.focus();
    await sendKeys({ press: 'Tab' }); // reset is disabled: focus lands on the checked date radio
    expect(root(el).activeElement).to.equal(option(el, 'dates', 'Any time'));
    await sendKeys({ press: 'ArrowRight' });
    await sendKeys({ press: 'ArrowRight' });
    await el.updateComplete;
    expect(el.value.datePreset).to.equal('7d');
    expect(changes).to.have.length(2);
    await sendKeys({ press: 'Tab' });
    expect(root(el).activeElement).to.equal(option(el, 'temperatures', 'Hot'));
    await sendKeys({ press: 'Space' });
    await el.updateComplete;
    expect(el.value.temperatures).to.deep.equal(['hot']);
    await sendKeys({ press: 'Tab' });
    await sendKeys({ press: 'Space' });
    await el.updateComplete;
    expect(el.value.temperatures).to.deep.equal(['hot', 'warm']);

    // Family: Space on its checkbox, Enter on its expander, Space on a type.
    option(el, 'types', 'Cache').focus();
    await sendKeys({ press: 'Space' });
    await el.updateComplete;
    expect(el.value.types).to.deep.equal(['cache']);
    await sendKeys({ press: 'Tab' });
    expect(root(el).activeElement!.getAttribute('aria-controls')).to.equal('types-cache');
    await sendKeys({ press: 'Enter' });
    await el.updateComplete;
    await sendKeys({ press: 'Tab' });
    expect(root(el).activeElement).to.equal(option(el, 'types', 'Cache hit'));
    await sendKeys({ press: 'Space' });
    await el.updateComplete;
    expect(el.value.types).to.deep.equal(['cache.miss', 'cache.invalidated']);

    // Open the saved filters, save one with Enter, then reset with Enter on the reset button.
    const toggle = part(el, 'presets-toggle')!;
    toggle.focus();
    await sendKeys({ press: 'Enter' });
    await waitUntil(() => part(el, 'preset-save'), 'Enter did not open the saved filters');
    expect(toggle.getAttribute('aria-expanded')).to.equal('true');
    await sendKeys({ press: 'Tab' });
    expect(root(el).activeElement).to.equal(root(el).querySelector('#preset-name'));
    await sendKeys({ type: 'Keyboard' });
    await sendKeys({ press: 'Enter' });
    await el.updateComplete;
    expect(el.presets.map((p) => p.name)).to.deep.equal(['Keyboard']);
    part(el, 'reset')!.focus();
    await sendKeys({ press: 'Enter' });
    await el.updateComplete;
    expect(el.value).to.deep.equal({});
    expect(changes).to.have.length(7);
    before.remove();
  });

  it('types a custom date with the keyboard, applying only complete dates and saving no broken one', async () => {
    const { el, changes, tenant } = await mount();
    const stored = () => (JSON.parse(localStorage.getItem(storageKey(tenant)) ?? '{}') as { last?: Filter }).last;
    option(el, 'dates', 'Any time').focus();
    for (let i = 0; i < 4; i++) await sendKeys({ press: 'ArrowRight' }); // to "Custom"
    await el.updateComplete;
    const to = el.value.to;
    expect(el.value.datePreset).to.equal('custom');
    await sendKeys({ press: 'Tab' });
    expect(root(el).activeElement).to.equal(part(el, 'date-from'));
    const seen: Array<Filter | undefined> = [];
    const before = changes.length;
    // The segments in the order this browser's locale shows them (month/day/year in en-US).
    const order = new Intl.DateTimeFormat(navigator.language).formatToParts(new Date(2026, 2, 15)).map((p) => p.type);
    const digits: Record<string, string> = { month: '03', day: '15', year: '2026' };
    for (const segment of order.filter((t) => t in digits)) {
      for (const key of digits[segment]) {
        await sendKeys({ press: key });
        await el.updateComplete;
        seen.push(stored());
      }
    }
    await sendKeys({ press: 'Tab' }); // leave the input: nothing half typed is left behind
    await el.updateComplete;
    expect(el.value).to.deep.equal({ from: new Date(2026, 2, 15).getTime(), to, datePreset: 'custom' });
    // Every filter applied on the way had both bounds and a real year: never 1902, never empty.
    for (const change of changes.slice(before)) {
      expect(change.filter.to).to.equal(to);
      expect(new Date(change.filter.from!).getFullYear()).to.be.within(1970, 9999);
    }
    for (const last of seen) expect(new Date(last!.from!).getFullYear()).to.be.within(1970, 9999);
    expect(stored()).to.deep.equal(el.value);
    expect(part(el, 'summary')!.textContent).to.match(/Mar 15, 2026 –/);
  });

  it('keeps the day in effect when a typed date is left unfinished, and drops a bound the user emptied', async () => {
    const { el } = await mount();
    el.value = { from: new Date(2026, 0, 10).getTime(), to: new Date(2026, 0, 20).getTime(), datePreset: 'custom' };
    await el.updateComplete;
    const from = part<HTMLInputElement>(el, 'date-from')!;
    from.focus();
    await sendKeys({ press: 'Backspace' }); // one segment cleared: the date is incomplete
    await el.updateComplete;
    expect(el.value.from).to.equal(new Date(2026, 0, 10).getTime());
    // Out of the input (Tab alone moves between its segments).
    await sendKeys({ down: 'Shift' });
    await sendKeys({ press: 'Tab' });
    await sendKeys({ up: 'Shift' });
    await el.updateComplete;
    expect(root(el).activeElement).to.not.equal(from);
    expect(from.value).to.equal('2026-01-10');
    expect(el.value.from).to.equal(new Date(2026, 0, 10).getTime());
    // Emptied on purpose (the whole value cleared): that bound goes.
    from.value = '';
    from.dispatchEvent(new Event('change', { bubbles: true }));
    from.dispatchEvent(new FocusEvent('blur'));
    await el.updateComplete;
    expect(el.value.from).to.equal(undefined);
    expect(el.value.to).to.equal(new Date(2026, 0, 20).getTime());
  });

  it('folds into a compact layout under 480 px, controls behind a toggle', async () => {
    const { el } = await mount();
    el.style.width = '320px';
    await waitUntil(() => el.compact, 'never compact');
    await el.updateComplete;
    const toggle = part(el, 'toggle')!;
    expect(el.hasAttribute('compact')).to.equal(true);
    expect(part(el, 'panel')!.hidden).to.equal(true);
    expect(toggle.getAttribute('aria-expanded')).to.equal('false');
    await click(el, toggle);
    expect(part(el, 'panel')!.hidden).to.equal(false);
    const base = part(el, 'base')!;
    expect(base.scrollWidth).to.be.at.most(base.clientWidth);
    el.style.width = '700px';
    await waitUntil(() => !el.compact, 'stayed compact');
    await el.updateComplete;
    expect(part(el, 'toggle')).to.equal(null);
  });

  it('keeps its size under html { font-size: 62.5% }', async () => {
    const { el } = await mount();
    document.documentElement.style.fontSize = '62.5%';
    try {
      expect(getComputedStyle(part(el, 'summary')!).fontSize).to.equal('14px');
    } finally {
      document.documentElement.style.fontSize = '';
    }
  });

  it('survives the suite being loaded twice', async () => {
    const { GlobalFilters } = await import('./global-filters.ts');
    const warn = console.warn;
    console.warn = () => {};
    try {
      await import(/* @vite-ignore */ `./define.ts?second-load=${Date.now()}`);
      await import('../index.ts');
    } finally {
      console.warn = warn;
    }
    expect(customElements.get('global-filters')).to.equal(GlobalFilters);
  });
});

describe('<global-filters> accessibility', () => {
  /** Every kind of control showing: custom dates, an expanded family, presets, a rename. */
  async function busy() {
    const mounted = await mount();
    const { el } = mounted;
    await click(el, option(el, 'dates', 'Custom'));
    await click(el, option(el, 'temperatures', 'Hot'));
    await click(el, parts(el, 'family-toggle')[1]);
    await click(el, option(el, 'types', 'GHL API error'));
    el.savePreset('Hot');
    el.setDefaultPreset(el.presets[0].id);
    el.savePreset('Other');
    await openPresets(el);
    await click(el, parts(el, 'preset-rename')[1]);
    return mounted;
  }

  for (const theme of ['light', 'dark', 'high-contrast'] as const) {
    it(`passes axe in the ${theme} theme`, async () => {
      const { el } = await busy();
      el.store.setTheme(theme, { persist: false });
      await el.updateComplete;
      expect(el.dataset.theme).to.equal(theme);
      await expect(el).to.be.accessible();
    });
  }

  it('passes axe with forced colors, and compact', async () => {
    await executeServerCommand('emulate-forced-colors', { active: true });
    try {
      expect(matchMedia('(forced-colors: active)').matches).to.equal(true);
      const { el } = await busy();
      await expect(el).to.be.accessible();
      el.style.width = '320px';
      await waitUntil(() => el.compact);
      await click(el, part(el, 'toggle')!);
      await expect(el).to.be.accessible();
    } finally {
      await executeServerCommand('emulate-forced-colors', { active: false });
    }
  });
});
