/**
 * Cross-tenant isolation under load: 50 tenants, randomized tokens (tenant subsets, with and
 * without pii:read / system:read / events:read), randomized subscriptions and filters, a few
 * thousand events of every family including deployment-wide (`*`) ones and adversarial ones,
 * published the way bots do (XADD). Viewers are spread over WebSocket, SSE and long-poll.
 * Every client's deliveries, live, after a reconnect from its cursor, and in a full replay,
 * over each transport, and in history pages (WebSocket frames and GET /v1/history), must equal
 * exactly what the oracle says it may see: zero leaks, nothing missing, PII masked without pii:read.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { Redis } from 'ioredis';
import { createRng, createTraffic } from '../../fixtures/traffic.ts';
import {
  FAMILIES,
  PUBLIC_EVENT_TYPES,
  STAGES,
  TEMPERATURES,
  TIMELINES,
  type Cursor,
  type Envelope,
  type Filter,
  type StreamEvent,
  type Subscription,
} from '../../protocol/index.ts';
import { envelopeSchema } from '../../protocol/schemas.ts';
import { mintToken, type Scope } from '../src/auth.ts';
import { startGateway, type Gateway } from '../src/gateway.ts';
import { TestClient } from './support/client.ts';
import { fetchHistory, PollLoop, SseClient, waitUntil } from './support/http-clients.ts';
import { startRedis, type RedisServer } from './support/redis.ts';
import { expectedIds, isDeploymentWide, violations, type Viewer } from './support/visibility.ts';

const SECRET = 'isolation-secret-isolation-secret-isolation';
const SEED = Number(process.env.ISOLATION_SEED ?? Date.now() % 2 ** 31);
const TENANTS = Array.from({ length: 50 }, (_, i) => `loc_${String(i).padStart(2, '0')}`);
const EVENTS = 3_000;
const VIEWERS = 60;
const TRANSPORTS = ['ws', 'sse', 'poll'] as const;
type Transport = (typeof TRANSPORTS)[number];

const random = createRng(SEED);
const int = (min: number, max: number) => min + Math.floor(random() * (max - min + 1));
const chance = (p: number) => random() < p;
const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)];
const some = <T>(list: readonly T[], min: number, max: number): T[] => {
  const copy = [...list];
  const out: T[] = [];
  for (let n = int(min, Math.min(max, copy.length)); n > 0; n--) out.push(copy.splice(Math.floor(random() * copy.length), 1)[0]);
  return out;
};

/** Traffic from the demo generator plus adversarial entries: leads addressed to `*`, PII in free text. */
function generate(): Envelope[] {
  const traffic = createTraffic({ tenants: TENANTS, seed: SEED });
  const out: Envelope[] = [];
  while (out.length < EVENTS) {
    const envelope = traffic.next() as Envelope;
    const data = envelope.data as Record<string, unknown>;
    if (typeof data.text === 'string' && chance(0.3)) {
      data.text += ` (reach me at pat.q${int(1, 99)}@mail.example or 512-555-01${String(int(0, 99)).padStart(2, '0')})`;
    }
    // Only system and connection events are deployment-wide; a lead addressed to `*` is
    // refused on the way in (dead-lettered) and must reach nobody.
    if (!isDeploymentWide(envelope.type) && chance(0.01)) {
      out.push({ ...envelope, tenant: '*' });
      continue;
    }
    out.push(envelopeSchema.parse(envelope) as Envelope);
  }
  return out;
}

function randomFilter(sample: readonly Envelope[]): Filter | undefined {
  if (chance(0.4)) return undefined;
  const filter: Filter = {};
  if (chance(0.3)) filter.temperatures = some(TEMPERATURES, 1, 2);
  if (chance(0.25)) filter.stages = some(STAGES, 1, 4);
  if (chance(0.2)) filter.timelines = some(TIMELINES, 1, 3);
  if (chance(0.35)) filter.types = [...some(FAMILIES, 0, 2), ...some(PUBLIC_EVENT_TYPES, 0, 4)];
  if (chance(0.15)) {
    filter.budgetMin = int(2, 8) * 50_000;
    if (chance(0.5)) filter.budgetMax = filter.budgetMin + int(1, 6) * 50_000;
  }
  if (chance(0.15)) {
    const name = (pick(sample).data as { name?: string; source?: string }).name ?? 'a';
    const start = int(0, Math.max(0, name.length - 3));
    filter.text = name.slice(start, start + 3);
  }
  if (chance(0.15)) {
    const ts = sample.map((e) => e.ts).sort((a, b) => a - b);
    filter.from = ts[Math.floor(ts.length / 4)];
    if (chance(0.5)) filter.to = ts[Math.floor((3 * ts.length) / 4)];
  }
  return filter;
}

function randomViewer(sample: readonly Envelope[]): Viewer {
  const tenants = some(TENANTS, 1, 5);
  const scopes: Scope[] = [];
  if (chance(0.9)) scopes.push('events:read');
  if (chance(0.4)) scopes.push('system:read');
  if (chance(0.5)) scopes.push('pii:read');
  if (chance(0.2)) scopes.push('export');
  const subscription: Subscription = {};
  if (chance(0.4)) {
    subscription.tenants = some(tenants, 1, tenants.length);
    // Asking for a tenant the token does not name is refused for that tenant, not granted.
    if (chance(0.3)) subscription.tenants.push(pick(TENANTS.filter((t) => !tenants.includes(t))));
  }
  const filter = randomFilter(sample);
  if (filter) subscription.filter = filter;
  return { tenants, scopes, subscription };
}

let redis: RedisServer;
let gateway: Gateway;
let publisher: Redis;
before(async () => {
  redis = await startRedis();
  publisher = new Redis(redis.url);
  gateway = await startGateway({
    PORT: 0,
    REDIS_URL: redis.url,
    AUTH_SECRET: SECRET,
    LOG_LEVEL: 'silent',
    MAX_CONNECTIONS_PER_IP: 1_000,
    MAX_CONNECTS_PER_SECOND_PER_IP: 1_000,
    // Every poll is a request: the long-poll viewers make thousands from one address.
    HTTP_RATE_PER_SECOND: 100_000,
    HTTP_RATE_BURST: 100_000,
    RETENTION_MAXLEN: 100_000,
    // The oracle knows only the events this test publishes: no system.health of the gateway's own.
    METRICS_HEALTH_INTERVAL_MS: 0,
  });
});
after(async () => {
  await gateway.close();
  publisher.disconnect();
  await redis.stop();
});

test(`isolation under load: ${VIEWERS} random viewers over ${TENANTS.length} tenants, ${EVENTS} events (seed ${SEED})`, async () => {
  const events = generate();
  const published = new Map(events.map((e) => [e.id, e]));
  const viewers = Array.from({ length: VIEWERS }, () => randomViewer(events));
  /** One connection of a viewer, whatever the transport: what it received, where it stands. */
  interface Connection {
    transport: Transport;
    events: readonly StreamEvent[];
    cursor(): Cursor | undefined;
    /** Why it is no longer served, when it is not. */
    broken(): string | undefined;
    close(): Promise<void>;
  }
  const tokenOf = (viewer: Viewer) =>
    mintToken({ sub: `viewer-${viewers.indexOf(viewer)}`, tenants: viewer.tenants, scopes: viewer.scopes }, SECRET);
  const connect = async (viewer: Viewer, transport: Transport, cursor?: Cursor): Promise<Connection> => {
    const token = await tokenOf(viewer);
    const label = `viewer ${viewers.indexOf(viewer)} over ${transport}`;
    const { subscription } = viewer;
    if (transport === 'ws') {
      const client = await TestClient.connect(gateway.url, { token, cursor, subscription });
      await client.waitWelcome();
      assert.ok(client.welcome, `${label} welcomed`);
      assert.equal(client.welcome.recovered, true, label);
      return {
        transport,
        events: client.events,
        cursor: () => client.cursor,
        broken: () => (client.closed ? `closed ${client.closed.code} ${client.closed.reason}` : undefined),
        close: () => client.close(),
      };
    }
    if (transport === 'sse') {
      // Token in the header or the query, resume by Last-Event-ID (what EventSource sends) or ?cursor=.
      const inHeader = chance(0.5);
      const byLastEventId = cursor !== undefined && chance(0.5);
      const client = await SseClient.connect(gateway.url, {
        subscription,
        ...(inHeader ? { headers: { authorization: `Bearer ${token}` } } : { token }),
        ...(byLastEventId ? { lastEventId: cursor } : { cursor }),
      });
      assert.equal(client.status, 200, `${label}: ${client.messages[0]?.data}`);
      await waitUntil(() => !!client.welcome || client.ended, `${label} welcome`);
      assert.equal(client.welcome?.recovered, true, label);
      let closing = false;
      return {
        transport,
        events: client.events,
        cursor: () => client.lastEventId,
        broken: () => (client.ended && !closing ? `stream ended: ${JSON.stringify(client.messages.at(-1))}` : undefined),
        close: () => ((closing = true), client.close()),
      };
    }
    const client = await PollLoop.start(gateway.url, token, { cursor, subscription });
    assert.equal(client.failure, undefined, label);
    return {
      transport,
      events: client.events,
      cursor: () => client.cursor,
      broken: () => client.failure,
      close: () => client.close(),
    };
  };
  const publish = async (batch: Envelope[]) => {
    for (let i = 0; i < batch.length; i += 200) {
      const pipeline = publisher.pipeline();
      for (const e of batch.slice(i, i + 200)) pipeline.xadd(gateway.config.STREAM_KEY, '*', 'e', JSON.stringify(e));
      await pipeline.exec();
    }
  };

  // Every transport serves a third of the viewers, from the same oracle.
  const transportOf = new Map(viewers.map((v, i) => [v, TRANSPORTS[i % TRANSPORTS.length]]));
  const first: Connection[] = [];
  for (let i = 0; i < viewers.length; i += 10) {
    first.push(...(await Promise.all(viewers.slice(i, i + 10).map((v) => connect(v, transportOf.get(v)!)))));
  }
  // The head before anything was published: every connection above starts there or later.
  const start = (await gateway.log.extent()).lastId;
  const half = Math.floor(events.length / 2);
  await publish(events.slice(0, half));

  // A third of the viewers (at least one per transport) leave mid-stream and come back from
  // the cursor they hold, over the same transport.
  const movers = new Set(viewers.filter((_, i) => i < TRANSPORTS.length || chance(0.33)));
  const sessions = new Map(viewers.map((v, i) => [v, [first[i]]]));
  const wantFirstHalf = (v: Viewer) => expectedIds(v, events.slice(0, half)).length;
  for (const viewer of movers) {
    const connection = sessions.get(viewer)![0];
    // Leave at a random point of what the first half brings it.
    const leaveAfter = int(0, wantFirstHalf(viewer));
    await waitUntil(() => connection.events.length >= leaveAfter, `a ${connection.transport} viewer's first ${leaveAfter} events`, 30_000);
    await connection.close();
  }
  const publishing = publish(events.slice(half));
  for (const viewer of movers) {
    const previous = sessions.get(viewer)!;
    previous.push(await connect(viewer, transportOf.get(viewer)!, previous[0].cursor()));
  }
  await publishing;
  // Late viewers replay everything from the start, then continue live, over every transport.
  const late: Array<{ viewer: Viewer; connection: Connection }> = [];
  const lateViewers = viewers.filter((_, i) => i < TRANSPORTS.length || chance(0.2));
  for (const [i, viewer] of lateViewers.entries()) {
    late.push({ viewer, connection: await connect(viewer, TRANSPORTS[i % TRANSPORTS.length], start) });
  }

  let delivered = 0;
  let masked = 0;
  const byTransport: Record<Transport, number> = { ws: 0, sse: 0, poll: 0 };
  const check = async (viewer: Viewer, connections: Connection[], label: string) => {
    const expected = expectedIds(viewer, events);
    const last = connections.at(-1)!;
    label = `${label} over ${last.transport}`;
    const got = () => connections.flatMap((c) => c.events);
    await waitUntil(() => got().length >= expected.length || last.broken() !== undefined, `${label}: ${expected.length} events (have ${got().length})`, 60_000);
    const received = got();
    const problems = violations(viewer, received, published);
    assert.deepEqual(problems, [], `${label} (seed ${SEED}, viewer ${JSON.stringify(viewer)})`);
    assert.deepEqual(received.map((e) => e.id), expected, `${label}: exactly what it may see, in stream order (seed ${SEED})`);
    assert.equal(last.broken(), undefined, `${label}: still served`);
    delivered += received.length;
    byTransport[last.transport] += received.length;
    if (!viewer.scopes.includes('pii:read')) masked += received.length;
  };
  for (const [viewer, connections] of sessions) await check(viewer, connections, movers.has(viewer) ? 'reconnected viewer' : 'viewer');
  for (const { viewer, connection } of late) await check(viewer, [connection], 'replaying viewer');

  // Nothing leaked after the last expected event either: a probe that sees everything has seen
  // the final entry, so every dispatch is done; recheck that no client received anything more.
  const everyone: Viewer = { tenants: TENANTS, scopes: ['events:read', 'system:read', 'pii:read'] };
  const probe = await TestClient.connect(gateway.url, { token: await tokenOf(everyone), cursor: start });
  const everything = expectedIds(everyone, events);
  await probe.waitEvents(everything.length, 60_000);
  assert.deepEqual(probe.events.map((e) => e.id), everything);
  for (const [viewer, connections] of sessions) {
    assert.equal(connections.flatMap((c) => c.events).length, expectedIds(viewer, events).length, `${connections[0].transport} viewer, after the probe`);
  }
  for (const { viewer, connection } of late) {
    assert.equal(connection.events.length, expectedIds(viewer, events).length, `replaying ${connection.transport} viewer, after the probe`);
  }

  // History pages follow the same rules: every viewer pages back through the whole log, over a
  // WebSocket history frame or GET /v1/history, and gets exactly what it may see, newest first.
  let paged = 0;
  for (const [i, viewer] of viewers.entries()) {
    const label = `viewer ${i} history over ${i % 2 ? 'http' : 'ws'} (seed ${SEED}, viewer ${JSON.stringify(viewer)})`;
    const token = await tokenOf(viewer);
    const limit = int(50, 1_000);
    const got: StreamEvent[] = [];
    const ws = i % 2 ? undefined : await TestClient.connect(gateway.url, { token, v: 2, subscription: viewer.subscription });
    await ws?.waitWelcome();
    let before: Cursor | undefined;
    for (;;) {
      let page: { events?: StreamEvent[]; next?: Cursor | null };
      if (ws) {
        page = (await ws.history({ limit, ...(before ? { before } : {}) })) as typeof page;
      } else {
        const answer = await fetchHistory(gateway.url, token, { limit, before, subscription: viewer.subscription });
        assert.equal(answer.status, 200, label);
        page = answer.body;
      }
      assert.ok(page.events, `${label}: ${JSON.stringify(page)}`);
      got.push(...page.events);
      if (!page.next) break;
      before = page.next;
    }
    await ws?.close();
    assert.deepEqual(violations(viewer, got, published), [], label);
    assert.deepEqual(got.map((e) => e.id), expectedIds(viewer, events).reverse(), label);
    paged += got.length;
  }
  assert.ok(paged > EVENTS / 2, `history pages served ${paged} events`);

  // The run must have exercised what it claims to.
  assert.ok(delivered > EVENTS, `delivered ${delivered}`);
  for (const transport of TRANSPORTS) assert.ok(byTransport[transport] > 0, `deliveries over ${transport}: ${JSON.stringify(byTransport)}`);
  assert.ok(masked > 0, 'some deliveries were masked');
  assert.ok(events.some((e) => e.tenant === '*' && e.type.startsWith('system.')), 'deployment-wide system events');
  assert.ok(events.some((e) => e.tenant === '*' && !e.type.startsWith('system.')), 'adversarial non-system events to *');
  await Promise.all([...[...sessions.values()].flat(), ...late.map((l) => l.connection)].map((c) => c.close()));
  await probe.close();
});
