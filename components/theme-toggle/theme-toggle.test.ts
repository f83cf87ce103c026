import { expect, fixture, html, waitUntil } from '@open-wc/testing';
import { sendKeys } from '@web/test-runner-commands';
import { groupStore } from '../core/store.ts';
import '../activity-feed/define.ts';
import './define.ts';
import type { ThemeToggle } from './theme-toggle.ts';

let n = 0;
const radios = (el: ThemeToggle) => [...el.shadowRoot!.querySelectorAll<HTMLInputElement>('input[type="radio"]')];

describe('<theme-toggle>', () => {
  afterEach(() => localStorage.clear());

  it('themes the widgets of its group only, and persists the choice per site', async () => {
    const group = `toggle-${++n}`;
    const root = await fixture(html`<div>
      <theme-toggle group=${group}></theme-toggle>
      <activity-feed group=${group}></activity-feed>
      <activity-feed group="other-${group}"></activity-feed>
    </div>`);
    const toggle = root.querySelector('theme-toggle')!;
    const [same, other] = root.querySelectorAll('activity-feed');
    const changes: string[] = [];
    toggle.addEventListener('lw-theme-change', (e) => changes.push(`${e.detail.choice}:${e.detail.theme}`));
    radios(toggle).find((r) => r.value === 'dark')!.click();
    await toggle.updateComplete;
    expect(changes).to.deep.equal(['dark:dark']);
    expect(same.dataset.theme).to.equal('dark');
    expect(other.dataset.theme).not.to.equal('dark');
    expect(document.documentElement.dataset.lwTheme).to.equal(undefined);
    expect(localStorage.getItem(`leadwire:theme:${group}`)).to.equal('dark');
  });

  it('is operable with the arrow keys as a radio group', async () => {
    const group = `toggle-${++n}`;
    groupStore(group).setTheme('light', { persist: false });
    const toggle = await fixture<ThemeToggle>(html`<theme-toggle group=${group}></theme-toggle>`);
    radios(toggle).find((r) => r.checked)!.focus();
    await sendKeys({ press: 'ArrowRight' });
    await waitUntil(() => toggle.value === 'dark');
    await sendKeys({ press: 'ArrowRight' });
    await waitUntil(() => toggle.value === 'high-contrast');
    expect(toggle.shadowRoot!.querySelector('[part~="option-checked"]')!.textContent).to.contain('High contrast');
  });

  it('applies the theme to the page root only when asked', async () => {
    const group = `toggle-${++n}`;
    const toggle = await fixture<ThemeToggle>(html`<theme-toggle group=${group} apply-to-root></theme-toggle>`);
    toggle.value = 'high-contrast';
    await toggle.updateComplete;
    expect(document.documentElement.dataset.lwTheme).to.equal('high-contrast');
    expect(document.documentElement.style.colorScheme).to.equal('dark');
    toggle.remove();
    expect(document.documentElement.dataset.lwTheme).to.equal(undefined);
  });

  it('restores the stored choice and resolves auto from the system preference', async () => {
    const group = `toggle-${++n}`;
    localStorage.setItem(`leadwire:theme:${group}`, 'auto');
    const toggle = await fixture<ThemeToggle>(html`<theme-toggle group=${group}></theme-toggle>`);
    expect(toggle.value).to.equal('auto');
    const expected = matchMedia('(prefers-contrast: more)').matches
      ? 'high-contrast'
      : matchMedia('(prefers-color-scheme: dark)').matches
        ? 'dark'
        : 'light';
    expect(toggle.dataset.theme).to.equal(expected);
  });

  it('ignores garbage in storage', async () => {
    const group = `toggle-${++n}`;
    localStorage.setItem(`leadwire:theme:${group}`, '<script>');
    const toggle = await fixture<ThemeToggle>(html`<theme-toggle group=${group}></theme-toggle>`);
    expect(toggle.value).to.equal('auto');
  });

  for (const theme of ['light', 'dark', 'high-contrast'] as const) {
    it(`passes axe in the ${theme} theme`, async () => {
      const group = `toggle-${++n}`;
      groupStore(group).setTheme(theme, { persist: false });
      const toggle = await fixture<ThemeToggle>(html`<theme-toggle group=${group}></theme-toggle>`);
      expect(toggle.dataset.theme).to.equal(theme);
      await expect(toggle).to.be.accessible();
    });
  }
});

describe('groups through @lit/context', () => {
  it('gives a nested widget without a group attribute its ancestor widget\'s group', async () => {
    const group = `ctx-${++n}`;
    const outer = await fixture(html`<activity-feed group=${group}><theme-toggle></theme-toggle></activity-feed>`);
    const inner = outer.querySelector('theme-toggle')!;
    expect(inner.store.name).to.equal(group);
  });
});
