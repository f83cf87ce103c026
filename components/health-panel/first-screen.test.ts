/**
 * The panel as it first shows: the few tiles that matter and the charts, no click needed; normal
 * traffic green; a backfill shown as such, not as billions of milliseconds; whole words.
 */
import { expect, fixture, html, waitUntil } from '@open-wc/testing';
import type { MetricsSummary } from '../../protocol/index.ts';
import './define.ts';
import type { HealthAlertDetail, HealthPanel } from './health-panel.ts';
import type { MetricsSource } from './metrics-source.ts';

function summary(patch: { latencyP95?: number; latencyP99?: number; storeConnected?: boolean; cpu?: number } = {}): MetricsSummary {
  return {
    ts: Date.now(),
    gateway: { status: 'up', instance: 'gw-a1', version: '0.1.0', uptimeS: 3_600 },
    store: { kind: 'redis', connected: patch.storeConnected ?? true, rttMs: 0.8 },
    connections: { total: 4, ws: 4, sse: 0, poll: 0 },
    subscriptions: 4,
    rates: { eventsInPerS: 3, eventsOutPerS: 12 },
    latencyMs: { p50: 12, p95: patch.latencyP95 ?? 140, p99: patch.latencyP99 ?? 190, max: 240, samples: 400 },
    pipelineLagMs: { p50: 2, p95: 6, p99: 9, max: 14, samples: 300 },
    errors: { schemaRejects: 0, authFailures: 0, laggingDisconnects: 0, rateLimited: 0, errorRate: 0 },
    process: { cpuPercent: patch.cpu ?? 12, memoryPercent: 30, rssBytes: 90 * 1_048_576, eventLoopLagMs: 3 },
  } as MetricsSummary;
}

let n = 0;
async function panel(read: () => MetricsSummary, width = 440) {
  const source: MetricsSource = { read: async () => read() };
  const el = await fixture<HealthPanel>(html`<health-panel group=${`first-${++n}`} interval="60" style=${`width: ${width}px`} .source=${source}></health-panel>`);
  await waitUntil(() => el.checks.length >= 2, 'no checks');
  await el.updateComplete;
  return el;
}
const tile = (el: HealthPanel, key: string) => el.shadowRoot!.querySelector<HTMLElement>(`[part~="tile-${key}"]`)!;
const shown = (node: Element | null) => !!node && node.checkVisibility();

describe('<health-panel> first screen', () => {
  it('shows the tiles that matter and both charts without a click; the rest under "More figures"', async () => {
    const el = await panel(() => summary());
    await el.chartsReady();
    for (const key of ['gateway', 'store', 'connections', 'events-in', 'latency', 'error-rate']) expect(shown(tile(el, key)), key).to.equal(true);
    for (const key of ['cpu', 'memory', 'loop-lag', 'pipeline-lag', 'events-out']) expect(shown(tile(el, key)), key).to.equal(false);
    const more = el.shadowRoot!.querySelector<HTMLDetailsElement>('[part~="more"]')!;
    expect(more.open).to.equal(false);
    expect(more.querySelector('summary')!.textContent).to.match(/More figures \(\d+\)/);
    expect(el.chartCanvases()).to.have.length(2);
    for (const canvas of el.chartCanvases()) expect(canvas.getBoundingClientRect().height).to.be.greaterThan(80);
  });

  it('puts a figure over its threshold on the first screen', async () => {
    const el = await panel(() => summary({ cpu: 96 }));
    await waitUntil(() => tile(el, 'cpu').dataset.level === 'critical', 'cpu never critical');
    expect(shown(tile(el, 'cpu'))).to.equal(true);
  });

  it('shows normal delivery latency (p95 140 ms, p99 190 ms) as healthy, not critical', async () => {
    const el = await panel(() => summary());
    expect(tile(el, 'latency').dataset.level).to.equal('ok');
    expect(tile(el, 'latency').textContent).to.not.contain('Critical');
    expect(el.alertList).to.have.length(0);
  });

  it('shows a backfill as backfilled: no billions of milliseconds, no alert, no point on the chart', async () => {
    const alerts: HealthAlertDetail[] = [];
    document.addEventListener('lw-health-alert', (e) => alerts.push((e as CustomEvent<HealthAlertDetail>).detail));
    const el = await panel(() => summary({ latencyP95: 3_554_815_364, latencyP99: 3_554_815_900 }));
    await el.chartsReady();
    const latency = tile(el, 'latency');
    expect(latency.querySelector('[part~="tile-value"]')!.textContent!.trim()).to.equal('Backfilled');
    expect(latency.textContent).to.not.match(/3,554|3554/);
    expect(latency.dataset.level).to.equal('neutral');
    expect(alerts.filter((a) => a.metric === 'latencyP95')).to.have.length(0);
    const { Chart } = await import('chart.js');
    const chart = Chart.getChart(el.chartCanvases()[0])!;
    expect(chart.data.datasets[1].data.every((v) => v === null)).to.equal(true);
  });

  it('keeps "Disconnected" whole in the tiles of a 440 px sidebar (1440 px page)', async () => {
    const el = await panel(() => summary({ storeConnected: false }));
    const value = tile(el, 'store').querySelector<HTMLElement>('[part~="tile-value"]')!;
    expect(value.textContent!.trim()).to.equal('Disconnected');
    const lineHeight = parseFloat(getComputedStyle(value).lineHeight);
    expect(value.getBoundingClientRect().height, 'the word broke onto two lines').to.be.below(lineHeight * 1.5);
    expect(value.scrollWidth).to.be.at.most(value.clientWidth + 1);
  });
});
