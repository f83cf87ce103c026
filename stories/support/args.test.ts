/**
 * Every control of a widget's API table (from custom-elements.json) reaches the element: the
 * stories put their args on it with applyArgs(), so a control changes the property, and for the
 * ones that show, what the widget renders.
 */
import { expect, fixture } from '@open-wc/testing';
import { html } from 'lit';
import { unsafeStatic, html as staticHtml } from 'lit/static-html.js';
import { apiArgTypes, type Manifest } from '../../.storybook/manifest.ts';
import '../../components/index.ts';
import { applyArgs } from './args.ts';

const WIDGETS = ['activity-feed', 'global-filters', 'export-button', 'health-panel', 'theme-toggle'];
/** Controls whose change is visible in the widget's shadow tree or its attributes. */
const VISIBLE = new Set(['paused', 'compact', 'disabled', 'presetsOpen', 'view', 'heading', 'exporting', 'applyToRoot', 'status']);

type Control = { control?: false | { type: string }; options?: string[]; table?: { category?: string } };

function changed(control: Control, current: unknown): unknown {
  const type = control.control && control.control.type;
  if (type === 'boolean') return !current;
  if (type === 'number') return (Number(current) || 0) + 7;
  if (type === 'select') return control.options!.find((option) => option !== current);
  return `Changed ${String(current ?? '')}`.trim();
}

const snapshot = (el: Element) => `${[...el.attributes].map((a) => `${a.name}=${a.value}`).join(' ')}|${el.shadowRoot!.innerHTML.replace(/<!--[^>]*-->/g, '')}`;

// Fetched: the test server serves JSON as data, not as a module.
const manifest = (await (await fetch('/custom-elements.json')).json()) as Manifest;

let n = 0;
for (const tag of WIDGETS) {
  describe(`<${tag}>: every property control changes the element`, () => {
    const argTypes = apiArgTypes(manifest, tag)!;
    const controls = Object.entries(argTypes as Record<string, Control>).filter(([, t]) => t.table?.category === 'properties' && t.control);
    it('has controls', () => expect(controls.length).to.be.greaterThan(0));
    for (const [key, control] of controls) {
      it(`${key}`, async () => {
        const name = unsafeStatic(tag);
        const group = `args-${++n}`;
        const plain = await fixture<HTMLElement & Record<string, unknown>>(staticHtml`<${name} group=${group}></${name}>`);
        await (plain as unknown as { updateComplete: Promise<unknown> }).updateComplete;
        const value = changed(control, plain[key]);
        const el = await fixture<HTMLElement & Record<string, unknown>>(html`<div>${staticHtml`<${name} group=${`${group}-b`} ${applyArgs({ [key]: value })}></${name}>`}</div>`).then((d) => d.firstElementChild as HTMLElement & Record<string, unknown>);
        await (el as unknown as { updateComplete: Promise<unknown> }).updateComplete;
        expect(el[key]).to.equal(value);
        if (VISIBLE.has(key)) expect(snapshot(el), `${key} changed nothing visible`).to.not.equal(snapshot(plain).replaceAll(group, `${group}-b`));
      });
    }
  });
}
