import { expect, waitUntil } from '@open-wc/testing';
import { CloseCode, type StreamEvent } from '../../protocol/index.ts';
import { FakeGateway } from '../../fixtures/fake-gateway.ts';
import { Backoff } from './backoff.ts';
import { ClockOffset } from './clock.ts';
import { GatewayClient, type ClientOptions, type ConnectionState } from './client.ts';
import { sharedClient } from './shared-clients.ts';
import { groupStore } from './store.ts';
import type { Transport } from './transport.ts';
import { tokenExpiry } from './token-source.ts';

/** A client on a fake gateway with a recorder of what its listener saw. */
function connect(gateway: FakeGateway, options: Partial<ClientOptions> = {}) {
  const client = new GatewayClient({
    url: 'fake://gateway',
    transports: gateway.transports(),
    backoff: { initialMs: 5, maxMs: 40 },
    ...options,
  });
  const seen = { events: [] as StreamEvent[], states: [] as ConnectionState[], gaps: [] as string[] };
  const stop = client.listen({
    events: (events) => seen.events.push(...events),
    state: (state) => seen.states.push(state),
    gap: (cursor) => seen.gaps.push(cursor),
  });
  return { client, seen, stop };
}

describe('Backoff', () => {
  it('waits a uniform random time below a doubling ceiling, capped, and resets', () => {
    const draws = [0.5, 0.999, 0.25, 1 - 1e-9, 0.999, 0.999, 0.999, 0.999];
    const backoff = new Backoff({ initialMs: 500, maxMs: 20_000, random: () => draws.shift()! });
    expect(backoff.next()).to.equal(250); // 0.5 · 500
    expect(backoff.next()).to.equal(999); // 0.999 · 1000
    expect(backoff.next()).to.equal(500); // 0.25 · 2000
    const ceilings = [];
    for (let i = 0; i < 5; i++) ceilings.push(backoff.ceiling(), backoff.next());
    expect(Math.max(...ceilings)).to.equal(20_000);
    backoff.reset();
    expect(backoff.ceiling()).to.equal(500);
  });

  it('never exceeds the ceiling with the real random source', () => {
    const backoff = new Backoff({ initialMs: 100, maxMs: 1_000 });
    for (let i = 0; i < 50; i++) {
      const ceiling = backoff.ceiling();
      const delay = backoff.next();
      expect(delay).to.be.within(0, ceiling);
    }
  });
});

describe('ClockOffset', () => {
  it('keeps the sample with the smallest round trip (NTP)', () => {
    const clock = new ClockOffset();
    expect(clock.offset).to.equal(0);
    clock.sample(1000, 6050, 1100); // rtt 100 → offset 6050 − 1050 = 5000
    clock.sample(2000, 7010, 2020); // rtt 20 → offset 7010 − 2010 = 5000
    clock.sample(3000, 9000, 3400); // rtt 400 → offset 5800, ignored
    expect(clock.offset).to.equal(5000);
  });
});

describe('tokenExpiry', () => {
  it('reads exp from a JWT and ignores non-JWTs', () => {
    const payload = btoa(JSON.stringify({ sub: 'u', exp: 1_900_000_000 })).replace(/=+$/, '');
    expect(tokenExpiry(`h.${payload}.s`)).to.equal(1_900_000_000_000);
    expect(tokenExpiry('not-a-jwt')).to.equal(null);
  });
});

describe('GatewayClient', () => {
  it("stays connected when the welcome echoes the gateway's normalised subscription (SSE cannot resubscribe in-band)", async () => {
    let opens = 0;
    const event = { id: 'e1', type: 'lead.created', tenant: 'loc_A', ts: Date.now(), priority: 'normal', data: {}, cursor: '1-0' } as StreamEvent;
    const sseLike: Transport = {
      name: 'sse',
      open(params, sink) {
        opens++;
        // The gateway fills in the token's tenants: the echo never equals what the client asked.
        const subscription = { ...params.subscription, tenants: ['loc_A'] };
        setTimeout(() => sink.frame({ type: 'welcome', v: 1, session: 's', cursor: '0-0', recovered: true, serverTime: Date.now(), heartbeatMs: 0, subscription, limits: { maxFrameBytes: 0 } }));
        setTimeout(() => sink.frame({ type: 'events', events: [event] }), 20);
        return { send: () => false, close: () => sink.closed({ code: 1000, reason: 'closed by client', opened: true }) };
      },
    };
    const client = new GatewayClient({ url: 'fake://normalising', transports: [sseLike], backoff: { initialMs: 5, maxMs: 40 } });
    const events: StreamEvent[] = [];
    const stop = client.listen({ events: (e) => events.push(...e), subscription: () => ({ filter: { types: ['lead.created'] } }) });
    try {
      await waitUntil(() => events.length === 1, 'the event after the welcome never arrived');
      expect(opens).to.equal(1);
      expect(client.state.status).to.equal('live');
    } finally {
      stop();
      client.stop();
    }
  });

  it('shares one client per (URL, group) on a page; another token goes to the same client', async () => {
    const a = sharedClient({ url: 'https://gw.example', token: 't1' }, 'g1');
    expect(sharedClient({ url: 'https://gw.example', token: 't1' }, 'g1')).to.equal(a);
    expect(sharedClient({ url: 'https://gw.example', token: 't2' }, 'g1')).to.equal(a);
    expect(await a.token()).to.equal('t2');
    expect(sharedClient({ url: 'https://gw.example', token: 't2' }, 'g2')).not.to.equal(a);
    expect(sharedClient({ url: 'https://other.example', token: 't2' }, 'g1')).not.to.equal(a);
  });

  it('closes a client its group moved away from, and forgets it', async () => {
    const old = new FakeGateway();
    const next = new FakeGateway();
    const group = `moved-${Date.now()}`;
    const store = groupStore(group);
    store.configureGateway({ url: 'fake://old', transports: old.transports() });
    const first = store.client!;
    let unlisten = first.listen({});
    await waitUntil(() => first.state.status === 'live');
    store.configureGateway({ url: 'fake://next', transports: next.transports() });
    unlisten(); // the widget moves to the group's new client
    unlisten = store.client!.listen({});
    await waitUntil(() => old.connectionCount === 0, 'the old connection stayed open');
    expect(sharedClient({ url: 'fake://old', transports: old.transports() }, group)).not.to.equal(first);
    unlisten();
  });

  it('hands a new token for the same subject over in-band; another subject reconnects from the cursor', async () => {
    const gateway = new FakeGateway();
    const jwt = (sub: string, n: number) => `h.${btoa(JSON.stringify({ sub, n })).replace(/=+$/, '')}.s`;
    const { client, seen, stop } = connect(gateway, { token: jwt('ann', 1) });
    await waitUntil(() => client.state.status === 'live');
    const before = gateway.publish(2);
    client.setCredentials({ token: jwt('ann', 2) });
    await waitUntil(() => gateway.received.some((f) => f.type === 'refresh'), 'no refresh frame');
    expect(gateway.received.find((f) => f.type === 'refresh')).to.deep.equal({ type: 'refresh', token: jwt('ann', 2) });
    const during = gateway.publish(1);
    expect(seen.states.map((s) => s.status)).not.to.include('reconnecting');
    client.setCredentials({ token: jwt('bob', 1) });
    const meanwhile = gateway.publish(2); // before the reconnect's replay
    await waitUntil(() => seen.states.at(-1)!.status === 'live' && seen.states.some((s) => s.status === 'reconnecting'), 'never reconnected');
    const after = gateway.publish(1);
    await waitUntil(() => seen.events.length === 6);
    expect(seen.events.map((e) => e.cursor)).to.deep.equal([...before, ...during, ...meanwhile, ...after].map((e) => e.cursor));
    expect(seen.gaps).to.deep.equal([]);
    stop();
  });

  it('resumes from its cursor after a drop: events published meanwhile arrive once, in order', async () => {
    const gateway = new FakeGateway();
    const { client, seen, stop } = connect(gateway);
    await waitUntil(() => client.state.status === 'live');
    const before = gateway.publish(3);
    gateway.dropAll();
    expect(client.state.status).to.equal('reconnecting');
    const during = gateway.publish(4); // while the client is away
    await waitUntil(() => client.state.status === 'live', 'never came back');
    const after = gateway.publish(2);
    await waitUntil(() => seen.events.length >= 9);
    expect(seen.events.map((e) => e.cursor)).to.deep.equal([...before, ...during, ...after].map((e) => e.cursor));
    expect(seen.gaps).to.deep.equal([]);
    stop();
  });

  it("isolates listeners: one that throws does not keep the others from events, reported once", async () => {
    const gateway = new FakeGateway();
    const { client, seen, stop } = connect(gateway);
    const errors: unknown[][] = [];
    const error = console.error;
    console.error = (...args: unknown[]) => errors.push(args);
    const later: StreamEvent[] = [];
    const stopThrowing = client.listen({
      events: () => {
        throw new Error('a broken widget');
      },
      state: () => {
        throw new Error('a broken widget');
      },
    });
    const stopLater = client.listen({ events: (events) => later.push(...events) });
    try {
      await waitUntil(() => client.state.status === 'live');
      const first = gateway.publish(2);
      const second = gateway.publish(3);
      await waitUntil(() => later.length === 5 && seen.events.length === 5, 'a listener after the throwing one missed events');
      expect(later.map((e) => e.cursor)).to.deep.equal([...first, ...second].map((e) => e.cursor));
      expect(errors).to.have.length(1);
      expect(String(errors[0][0])).to.contain('listener');
    } finally {
      console.error = error;
      stopThrowing();
      stopLater();
      stop();
    }
  });

  it('drops events at or before its cursor (replay overlap)', async () => {
    const gateway = new FakeGateway();
    const { client, seen, stop } = connect(gateway);
    await waitUntil(() => client.state.status === 'live');
    const events = gateway.publish(3);
    // A gateway that re-sends what was already delivered, plus one new event.
    const next = gateway.publish(1);
    (client as unknown as { deliver(e: StreamEvent[]): void }).deliver([...events, ...next]);
    await waitUntil(() => seen.events.length >= 4);
    expect(seen.events.map((e) => e.cursor)).to.deep.equal([...events, ...next].map((e) => e.cursor));
    stop();
  });

  it('reports recovered:false as a gap', async () => {
    const gateway = new FakeGateway();
    const { client, seen, stop } = connect(gateway);
    await waitUntil(() => client.state.status === 'live');
    gateway.publish(2);
    await waitUntil(() => seen.events.length === 2);
    gateway.dropAll();
    gateway.publish(5);
    gateway.trimRetention();
    await waitUntil(() => seen.gaps.length === 1, 'no gap reported');
    expect(client.state.status).to.equal('live');
    stop();
  });

  it('falls back to SSE, then long-poll, when WebSocket cannot connect, and probes WebSocket again', async () => {
    const gateway = new FakeGateway();
    gateway.refused.add('websocket');
    gateway.refused.add('sse');
    const { client, seen, stop } = connect(gateway, { probeMs: 30 });
    await waitUntil(() => client.state.status === 'fallback', 'never fell back');
    expect(client.state.transport).to.equal('poll');
    expect(seen.states.map((s) => s.transport)).to.include.members(['websocket', 'sse', 'poll']);
    const onPoll = gateway.publish(2);
    await waitUntil(() => seen.events.length === 2);
    gateway.refused.clear();
    await waitUntil(() => client.state.status === 'live' && client.state.transport === 'websocket', 'never went back to WS');
    const onWs = gateway.publish(2);
    await waitUntil(() => seen.events.length === 4);
    expect(seen.events.map((e) => e.cursor)).to.deep.equal([...onPoll, ...onWs].map((e) => e.cursor));
    expect(gateway.connectionCount).to.equal(1); // the poll connection was closed
    stop();
  });

  it('keeps WebSocket through an outage (nothing answers at all), then is live on WebSocket again', async () => {
    const gateway = new FakeGateway();
    const { client, seen, stop } = connect(gateway);
    await waitUntil(() => client.state.status === 'live');
    const before = gateway.publish(1);
    gateway.down = true;
    gateway.dropAll();
    // Well past failuresBeforeFallback (2): a blocked transport would have been left by now.
    await waitUntil(() => client.state.attempt >= 5, 'did not keep retrying');
    expect(client.state).to.include({ status: 'reconnecting', transport: 'websocket' });
    const during = gateway.publish(2);
    gateway.down = false;
    await waitUntil(() => client.state.status === 'live', 'never came back');
    expect(client.state.transport).to.equal('websocket');
    expect([...new Set(seen.states.map((s) => s.transport))]).to.deep.equal([null, 'websocket']); // null: before the first connect
    await waitUntil(() => seen.events.length === 3);
    expect(seen.events.map((e) => e.cursor)).to.deep.equal([...before, ...during].map((e) => e.cursor));
    stop();
  });

  it('goes unauthorised when the gateway refuses its token, without retrying forever', async () => {
    const gateway = new FakeGateway({ acceptTokens: ['good'] });
    const { client, stop } = connect(gateway, { token: 'bad' });
    await waitUntil(() => client.state.status === 'unauthorised');
    stop();
  });

  it('fetches a fresh token from token-url after an auth refusal', async () => {
    const gateway = new FakeGateway({ acceptTokens: ['fresh'] });
    const answers = ['stale', 'fresh'];
    const fetched: string[] = [];
    const fakeFetch = (async () => {
      const token = answers.shift() ?? 'fresh';
      fetched.push(token);
      return new Response(JSON.stringify({ token }), { status: 200 });
    }) as typeof fetch;
    const { client, stop } = connect(gateway, { tokenUrl: '/token', fetch: fakeFetch });
    await waitUntil(() => client.state.status === 'live', 'never authorised');
    expect(fetched).to.deep.equal(['stale', 'fresh']);
    stop();
  });

  it('stops retrying on close codes that say not to', async () => {
    const gateway = new FakeGateway();
    const { client, stop } = connect(gateway);
    await waitUntil(() => client.state.status === 'live');
    gateway.dropAll(CloseCode.UnsupportedVersion, 'upgrade the widgets');
    expect(client.state.status).to.equal('offline');
    expect(client.state.reason).to.equal('upgrade the widgets');
    stop();
  });

  it('sends the agreed subscription in-band on WebSocket', async () => {
    const gateway = new FakeGateway();
    let filter = {};
    const client = new GatewayClient({ url: 'fake://sub', transports: gateway.transports() });
    const stop = client.listen({ subscription: () => ({ filter }) });
    await waitUntil(() => client.state.status === 'live');
    filter = { temperatures: ['hot'] };
    client.updateSubscription();
    const sent = gateway.received.find((f) => f.type === 'subscribe');
    expect(sent).to.deep.equal({ type: 'subscribe', subscription: { filter: { temperatures: ['hot'] } } });
    stop();
  });

  it('measures the clock offset from ping/pong: a quick pong beats a slow welcome', async () => {
    // The welcome takes 300 ms and claims the gateway is 5 s ahead; the pong answers at once
    // and says 3 s. The sample with the smallest round trip (the pong) must win.
    const skewed: Transport = {
      name: 'websocket',
      open(_params, sink) {
        const welcome = setTimeout(
          () => sink.frame({ type: 'welcome', v: 1, session: 's', cursor: '0-0', recovered: true, serverTime: Date.now() + 5_000, heartbeatMs: 0, subscription: {}, limits: { maxFrameBytes: 0 } }),
          300,
        );
        return {
          send(frame) {
            if (frame.type === 'ping') queueMicrotask(() => sink.frame({ type: 'pong', t: frame.t, at: Date.now() + 3_000 }));
            return true;
          },
          close() {
            clearTimeout(welcome);
            sink.closed({ code: 1000, reason: 'closed by client', opened: true });
          },
        };
      },
    };
    const client = new GatewayClient({ url: 'fake://skewed', transports: [skewed] });
    const stop = client.listen({});
    try {
      await waitUntil(() => client.state.status === 'live');
      await waitUntil(() => Math.abs(client.clock.offset - 3_000) < 50, `offset ${client.clock.offset}: the pong sample was not used`);
    } finally {
      stop();
      client.stop();
    }
  });
});

describe('GatewayClient lifecycle', () => {
  it('refreshes a token from token-url before it expires, in-band', async () => {
    const gateway = new FakeGateway();
    const jwt = (lifetimeS: number) =>
      `h.${btoa(JSON.stringify({ exp: Math.floor(Date.now() / 1000) + lifetimeS })).replace(/=+$/, '')}.s`;
    let issued = 0;
    const fakeFetch = (async () => new Response(JSON.stringify({ token: jwt(2 + issued++ * 3600) }))) as typeof fetch;
    const { client, stop } = connect(gateway, { tokenUrl: '/token', fetch: fakeFetch });
    await waitUntil(() => client.state.status === 'live');
    await waitUntil(() => gateway.received.some((f) => f.type === 'refresh'), 'no refresh frame', { timeout: 5_000 });
    expect(issued).to.equal(2);
    expect(client.state.status).to.equal('live'); // no reconnect needed
    stop();
  });

  it('disconnects in a long-hidden tab and catches up from its cursor when shown', async () => {
    const gateway = new FakeGateway();
    let visibility: DocumentVisibilityState = 'visible';
    Object.defineProperty(document, 'visibilityState', { configurable: true, get: () => visibility });
    try {
      const { client, seen, stop } = connect(gateway, { hiddenPauseMs: 20 });
      await waitUntil(() => client.state.status === 'live');
      const before = gateway.publish(1);
      visibility = 'hidden';
      document.dispatchEvent(new Event('visibilitychange'));
      await waitUntil(() => client.state.status === 'offline', 'did not pause');
      expect(gateway.connectionCount).to.equal(0);
      const meanwhile = gateway.publish(3);
      visibility = 'visible';
      document.dispatchEvent(new Event('visibilitychange'));
      await waitUntil(() => seen.events.length === 4, 'did not catch up');
      expect(seen.events.map((e) => e.cursor)).to.deep.equal([...before, ...meanwhile].map((e) => e.cursor));
      stop();
    } finally {
      delete (document as unknown as { visibilityState?: unknown }).visibilityState;
    }
  });

  it('a client stopped while paused in a hidden tab connects when a widget comes back to a visible tab', async () => {
    const gateway = new FakeGateway();
    let visibility: DocumentVisibilityState = 'visible';
    Object.defineProperty(document, 'visibilityState', { configurable: true, get: () => visibility });
    try {
      const { client, stop } = connect(gateway, { hiddenPauseMs: 20 });
      await waitUntil(() => client.state.status === 'live');
      visibility = 'hidden';
      document.dispatchEvent(new Event('visibilitychange'));
      await waitUntil(() => client.state.status === 'offline', 'did not pause');
      stop();
      client.stop(); // what the idle timer does once the last widget is gone
      visibility = 'visible';
      document.dispatchEvent(new Event('visibilitychange')); // nobody listening any more
      const again = client.listen({});
      await waitUntil(() => client.state.status === 'live', `stayed ${client.state.status}: ${client.state.reason}`);
      expect(gateway.connectionCount).to.equal(1);
      again();
      client.stop();
    } finally {
      delete (document as unknown as { visibilityState?: unknown }).visibilityState;
    }
  });

  it('resets the backoff once a connection has stayed up for the stable period', async () => {
    const gateway = new FakeGateway();
    // random → 0.999: each delay is just under its ceiling, so the ceiling in use shows.
    const { client, stop } = connect(gateway, { stableMs: 100, backoff: { initialMs: 10, maxMs: 10_000, random: () => 0.999 } });
    await waitUntil(() => client.state.status === 'live');
    gateway.down = true;
    gateway.dropAll();
    await waitUntil(() => client.state.attempt >= 4, 'did not back off');
    const grown = client.state.retryInMs!;
    expect(grown).to.be.greaterThan(10);
    gateway.down = false;
    await waitUntil(() => client.state.status === 'live', 'never came back');
    await waitUntil(() => client.state.attempt === 0, 'the backoff was never reset');
    gateway.dropAll();
    expect(client.state).to.include({ status: 'reconnecting', attempt: 1, retryInMs: 9 }); // floor(0.999 · 10): the initial ceiling again
    stop();
  });

  it('goes offline with the browser and reconnects when it is back', async () => {
    const gateway = new FakeGateway();
    const { client, stop } = connect(gateway);
    await waitUntil(() => client.state.status === 'live');
    window.dispatchEvent(new Event('offline'));
    expect(client.state.status).to.equal('offline');
    window.dispatchEvent(new Event('online'));
    await waitUntil(() => client.state.status === 'live');
    stop();
  });
});
