/**
 * End to end: a real redis-server and gateway (started by the web-test-runner gateway plugin),
 * events XADDed into Redis, the feed in Chromium on a real WebSocket.
 */
import { expect, fixture, html, waitUntil } from '@open-wc/testing';
import { executeServerCommand } from '@web/test-runner-commands';
import { groupStore } from '../core/store.ts';
import type { ConnectionState } from '../core/client.ts';
import './define.ts';
import type { ActivityFeed } from './activity-feed.ts';
import '../../fixtures/resize-observer-loop.ts';

interface Info {
  url: string;
  /** A proxy that refuses WebSocket upgrades. */
  blockedUrl: string;
  /** A proxy that refuses WebSocket upgrades and event streams (it answers /v1/sse with 403). */
  noStreamUrl: string;
  tenant: string;
  token: string;
}

// Each test reads a tenant of its own: a feed opens on its tenant's history, which then holds
// only what the test published.
let tenant = '';
beforeEach(() => {
  tenant = `loc_feede2e${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}`;
});
const info = () => executeServerCommand<Info, { tenant: string }>('gateway-info', { tenant });
const publish = (count: number) => executeServerCommand<string[], { count: number; tenant: string }>('gateway-publish', { count, tenant });
const dropConnections = () => executeServerCommand<number, undefined>('gateway-drop');
const mint = (sub: string, ttlS = 3600) => executeServerCommand<string, { sub: string; ttlS: number; tenant: string }>('gateway-token', { sub, ttlS, tenant });
const stopGateway = () => executeServerCommand<boolean, undefined>('gateway-stop');
const startGateway = () => executeServerCommand<boolean, undefined>('gateway-start');

let n = 0;
async function liveFeed(url: string, token: string) {
  const group = `e2e-${++n}-${Date.now()}`;
  // A query string of its own gives each test its own page-wide client (they are shared per URL).
  groupStore(group).configureGateway({ url: `${url}/?test=${group}`, token, backoff: { initialMs: 50, maxMs: 500 } });
  const el = await fixture<ActivityFeed>(html`<activity-feed group=${group}></activity-feed>`);
  return el;
}

describe('<activity-feed> against a real gateway and Redis', () => {
  it('shows events XADDed into Redis, with a measured latency', async () => {
    const { url, token } = (await info())!;
    const el = await liveFeed(url, token);
    await waitUntil(() => el.status === 'live', 'never live', { timeout: 10_000 });
    const ids = (await publish(3))!;
    await waitUntil(() => el.visibleEvents.length === 3, 'events never arrived', { timeout: 10_000 });
    expect(el.visibleEvents.map((e) => e.cursor)).to.deep.equal([...ids].reverse());
    await waitUntil(() => el.shadowRoot!.querySelector('[part~="latency"]') !== null, 'no latency shown');
  });

  it('resumes after the connection is killed: events published meanwhile appear once, in order', async () => {
    const { url, token } = (await info())!;
    const el = await liveFeed(url, token);
    await waitUntil(() => el.status === 'live', 'never live', { timeout: 10_000 });
    const before = (await publish(2))!;
    await waitUntil(() => el.visibleEvents.length === 2, 'first events never arrived', { timeout: 10_000 });

    const statuses: string[] = [];
    el.addEventListener('lw-status-change', (e) => statuses.push(e.detail.status));
    const client = el.store.client!;
    // Hold reconnection until the events below are in Redis, so they can only come by replay.
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const original = (client as unknown as { connect(): Promise<void> }).connect.bind(client);
    (client as unknown as { connect(): Promise<void> }).connect = async () => {
      await gate;
      return original();
    };
    expect(await dropConnections()).to.be.greaterThan(0);
    await waitUntil(() => el.status === 'reconnecting', 'never reported reconnecting', { timeout: 10_000 });
    const during = (await publish(5))!;
    release();
    await waitUntil(() => el.status === 'live', 'never came back', { timeout: 10_000 });
    const after = (await publish(1))!;
    await waitUntil(() => el.visibleEvents.length === 8, 'missing events after resume', { timeout: 10_000 });
    expect(el.visibleEvents.map((e) => e.cursor)).to.deep.equal([...before, ...during, ...after].reverse());
    expect(statuses.slice(0, 1)).to.deep.equal(['reconnecting']);
    expect(statuses.at(-1)).to.equal('live');
  });

  it('rides out a gateway restart on WebSocket (no fallback): reconnecting while it is down, then live again', async () => {
    const { url, token } = (await info())!;
    const el = await liveFeed(url, token);
    const client = el.store.client!;
    await waitUntil(() => el.status === 'live', 'never live', { timeout: 10_000 });
    const before = (await publish(1))!;
    await waitUntil(() => el.visibleEvents.length === 1, 'first event never arrived', { timeout: 10_000 });
    const states: ConnectionState[] = [];
    const unlisten = client.listen({ state: (state) => states.push(state) });
    states.length = 0; // listen() replays the current state
    try {
      await stopGateway();
      // Well past the failures that used to demote the client to SSE and then long-poll.
      await waitUntil(() => client.state.attempt >= 4, `never kept retrying (${JSON.stringify(client.state)})`, { timeout: 15_000 });
      expect(client.state).to.include({ status: 'reconnecting', transport: 'websocket' });
    } finally {
      await startGateway();
    }
    const during = (await publish(2))!;
    await waitUntil(() => el.status === 'live', 'never came back', { timeout: 15_000 });
    expect(client.state.transport).to.equal('websocket');
    await waitUntil(() => el.visibleEvents.length === 3, 'events published during the restart never arrived', { timeout: 10_000 });
    expect(el.visibleEvents.map((e) => e.cursor)).to.deep.equal([...before, ...during].reverse());
    unlisten();
    expect(states.length).to.be.greaterThan(4);
    expect(states.map((s) => s.transport)).to.deep.equal(states.map(() => 'websocket'));
    expect(states.map((s) => s.status)).not.to.include('fallback');
  });

  it('takes a new token (attribute) in-band on WebSocket: no reconnect, events around it arrive once', async () => {
    const { url } = (await info())!;
    const group = `e2e-token-${++n}-${Date.now()}`;
    const first = (await mint('browser-e2e', 3600))!;
    const second = (await mint('browser-e2e', 7200))!; // same subject, another token
    const el = await fixture<ActivityFeed>(html`<activity-feed group=${group} gateway=${`${url}/?test=${group}`} token=${first}></activity-feed>`);
    const client = el.store.client!;
    await waitUntil(() => el.status === 'live', 'never live', { timeout: 10_000 });
    const before = (await publish(2))!;
    await waitUntil(() => el.visibleEvents.length === 2, 'first events never arrived', { timeout: 10_000 });
    const statuses: string[] = [];
    el.addEventListener('lw-status-change', (e) => statuses.push(e.detail.status));
    el.token = second;
    const during = (await publish(2))!;
    await el.updateComplete;
    expect(el.store.client).to.equal(client); // the same connection, not a new one at the head
    expect(await client.token()).to.equal(second);
    const after = (await publish(1))!;
    await waitUntil(() => el.visibleEvents.length === 5, 'events around the token change never arrived', { timeout: 10_000 });
    expect(el.visibleEvents.map((e) => e.cursor)).to.deep.equal([...before, ...during, ...after].reverse());
    expect(statuses).to.deep.equal([]); // handed over in-band: never reconnected
  });

  it('takes a token for another subject over SSE by reconnecting from its cursor: events around it arrive once', async () => {
    const { blockedUrl } = (await info())!;
    const group = `e2e-token-${++n}-${Date.now()}`;
    const store = groupStore(group);
    const gateway = { url: `${blockedUrl}/?test=${group}`, backoff: { initialMs: 50, maxMs: 500 } };
    store.configureGateway({ ...gateway, token: (await mint('first-user'))! });
    const el = await fixture<ActivityFeed>(html`<activity-feed group=${group}></activity-feed>`);
    const client = store.client!;
    await waitUntil(() => client.state.status === 'fallback' && client.state.transport === 'sse', 'never live on SSE', { timeout: 15_000 });
    const before = (await publish(2))!;
    await waitUntil(() => el.visibleEvents.length === 2, 'first events never arrived', { timeout: 10_000 });
    const statuses: string[] = [];
    el.addEventListener('lw-status-change', (e) => statuses.push(e.detail.status));
    store.configureGateway({ ...gateway, token: (await mint('second-user'))! });
    expect(store.client).to.equal(client);
    const during = (await publish(2))!;
    await waitUntil(() => statuses.at(-1) === 'fallback', `never back (${statuses})`, { timeout: 10_000 });
    const after = (await publish(1))!;
    await waitUntil(() => el.visibleEvents.length === 5, 'events around the token change never arrived', { timeout: 10_000 });
    expect(el.visibleEvents.map((e) => e.cursor)).to.deep.equal([...before, ...during, ...after].reverse());
    expect(statuses).to.deep.equal(['reconnecting', 'fallback']);
    expect(el.shadowRoot!.querySelector('[part~="gap"]')).to.equal(null);
  });

  it('with WebSocket refused by a proxy, receives over SSE: live events, then replay after a drop', async () => {
    const { blockedUrl, token } = (await info())!;
    const el = await liveFeed(blockedUrl, token);
    const client = el.store.client!;
    await waitUntil(() => client.state.status === 'fallback' && client.state.transport === 'sse', `never live on SSE (${client.state.transport})`, { timeout: 15_000 });
    const live = (await publish(3))!;
    await waitUntil(() => el.visibleEvents.length === 3, 'live events never arrived over SSE', { timeout: 10_000 });
    const states: ConnectionState[] = [];
    el.addEventListener('lw-status-change', () => states.push({ ...client.state }));
    expect(await dropConnections()).to.be.greaterThan(0);
    const during = (await publish(2))!;
    await waitUntil(() => el.visibleEvents.length === 5, 'events published during the drop never arrived', { timeout: 15_000 });
    expect(el.visibleEvents.map((e) => e.cursor)).to.deep.equal([...live, ...during].reverse());
    // The drop was seen as the stream ending, not guessed later by the heartbeat watchdog, and
    // the client resumed on SSE (no WebSocket detour through the proxy that refuses it).
    const reconnecting = states.find((s) => s.status === 'reconnecting');
    expect(reconnecting, 'never reported reconnecting').to.exist;
    expect(reconnecting!.reason).not.to.equal('no traffic from the gateway');
    expect(client.state).to.include({ status: 'fallback', transport: 'sse' });
  });

  it('with WebSocket and streaming refused, receives over long-poll', async () => {
    const { noStreamUrl, token } = (await info())!;
    const el = await liveFeed(noStreamUrl, token);
    const client = el.store.client!;
    await waitUntil(() => client.state.status === 'fallback' && client.state.transport === 'poll', `never live on long-poll (${client.state.transport})`, { timeout: 20_000 });
    const ids = (await publish(3))!;
    await waitUntil(() => el.visibleEvents.length === 3, 'events never arrived over long-poll', { timeout: 10_000 });
    expect(el.visibleEvents.map((e) => e.cursor)).to.deep.equal([...ids].reverse());
  });

  it('says unauthorised when the gateway refuses the token', async () => {
    const { url } = (await info())!;
    const el = await liveFeed(url, 'not-a-valid-token');
    await waitUntil(() => el.status === 'unauthorised', 'never unauthorised', { timeout: 10_000 });
    await el.updateComplete;
    expect(el.shadowRoot!.querySelector<HTMLElement>('[part~="state"]')!.dataset.kind).to.equal('unauthorised');
  });
});
