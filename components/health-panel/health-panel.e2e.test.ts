import { expect, fixture, html, waitUntil } from '@open-wc/testing';
import { executeServerCommand } from '@web/test-runner-commands';
import type { MetricsSummary } from '../../protocol/index.ts';
import './define.ts';
import type { HealthPanel } from './health-panel.ts';

// The real gateway on a real redis-server (scripts/wtr-health-gateway-plugin.ts).
interface Info {
  url: string;
  token: string;
  tokenWithoutScope: string;
}
const info = () => executeServerCommand<Info, unknown>('health-gateway');
const tile = (el: HealthPanel, key: string) => el.shadowRoot!.querySelector<HTMLElement>(`[part~="tile-${key}"]`)!;
const value = (el: HealthPanel, key: string) => tile(el, key).querySelector('[part="tile-value"]')!.textContent!.trim();
let n = 0;

describe('<health-panel> on a real gateway and redis-server', () => {
  it("shows the gateway's own figures", async () => {
    const { url, token } = await info();
    const el = await fixture<HealthPanel>(html`<health-panel group=${`e2e-health-${++n}`} gateway=${url} token=${token} interval="250" compact></health-panel>`);
    await waitUntil(() => el.status === 'up', 'never up', { timeout: 10_000 });
    await waitUntil(() => (el.checks.at(-1)?.summary?.connections.total ?? 0) >= 1, "the panel's own connection never counted", { timeout: 10_000 });
    const direct = (await (await fetch(`${url}/v1/metrics`, { headers: { Authorization: `Bearer ${token}` } })).json()) as MetricsSummary;
    await el.updateComplete;
    expect(value(el, 'gateway')).to.equal('Up');
    expect(tile(el, 'gateway').textContent).to.contain(direct.gateway.instance);
    expect(value(el, 'store')).to.equal('Connected');
    expect(tile(el, 'store').dataset.level).to.equal('ok');
    expect(tile(el, 'store').textContent).to.contain('round trip');
    expect(el.checks.at(-1)!.summary!.store.kind).to.equal('redis');
    expect(value(el, 'connections')).to.match(/^\d+$/);
  });

  it("starts its charts from the gateway's logged system.health events, older than its own checks", async () => {
    const { url, token } = await info();
    // The gateway logs its figures every 300 ms here: let a few accumulate.
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    const opened = Date.now();
    const el = await fixture<HealthPanel>(html`<health-panel group=${`e2e-health-${++n}`} gateway=${url} token=${token} interval="60000"></health-panel>`);
    await waitUntil(() => el.checks.length >= 3, `only ${el.checks.length} checks`, { timeout: 10_000 });
    const logged = el.checks.filter((c) => c.at < opened - 250);
    expect(logged.length, 'checks from before the panel opened').to.be.at.least(2);
    expect(logged.every((c) => c.summary?.gateway.status === 'up')).to.equal(true);
    const ats = el.checks.map((c) => c.at);
    expect(ats).to.deep.equal([...ats].sort((a, b) => a - b), 'oldest first');
  });

  it('turns the Redis tile red while Redis is stopped and recovers when it returns', async () => {
    const { url, token } = await info();
    const el = await fixture<HealthPanel>(html`<health-panel group=${`e2e-health-${++n}`} gateway=${url} token=${token} interval="250" compact></health-panel>`);
    await waitUntil(() => tile(el, 'store').dataset.level === 'ok', 'never connected', { timeout: 10_000 });
    await executeServerCommand('health-redis-stop');
    try {
      await waitUntil(() => tile(el, 'store').dataset.level === 'critical', 'the Redis tile never turned red', { timeout: 15_000 });
      expect(value(el, 'store')).to.equal('Disconnected');
      expect(el.status).to.not.equal('up');
    } finally {
      await executeServerCommand('health-redis-start');
    }
    await waitUntil(() => tile(el, 'store').dataset.level === 'ok', 'never recovered', { timeout: 20_000 });
    expect(value(el, 'store')).to.equal('Connected');
    await waitUntil(() => el.status === 'up', 'the gateway never came back up', { timeout: 10_000 });
  });

  it('says the system:read scope is missing when the gateway refuses with 403', async () => {
    const { url, tokenWithoutScope } = await info();
    const el = await fixture<HealthPanel>(html`<health-panel group=${`e2e-health-${++n}`} gateway=${url} token=${tokenWithoutScope} interval="250" compact></health-panel>`);
    await waitUntil(() => el.shadowRoot!.querySelector('[part~="problem"]') !== null, 'no message', { timeout: 10_000 });
    const problem = el.shadowRoot!.querySelector<HTMLElement>('[part~="problem"]')!;
    expect(problem.dataset.kind).to.equal('forbidden');
    expect(problem.textContent).to.contain('system:read');
  });
});
