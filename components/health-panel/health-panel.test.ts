import { expect, fixture, html, waitUntil } from '@open-wc/testing';
import { executeServerCommand } from '@web/test-runner-commands';
import '../export-button/define.ts';
import type { ExportCompleteDetail } from '../export-button/export-button.ts';
import { parseCsv } from '../../fixtures/export-readers.ts';
import { Chart } from 'chart.js';
import type { MetricsSummary } from '../../protocol/index.ts';
import { FakeGateway } from '../../fixtures/fake-gateway.ts';
import { groupStore } from '../core/store.ts';
import { PALETTES } from '../core/tokens.ts';
import './define.ts';
import type { HealthAlertDetail, HealthPanel } from './health-panel.ts';

type Mode = 'ok' | 'down' | 'forbidden' | 'unauthorised';
type DeepPartial<T> = { [K in keyof T]?: T[K] extends object ? DeepPartial<T[K]> : T[K] };

/** A realistic healthy summary, with any figures overridden. */
function summary(overrides: DeepPartial<MetricsSummary> = {}): MetricsSummary {
  const base: MetricsSummary = {
    ts: Date.now(),
    gateway: { status: 'up', instance: 'gw-a1', version: '0.1.0', uptimeS: 3_600 },
    store: { kind: 'redis', connected: true, rttMs: 0.8 },
    connections: { total: 42, ws: 38, sse: 3, poll: 1 },
    subscriptions: 42,
    rates: { eventsInPerS: 12.5, eventsOutPerS: 480.25 },
    latencyMs: { p50: 6, p95: 21.5, p99: 38, max: 70, samples: 900 },
    pipelineLagMs: { p50: 2, p95: 6, p99: 9, max: 14, samples: 300 },
    errors: { schemaRejects: 3, authFailures: 1, laggingDisconnects: 0, rateLimited: 0, errorRate: 0.012 },
    process: { cpuPercent: 23, memoryPercent: 41, rssBytes: 150 * 1_048_576, eventLoopLagMs: 4 },
  };
  const merge = (target: Record<string, unknown>, patch: Record<string, unknown>) => {
    for (const [key, value] of Object.entries(patch)) {
      if (value && typeof value === 'object') merge(target[key] as Record<string, unknown>, value as Record<string, unknown>);
      else target[key] = value;
    }
  };
  merge(base as unknown as Record<string, unknown>, overrides as Record<string, unknown>);
  return base;
}

let n = 0;
/** A controllable `/v1/metrics` on the test server, driven through a server command. */
class Endpoint {
  readonly id = `health-${Date.now()}-${++n}`;
  readonly url = `${location.origin}/__metrics/${this.id}`;
  set(patch: { summary?: MetricsSummary; mode?: Mode }) {
    return executeServerCommand<{ hits: number; authorization: string | null }, unknown>('metrics-endpoint', { id: this.id, ...patch });
  }
}

/** A panel in its own group: metrics from the endpoint, the shared connection on a fake gateway. */
async function panelWith(endpoint: Endpoint, template?: (group: string) => ReturnType<typeof html>) {
  const gateway = new FakeGateway();
  const group = endpoint.id;
  groupStore(group).configureGateway({ url: endpoint.url, token: 'test-token', transports: gateway.transports() });
  const el = await fixture<HealthPanel>(template ? template(group) : html`<health-panel group=${group} interval="80"></health-panel>`);
  return { el, gateway };
}

const part = (el: Element, name: string) => el.shadowRoot!.querySelector<HTMLElement>(`[part~="${name}"]`);
const parts = (el: Element, name: string) => [...el.shadowRoot!.querySelectorAll<HTMLElement>(`[part~="${name}"]`)];
const tile = (el: Element, key: string) => part(el, `tile-${key}`)!;
const tileValue = (el: Element, key: string) => tile(el, key).querySelector('[part="tile-value"]')!.textContent!.trim();
const lastCheck = (el: HealthPanel) => el.checks.at(-1);
/** Sets the endpoint's figures and waits until the panel has checked them. */
async function serve(endpoint: Endpoint, el: HealthPanel, s: MetricsSummary) {
  await endpoint.set({ summary: s, mode: 'ok' });
  const same = (seen: MetricsSummary | null | undefined) =>
    seen?.latencyMs.p95 === s.latencyMs.p95 && seen.process.cpuPercent === s.process.cpuPercent && seen.store.connected === s.store.connected;
  await waitUntil(() => same(lastCheck(el)?.summary), 'the panel never checked the new figures');
  await el.updateComplete;
}
const rgb = (hex: string) => `rgb(${[1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16)).join(', ')})`;

describe('<health-panel> against a controllable metrics endpoint', () => {
  it('shows the endpoint figures in the tiles, asking with the group token', async () => {
    const endpoint = new Endpoint();
    const s = summary();
    await endpoint.set({ summary: s });
    const { el } = await panelWith(endpoint);
    await waitUntil(() => el.status === 'up', 'never up');
    await el.updateComplete;
    expect(tileValue(el, 'gateway')).to.equal('Up');
    expect(tileValue(el, 'store')).to.equal('Connected');
    expect(tile(el, 'store').textContent).to.contain('round trip 0.8 ms');
    expect(tileValue(el, 'connections')).to.equal('42');
    expect(tile(el, 'connections').textContent).to.contain('WS 38 · SSE 3 · poll 1');
    expect(tileValue(el, 'events-in')).to.equal('12.5/s');
    expect(tileValue(el, 'events-out')).to.equal('480.3/s');
    expect(tileValue(el, 'latency')).to.equal('21.5 ms');
    expect(tile(el, 'latency').textContent).to.contain('p50 6 · p99 38 ms');
    expect(tileValue(el, 'pipeline-lag')).to.equal('9 ms');
    expect(tileValue(el, 'error-rate')).to.equal('1.2 %');
    expect(tile(el, 'error-rate').textContent).to.contain('schema 3 · auth 1 · lagging 0');
    expect(tileValue(el, 'cpu')).to.equal('23 %');
    expect(tileValue(el, 'memory')).to.equal('41 %');
    expect(tile(el, 'memory').textContent).to.contain('RSS 150 MB');
    expect(tileValue(el, 'loop-lag')).to.equal('4 ms');
    for (const key of ['latency', 'error-rate', 'cpu', 'memory', 'loop-lag']) expect(tile(el, key).dataset.level).to.equal('ok');
    const { authorization } = await endpoint.set({});
    expect(authorization).to.equal('Bearer test-token');
  });

  it('turns the Redis tile red when the store is disconnected', async () => {
    const endpoint = new Endpoint();
    await endpoint.set({ summary: summary() });
    const { el } = await panelWith(endpoint);
    await waitUntil(() => tile(el, 'store').dataset.level === 'ok');
    await serve(endpoint, el, summary({ gateway: { status: 'degraded' }, store: { connected: false, rttMs: null }, process: { cpuPercent: 24 } }));
    expect(tile(el, 'store').dataset.level).to.equal('critical');
    expect(tileValue(el, 'store')).to.equal('Disconnected');
    expect(el.status).to.equal('degraded');
    expect(tile(el, 'gateway').dataset.level).to.equal('warning');
  });

  it('ordinary traffic is green with the default thresholds (the gateway monitor uses the same)', async () => {
    const endpoint = new Endpoint();
    // Figures of a busy but healthy gateway: p95 of a few hundred ms was red under the old 50/100.
    await endpoint.set({ summary: summary({ latencyMs: { p95: 240, p99: 480 }, process: { eventLoopLagMs: 120 } }) });
    const { el } = await panelWith(endpoint);
    await waitUntil(() => lastCheck(el)?.summary?.latencyMs.p95 === 240);
    for (const key of ['latency', 'loop-lag', 'error-rate', 'cpu', 'memory']) expect(tile(el, key).dataset.level).to.equal('ok');
    expect(el.effectiveThresholds.latencyP95).to.deep.equal({ warning: 1_000, critical: 5_000 });
  });

  it('raises an alert once per crossing and clears it only below the hysteresis margin', async () => {
    const endpoint = new Endpoint();
    await endpoint.set({ summary: summary({ latencyMs: { p95: 40 } }) });
    // Lines at 50 and 100 ms, so the steps below read easily.
    const { el } = await panelWith(
      endpoint,
      (group) => html`<health-panel group=${group} interval="80" thresholds='{"latencyP95":{"warning":50,"critical":100}}'></health-panel>`,
    );
    const fired: HealthAlertDetail[] = [];
    const onAlert = (e: Event) => fired.push((e as CustomEvent<HealthAlertDetail>).detail);
    document.addEventListener('lw-health-alert', onAlert); // bubbles and composed: seen by the page
    try {
      await waitUntil(() => lastCheck(el)?.summary?.latencyMs.p95 === 40);
      const step = (p95: number) => serve(endpoint, el, summary({ latencyMs: { p95 } }));

      await step(60); // crosses the 50 ms warning line
      expect(fired.map((a) => `${a.metric}:${a.level}`)).to.deep.equal(['latencyP95:warning']);
      expect(fired[0]).to.include({ source: 'threshold', value: 60, threshold: 50, clearedAt: null });
      expect(tile(el, 'latency').dataset.level).to.equal('warning');
      const shown = part(el, 'alert-warning')!;
      expect(shown.textContent).to.contain('60 ms').and.contain('50 ms');
      expect(shown.querySelector('time')!.getAttribute('datetime')).to.equal(new Date(fired[0].at).toISOString());

      await step(55);
      await step(47); // below the line, not 10 % below it: still active
      expect(fired).to.have.length(1);
      expect(tile(el, 'latency').dataset.level).to.equal('warning');
      expect(part(el, 'alert-cleared')).to.equal(null);

      await step(44); // under 45 ms: clears
      expect(tile(el, 'latency').dataset.level).to.equal('ok');
      expect(part(el, 'alert-cleared')!.textContent).to.contain('cleared');
      expect(fired).to.have.length(1);

      await step(52); // a new crossing
      await step(130); // and the critical line
      expect(fired.map((a) => `${a.level}:${a.value}`)).to.deep.equal(['warning:60', 'warning:52', 'critical:130']);
      expect(tile(el, 'latency').dataset.level).to.equal('critical');
      expect(tile(el, 'latency').textContent).to.contain('Critical');
    } finally {
      document.removeEventListener('lw-health-alert', onAlert);
    }
  });

  it('takes thresholds from the attribute (JSON) and the property', async () => {
    const endpoint = new Endpoint();
    await endpoint.set({ summary: summary({ process: { cpuPercent: 30, memoryPercent: 41 } }) });
    const { el } = await panelWith(
      endpoint,
      (group) => html`<health-panel group=${group} interval="80" thresholds='{"cpu":{"warning":25}}'></health-panel>`,
    );
    await waitUntil(() => tile(el, 'cpu').dataset.level === 'warning', 'the attribute threshold was not used');
    expect(el.effectiveThresholds.cpu).to.deep.equal({ warning: 25, critical: 85 });
    el.thresholds = { memory: { warning: 20, critical: 40 } };
    await waitUntil(() => tile(el, 'memory').dataset.level === 'critical', 'the property threshold was not used');
    expect(el.effectiveThresholds.cpu).to.deep.equal({ warning: 70, critical: 85 });
  });

  it('keeps only the last history-size checks and exports them as rows', async () => {
    const endpoint = new Endpoint();
    await endpoint.set({ summary: summary() });
    const { el } = await panelWith(endpoint, (group) => html`<health-panel group=${group} interval="30" history-size="5" compact></health-panel>`);
    await waitUntil(async () => (await endpoint.set({})).hits >= 8, 'too few checks', { timeout: 10_000 });
    expect(el.checks).to.have.length(5);
    const times = el.checks.map((c) => c.at);
    expect(times).to.deep.equal([...times].sort((a, b) => a - b));
    const rows = el.exportRows();
    expect(rows).to.have.length(5);
    expect(rows.map((r) => r.time)).to.deep.equal(times.map((t) => new Date(t).toISOString()));
    expect(rows[4]).to.deep.include({
      gatewayStatus: 'up',
      instance: 'gw-a1',
      storeConnected: true,
      connections: 42,
      eventsInPerS: 12.5,
      latencyP95Ms: 21.5,
      errorRatePercent: 1.2,
      cpuPercent: 23,
      eventLoopLagMs: 4,
    });
  });

  it('hands its history and charts to <export-button>', async () => {
    const endpoint = new Endpoint();
    await endpoint.set({ summary: summary() });
    const { el } = await panelWith(
      endpoint,
      (group) => html`<div>
        <health-panel id=${`panel-${group}`} group=${group} interval="80" history-size="4"></health-panel>
        <export-button for=${`panel-${group}`} group=${`${group}-export`} formats="csv"></export-button>
      </div>`,
    );
    const panel = el.querySelector('health-panel')!;
    const button = el.querySelector('export-button')!;
    await waitUntil(() => panel.checks.length === 4, 'history never filled');
    await panel.chartsReady();
    const pick = async (label: RegExp) => {
      button.shadowRoot!.querySelector<HTMLElement>('[part~="trigger"]')!.click();
      // The menu is loaded on first intent: wait for its items rather than for one update.
      const items = () => [...button.shadowRoot!.querySelectorAll<HTMLElement>('[part~="item"]')];
      await waitUntil(() => items().length > 0, 'the export menu never opened');
      const item = items().find((i) => label.test(i.textContent!));
      expect(item, String(label)).to.exist;
      const complete = new Promise<ExportCompleteDetail>((resolve) =>
        button.addEventListener('lw-export-complete', (e) => (e.preventDefault(), resolve(e.detail)), { once: true }),
      );
      item!.click();
      return complete;
    };
    const csv = await pick(/CSV/);
    const [header, ...rows] = parseCsv((await csv.blob.text()).replace(/^\uFEFF/, ''));
    expect(header.slice(0, 3)).to.deep.equal(['Time', 'Gateway', 'Instance']);
    expect(rows).to.have.length(4);
    expect(rows.every((r) => r[1] === 'up' && r[2] === 'gw-a1')).to.equal(true);
    const png = await pick(/Delivery latency \(ms\) chart \(PNG\)/);
    expect([...new Uint8Array(await png.blob.arrayBuffer()).slice(0, 4)]).to.deep.equal([0x89, 0x50, 0x4e, 0x47]);
  });

  it('says clearly that the system:read scope is missing', async () => {
    const endpoint = new Endpoint();
    await endpoint.set({ mode: 'forbidden' });
    const { el } = await panelWith(endpoint);
    await waitUntil(() => part(el, 'problem') !== null);
    expect(part(el, 'problem')!.dataset.kind).to.equal('forbidden');
    expect(part(el, 'problem')!.textContent).to.contain('system:read');
    expect(part(el, 'problem')!.getAttribute('role')).to.equal('alert');
  });

  it('says so when the token is refused', async () => {
    const endpoint = new Endpoint();
    await endpoint.set({ mode: 'unauthorised' });
    const { el } = await panelWith(endpoint);
    await waitUntil(() => part(el, 'problem') !== null);
    expect(part(el, 'problem')!.dataset.kind).to.equal('unauthorised');
    expect(part(el, 'problem')!.textContent).to.contain('token expired');
  });

  it('names what is missing when the gateway answers another shape, instead of breaking', async () => {
    const endpoint = new Endpoint();
    const { rates: _rates, errors: _errors, ...partial } = summary();
    await endpoint.set({ summary: partial as MetricsSummary });
    const { el } = await panelWith(endpoint);
    await waitUntil(() => part(el, 'problem') !== null);
    expect(part(el, 'problem')!.textContent).to.contain('lack rates, errors');
    expect(el.checks.every((c) => c.summary === null)).to.equal(true);
    expect(parts(el, 'tile')).to.have.length(12);
  });

  it('shows down with the last known values while unreachable, and recovers', async () => {
    const endpoint = new Endpoint();
    await endpoint.set({ summary: summary({ latencyMs: { p95: 33 } }) });
    const { el } = await panelWith(endpoint);
    await waitUntil(() => el.status === 'up');
    await endpoint.set({ mode: 'down' });
    await waitUntil(() => el.status === 'down', 'never down');
    await el.updateComplete;
    expect(tileValue(el, 'gateway')).to.equal('Down');
    expect(tile(el, 'gateway').dataset.level).to.equal('critical');
    expect(tile(el, 'gateway').textContent).to.contain('last seen');
    expect(tileValue(el, 'latency')).to.equal('33 ms');
    expect(tile(el, 'latency').hasAttribute('data-stale')).to.equal(true);
    expect(part(el, 'problem')!.dataset.kind).to.equal('unreachable');
    expect(el.checks.at(-1)!.status).to.equal('down');
    const { hits } = await endpoint.set({});
    await waitUntil(async () => (await endpoint.set({})).hits > hits + 1, 'no retries');
    await endpoint.set({ mode: 'ok' });
    await waitUntil(() => el.status === 'up', 'never recovered', { timeout: 10_000 });
    expect(part(el, 'problem')).to.equal(null);
  });

  it('lists system.alert events from the shared connection and fires them too', async () => {
    const endpoint = new Endpoint();
    await endpoint.set({ summary: summary() });
    const { el, gateway } = await panelWith(endpoint);
    await waitUntil(() => el.status === 'up' && gateway.connectionCount > 0);
    const fired: HealthAlertDetail[] = [];
    el.addEventListener('lw-health-alert', (e) => fired.push(e.detail));
    gateway.publish(1, (ts) => ({ id: 'a1', type: 'system.alert', tenant: '*', ts, priority: 'critical', data: { severity: 'critical', title: 'Bot queue stuck', message: 'No replies for 5 min' } }) as never);
    gateway.publish(1, (ts) => ({ id: 'h1', type: 'system.health', tenant: '*', ts, priority: 'low', data: { service: 'lead-bot', status: 'degraded' } }) as never);
    await waitUntil(() => part(el, 'alert-critical') !== null && part(el, 'services') !== null);
    expect(part(el, 'alert-critical')!.textContent).to.contain('Bot queue stuck').and.contain('No replies for 5 min');
    expect(fired).to.have.length(1);
    expect(fired[0]).to.include({ source: 'event', level: 'critical', title: 'Bot queue stuck' });
    expect(part(el, 'services')!.textContent).to.contain('lead-bot: Degraded');
    expect(tileValue(el, 'browser')).to.match(/^\d+(\.\d)? ms$/);
  });

  it('one truth: no chip says Up while the gateway tile says Degraded; an alert marks its service until cleared', async () => {
    const endpoint = new Endpoint();
    await endpoint.set({ summary: summary() });
    const { el, gateway } = await panelWith(endpoint);
    await waitUntil(() => el.status === 'up' && gateway.connectionCount > 0);
    // The last system.health the gateway could write said "up"; then Redis went away.
    gateway.publish(1, (ts) => ({ id: 'h-gw', type: 'system.health', tenant: '*', ts: ts - 5_000, priority: 'low', data: { service: 'gateway gw-a1', status: 'up' } }) as never);
    await waitUntil(() => part(el, 'services') !== null);
    await serve(endpoint, el, summary({ gateway: { status: 'degraded' }, store: { connected: false, rttMs: null } }));
    expect(tileValue(el, 'gateway')).to.equal('Degraded');
    expect(part(el, 'services')!.textContent).to.contain('gateway gw-a1: Degraded').and.not.contain('Up');
    // The gateway's own critical alert, and its clearing, move the chip of the service that raised it.
    const alert = (id: string, state: string, severity: string) =>
      gateway.publish(1, (ts) => ({ id, type: 'system.alert', tenant: '*', ts, priority: 'critical', data: { severity, title: 'Redis unreachable', message: 'm', service: 'gateway gw-b2', metric: 'redis', state } }) as never);
    alert('a-raised', 'raised', 'critical');
    await waitUntil(() => part(el, 'services')!.textContent!.includes('gateway gw-b2: Degraded'), 'the alert did not mark its service');
    alert('a-cleared', 'cleared', 'info');
    await waitUntil(() => part(el, 'services')!.textContent!.includes('gateway gw-b2: Up'), 'the clearing did not');
  });
});

describe('<health-panel> with unexpected event fields', () => {
  it('lists an alert of an unknown severity instead of breaking its render', async () => {
    const endpoint = new Endpoint();
    await endpoint.set({ summary: summary() });
    const { el, gateway } = await panelWith(endpoint);
    await waitUntil(() => el.status === 'up' && gateway.connectionCount > 0);
    const warn = console.warn;
    console.warn = () => {};
    try {
      gateway.publish(1, (ts) => ({ id: 'a2', type: 'system.alert', tenant: '*', ts, priority: 'high', data: { severity: 'severe', title: 'Odd alert', message: 'From a newer bot' } }) as never);
      gateway.publish(1, (ts) => ({ id: 'h2', type: 'system.health', tenant: '*', ts, priority: 'low', data: { service: 'lead-bot', status: 'rebooting' } }) as never);
      await waitUntil(() => part(el, 'alert-severe') !== null && part(el, 'services') !== null, 'the alert was never listed');
      expect(part(el, 'alert-severe')!.textContent).to.contain('Odd alert').and.contain('health.level.severe');
      expect(part(el, 'services')!.textContent).to.contain('lead-bot: health.status.rebooting');
    } finally {
      console.warn = warn;
    }
  });
});

describe('<health-panel> charts', () => {
  async function chartedPanel() {
    const endpoint = new Endpoint();
    await endpoint.set({ summary: summary() });
    const { el } = await panelWith(endpoint);
    await waitUntil(() => el.checks.length >= 3, 'too few checks');
    await el.chartsReady();
    const [latency, throughput] = el.chartCanvases().map((canvas) => Chart.getChart(canvas)!);
    return { el, endpoint, latency, throughput };
  }

  it('draws latency percentiles and throughput with threshold lines', async () => {
    const { el, latency, throughput } = await chartedPanel();
    await el.updateComplete;
    expect(latency.data.datasets.map((d) => d.label)).to.deep.equal(['p50', 'p95', 'p99', 'p95 warning (1,000 ms)', 'p95 critical (5,000 ms)']);
    expect(latency.data.datasets[1].data.at(-1)).to.equal(21.5);
    expect(new Set(latency.data.datasets[3].data)).to.deep.equal(new Set([1_000]));
    expect(throughput.data.datasets[0].data.at(-1)).to.equal(12.5);
    expect(el.exportCharts().map((c) => c.title)).to.deep.equal(['Delivery latency (ms)', 'Events per second']);
  });

  it('exports each chart as a vector SVG: a path per series through the drawn points, axis labels as text', async () => {
    const { el, latency } = await chartedPanel();
    await el.updateComplete;
    const [chart] = el.exportCharts();
    const doc = new DOMParser().parseFromString(chart.svg(), 'image/svg+xml');
    expect(doc.querySelector('parsererror'), 'well-formed SVG').to.equal(null);
    expect(doc.documentElement.namespaceURI).to.equal('http://www.w3.org/2000/svg');
    expect(doc.querySelector('svg > title')?.textContent).to.equal('Delivery latency (ms)');
    const series = [...doc.querySelectorAll('path.series')];
    expect(series.map((p) => p.getAttribute('data-label'))).to.deep.equal(latency.data.datasets.map((d) => d.label));
    // The p95 path goes through chart.js's own point positions.
    const points = latency.getDatasetMeta(1).data.filter((p) => !(p as unknown as { skip?: boolean }).skip);
    const d = series[1].getAttribute('d')!;
    expect(d.match(/[ML]/g)).to.have.length(points.length);
    const last = points.at(-1)!;
    expect(d.endsWith(`${Math.round(last.x * 100) / 100} ${Math.round(last.y * 100) / 100}`)).to.equal(true);
    const labels = [...doc.querySelectorAll('.axis-y text')].map((t) => t.textContent);
    expect(labels.length).to.be.greaterThan(1);
    expect(labels).to.include(String(latency.scales.y.ticks.at(-1)!.label));
  });

  it('draws one set of charts when moved in the page while chart.js is loading', async () => {
    const endpoint = new Endpoint();
    await endpoint.set({ summary: summary() });
    const errors: unknown[] = [];
    const onError = (event: PromiseRejectionEvent) => errors.push(event.reason);
    window.addEventListener('unhandledrejection', onError);
    const elsewhere = document.createElement('div');
    document.body.append(elsewhere);
    try {
      const { el } = await panelWith(endpoint);
      // The charts chunk was asked for in the first update; move before it has answered.
      elsewhere.append(el);
      await el.updateComplete;
      await el.chartsReady();
      await waitUntil(() => el.checks.length >= 2, 'too few checks');
      const canvases = el.chartCanvases();
      expect(canvases.map((canvas) => Chart.getChart(canvas) !== undefined)).to.deep.equal([true, true]);
      expect(errors.map(String)).to.deep.equal([]);
    } finally {
      window.removeEventListener('unhandledrejection', onError);
      elsewhere.remove();
    }
  });

  it('draws each chart on a turn of its own, and one moved in between is drawn once', async () => {
    const endpoint = new Endpoint();
    await endpoint.set({ summary: summary() });
    const elsewhere = document.createElement('div');
    document.body.append(elsewhere);
    const created: string[] = [];
    let panel: HealthPanel | undefined;
    // Moves the panel in a microtask after its first chart is made: if the second chart came in
    // the same task, it would exist before the move.
    const probe = {
      id: 'leadwire-test-probe',
      afterInit(chart: Chart) {
        created.push(chart.canvas.dataset.chart!);
        if (created.length === 1) queueMicrotask(() => elsewhere.append(panel!));
      },
    };
    Chart.register(probe);
    try {
      ({ el: panel } = await panelWith(endpoint));
      await waitUntil(() => created.length >= 3, 'the charts were not made again after the move');
      await panel.chartsReady();
      expect(created).to.deep.equal(['latency', 'latency', 'throughput']);
      expect(panel.chartCanvases().map((canvas) => Chart.getChart(canvas)?.canvas === canvas)).to.deep.equal([true, true]);
    } finally {
      Chart.unregister(probe);
      elsewhere.remove();
    }
  });

  it('repaints the charts in the new theme colours', async () => {
    const { el, latency } = await chartedPanel();
    el.store.setTheme('light', { persist: false });
    await waitUntil(() => latency.data.datasets[1].borderColor === rgb(PALETTES.light.accent), 'not light');
    el.store.setTheme('dark', { persist: false });
    await waitUntil(() => latency.data.datasets[1].borderColor === rgb(PALETTES.dark.accent), 'not repainted dark');
    expect(latency.data.datasets[4].borderColor).to.equal(rgb(PALETTES.dark.danger));
    expect((latency.options.scales!.x!.ticks as { color: string }).color).to.equal(rgb(PALETTES.dark['text-muted']));
    el.store.setTheme('high-contrast', { persist: false });
    await waitUntil(() => latency.data.datasets[1].borderColor === rgb(PALETTES['high-contrast'].accent), 'not repainted high-contrast');
  });

  it('offers a table view with exactly the chart data', async () => {
    const { el, latency, throughput } = await chartedPanel();
    part(el, 'view-toggle')!.click();
    await el.updateComplete;
    expect(el.view).to.equal('table');
    expect(part(el, 'view-toggle')!.getAttribute('aria-pressed')).to.equal('true');
    // Read both in one go after an update: polling goes on meanwhile.
    await el.updateComplete;
    const rows = [...part(el, 'table')!.querySelectorAll('tbody tr')];
    const labels = latency.data.labels!;
    expect(rows.length).to.equal(labels.length);
    const chartRows = labels.map((label, i) => [
      label,
      ...[...latency.data.datasets.slice(0, 3), ...throughput.data.datasets].map((d) => d.data[i]),
    ]);
    const tableRows = rows.map((row) => [...row.children].map((cell, i) => (i === 0 ? cell.textContent!.trim() : Number(cell.textContent!.replace(/,/g, '')))));
    expect(tableRows).to.deep.equal(chartRows);
  });

  it('stays tiles-only in compact mode', async () => {
    const endpoint = new Endpoint();
    await endpoint.set({ summary: summary() });
    const { el } = await panelWith(endpoint, (group) => html`<health-panel group=${group} interval="80" compact></health-panel>`);
    await waitUntil(() => el.status === 'up');
    await el.chartsReady();
    expect(el.shadowRoot!.querySelector('canvas')).to.equal(null);
    expect(part(el, 'alerts')).to.equal(null);
    expect(el.chartCanvases()).to.deep.equal([]);
    expect(parts(el, 'tile')).to.have.length(12);
  });
});

describe('<health-panel> on host pages', () => {
  it('fits a 320 px column', async () => {
    const endpoint = new Endpoint();
    await endpoint.set({ summary: summary() });
    const { el } = await panelWith(endpoint);
    el.style.width = '320px';
    await waitUntil(() => el.status === 'up');
    await el.chartsReady();
    expect(el.scrollWidth).to.be.at.most(el.clientWidth + 2);
    for (const t of parts(el, 'tile')) expect(t.scrollWidth).to.be.at.most(t.clientWidth + 1);
  });

  it('survives the suite being loaded twice', async () => {
    const { HealthPanel } = await import('./health-panel.ts');
    const warn = console.warn;
    console.warn = () => {};
    try {
      await import(/* @vite-ignore */ `./define.ts?second-load=${Date.now()}`);
      await import('../index.ts');
    } finally {
      console.warn = warn;
    }
    expect(customElements.get('health-panel')).to.equal(HealthPanel);
  });

  it('passes axe with forced colors, with the charts drawn in system colours', async () => {
    await executeServerCommand('emulate-forced-colors', { active: true });
    try {
      const endpoint = new Endpoint();
      await endpoint.set({ summary: summary({ latencyMs: { p95: 1_400 } }) });
      const { el } = await panelWith(endpoint);
      await waitUntil(() => part(el, 'alert') !== null && el.checks.length >= 2);
      await el.chartsReady();
      await expect(el).to.be.accessible();
      const probe = document.createElement('span');
      probe.style.color = 'CanvasText';
      document.body.append(probe);
      const canvasText = getComputedStyle(probe).color;
      probe.remove();
      const latency = Chart.getChart(el.chartCanvases()[0])!;
      await waitUntil(() => latency.data.datasets[2].borderColor === canvasText, 'the charts did not take the system colours');
    } finally {
      await executeServerCommand('emulate-forced-colors', { active: false });
    }
  });

  for (const theme of ['light', 'dark', 'high-contrast'] as const) {
    it(`passes axe in the ${theme} theme, alerting, in chart and table view`, async () => {
      const endpoint = new Endpoint();
      await endpoint.set({ summary: summary({ latencyMs: { p95: 1_400 }, process: { cpuPercent: 75 } }) });
      const { el } = await panelWith(endpoint);
      el.store.setTheme(theme, { persist: false });
      await waitUntil(() => part(el, 'alert') !== null && el.checks.length >= 2);
      await el.chartsReady();
      expect(el.dataset.theme).to.equal(theme);
      await expect(el).to.be.accessible();
      part(el, 'view-toggle')!.click();
      await el.updateComplete;
      await expect(el).to.be.accessible();
    });
  }
});
