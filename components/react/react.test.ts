import { expect, waitUntil } from '@open-wc/testing';
import { createElement, type ReactElement } from 'react';
import { flushSync } from 'react-dom';
import { createRoot, type Root } from 'react-dom/client';
import type { FilterChangeDetail } from '../global-filters/global-filters.ts';
import type { ThemeChangeDetail } from '../theme-toggle/theme-toggle.ts';
import { ActivityFeed, GlobalFilters, ThemeToggle } from './index.ts';

let n = 0;
let root: Root | undefined;
let container: HTMLElement;

/** Renders synchronously into a fresh container; the element the wrapper rendered. */
function render<T extends Element>(element: ReactElement, tag: string): T {
  container = document.body.appendChild(document.createElement('div'));
  root = createRoot(container);
  flushSync(() => root!.render(element));
  return container.querySelector(tag) as T;
}

const radio = (el: Element, value: string) =>
  [...el.shadowRoot!.querySelectorAll<HTMLInputElement>('input[type="radio"]')].find((r) => r.value === value)!;

describe('React wrappers (@lit/react)', () => {
  afterEach(() => {
    root?.unmount();
    container.remove();
    localStorage.clear();
  });

  it('renders the registered element, which renders its shadow DOM', async () => {
    const el = render<HTMLElementTagNameMap['theme-toggle']>(createElement(ThemeToggle, { group: `react-${++n}` }), 'theme-toggle');
    expect(el).to.be.instanceOf(customElements.get('theme-toggle'));
    await el.updateComplete;
    expect(el.shadowRoot!.querySelector('[part~="group"]')).to.exist;
    expect(el.getAttribute('group')).to.equal(`react-${n}`);
  });

  it('passes props as properties, and follows re-renders', async () => {
    const group = `react-${++n}`;
    const el = render<HTMLElementTagNameMap['activity-feed']>(
      createElement(ActivityFeed, { group, heading: 'Live leads', maxItems: 7, paused: true }),
      'activity-feed',
    );
    await el.updateComplete;
    expect(el.maxItems).to.equal(7);
    expect(el.paused).to.equal(true);
    expect(el.hasAttribute('paused')).to.equal(true); // reflected by the element, not set by React
    expect(el.shadowRoot!.querySelector('[part~="title"]')!.textContent).to.contain('Live leads');
    flushSync(() => root!.render(createElement(ActivityFeed, { group, heading: 'Leads', maxItems: 3, paused: false })));
    await el.updateComplete;
    expect([el.maxItems, el.paused, el.hasAttribute('paused')]).to.deep.equal([3, false, false]);
    expect(el.shadowRoot!.querySelector('[part~="title"]')!.textContent).to.contain('Leads');
  });

  it('fires the typed event prop on user action (onThemeChange)', async () => {
    const seen: ThemeChangeDetail[] = [];
    const el = render<HTMLElementTagNameMap['theme-toggle']>(
      // The handler's event is CustomEvent<ThemeChangeDetail>: `detail.choice` type-checks.
      createElement(ThemeToggle, { group: `react-${++n}`, onThemeChange: (event) => seen.push(event.detail) }),
      'theme-toggle',
    );
    await el.updateComplete;
    radio(el, 'dark').click();
    expect(seen).to.deep.equal([{ choice: 'dark', theme: 'dark' }]);
    expect(el.dataset.theme).to.equal('dark');
  });

  it('swaps an event handler on re-render without doubling it (onFilterChange)', async () => {
    const group = `react-${++n}`;
    const first: FilterChangeDetail[] = [];
    const second: FilterChangeDetail[] = [];
    const el = render<HTMLElementTagNameMap['global-filters']>(
      createElement(GlobalFilters, { group, onFilterChange: (event) => first.push(event.detail) }),
      'global-filters',
    );
    await el.updateComplete;
    flushSync(() => root!.render(createElement(GlobalFilters, { group, onFilterChange: (event) => second.push(event.detail) })));
    el.shadowRoot!.querySelector<HTMLInputElement>('[part~="temperatures"] input[type="checkbox"]')!.click();
    await waitUntil(() => second.length === 1);
    expect(first).to.deep.equal([]);
    expect(second[0].filter.temperatures).to.have.length(1);
    expect(second[0].summary).to.be.a('string').and.not.equal('');
  });

  it('React 19 sets properties and `on<event>` listeners on the bare tag too', async () => {
    const seen: string[] = [];
    const el = render<HTMLElementTagNameMap['theme-toggle']>(
      createElement('theme-toggle', {
        group: `react-${++n}`,
        applyToRoot: false,
        'ontheme-change': (event: CustomEvent<ThemeChangeDetail>) => seen.push(event.detail.choice),
      }),
      'theme-toggle',
    );
    await el.updateComplete;
    radio(el, 'high-contrast').click();
    expect(seen).to.deep.equal(['high-contrast']);
  });
});
