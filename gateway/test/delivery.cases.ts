/**
 * Delivery semantics every log must honour (routing, replay, retention, filters, dead letters,
 * backpressure). Run against the Redis Stream and the in-memory log with the same cases; one file
 * on purpose, as the contract is read and changed as a whole.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { CloseCode, type Envelope } from '../../protocol/index.ts';
import { mintToken, type Scope } from '../src/auth.ts';
import type { Config } from '../src/config.ts';
import type { Gateway } from '../src/gateway.ts';
import { TestClient } from './support/client.ts';
import { ids, leadEvent } from './support/events.ts';
import { waitUntil } from './support/http-clients.ts';

import { SECRET } from './support/gateway.ts';

export { SECRET };

/** What both logs are tested with: a small retention and send buffer so the cases reach them. */
export const DELIVERY_SETTINGS: Partial<Config> = {
  RETENTION_MAXLEN: 1_000,
  SEND_BUFFER_BYTES: 256 * 1024,
  // A paused client reads its whole backlog before it sees its close; give it time on a busy machine.
  CLOSE_GRACE_MS: 60_000,
};

export interface Harness {
  /** Starts a gateway on the log under test with these settings. */
  gateway(overrides?: Partial<Config>): Promise<Gateway>;
  /** Writes a raw entry the way a publisher does (XADD e=<raw>, or the in-memory append). */
  publishRaw(gateway: Gateway, raw: string): Promise<void>;
  /** What the dead-letter store holds: [source entry id, reason]. */
  deadLetters(gateway: Gateway): Promise<Array<{ id: string; reason: string }>>;
  cleanup(): Promise<void>;
}

export function token(tenants: string[], scopes: Scope[] = ['events:read'], ttl = 3600): Promise<string> {
  return mintToken({ sub: `user-${tenants.join('+')}`, tenants, scopes }, SECRET, ttl);
}

/**
 * Every case runs twice: replays served from the gateway's recent-events window (the default;
 * it holds everything these cases publish) and, with the window off, read from the log.
 */
export function deliveryCases(name: string, makeHarness: () => Promise<Harness>): void {
  for (const fromWindow of [true, false]) cases(name, makeHarness, fromWindow);
}

function cases(name: string, makeHarness: () => Promise<Harness>, fromWindow: boolean): void {
  describe(`delivery on the ${name} log, replays from ${fromWindow ? 'the recent-events window' : 'the log'}`, () => {
    let harness: Harness;
    let gateway: Gateway;
    const clients: TestClient[] = [];
    const publish = async (...envelopes: Envelope[]) => {
      for (const e of envelopes) await harness.publishRaw(gateway, JSON.stringify(e));
    };
    const connect = async (tenants: string[], options: Parameters<typeof TestClient.connect>[1] = {}) => {
      const client = await TestClient.connect(gateway.url, { token: await token(tenants), ...options });
      clients.push(client);
      await client.waitWelcome();
      return client;
    };

    /** A cursor a client of `tenant` held after one event, the client gone again. */
    const cursorOfOneEvent = async (tenant: string) => {
      const client = await connect([tenant]);
      await publish(leadEvent(tenant));
      await client.waitEvents(1);
      await client.close();
      return client.cursor!;
    };

    before(async () => {
      harness = await makeHarness();
      gateway = await harness.gateway(fromWindow ? {} : { REPLAY_MEMORY_EVENTS: 0 });
    });
    after(async () => {
      await Promise.all(clients.map((c) => c.close()));
      await gateway.close();
      await harness.cleanup();
    });

    test('routes by tenant: three tenants see only their own events', async () => {
      const [a, b, c] = await Promise.all([connect(['t-a']), connect(['t-b']), connect(['t-a', 't-c'])]);
      const sent = { 't-a': [] as Envelope[], 't-b': [] as Envelope[], 't-c': [] as Envelope[] };
      for (let i = 0; i < 30; i++) {
        const tenant = (['t-a', 't-b', 't-c'] as const)[i % 3];
        const event = leadEvent(tenant);
        sent[tenant].push(event);
        await publish(event);
      }
      await Promise.all([a.waitEvents(10), b.waitEvents(10), c.waitEvents(20)]);
      // A last event per tenant flushes anything a stray route would have added.
      const fence = leadEvent('t-b');
      await publish(fence);
      await b.waitEvents(11);
      assert.deepEqual(ids(a.events), ids(sent['t-a']));
      assert.deepEqual(ids(b.events), [...ids(sent['t-b']), fence.id]);
      assert.deepEqual(new Set(ids(c.events)), new Set([...ids(sent['t-a']), ...ids(sent['t-c'])]));
      assert.ok(c.events.every((e) => e.tenant === 't-a' || e.tenant === 't-c'));
      assert.equal(a.welcome?.recovered, true);
    });

    test('replays everything published while the client was away: exact count, order, no duplicate', async () => {
      const first = await connect(['t-replay']);
      const before = Array.from({ length: 5 }, () => leadEvent('t-replay'));
      await publish(...before);
      await first.waitEvents(5);
      const cursor = first.cursor!;
      await first.close();
      const during = Array.from({ length: 40 }, () => leadEvent('t-replay'));
      await publish(...during);
      const second = await connect(['t-replay'], { cursor });
      assert.equal(second.welcome?.recovered, true);
      assert.equal(second.welcome?.cursor, cursor);
      await second.waitEvents(40);
      const afterwards = leadEvent('t-replay');
      await publish(afterwards);
      await second.waitEvents(41);
      assert.deepEqual(ids(second.events), [...ids(during), afterwards.id]);
    });

    test('replay racing with live traffic has no gap and no duplicate', async () => {
      const tenant = 't-race';
      const watcher = await connect([tenant]);
      const sent: Envelope[] = [];
      let publishing = true;
      const publisher = (async () => {
        while (publishing) {
          const batch = Array.from({ length: 20 }, () => leadEvent(tenant));
          sent.push(...batch);
          await publish(...batch);
          await new Promise((r) => setImmediate(r));
        }
      })();
      await watcher.waitEvents(200);
      // Reconnect three times mid-stream, each time from the cursor held at that moment.
      let client = await connect([tenant]);
      const received: string[] = [];
      for (let round = 0; round < 3; round++) {
        await client.waitEvents(50 + round * 10);
        received.push(...ids(client.events));
        const cursor = client.cursor!;
        await client.close();
        client = await connect([tenant], { cursor });
        assert.equal(client.welcome?.recovered, true);
      }
      publishing = false;
      await publisher;
      const lastId = sent.at(-1)!.id;
      await client.waitFor(() => client.events.at(-1)?.id === lastId, 'the last published event', 20_000);
      received.push(...ids(client.events));
      const firstIndex = sent.findIndex((e) => e.id === received[0]);
      assert.ok(firstIndex >= 0);
      assert.deepEqual(received, ids(sent.slice(firstIndex)), 'every event once, in publish order');
    });

    test('a cursor older than retention answers recovered:false and continues live', async () => {
      const tenant = 't-retention';
      const staleCursor = await cursorOfOneEvent(tenant);
      // Push the stale cursor out of retention (the harness gateway keeps ~1,000 entries).
      for (let i = 0; i < 30; i++) await publish(...Array.from({ length: 100 }, () => leadEvent('t-filler')));
      await gateway.log.trim();
      const extent = await gateway.log.extent();
      assert.ok(extent.trimmed, 'retention removed entries');
      const late = await connect([tenant], { cursor: staleCursor });
      assert.equal(late.welcome?.recovered, false);
      const live = leadEvent(tenant);
      await publish(live);
      await late.waitEvents(1);
      assert.deepEqual(ids(late.events), [live.id]);
      // A cursor from another log (beyond this log's head) is not recoverable either.
      const future = await connect([tenant], { cursor: '99999999999999-0' });
      assert.equal(future.welcome?.recovered, false);
    });

    test(
      fromWindow
        ? 'a resume inside the recent-events window reads no log: every event, once, in order'
        : 'retention trimming what a running replay has not read yet: closed as lagging, the resume says recovered:false',
      async () => {
        const tenant = 't-trim-race';
        const cursor = await cursorOfOneEvent(tenant);
        const missed = Array.from({ length: 5 }, () => leadEvent(tenant));
        await publish(...missed);
        const log = gateway.log;
        const readAfter = log.readAfter;
        const reads: string[] = [];
        let armed = true;
        log.readAfter = async (after, count) => {
          reads.push(after);
          // Retention runs between the replay's welcome (cursor still in the log) and its first read.
          if (armed && after === cursor) {
            armed = false;
            for (let i = 0; i < 30; i++) await publish(...Array.from({ length: 100 }, () => leadEvent('t-filler')));
            await log.trim();
          }
          return readAfter.call(log, after, count);
        };
        try {
          const late = await connect([tenant], { cursor });
          assert.equal(late.welcome?.recovered, true, 'the cursor was in the log when the replay began');
          if (fromWindow) {
            await late.waitEvents(missed.length);
            assert.deepEqual(late.events.map((e) => e.id), missed.map((e) => e.id));
            // (The in-memory log's tail reads through readAfter too, from its own, newer position.)
            assert.ok(!reads.includes(cursor), 'the replay was served from memory, not read from the log');
            return;
          }
          const closed = await late.waitClosed(60_000);
          assert.equal(closed.code, CloseCode.Lagging);
          assert.match(closed.reason, /retention/);
          assert.deepEqual(late.events, [], 'nothing was sent past the gap');
          assert.equal(armed, false);
        } finally {
          log.readAfter = readAfter;
        }
        const again = await connect([tenant], { cursor });
        assert.equal(again.welcome?.recovered, false);
      },
    );

    test('subscription filters apply live and in replay; changes take effect at once', async () => {
      const tenant = 't-filter';
      const hot = () => leadEvent(tenant, {}, { temperature: 'hot' });
      const cold = () => leadEvent(tenant, {}, { temperature: 'cold' });
      const probe = await connect([tenant]);
      const batch1 = [hot(), cold(), hot(), cold()];
      await publish(...batch1);
      await probe.waitEvents(4);
      const start = probe.welcome!.cursor;
      const filtered = await connect([tenant], { cursor: start, subscription: { filter: { temperatures: ['hot'] } } });
      await filtered.waitEvents(2);
      const batch2 = [cold(), hot()];
      await publish(...batch2);
      await filtered.waitEvents(3);
      assert.deepEqual(ids(filtered.events), [batch1[0].id, batch1[2].id, batch2[1].id]);
      filtered.send({ type: 'subscribe', subscription: { filter: { temperatures: ['cold'] } } });
      await filtered.waitFor(() => filtered.frames.some((f) => f.type === 'subscribed'), 'subscribed');
      const batch3 = [hot(), cold()];
      await publish(...batch3);
      await filtered.waitEvents(4);
      await probe.waitEvents(8);
      assert.deepEqual(ids(filtered.events).slice(3), [batch3[1].id]);
      assert.equal(filtered.events.length, 4);
    });

    test('invalid entries are dead-lettered with the reason while valid ones flow', async () => {
      const tenant = 't-dlq';
      const client = await connect([tenant]);
      const good1 = leadEvent(tenant);
      const good2 = leadEvent(tenant);
      const rejectedBefore = gateway.writer.stats.rejects.stream;
      await publish(good1);
      await harness.publishRaw(gateway, '{not json');
      await harness.publishRaw(gateway, JSON.stringify({ ...leadEvent(tenant), type: 'lead.teleported' }));
      await harness.publishRaw(gateway, JSON.stringify(leadEvent(tenant, {}, { score: 900 })));
      await publish(good2);
      await client.waitEvents(2);
      assert.deepEqual(ids(client.events), [good1.id, good2.id]);
      assert.equal(gateway.writer.stats.rejects.stream - rejectedBefore, 3);
      let dead: Array<{ id: string; reason: string }> = [];
      for (let i = 0; i < 50 && dead.length < 3; i++) {
        dead = await harness.deadLetters(gateway);
        await new Promise((r) => setTimeout(r, 20));
      }
      assert.equal(dead.length, 3);
      assert.match(dead[0].reason, /not JSON/);
      assert.match(dead[1].reason, /type/);
      assert.match(dead[2].reason, /data\.score/);
      // A replay across the bad entries skips them too.
      const replayed = await connect([tenant], { cursor: client.welcome!.cursor });
      await replayed.waitEvents(2);
      assert.deepEqual(ids(replayed.events), [good1.id, good2.id]);
    });

    test('envelope ids are deduped per tenant: two tenants reusing an id each get their own event', async () => {
      const key = 'publisher-key-dedupe-0123456789';
      const ingest = await harness.gateway({ PUBLISHER_KEYS: [key] });
      try {
        const post = async (body: unknown) => {
          const res = await fetch(`${ingest.url}/v1/events`, {
            method: 'POST',
            headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
            body: JSON.stringify(body),
          });
          assert.equal(res.status, 202);
          return ((await res.json()) as { accepted: Array<{ id: string; cursor: string; duplicate?: boolean }> }).accepted;
        };
        const watch = async (tenant: string) => {
          const client = await TestClient.connect(ingest.url, { token: await token([tenant]) });
          clients.push(client);
          await client.waitWelcome();
          return client;
        };
        const [a, b] = await Promise.all([watch('t-dup-a'), watch('t-dup-b')]);
        const shared = `shared-${process.pid}-${Date.now()}`;
        const ea = leadEvent('t-dup-a', { id: shared });
        const eb = leadEvent('t-dup-b', { id: shared });
        const first = await post([ea, eb]);
        assert.equal(first.filter((x) => x.duplicate).length, 0, 'neither is a duplicate of the other');
        assert.notEqual(first[0].cursor, first[1].cursor);
        // A resend is a duplicate within its own tenant, answered with that tenant's cursor.
        const again = await post([eb, ea]);
        assert.deepEqual(again, [
          { id: shared, cursor: first[1].cursor, duplicate: true },
          { id: shared, cursor: first[0].cursor, duplicate: true },
        ]);
        const [fa, fb] = await post([leadEvent('t-dup-a'), leadEvent('t-dup-b')]);
        await Promise.all([a.waitEvents(2), b.waitEvents(2)]);
        assert.deepEqual(a.events.map((e) => [e.tenant, e.id, e.cursor]), [['t-dup-a', shared, first[0].cursor], ['t-dup-a', fa.id, fa.cursor]]);
        assert.deepEqual(b.events.map((e) => [e.tenant, e.id, e.cursor]), [['t-dup-b', shared, first[1].cursor], ['t-dup-b', fb.id, fb.cursor]]);
        assert.equal((a.events[0].data as { leadId: string }).leadId, (ea.data as { leadId: string }).leadId);
        assert.equal((b.events[0].data as { leadId: string }).leadId, (eb.data as { leadId: string }).leadId);
      } finally {
        await ingest.close();
      }
    });

    /** A backlog of large events (an extra payload field close to MAX_FRAME_BYTES) for replay tests. */
    const bigBacklog = async (target: Gateway, tenant: string, count: number) => {
      const start = (await target.log.extent()).lastId;
      const backlog = Array.from({ length: count }, () => leadEvent(tenant, {}, { notes: 'n'.repeat(50_000) }));
      for (let i = 0; i < backlog.length; i += 50) {
        await Promise.all(backlog.slice(i, i + 50).map((e) => harness.publishRaw(target, JSON.stringify(e))));
      }
      // Appends in parallel may land in any order: the stream order is what replay follows.
      const stored = await target.log.readAfter(start, count + 1);
      return { start, backlog: stored.map((entry) => JSON.parse(entry.raw!) as Envelope) };
    };
    const pause = (client: TestClient) => (client.socket as unknown as { _socket: { pause(): void } })._socket.pause();
    const resume = (client: TestClient) => (client.socket as unknown as { _socket: { resume(): void } })._socket.resume();

    test('a client that stops reading during a long replay is closed as lagging; another replaying client gets everything', async () => {
      const stalling = await harness.gateway({ REPLAY_STALL_MS: 500 });
      try {
        const tenant = 't-stall';
        const { start, backlog } = await bigBacklog(stalling, tenant, 400);
        const lagged = stalling.stats.laggingClosed;
        const slow = await TestClient.connect(stalling.url, { token: await token([tenant]), cursor: start });
        clients.push(slow);
        pause(slow);
        const healthy = await TestClient.connect(stalling.url, { token: await token([tenant]), cursor: start });
        clients.push(healthy);
        // However large a replay page, what waits in a send buffer stays within SEND_BUFFER_BYTES.
        let maxBuffered = 0;
        const sampler = setInterval(() => {
          for (const session of stalling.hub.sessions) maxBuffered = Math.max(maxBuffered, session.sink.bufferedBytes());
        }, 2);
        try {
          await healthy.waitEvents(backlog.length, 60_000);
          await waitUntil(() => stalling.stats.laggingClosed > lagged, 'the stalled replay closed as lagging', 30_000);
        } finally {
          clearInterval(sampler);
        }
        assert.deepEqual(ids(healthy.events), ids(backlog));
        assert.equal(healthy.closed, undefined);
        assert.ok(maxBuffered <= stalling.config.SEND_BUFFER_BYTES, `${maxBuffered} bytes buffered for one client`);
        resume(slow);
        assert.equal((await slow.waitClosed(30_000)).code, CloseCode.Lagging);
        // It resumes from what it had and gets the rest, once.
        const again = await TestClient.connect(stalling.url, { token: await token([tenant]), cursor: slow.cursor });
        clients.push(again);
        await again.waitFor(() => again.events.at(-1)?.id === backlog.at(-1)!.id, 'the rest of the backlog', 60_000);
        assert.deepEqual([...ids(slow.events), ...ids(again.events)], ids(backlog));
      } finally {
        await stalling.close();
      }
    });

    test('live events held for a stalled replay are bounded in bytes (REPLAY_LIVE_BUFFER_BYTES), not only in count', async () => {
      const stalling = await harness.gateway({ REPLAY_STALL_MS: 120_000, REPLAY_LIVE_BUFFER_BYTES: 256 * 1024 });
      try {
        const tenant = 't-stall-live';
        const { start } = await bigBacklog(stalling, tenant, 400);
        const lagged = stalling.stats.laggingClosed;
        const slow = await TestClient.connect(stalling.url, { token: await token([tenant]), cursor: start });
        clients.push(slow);
        pause(slow);
        const half = stalling.config.SEND_BUFFER_BYTES / 2;
        await waitUntil(
          () => [...stalling.hub.sessions].some((s) => s.state === 'replaying' && s.sink.bufferedBytes() > half),
          'the replay waiting on a full send buffer',
          30_000,
        );
        // 200 live events of ~2.5 kB: far below REPLAY_LIVE_BUFFER (count), over the byte bound.
        for (let i = 0; i < 200 && stalling.stats.laggingClosed === lagged; i++) {
          await harness.publishRaw(stalling, JSON.stringify(leadEvent(tenant, {}, { summary: 's'.repeat(2_000) })));
        }
        await waitUntil(() => stalling.stats.laggingClosed > lagged, 'the stalled replay closed as lagging', 20_000);
        resume(slow);
        assert.equal((await slow.waitClosed(30_000)).code, CloseCode.Lagging);
      } finally {
        await stalling.close();
      }
    });

    test('a client that stops reading is closed as lagging; another client gets everything', async () => {
      const tenant = 't-lag';
      const slow = await connect([tenant]);
      const healthy = await connect([tenant]);
      (slow.socket as unknown as { _socket: { pause(): void } })._socket.pause();
      const text = 'x'.repeat(2_000);
      let sent = 0;
      const laggedBefore = gateway.stats.laggingClosed;
      // The paused client cannot see its close until it reads again, so watch the gateway's count.
      for (let round = 0; round < 60 && gateway.stats.laggingClosed === laggedBefore; round++) {
        await publish(...Array.from({ length: 200 }, () => leadEvent(tenant, {}, { summary: text })));
        sent += 200;
        await healthy.waitEvents(sent, 20_000);
      }
      (slow.socket as unknown as { _socket: { resume(): void } })._socket.resume();
      const closed = await slow.waitClosed(20_000);
      assert.equal(closed.code, CloseCode.Lagging);
      assert.equal(healthy.events.length, sent);
      assert.equal(new Set(ids(healthy.events)).size, sent);
      assert.equal(gateway.stats.laggingClosed, laggedBefore + 1);
      // The lagging client resumes from its cursor and gets the rest.
      const resumed = await connect([tenant], { cursor: slow.cursor });
      assert.equal(resumed.welcome?.recovered, true);
      await resumed.waitFor(() => resumed.events.at(-1)?.id === healthy.events.at(-1)?.id, 'catch-up', 20_000);
      assert.deepEqual([...ids(slow.events), ...ids(resumed.events)], ids(healthy.events));
    });
  });
}
