/**
 * The feed's rows: one line per event by default (compact), details behind a disclosure button,
 * `density="comfortable"` for facts and text on lines of their own; what the facts say.
 */
import { expect, fixture, html, waitUntil } from '@open-wc/testing';
import { sendKeys } from '@web/test-runner-commands';
import type { StreamEvent } from '../../protocol/index.ts';
import { leadEvent, trafficEvents } from '../../fixtures/stream-events.ts';
import './define.ts';
import type { ActivityFeed } from './activity-feed.ts';
import '../../fixtures/resize-observer-noise.ts';


let n = 0;
async function feed(events: StreamEvent[], attrs: Record<string, string> = {}) {
  const el = await fixture<ActivityFeed>(html`<activity-feed group=${`density-${++n}`} style="--lw-feed-height: 480px; width: 720px"></activity-feed>`);
  for (const [name, value] of Object.entries(attrs)) el.setAttribute(name, value);
  el.events = events;
  await el.updateComplete;
  await waitUntil(() => rows(el).length > 0, 'no rows rendered');
  return el;
}
const rows = (el: ActivityFeed) => [...el.shadowRoot!.querySelectorAll<HTMLElement>('[part~="item"]')];
const within = (row: Element, name: string) => row.querySelector<HTMLElement>(`[part~="${name}"]`);
const visible = (node: HTMLElement | null) => !!node && node.getClientRects().length > 0;
const lineHeight = (el: ActivityFeed) => parseFloat(getComputedStyle(within(rows(el)[0], 'label')!).lineHeight);

const rich = () =>
  leadEvent({
    name: 'Ana Souza',
    temperature: 'hot',
    stage: 'qualifying',
    timeline: '3-6m',
    budget: { min: 300_000, max: 600_000, currency: 'USD' },
    text: 'Looking for a three-bedroom house near the park, ideally with a garden and a garage for two cars.',
  });

describe('<activity-feed> density', () => {
  it('is compact by default: one line per event, the details behind a disclosure button', async () => {
    const el = await feed([rich(), ...trafficEvents(20)]);
    expect(el.density).to.equal('compact');
    expect(el.getAttribute('density')).to.equal('compact');
    const lh = lineHeight(el);
    for (const row of rows(el)) {
      const toggle = within(row, 'toggle')!;
      expect(toggle.localName).to.equal('button');
      expect(toggle.getAttribute('aria-expanded')).to.equal('false');
      expect(toggle.getAttribute('aria-label')).to.equal('Show details');
      // One line: a row is its line plus padding, never two lines.
      expect(row.getBoundingClientRect().height, row.textContent!).to.be.below(lh * 2);
      expect(visible(within(row, 'facts'))).to.equal(false);
    }
    const first = rows(el)[0];
    expect(within(first, 'line')!.textContent).to.contain('Hot · Qualifying');
    within(first, 'toggle')!.click();
    await el.updateComplete;
    const open = rows(el)[0];
    expect(within(open, 'toggle')!.getAttribute('aria-expanded')).to.equal('true');
    expect(within(open, 'toggle')!.getAttribute('aria-label')).to.equal('Hide details');
    const details = el.shadowRoot!.getElementById(within(open, 'toggle')!.getAttribute('aria-controls')!)!;
    expect(details.contains(within(open, 'payload'))).to.equal(true);
    expect(visible(within(open, 'facts'))).to.equal(true);
    expect(visible(within(open, 'text'))).to.equal(true);
    expect(within(open, 'text')!.textContent).to.contain('garage for two cars');
  });

  it('opens and closes the details with Enter on the focused row', async () => {
    const el = await feed([rich(), ...trafficEvents(5)]);
    rows(el)[0].focus();
    await sendKeys({ press: 'Enter' });
    await el.updateComplete;
    expect(within(rows(el)[0], 'toggle')!.getAttribute('aria-expanded')).to.equal('true');
    expect(visible(within(rows(el)[0], 'payload'))).to.equal(true);
    await sendKeys({ press: 'Enter' });
    await el.updateComplete;
    expect(within(rows(el)[0], 'payload')).to.equal(null);
  });

  it('comfortable density gives the facts and text lines of their own; the row padding is a token', async () => {
    const el = await feed([rich()], { density: 'comfortable' });
    const row = rows(el)[0];
    expect(visible(within(row, 'facts'))).to.equal(true);
    expect(visible(within(row, 'text'))).to.equal(true);
    expect(visible(within(row, 'line'))).to.equal(false);
    const comfortable = row.getBoundingClientRect().height;
    expect(comfortable).to.be.at.least(lineHeight(el) * 2);
    el.density = 'compact';
    await el.updateComplete;
    await waitUntil(() => rows(el)[0].getBoundingClientRect().height < comfortable, 'compact did not shrink the row');
    const compact = rows(el)[0].getBoundingClientRect().height;
    el.style.setProperty('--lw-feed-row-padding', '12px');
    await waitUntil(() => rows(el)[0].getBoundingClientRect().height === compact + 16, 'the row padding token did not apply');
  });

  it('passes axe in both densities and every theme, with a row open', async () => {
    for (const density of ['compact', 'comfortable']) {
      for (const theme of ['light', 'dark', 'high-contrast'] as const) {
        const el = await feed([rich(), ...trafficEvents(8)], { density });
        el.store.setTheme(theme, { persist: false });
        within(rows(el)[1], 'toggle')!.click();
        await el.updateComplete;
        await expect(el).to.be.accessible();
        el.remove(); // one feed on the page at a time
      }
    }
  });
});

describe('<activity-feed> facts', () => {
  const ghl = (type: string, data: Record<string, unknown>) => ({ ...leadEvent(data), type }) as StreamEvent;

  it('names the tag of ghl.tag_added and the changed fields of ghl.contact_updated', async () => {
    const el = await feed([
      ghl('ghl.tag_added', { contactId: 'c1', tag: 'VIP buyer', name: 'Li Wei' }),
      ghl('ghl.contact_updated', { contactId: 'c2', fields: ['email', 'phone', 'address', 'budget', 'timeline', 'source'], name: 'Zoë' }),
    ]);
    const text = rows(el).map((row) => within(row, 'line')?.textContent ?? '');
    expect(text.join('\n')).to.contain('tag “VIP buyer”');
    expect(text.join('\n')).to.contain('changed: email, phone, address, budget +2');
  });

  it('reads lead facts as the filters name them: "3–6 months", "Hot", not 3-6m, hot', async () => {
    const el = await feed([leadEvent({ temperature: 'warm', stage: 'handoff', timeline: '3-6m' }), leadEvent({ timeline: '12m+', temperature: 'tepid' })]);
    const lines = rows(el).map((row) => within(row, 'facts')!.textContent!);
    expect(lines).to.include('Warm · Handoff · 3–6 months');
    // An unknown value is shown as it came, not dropped.
    expect(lines).to.include('tepid · 12+ months');
  });
});
