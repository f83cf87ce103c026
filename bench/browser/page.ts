/**
 * Runs inside headless Chromium (bundled by run.ts). Each scenario drives the real
 * <activity-feed> through the real GatewayClient over an in-page fake transport, and the same
 * work through a baseline: a plain Lit list that renders every item (no virtualisation).
 */
import { LitElement, html } from 'lit';
import { repeat } from 'lit/directives/repeat.js';
import '../../components/index.ts';
import type { ActivityFeed } from '../../components/activity-feed/activity-feed.ts';
import { groupStore } from '../../components/core/store.ts';
import { matches, type Filter, type StreamEvent } from '../../protocol/index.ts';
import { FakeGateway } from '../../fixtures/fake-gateway.ts';
import { createTraffic } from '../../fixtures/traffic.ts';

/** The baseline: what a feed without virtualisation or batching does. */
class NaiveList extends LitElement {
  static override properties = { events: { attribute: false } };
  events: StreamEvent[] = [];
  override render() {
    return html`<ul style="height:600px;overflow:auto;margin:0">
      ${repeat(
        this.events,
        (e) => e.cursor,
        (e) => html`<li><b>${e.type}</b> ${String((e.data as { name?: string }).name ?? '')} <small>${new Date(e.ts).toLocaleTimeString()}</small></li>`,
      )}
    </ul>`;
  }
}
customElements.define('naive-list', NaiveList);

const frame = () => new Promise<number>((r) => requestAnimationFrame(r));
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
let groups = 0;

async function mountFeed(maxItems: number): Promise<{ feed: ActivityFeed; gateway: FakeGateway }> {
  const group = `bench-${groups++}`;
  const gateway = new FakeGateway({ seed: 7 });
  groupStore(group).configureGateway({ url: `fake://${group}`, transports: gateway.transports() });
  const feed = document.createElement('activity-feed') as ActivityFeed;
  feed.group = group;
  feed.maxItems = maxItems;
  feed.style.cssText = 'display:block;height:600px;width:800px';
  document.body.replaceChildren(feed);
  for (let i = 0; i < 200 && gateway.connectionCount === 0; i++) await sleep(5);
  await feed.updateComplete;
  return { feed, gateway };
}

function mountNaive(): NaiveList {
  const list = document.createElement('naive-list') as NaiveList;
  document.body.replaceChildren(list);
  return list;
}

/** Watches the main thread: long tasks (> 50 ms) and frames later than 1.5 vsync. */
function watchMainThread() {
  let longTasks = 0;
  let longestTask = 0;
  let dropped = 0;
  let frames = 0;
  const observer = new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) {
      longTasks++;
      longestTask = Math.max(longestTask, entry.duration);
    }
  });
  observer.observe({ type: 'longtask', buffered: false });
  let last = performance.now();
  let running = true;
  const tick = (now: number) => {
    frames++;
    const delta = now - last;
    if (delta > 25) dropped += Math.round(delta / 16.7) - 1;
    last = now;
    if (running) requestAnimationFrame(tick);
  };
  requestAnimationFrame(tick);
  return () => {
    running = false;
    observer.disconnect();
    return { longTasks, longestTask: Math.round(longestTask), dropped, frames };
  };
}

/**
 * Offers `rate` items/s for `seconds` in ticks of about 10 ms. Timers drift under load, so each
 * tick pushes what the clock says is due: the rate offered is the rate asked for.
 */
async function paced(rate: number, seconds: number, push: (n: number) => void): Promise<number> {
  const start = performance.now();
  let sent = 0;
  while (performance.now() - start < seconds * 1000) {
    const due = Math.floor(((performance.now() - start) / 1000) * rate) - sent;
    if (due > 0) {
      push(due);
      sent += due;
    }
    await sleep(10);
  }
  return sent;
}

const traffic = createTraffic({ seed: 11 });
const makeEvents = (n: number): StreamEvent[] =>
  Array.from({ length: n }, (_, i) => ({ ...traffic.next(), ts: Date.now(), cursor: `${Date.now()}-${i}`, priority: "normal" }) as StreamEvent);

export const scenarios = {
  /** Time from a batch arriving to it painted. */
  async firstBatch(n: number) {
    const { feed, gateway } = await mountFeed(5_000);
    const t0 = performance.now();
    gateway.publish(n);
    await feed.updateComplete;
    await frame();
    const feedMs = performance.now() - t0;
    const list = mountNaive();
    const events = makeEvents(n);
    const t1 = performance.now();
    list.events = events;
    await list.updateComplete;
    await frame();
    const naiveMs = performance.now() - t1;
    return { feedMs, naiveMs };
  },

  /**
   * `rate` events/s for `seconds` into the feed, then into the baseline list, then nowhere (an
   * idle page), main thread watched.
   */
  async sustained(rate: number, seconds: number, maxItems: number) {
    const { feed: element, gateway } = await mountFeed(maxItems);
    let received = 0;
    element.addEventListener('lw-new-event', (e) => (received += e.detail.events.length));
    let stop = watchMainThread();
    const sent = await paced(rate, seconds, (n) => gateway.publish(n));
    await frame();
    await sleep(100);
    const feed = { ...stop(), sent, received, ratePerSecond: Math.round(sent / seconds) };
    const list = mountNaive();
    stop = watchMainThread();
    await paced(rate, seconds, (n) => (list.events = [...makeEvents(n), ...list.events].slice(0, maxItems)));
    await frame();
    const naive = stop();
    // The floor: the same paced loop with nothing to render, so frames the machine drops anyway
    // (a loaded VM, headless vsync) are not taken for the feed's.
    document.body.replaceChildren();
    stop = watchMainThread();
    await paced(rate, seconds, () => {});
    await frame();
    const idle = stop();
    return { feed, naive, idle };
  },

  /** Heap after pushing `total` events through a feed capped at `maxItems`. */
  async memory(total: number, maxItems: number) {
    const gc = (globalThis as { gc?: () => void }).gc;
    const heap = () => {
      gc?.();
      return (performance as unknown as { memory: { usedJSHeapSize: number } }).memory.usedJSHeapSize;
    };
    const { feed, gateway } = await mountFeed(maxItems);
    const before = heap();
    const checkpoints: Array<{ events: number; heapMB: number }> = [];
    for (let sent = 0; sent < total; ) {
      gateway.publish(1_000);
      sent += 1_000;
      await feed.updateComplete;
      await sleep(0);
      // The fake gateway keeps its own log for replay; it is not the feed's memory.
      gateway.log.length = 0;
      if (sent % 10_000 === 0) checkpoints.push({ events: sent, heapMB: (heap() - before) / 1048576 });
    }
    return { checkpoints, held: feed.events.length };
  },

  /** protocol matches() over n events with a five-condition filter, best of five. */
  filter(n: number) {
    const events = makeEvents(n);
    const now = Date.now();
    const filter: Filter = {
      from: now - 7 * 86_400_000,
      temperatures: ['hot', 'warm'],
      stages: ['qualifying', 'qualified', 'appointment'],
      budgetMin: 250_000,
      text: 'a',
    };
    let best = Infinity;
    let kept = 0;
    for (let run = 0; run < 5; run++) {
      const t0 = performance.now();
      kept = events.filter((e) => matches(e, filter)).length;
      best = Math.min(best, performance.now() - t0);
    }
    return { ms: best, kept };
  },
};

(window as unknown as { scenarios: typeof scenarios }).scenarios = scenarios;
