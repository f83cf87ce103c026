/**
 * The contract every widget keeps, one suite run for each of the five (a new widget adds a line
 * to WIDGETS and gets all of it): it survives being loaded twice, a 62.5 % root font and a host's
 * `*{box-sizing:content-box!important}`, fits 320 px without horizontal overflow, stays readable
 * under forced colours (judged on the painted pixels), passes axe with every rule on, twice on a
 * page (no duplicate landmarks), and is reachable with the Tab key alone, without a trap.
 * The widgets talk to the real gateway and Redis of the gateway plugin, with a token from the
 * test server's token URL (scopes events:read, system:read and export).
 */
import { expect, fixture, waitUntil } from '@open-wc/testing';
import { executeServerCommand, sendKeys } from '@web/test-runner-commands';
import { html, type TemplateResult } from 'lit';
import { unsafeStatic, html as staticHtml } from 'lit/static-html.js';
import { inkContrast, screenshot } from '../fixtures/pixels.ts';
import type { LeadwireElement } from './core/element.ts';
import './index.ts';

interface Info {
  url: string;
}
const info = () => executeServerCommand<Info, undefined>('gateway-info') as Promise<Info>;
const publish = (count: number) => executeServerCommand<string[], { count: number }>('gateway-publish', { count });

interface Widget {
  tag: string;
  define: string;
  /** Resolves once the widget shows what a user would meet (data, an enabled button). */
  ready(el: LeadwireElement): Promise<unknown>;
}
type Any = LeadwireElement & Record<string, unknown>;

const WIDGETS: Widget[] = [
  {
    tag: 'activity-feed',
    define: './activity-feed/define.ts',
    ready: (el) => waitUntil(() => ((el as Any).visibleEvents as unknown[]).length >= 3, 'no rows', { timeout: 10_000 }),
  },
  { tag: 'global-filters', define: './global-filters/define.ts', ready: (el) => el.updateComplete },
  {
    tag: 'export-button',
    define: './export-button/define.ts',
    ready: (el) => waitUntil(() => (el as Any).disabledReason === null, 'export never enabled', { timeout: 10_000 }),
  },
  {
    tag: 'health-panel',
    define: './health-panel/define.ts',
    ready: async (el) => {
      await waitUntil(() => (el as Any).status === 'up', 'the panel never saw the gateway up', { timeout: 10_000 });
      await (el as unknown as { chartsReady(): Promise<void> }).chartsReady();
    },
  },
  { tag: 'theme-toggle', define: './theme-toggle/define.ts', ready: (el) => el.updateComplete },
];

let groups = 0;
/** Widgets of one new group against the real gateway, inside `wrap`; resolves when ready. */
async function mount(widget: Widget, count = 1, wrap = (inner: TemplateResult) => html`<div>${inner}</div>`): Promise<{ host: HTMLElement; els: LeadwireElement[] }> {
  const { url } = await info();
  const group = `contract-${++groups}`;
  const tag = unsafeStatic(widget.tag);
  const one = () => staticHtml`<${tag} group=${group} gateway=${url} token-url="/__leadwire/token"></${tag}>`;
  const host = await fixture<HTMLElement>(wrap(html`${Array.from({ length: count }, one)}`));
  const els = [...host.querySelectorAll<LeadwireElement>(widget.tag)];
  if (widget.tag === 'activity-feed') {
    // Live first: a connection that starts after the publish begins at the head, past them.
    await waitUntil(() => els.every((el) => (el as Any).status === 'live'), 'the feed never went live', { timeout: 10_000 });
    await publish(4);
  }
  await Promise.all(els.map((el) => widget.ready(el)));
  await settled(els);
  return { host, els };
}

/** Rendered, and every transition (an enabled button fading in its colours) run to its end. */
async function settled(els: LeadwireElement[]): Promise<void> {
  await Promise.all(els.map((el) => el.updateComplete));
  await frames(2);
  await Promise.all(els.flatMap((el) => el.shadowRoot!.getAnimations().map((a) => a.finished.catch(() => undefined))));
}

const frames = async (n: number) => {
  for (let i = 0; i < n; i++) await new Promise((resolve) => requestAnimationFrame(resolve));
};

/** Every element of a shadow tree, nested shadow roots included. */
function deep(root: ParentNode): Element[] {
  return [...root.querySelectorAll('*')].flatMap((el) => [el, ...(el.shadowRoot ? deep(el.shadowRoot) : [])]);
}

const visible = (el: Element) => el.checkVisibility({ visibilityProperty: true, opacityProperty: true }) && el.getBoundingClientRect().width > 1;

/** Elements showing text of their own (not screen-reader-only text). */
function textBoxes(el: LeadwireElement): HTMLElement[] {
  return deep(el.shadowRoot!).filter(
    (node): node is HTMLElement =>
      node instanceof HTMLElement &&
      !node.closest('.visually-hidden') &&
      [...node.childNodes].some((child) => child.nodeType === Node.TEXT_NODE && child.textContent!.trim()) &&
      visible(node) &&
      node.getBoundingClientRect().height >= 8,
  );
}

/** Whether a clipping ancestor (a scrolling list) hides part of `node`: what nobody sees has no contrast to read. */
function clippedAway(node: Element): boolean {
  const box = node.getBoundingClientRect();
  for (let up = node.parentElement; up; up = up.parentElement) {
    const style = getComputedStyle(up);
    if (style.overflowX === 'visible' && style.overflowY === 'visible') continue;
    const clip = up.getBoundingClientRect();
    if (box.top < clip.top - 1 || box.bottom > clip.bottom + 1) return true;
  }
  return false;
}

/** What Tab should stop on: enabled, visible, tabbable; one radio per group (the checked one). */
function tabStops(el: LeadwireElement): Element[] {
  const candidates = deep(el.shadowRoot!).filter(
    (node): node is HTMLElement =>
      node instanceof HTMLElement &&
      node.matches('a[href], button, input:not([type=hidden]), select, textarea, [tabindex]') &&
      node.tabIndex >= 0 &&
      !(node as HTMLButtonElement).disabled &&
      !node.closest('[inert]') &&
      (visible(node) || (node instanceof HTMLInputElement && visible(node.parentElement!))),
  );
  return candidates.filter((node) => !(node instanceof HTMLInputElement && node.type === 'radio' && !node.checked));
}

function deepActive(): Element | null {
  let active = document.activeElement;
  while (active?.shadowRoot?.activeElement) active = active.shadowRoot.activeElement;
  return active;
}

function rects(el: LeadwireElement): Array<{ width: number; height: number }> {
  return deep(el.shadowRoot!)
    .filter((node) => node.matches('button, input, select'))
    .map((node) => node.getBoundingClientRect())
    .map(({ width, height }) => ({ width: Math.round(width), height: Math.round(height) }));
}

async function axe(context: Element, rules?: Record<string, { enabled: boolean }>): Promise<string[]> {
  // The UMD build registers window.axe (as chai-a11y-axe loads it).
  // @ts-expect-error — the UMD build has no declarations of its own
  await import('axe-core/axe.min.js');
  const axeCore = (window as unknown as { axe: typeof import('axe-core') }).axe;
  const result = await axeCore.run(context, { resultTypes: ['violations'], ...(rules && { rules }) });
  return result.violations.map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => JSON.stringify(n.target)).join(', ')})`);
}

for (const widget of WIDGETS) {
  describe(`widget contract: <${widget.tag}>`, () => {
    afterEach(async () => {
      document.documentElement.style.removeProperty('font-size');
      document.getElementById('hostile')?.remove();
      await executeServerCommand('emulate-forced-colors', { active: false });
    });

    it('survives its code being loaded twice', async () => {
      const before = customElements.get(widget.tag);
      const warn = console.warn;
      console.warn = () => {};
      try {
        await import(/* @vite-ignore */ `${widget.define}?second-load=${++groups}`);
      } finally {
        console.warn = warn;
      }
      expect(customElements.get(widget.tag)).to.equal(before);
      const { els } = await mount(widget);
      expect(els[0].shadowRoot!.childElementCount).to.be.greaterThan(0);
    });

    it('keeps its sizes under a 62.5 % root font and a hostile box-sizing', async () => {
      const { els } = await mount(widget);
      const el = els[0];
      const plain = rects(el);
      const fontSizes = () => textBoxes(el).map((node) => getComputedStyle(node).fontSize);
      const plainFonts = fontSizes();
      document.documentElement.style.fontSize = '62.5%';
      document.head.append(Object.assign(document.createElement('style'), { id: 'hostile', textContent: '*, *::before, *::after { box-sizing: content-box !important; }' }));
      await frames(2);
      expect(rects(el)).to.deep.equal(plain);
      expect(fontSizes()).to.deep.equal(plainFonts);
      for (const node of deep(el.shadowRoot!)) expect(getComputedStyle(node).boxSizing, node.outerHTML.slice(0, 80)).to.equal('border-box');
    });

    it('fits 320 px without horizontal overflow', async () => {
      const { host, els } = await mount(widget, 1, (inner) => html`<div style="width: 320px">${inner}</div>`);
      const el = els[0];
      await frames(3);
      const box = host.getBoundingClientRect();
      expect(el.getBoundingClientRect().right).to.be.at.most(box.right + 1);
      expect(el.scrollWidth, 'the widget scrolls sideways').to.be.at.most(el.clientWidth + 1);
      for (const node of deep(el.shadowRoot!)) {
        if (!visible(node) || node.closest('.visually-hidden')) continue;
        const r = node.getBoundingClientRect();
        expect(r.right, `${node.outerHTML.slice(0, 80)} sticks out`).to.be.at.most(box.right + 1);
        expect(r.left, `${node.outerHTML.slice(0, 80)} sticks out`).to.be.at.least(box.left - 1);
      }
    });

    for (const scheme of ['light', 'dark'] as const) {
      it(`stays readable under forced colours, ${scheme} system palette (painted pixels)`, async () => {
        await executeServerCommand('emulate-forced-colors', { active: true, scheme });
        expect(matchMedia('(forced-colors: active)').matches).to.equal(true);
        const { els } = await mount(widget);
        const el = els[0];
        el.scrollIntoView({ block: 'start' });
        await settled(els);
        const boxes = textBoxes(el).filter((node) => node.getBoundingClientRect().bottom <= innerHeight && !clippedAway(node));
        expect(boxes.length).to.be.greaterThan(0);
        const shot = await screenshot(el.getBoundingClientRect());
        const unreadable = boxes
          .map((node) => ({ node, contrast: inkContrast(shot, node.getBoundingClientRect()) }))
          .filter(({ contrast }) => contrast < 4.5)
          .map(({ node, contrast }) => `${node.outerHTML.slice(0, 90)} → ${contrast.toFixed(2)}:1`);
        expect(unreadable).to.deep.equal([]);
      });
    }

    it('passes axe with every rule, twice on a page', async () => {
      // In the page's main landmark, as a host page puts it: every rule, none switched off.
      const inMain = await mount(widget, 2, (inner) => html`<main><h1>Host page</h1>${inner}</main>`);
      expect(await axe(inMain.host)).to.deep.equal([]);
      // Straight in the body: still no banner of its own, nor landmarks that repeat unnamed.
      // (`region` judges the host page's structure, which is the page's to give.)
      const loose = await mount(widget, 2, (inner) => html`<div>${inner}</div>`);
      expect(await axe(loose.host, { region: { enabled: false } })).to.deep.equal([]);
    });

    it('is reachable with the Tab key, every control, and lets focus go', async () => {
      const { els } = await mount(widget, 1, (inner) => html`<div><button id="before">before</button>${inner}<button id="after">after</button></div>`);
      const el = els[0];
      const expected = tabStops(el);
      expect(expected.length, 'nothing to reach').to.be.greaterThan(0);
      document.getElementById('before')!.focus();
      const reached = new Set<Element>();
      for (let i = 0; i < 200 && deepActive()?.id !== 'after'; i++) {
        await sendKeys({ press: 'Tab' });
        const active = deepActive();
        if (active) reached.add(active);
      }
      expect(deepActive()?.id, 'focus never left the widget').to.equal('after');
      const missed = expected.filter((node) => !reached.has(node)).map((node) => node.outerHTML.slice(0, 90));
      expect(missed).to.deep.equal([]);
    });
  });
}
