import { expect, fixture, html, waitUntil } from '@open-wc/testing';
import { emulateMedia } from '@web/test-runner-commands';
import { CloseCode, type StreamEvent } from '../../protocol/index.ts';
import { FakeGateway } from '../../fixtures/fake-gateway.ts';
import { groupStore } from '../core/store.ts';
import './define.ts';
import type { ActivityFeed } from './activity-feed.ts';
import '../../fixtures/resize-observer-noise.ts';


let n = 0;
/** A feed in its own group, connected to a fresh fake gateway. */
async function feedWith(gateway: FakeGateway, attrs = '') {
  const group = `feed-test-${++n}`;
  groupStore(group).configureGateway({ url: `fake://${group}`, transports: gateway.transports(), backoff: { initialMs: 5, maxMs: 20 } });
  const el = await fixture<ActivityFeed>(html`<activity-feed group=${group} style="--lw-feed-height: 400px"></activity-feed>`);
  if (attrs) for (const pair of attrs.split(' ')) el.setAttribute(...(pair.split('=') as [string, string]));
  await waitUntil(() => el.status === 'live', 'feed never went live');
  return el;
}

const items = (el: ActivityFeed) => [...el.shadowRoot!.querySelectorAll<HTMLElement>('[part~="item"]')];

describe('<activity-feed> with a fake gateway', () => {
  it('shows published events newest first', async () => {
    const gateway = new FakeGateway();
    const el = await feedWith(gateway);
    const published = gateway.publish(3);
    await waitUntil(() => items(el).length === 3, 'events never rendered');
    expect(el.visibleEvents.map((e) => e.cursor)).to.deep.equal(published.map((e) => e.cursor).reverse());
  });
});

const shadow = (el: Element) => el.shadowRoot!;
const part = (el: Element, name: string) => shadow(el).querySelector<HTMLElement>(`[part~="${name}"]`);

describe('<activity-feed> behaviour', () => {
  it('renders hostile payloads as inert text', async () => {
    const gateway = new FakeGateway();
    const el = await feedWith(gateway);
    const hostile = {
      name: '<img src=x onerror="window.__pwned=1"><script>window.__pwned=1</script>',
      source: 'javascript:alert(1)',
      text: `\u202Egnp.exe\u0007 ${'A'.repeat(100_000)}`,
    };
    gateway.publish(1, (ts) => ({
      id: 'hostile',
      type: 'lead.message_received',
      tenant: 't',
      ts,
      priority: 'normal',
      data: { leadId: 'l1', channel: 'sms', ...hostile },
    }) as never);
    await waitUntil(() => items(el).length === 1);
    const item = items(el)[0];
    expect(item.querySelectorAll('img, script, a, iframe')).to.have.length(0);
    expect(part(el, 'subject')!.textContent).to.contain('<img src=x');
    const text = part(el, 'text')!.textContent!;
    expect(text).not.to.match(/[\u202E\u0007]/);
    expect(text.length).to.be.below(400);
    part(el, 'toggle')!.click();
    await waitUntil(() => part(el, 'payload') !== null);
    const payload = part(el, 'payload')!;
    expect(payload.children).to.have.length(0);
    expect(payload.textContent).to.contain('\\u202e');
    expect(payload.textContent!.length).to.be.below(21_000);
    expect((window as unknown as { __pwned?: number }).__pwned).to.equal(undefined);
  });

  it('keeps rendered only the rows near the visible part of a long list', async () => {
    const gateway = new FakeGateway();
    const el = await feedWith(gateway);
    gateway.publish(300);
    await waitUntil(() => el.visibleEvents.length === 300);
    await waitUntil(() => items(el).length > 0 && items(el).length < 300, 'rows never virtualised');
    const list = part(el, 'list')!;
    const top = list.getBoundingClientRect().top;
    const rects = items(el).map((item) => item.getBoundingClientRect());
    const tallest = Math.max(...rects.map((r) => r.height));
    const renderedTo = Math.max(...rects.map((r) => r.bottom)) - top;
    // The visible part, the feed's 300 px overhang, and a row that starts inside it; the
    // virtualizer's own default (1,000 px) would render more than twice as far.
    expect(renderedTo).to.be.at.least(list.clientHeight);
    expect(renderedTo).to.be.at.most(list.clientHeight + 300 + 2 * tallest);
  });

  it('holds new events in a pill while the reader is scrolled down, without moving the list', async () => {
    const gateway = new FakeGateway();
    const el = await feedWith(gateway);
    gateway.publish(60);
    await waitUntil(() => el.visibleEvents.length === 60);
    const list = part(el, 'list')!;
    list.scrollTop = 600;
    list.dispatchEvent(new Event('scroll'));
    await waitUntil(() => list.scrollTop > 0);
    const firstVisible = () => {
      const top = list.getBoundingClientRect().top;
      return items(el).find((item) => item.getBoundingClientRect().bottom > top)?.dataset.index;
    };
    const before = firstVisible();
    gateway.publish(3);
    await waitUntil(() => part(el, 'new-events') !== null, 'no pill');
    expect(part(el, 'new-events')!.textContent).to.contain('3 new events');
    expect(el.visibleEvents).to.have.length(60);
    expect(firstVisible()).to.equal(before);
    part(el, 'new-events')!.click();
    await waitUntil(() => el.visibleEvents.length === 63);
    expect(list.scrollTop).to.equal(0);
  });

  it('pauses and resumes live updates', async () => {
    const gateway = new FakeGateway();
    const el = await feedWith(gateway);
    part(el, 'pause')!.click();
    await el.updateComplete;
    expect(el.paused).to.equal(true);
    expect(part(el, 'pause')!.getAttribute('aria-pressed')).to.equal('true');
    gateway.publish(2);
    await waitUntil(() => part(el, 'new-events') !== null);
    expect(el.visibleEvents).to.have.length(0);
    part(el, 'pause')!.click();
    await waitUntil(() => el.visibleEvents.length === 2);
  });

  it('drops the oldest events beyond max-items', async () => {
    const gateway = new FakeGateway();
    const el = await feedWith(gateway);
    el.maxItems = 5;
    const published = gateway.publish(8);
    await waitUntil(() => el.events.length === 5 && el.events[0].cursor === published[7].cursor);
    expect(el.events.map((e) => e.cursor)).to.deep.equal(published.slice(3).map((e) => e.cursor).reverse());
  });

  /** What the list shows, in order: event cursors, and 'gap' for the marker. */
  const listed = (el: ActivityFeed) =>
    (el as unknown as { visible: Array<{ kind: string; key: string }> }).visible.map((row) => (row.kind === 'gap' ? 'gap' : row.key));

  it('marks a recovered:false gap as soon as the welcome says so, above what was there', async () => {
    const gateway = new FakeGateway();
    const el = await feedWith(gateway);
    const before = gateway.publish(2);
    await waitUntil(() => items(el).length === 2);
    gateway.dropAll();
    gateway.publish(4);
    gateway.trimRetention();
    // No event after the reconnect: the marker must not wait for one.
    await waitUntil(() => part(el, 'gap') !== null, 'no gap marker until the next events');
    expect(part(el, 'gap')!.textContent).to.contain('could not be recovered');
    expect(listed(el)).to.deep.equal(['gap', ...before.map((e) => e.cursor).reverse()]);
    const after = gateway.publish(1);
    await waitUntil(() => items(el).length === 3);
    expect(listed(el)).to.deep.equal([after[0].cursor, 'gap', ...before.map((e) => e.cursor).reverse()]);
  });

  it('puts the gap where it is in the stream while paused: after the events that were waiting', async () => {
    const gateway = new FakeGateway();
    const el = await feedWith(gateway);
    const shown = gateway.publish(2);
    await waitUntil(() => items(el).length === 2);
    el.paused = true;
    await el.updateComplete;
    const waitingBefore = gateway.publish(1); // received, held in the pill
    await waitUntil(() => part(el, 'new-events') !== null);
    gateway.dropAll();
    gateway.publish(3); // lost: trimmed before the client is back
    gateway.trimRetention();
    await waitUntil(() => el.status === 'live');
    const after = gateway.publish(1);
    await waitUntil(() => part(el, 'new-events')?.textContent?.includes('2 new events') === true, 'the pill does not count the new events');
    expect(part(el, 'gap')).to.equal(null); // not pushed into the list above the waiting events
    el.paused = false;
    await waitUntil(() => items(el).length === 4);
    expect(listed(el)).to.deep.equal([after[0].cursor, 'gap', waitingBefore[0].cursor, ...shown.map((e) => e.cursor).reverse()]);
  });

  it('applies the group filter client-side and as the server subscription', async () => {
    const gateway = new FakeGateway();
    const el = await feedWith(gateway);
    gateway.publish(40);
    await waitUntil(() => el.visibleEvents.length === 40);
    el.store.setFilter({ types: ['lead.created'] });
    await el.updateComplete;
    expect(el.visibleEvents.length).to.be.below(40);
    expect(el.visibleEvents.every((e) => e.type === 'lead.created')).to.equal(true);
    expect(el.store.visibleEvents).to.deep.equal(el.visibleEvents);
    const subscribe = gateway.received.filter((f) => f.type === 'subscribe').at(-1);
    expect(subscribe).to.deep.equal({ type: 'subscribe', subscription: { filter: { types: ['lead.created'] } } });
  });

  it('fires status-change and new-event with typed details', async () => {
    const gateway = new FakeGateway();
    const el = await feedWith(gateway);
    const statuses: string[] = [];
    const batches: number[] = [];
    el.addEventListener('lw-status-change', (e) => statuses.push(`${e.detail.previous}→${e.detail.status}`));
    el.addEventListener('lw-new-event', (e) => batches.push(e.detail.events.length));
    gateway.dropAll();
    await waitUntil(() => el.status === 'live');
    gateway.publish(2);
    await waitUntil(() => batches.length > 0);
    expect(statuses).to.deep.equal(['live→reconnecting', 'reconnecting→live']);
    expect(batches).to.deep.equal([2]);
    expect(part(el, 'status')!.textContent).to.contain('Live');
  });

  it('moves through items with the keyboard and expands with Enter', async () => {
    const gateway = new FakeGateway();
    const el = await feedWith(gateway);
    gateway.publish(5);
    await waitUntil(() => items(el).length === 5);
    const first = items(el)[0];
    expect(first.tabIndex).to.equal(0);
    first.focus();
    first.dispatchEvent(new KeyboardEvent('keydown', { key: 'ArrowDown', bubbles: true, composed: true }));
    await waitUntil(() => shadow(el).activeElement?.getAttribute('data-index') === '1');
    const second = shadow(el).activeElement as HTMLElement;
    second.dispatchEvent(new KeyboardEvent('keydown', { key: 'Enter', bubbles: true, composed: true }));
    await waitUntil(() => part(el, 'payload') !== null);
    second.dispatchEvent(new KeyboardEvent('keydown', { key: 'End', bubbles: true, composed: true }));
    await waitUntil(() => shadow(el).activeElement?.getAttribute('data-index') === '4');
  });

  it('below the fold, with no row rendered, the list takes the Tab stop and a move key enters the rows', async () => {
    const gateway = new FakeGateway();
    const group = `feed-test-${++n}`;
    groupStore(group).configureGateway({ url: `fake://${group}`, transports: gateway.transports(), backoff: { initialMs: 5, maxMs: 20 } });
    const host = await fixture<HTMLElement>(html`<div><div style="height: 200vh"></div><activity-feed group=${group} style="--lw-feed-height: 200px"></activity-feed></div>`);
    const el = host.querySelector('activity-feed')!;
    await waitUntil(() => el.status === 'live', 'feed never went live');
    gateway.publish(40);
    await waitUntil(() => el.visibleEvents.length === 40);
    const list = part(el, 'list')!;
    await waitUntil(() => list.scrollHeight > list.clientHeight && items(el).length === 0, 'the virtualizer rendered rows out of the window');
    expect(list.tabIndex).to.equal(0);
    list.focus();
    list.dispatchEvent(new KeyboardEvent('keydown', { key: 'ArrowDown', bubbles: true, composed: true }));
    await waitUntil(() => shadow(el).activeElement?.getAttribute('data-index') === '0', 'focus never reached the first row');
    await waitUntil(() => !list.hasAttribute('tabindex'), 'the list kept its Tab stop beside the row\'s');
  });

  const alert = (id: string, title: string) => (ts: number) =>
    ({ id, type: 'system.alert', tenant: '*', ts, priority: 'critical', data: { severity: 'critical', title, message: 'x' } }) as never;

  it('announces high-priority events politely, rate-limited, then how many more came', async () => {
    const gateway = new FakeGateway();
    const el = await feedWith(gateway, 'announce-interval=300');
    const region = shadow(el).querySelector('[aria-live="polite"]')!;
    gateway.publish(1, alert('a1', 'Redis down'));
    await waitUntil(() => region.textContent!.includes('Redis down'));
    gateway.publish(1, alert('a2', 'Second alert'));
    gateway.publish(1, alert('a3', 'Third alert'));
    await el.updateComplete;
    expect(region.textContent).not.to.contain('Second alert'); // within the quiet period
    await waitUntil(() => region.textContent!.includes('2 more high-priority events'), 'the delayed "N more" never came', { timeout: 5_000 });
  });

  it('still announces "N more" after being moved in the page during the quiet period', async () => {
    const gateway = new FakeGateway();
    const el = await feedWith(gateway, 'announce-interval=300');
    const region = shadow(el).querySelector('[aria-live="polite"]')!;
    gateway.publish(1, alert('b1', 'First alert'));
    await waitUntil(() => region.textContent!.includes('First alert'));
    gateway.publish(1, alert('b2', 'Second alert'));
    await el.updateComplete;
    const elsewhere = document.createElement('div');
    document.body.append(elsewhere);
    elsewhere.append(el); // disconnected and connected again, the quiet period still running
    try {
      gateway.publish(1, alert('b3', 'Third alert'));
      await waitUntil(() => region.textContent!.includes('2 more high-priority events'), 'the "N more" announcement was lost', { timeout: 5_000 });
    } finally {
      elsewhere.remove();
    }
  });

  it('shows the unauthorised state when the token is refused', async () => {
    const gateway = new FakeGateway({ acceptTokens: ['good'] });
    const group = `feed-test-${++n}`;
    groupStore(group).configureGateway({ url: `fake://${group}`, token: 'bad', transports: gateway.transports() });
    const el = await fixture<ActivityFeed>(html`<activity-feed group=${group}></activity-feed>`);
    await waitUntil(() => el.status === 'unauthorised');
    await el.updateComplete;
    expect(part(el, 'state')!.dataset.kind).to.equal('unauthorised');
  });

  it('keeps the connection when moved in the page', async () => {
    const gateway = new FakeGateway();
    const el = await feedWith(gateway);
    const statuses: string[] = [];
    el.addEventListener('lw-status-change', (e) => statuses.push(e.detail.status));
    const elsewhere = document.createElement('div');
    document.body.append(elsewhere);
    elsewhere.append(el);
    gateway.publish(2);
    await waitUntil(() => el.visibleEvents.length === 2);
    expect(statuses).to.deep.equal([]);
    expect(gateway.connectionCount).to.equal(1);
    elsewhere.remove();
  });

  it('shows the error state when the gateway closes for good', async () => {
    const gateway = new FakeGateway();
    const el = await feedWith(gateway);
    gateway.dropAll(CloseCode.UnsupportedVersion, 'protocol version no longer served');
    await waitUntil(() => el.status === 'offline');
    await el.updateComplete;
    expect(part(el, 'state')!.dataset.kind).to.equal('error');
    expect(part(el, 'state')!.textContent).to.contain('protocol version no longer served');
  });

  it('shows the empty state with no events', async () => {
    const el = await feedWith(new FakeGateway());
    expect(part(el, 'state')!.dataset.kind).to.equal('empty');
  });
});

describe('<activity-feed> on hostile host pages', () => {
  it('keeps its size under html { font-size: 62.5% }', async () => {
    const el = await feedWith(new FakeGateway());
    const before = parseFloat(getComputedStyle(part(el, 'title')!).fontSize);
    document.documentElement.style.fontSize = '62.5%';
    try {
      expect(parseFloat(getComputedStyle(part(el, 'title')!).fontSize)).to.equal(before);
      expect(before).to.equal(14);
    } finally {
      document.documentElement.style.fontSize = '';
    }
  });

  it('fits a 320 px column without horizontal overflow', async () => {
    const gateway = new FakeGateway();
    const el = await feedWith(gateway);
    el.style.width = '320px';
    gateway.publish(10);
    await waitUntil(() => items(el).length > 0);
    const header = part(el, 'header')!;
    expect(header.scrollWidth).to.be.at.most(header.clientWidth);
    for (const item of items(el)) expect(item.scrollWidth).to.be.at.most(item.clientWidth + 1);
  });

  it('survives the suite being loaded twice', async () => {
    const { ActivityFeed } = await import('./activity-feed.ts');
    const warn = console.warn;
    console.warn = () => {}; // a second copy of the module is "another version"
    try {
      // A second copy of the define module (a query string makes a new module instance).
      await import(/* @vite-ignore */ `./define.ts?second-load=${Date.now()}`);
      await import('../index.ts');
    } finally {
      console.warn = warn;
    }
    expect(customElements.get('activity-feed')).to.equal(ActivityFeed);
  });
});

describe('<activity-feed> accessibility', () => {
  for (const theme of ['light', 'dark', 'high-contrast'] as const) {
    it(`passes axe in the ${theme} theme, with events expanded`, async () => {
      const gateway = new FakeGateway();
      const el = await feedWith(gateway);
      el.store.setTheme(theme, { persist: false });
      gateway.publish(6);
      await waitUntil(() => items(el).length === 6);
      part(el, 'toggle')!.click();
      await waitUntil(() => part(el, 'payload') !== null);
      expect(el.dataset.theme).to.equal(theme);
      await expect(el).to.be.accessible();
    });
  }
});

describe('<activity-feed> under user preferences', () => {
  afterEach(() => emulateMedia({ reducedMotion: 'no-preference' }));

  it('turns motion off under prefers-reduced-motion', async () => {
    const el = await feedWith(new FakeGateway());
    expect(getComputedStyle(el).getPropertyValue('--_motion').trim()).to.equal('150ms');
    await emulateMedia({ reducedMotion: 'reduce' });
    expect(getComputedStyle(el).getPropertyValue('--_motion').trim()).to.equal('0ms');
  });
});

describe('<activity-feed> max-items', () => {
  it('keeps the newest max-items rows when it is lowered, scrolled down, without a throw', async () => {
    const gateway = new FakeGateway({ seed: 3 });
    gateway.backfill(2_000, 2_000_000);
    const errors: string[] = [];
    const onError = (event: ErrorEvent) => errors.push(event.message);
    window.addEventListener('error', onError);
    try {
      const el = await fixture<ActivityFeed>(html`<activity-feed style="--lw-feed-height: 400px" max-items="2000"></activity-feed>`);
      el.events = gateway.log as StreamEvent[];
      await waitUntil(() => items(el).length > 0, 'rows never rendered');
      const newest = el.visibleEvents.slice(0, 10).map((e) => e.cursor);
      const list = part(el, 'list')!;
      list.scrollTop = list.scrollHeight / 2; // the virtualizer now renders rows far down the list
      await new Promise((resolve) => setTimeout(resolve, 100));
      // As a story re-render does: the cap and the events together, far down the list.
      el.maxItems = 50;
      el.events = gateway.log as StreamEvent[];
      await el.updateComplete;
      // Any render before the virtualizer has laid the shorter list out (a clock tick, a chip
      // change) renders its last range, far past the end of the new list.
      el.requestUpdate();
      await el.updateComplete;
      await new Promise((resolve) => requestAnimationFrame(resolve));
      await new Promise((resolve) => requestAnimationFrame(resolve));
      expect(errors).to.deep.equal([]);
      expect(el.events).to.have.length(50);
      // The cap alone: the rows held are cut to the newest.
      list.scrollTop = list.scrollHeight;
      await new Promise((resolve) => setTimeout(resolve, 100));
      el.maxItems = 10;
      await el.updateComplete;
      await new Promise((resolve) => requestAnimationFrame(resolve));
      await new Promise((resolve) => requestAnimationFrame(resolve));
      expect(errors).to.deep.equal([]);
      expect(el.visibleEvents.map((e) => e.cursor)).to.deep.equal(newest);
      await waitUntil(() => items(el).length > 0, 'no rows after lowering');
      const indices = [...el.shadowRoot!.querySelectorAll<HTMLElement>('[data-index]')].map((row) => Number(row.dataset.index));
      expect(Math.max(...indices)).to.be.below(10);
      expect(errors).to.deep.equal([]);
      el.maxItems = 5;
      gateway.publish(1);
      el.events = gateway.log as StreamEvent[];
      await el.updateComplete;
      expect(el.events).to.have.length(5);
    } finally {
      window.removeEventListener('error', onError);
    }
  });
});
