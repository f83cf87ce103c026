/**
 * The bar layout of <global-filters> (the default): chips that always show the group's filter,
 * each filter edited in a popover with the keyboard alone, accessible in every theme and in
 * forced colours (checked by pixels).
 */
import { expect, fixture, html, waitUntil } from '@open-wc/testing';
import { executeServerCommand, sendKeys } from '@web/test-runner-commands';
import { paintedContrast, paintedPixels } from '../../fixtures/pixels.ts';
import { groupStore } from '../core/store.ts';
import './define.ts';
import type { FilterChangeDetail, GlobalFilters } from './global-filters.ts';

let n = 0;
const unique = (prefix: string) => `${prefix}-${++n}-${Date.now()}`;

async function mount(attrs: Record<string, string> = {}) {
  const el = document.createElement('global-filters');
  el.setAttribute('group', unique('bar'));
  el.setAttribute('tenant', unique('tenant'));
  el.setAttribute('search-delay', '40');
  for (const [name, value] of Object.entries(attrs)) el.setAttribute(name, value);
  el.style.width = '900px';
  const changes: FilterChangeDetail[] = [];
  el.addEventListener('lw-filter-change', (e) => changes.push(e.detail));
  await fixture(el);
  await el.updateComplete;
  return { el, changes };
}

const root = (el: Element) => el.shadowRoot!;
const part = <T extends HTMLElement = HTMLElement>(el: Element, name: string) => root(el).querySelector<T>(`[part~="${name}"]`);
const active = (el: Element) => root(el).activeElement as HTMLElement | null;
/** What the chips say, field by field. */
const chips = (el: Element) =>
  Object.fromEntries(
    [...root(el).querySelectorAll<HTMLElement>('[part~="chip"]')].map((chip) => [chip.dataset.field, chip.querySelector('[part~="chip-value"]')!.textContent!.trim()]),
  );
const openPopover = (el: Element) => root(el).querySelector<HTMLElement>('[popover]:popover-open');
async function press(el: GlobalFilters, ...keys: string[]) {
  for (const key of keys) {
    await sendKeys({ press: key });
    await el.updateComplete;
  }
}
/** Opens the "Add filter" menu with the keyboard and picks `label` with the arrows. */
async function addWithKeyboard(el: GlobalFilters, label: string) {
  part(el, 'add-filter')!.focus();
  await press(el, 'Enter');
  await waitUntil(() => openPopover(el)?.id === 'pop-add', 'Enter did not open the add menu');
  await waitUntil(() => active(el)?.getAttribute('role') === 'menuitem', 'focus did not move into the menu');
  for (let i = 0; i < 8 && active(el)!.textContent!.trim() !== label; i++) await press(el, 'ArrowDown');
  expect(active(el)!.textContent!.trim()).to.equal(label);
  await press(el, 'Enter');
  await waitUntil(() => openPopover(el)?.getAttribute('aria-label') === label, `the ${label} editor did not open`);
  await waitUntil(() => openPopover(el)!.contains(active(el)), 'focus did not move into the editor');
}
async function closeWithEscape(el: GlobalFilters) {
  await press(el, 'Escape');
  await waitUntil(() => !openPopover(el), 'Escape did not close the popover');
}

afterEach(() => localStorage.clear());

describe('<global-filters> bar layout', () => {
  it('is the default: one row with the date chip, "Add filter" and the saved filters', async () => {
    const { el } = await mount();
    expect(el.layout).to.equal('bar');
    expect(chips(el)).to.deep.equal({ dates: 'Any time' });
    expect(part(el, 'add-filter')!.textContent).to.contain('Add filter');
    expect(part(el, 'presets-toggle')).to.exist;
    expect(part(el, 'panel')).to.equal(null);
    const bar = part(el, 'bar')!;
    const row = part(el, 'chip-dates')!.getBoundingClientRect();
    expect(bar.getBoundingClientRect().height).to.be.below(row.height * 2);
  });

  it('edits every filter with the keyboard alone: open, change, Escape, focus back on the chip', async () => {
    const { el, changes } = await mount();
    const before = document.createElement('button');
    before.textContent = 'before';
    el.before(before);
    before.focus();
    await press(el, 'Tab');
    expect(active(el)).to.equal(part(el, 'chip-button'));
    expect(active(el)!.getAttribute('aria-expanded')).to.equal('false');

    // Date: Enter opens its editor on the checked option; the arrows pick "Last 7 days".
    await press(el, 'Enter');
    await waitUntil(() => openPopover(el)?.id === 'pop-dates', 'Enter did not open the date editor');
    await waitUntil(() => active(el)?.getAttribute('type') === 'radio', 'focus did not move into the editor');
    expect(part(el, 'chip-button')!.getAttribute('aria-expanded')).to.equal('true');
    await press(el, 'ArrowRight', 'ArrowRight');
    expect(el.value.datePreset).to.equal('7d');
    // Tab stays inside: from the last stop ("Done") it wraps to the first.
    for (let i = 0; i < 4 && active(el)!.getAttribute('part') !== 'popover-done'; i++) await press(el, 'Tab');
    expect(active(el)!.getAttribute('part')).to.equal('popover-done');
    await press(el, 'Tab');
    expect(openPopover(el)!.contains(active(el))).to.equal(true);
    await closeWithEscape(el);
    expect(active(el)).to.equal(root(el).querySelector('#chip-dates'));
    expect(chips(el).dates).to.equal('last 7 days');

    // Each other filter through "Add filter": its chip appears and takes the focus back.
    await addWithKeyboard(el, 'Lead temperature');
    await press(el, 'Space'); // the first option, Hot
    await closeWithEscape(el);
    expect(active(el)).to.equal(root(el).querySelector('#chip-temperatures'));

    await addWithKeyboard(el, 'Bot stage');
    await press(el, 'Tab', 'Space'); // the second option, Contacted
    await closeWithEscape(el);

    await addWithKeyboard(el, 'Budget');
    await sendKeys({ type: '300000' });
    await press(el, 'Tab'); // the number applies on change
    await sendKeys({ type: '600000' });
    await press(el, 'Tab');
    await closeWithEscape(el);

    await addWithKeyboard(el, 'Timeline');
    await press(el, 'Space'); // ASAP
    await closeWithEscape(el);

    await addWithKeyboard(el, 'Event types');
    await press(el, 'Space'); // the first family, Lead
    await closeWithEscape(el);

    await addWithKeyboard(el, 'Search');
    await sendKeys({ type: 'acme' });
    await press(el, 'Enter');
    await closeWithEscape(el);

    expect(el.value).to.deep.include({
      datePreset: '7d',
      temperatures: ['hot'],
      stages: ['contacted'],
      budgetMin: 300_000,
      budgetMax: 600_000,
      timelines: ['asap'],
      types: ['lead'],
      text: 'acme',
    });
    expect(Object.keys(chips(el))).to.have.members(['dates', 'temperatures', 'stages', 'budget', 'timelines', 'types', 'text']);
    expect(part(el, 'add-filter'), 'nothing left to add').to.equal(null);

    // A chip's remove button, by keyboard: the filter goes, focus lands somewhere useful.
    root(el).querySelector<HTMLElement>('[part~="chip-stages"] [part~="chip-remove"]')!.focus();
    await press(el, 'Enter');
    expect(el.value.stages).to.equal(undefined);
    expect(chips(el).stages).to.equal(undefined);
    expect(active(el)).to.equal(part(el, 'add-filter'));
    expect(changes.length).to.be.greaterThan(8);
    before.remove();
  });

  it('opens the saved filters as a menu, saves and applies one, and closes on choosing', async () => {
    const { el } = await mount();
    el.value = { temperatures: ['warm'] };
    await el.updateComplete;
    part(el, 'presets-toggle')!.focus();
    await press(el, 'Enter');
    await waitUntil(() => part(el, 'preset-save'), 'the saved filters never showed');
    expect(el.presetsOpen).to.equal(true);
    root(el).querySelector<HTMLInputElement>('#preset-name')!.focus();
    await sendKeys({ type: 'Warm leads' });
    await press(el, 'Enter');
    expect(el.presets.map((p) => p.name)).to.deep.equal(['Warm leads']);
    await closeWithEscape(el);
    expect(el.presetsOpen).to.equal(false);
    expect(active(el)).to.equal(part(el, 'presets-toggle'));

    el.value = {};
    await el.updateComplete;
    expect(chips(el)).to.deep.equal({ dates: 'Any time' });
    el.presetsOpen = true; // the property opens the menu too
    await waitUntil(() => part(el, 'preset-apply'), 'the menu did not open from the property');
    expect(openPopover(el)!.id).to.equal('pop-saved');
    part(el, 'preset-apply')!.click();
    await el.updateComplete;
    await waitUntil(() => !openPopover(el), 'choosing a saved filter did not close the menu');
    expect(chips(el)).to.deep.equal({ dates: 'Any time', temperatures: 'Warm' });
  });
});

describe('<global-filters> bar opened by its properties', () => {
  it('shows the saved filters menu when loaded with presets-open, at its button, without an error', async () => {
    const errors: unknown[] = [];
    const onError = (event: ErrorEvent) => errors.push(event.error);
    window.addEventListener('error', onError);
    try {
      const { el } = await mount({ 'presets-open': '' });
      await waitUntil(() => part(el, 'preset-save'), 'the saved filters never showed');
      expect(openPopover(el)!.id).to.equal('pop-saved');
      const toggle = part(el, 'presets-toggle')!.getBoundingClientRect();
      const menu = openPopover(el)!.getBoundingClientRect();
      expect(Math.abs(menu.top - toggle.bottom)).to.be.below(12);
      expect(errors).to.deep.equal([]);
    } finally {
      window.removeEventListener('error', onError);
    }
  });
});

describe('<global-filters> bar chips follow the filter', () => {
  let original: string;
  beforeEach(() => (original = location.href));
  afterEach(() => history.replaceState(history.state, '', original));

  it('from the URL, from a sibling widget, from the group and from a reset', async () => {
    const url = new URL(location.href);
    url.searchParams.set('filters', JSON.stringify({ datePreset: 'today', stages: ['handoff'], text: 'Zoë' }));
    history.replaceState(history.state, '', url);
    const group = unique('bar-sync');
    const page = await fixture(html`<div>
      <global-filters sync-url group=${group} tenant=${unique('t')}></global-filters>
      <global-filters layout="panel" group=${group} tenant=${unique('t')}></global-filters>
    </div>`);
    const [bar, panel] = [...page.querySelectorAll('global-filters')];
    await bar.updateComplete;
    await panel.updateComplete;
    expect(chips(bar)).to.deep.equal({ dates: 'today', stages: 'Handoff', text: '“Zoë”' });

    // The sibling (panel layout) picks Hot: the bar's chip appears, and the URL follows.
    const hot = [...root(panel).querySelectorAll<HTMLLabelElement>('[part~="temperatures"] label')].find((l) => l.textContent!.trim() === 'Hot')!;
    hot.querySelector('input')!.click();
    await panel.updateComplete;
    await bar.updateComplete;
    expect(chips(bar)).to.deep.include({ temperatures: 'Hot' });
    expect(JSON.parse(new URL(location.href).searchParams.get('filters')!)).to.deep.include({ temperatures: ['hot'] });

    // Another widget sets the group's filter directly.
    groupStore(group).setFilter({ budgetMin: 100_000 });
    await bar.updateComplete;
    expect(chips(bar)).to.deep.equal({ dates: 'Any time', budget: '$100K+' });

    part(bar, 'reset')!.click();
    await bar.updateComplete;
    expect(chips(bar)).to.deep.equal({ dates: 'Any time' });
    expect(new URL(location.href).searchParams.has('filters')).to.equal(false);
  });

  it('from a saved filter applied through the API, and a removed chip clears only its filter', async () => {
    const { el, changes } = await mount();
    el.value = { timelines: ['3-6m'], temperatures: ['hot', 'cold'] };
    await el.updateComplete;
    const preset = el.savePreset('Later');
    el.value = {};
    await el.updateComplete;
    el.applyPreset(preset.id);
    await el.updateComplete;
    expect(chips(el)).to.deep.equal({ dates: 'Any time', temperatures: 'Hot, Cold', timelines: '3–6 months' });
    root(el).querySelector<HTMLElement>('[part~="chip-temperatures"] [part~="chip-remove"]')!.click();
    await el.updateComplete;
    expect(el.value).to.deep.equal({ timelines: ['3-6m'] });
    expect(changes.at(-1)!.filter).to.deep.equal({ timelines: ['3-6m'] });
  });
});

describe('<global-filters> bar accessibility', () => {
  for (const theme of ['light', 'dark', 'high-contrast'] as const) {
    it(`passes axe in the ${theme} theme, closed and with an editor open`, async () => {
      const { el } = await mount();
      el.store.setTheme(theme, { persist: false });
      el.value = { temperatures: ['hot'], datePreset: '7d' };
      await el.updateComplete;
      await expect(el).to.be.accessible();
      root(el).querySelector<HTMLElement>('#chip-temperatures')!.click();
      await waitUntil(() => openPopover(el), 'the editor did not open');
      await expect(el).to.be.accessible();
    });
  }

  it('passes axe at 360 px, the chips wrapping inside the widget', async () => {
    const { el } = await mount();
    el.style.width = '360px';
    el.value = { temperatures: ['hot', 'warm'], stages: ['new', 'qualifying'], budgetMin: 1, timelines: ['asap'], text: 'a long search text' };
    await el.updateComplete;
    const base = part(el, 'base')!;
    expect(base.scrollWidth).to.be.at.most(base.clientWidth);
    await expect(el).to.be.accessible();
  });

  it('paints chips, their values and an open editor visibly in forced colours (pixels)', async () => {
    await executeServerCommand('emulate-forced-colors', { active: true });
    try {
      const { el } = await mount();
      el.value = { temperatures: ['hot'] };
      await el.updateComplete;
      await expect(el).to.be.accessible();
      for (const target of [
        root(el).querySelector('[part~="chip-temperatures"] .chip-value')!,
        root(el).querySelector('[part~="chip-temperatures"] .chip-label')!,
        part(el, 'add-filter')!,
        part(el, 'presets-toggle')!,
      ]) {
        const contrast = paintedContrast(await paintedPixels(target, 3));
        expect(contrast, `${target.textContent!.trim()} is not visible`).to.be.at.least(3);
      }
      root(el).querySelector<HTMLElement>('#chip-temperatures')!.click();
      await waitUntil(() => openPopover(el), 'the editor did not open');
      const checked = openPopover(el)!.querySelector('[part~="option-checked"]')!;
      expect(paintedContrast(await paintedPixels(checked, 3)), 'the checked option is not visible').to.be.at.least(3);
      expect(paintedContrast(await paintedPixels(part(el, 'popover-done')!, 3))).to.be.at.least(3);
    } finally {
      await executeServerCommand('emulate-forced-colors', { active: false });
    }
  });
});
