/**
 * History pages (docs/protocol.md §5a) on every log: newest first, paged by cursor, bounded by
 * `until`/`before`/`since` and the filter, attached to the live stream with no gap and no
 * duplicate, tenant rules as on every path, and bad requests answered without losing anything.
 * Run against the Redis Stream and the in-memory log with the same cases.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { compareCursors, type Cursor, type Envelope, type ErrorFrame, type HistoryAnswerFrame } from '../../protocol/index.ts';
import type { Gateway } from '../src/gateway.ts';
import { TestClient } from './support/client.ts';
import { ids, leadEvent } from './support/events.ts';
import { fetchHistory } from './support/http-clients.ts';
import { token, type Harness } from './delivery.cases.ts';

const DAY = 86_400_000;

export function historyCases(name: string, makeHarness: () => Promise<Harness>): void {
  describe(`history on the ${name} log`, () => {
    let harness: Harness;
    let gateway: Gateway;
    const clients: TestClient[] = [];
    const publish = async (...envelopes: Envelope[]) => {
      for (const e of envelopes) await harness.publishRaw(gateway, JSON.stringify(e));
    };
    const connect = async (tenants: string[], options: Parameters<typeof TestClient.connect>[1] = {}) => {
      const client = await TestClient.connect(gateway.url, { token: await token(tenants), v: 2, ...options });
      clients.push(client);
      await client.waitWelcome();
      return client;
    };
    const page = (answer: HistoryAnswerFrame | ErrorFrame): HistoryAnswerFrame => {
      assert.equal(answer.type, 'history', JSON.stringify(answer));
      return answer as HistoryAnswerFrame;
    };
    /** Every page from the first (no bound, or `first`) back to the end, over WebSocket. */
    const allPages = async (client: TestClient, request: Record<string, unknown>) => {
      const pages: HistoryAnswerFrame[] = [];
      let before: Cursor | undefined;
      do {
        pages.push(page(await client.history({ ...request, ...(before ? { before } : {}) })));
        before = pages.at(-1)!.next ?? undefined;
      } while (before);
      return pages;
    };
    const reversed = (events: Envelope[]) => ids(events).reverse();

    before(async () => {
      harness = await makeHarness();
      gateway = await harness.gateway({ METRICS_HEALTH_INTERVAL_MS: 0 });
    });
    after(async () => {
      await Promise.all(clients.map((c) => c.close()));
      await gateway.close();
      await harness.cleanup();
    });

    test('opens on history up to the welcome cursor, then live: every event once, none missing', async () => {
      const tenant = 't-open';
      const stored = Array.from({ length: 50 }, () => leadEvent(tenant));
      await publish(...stored);
      const client = await connect([tenant]);
      const live = Array.from({ length: 10 }, () => leadEvent(tenant));
      // Live events race the history request: the page ends at the welcome cursor, live starts after it.
      const publishing = publish(...live);
      const answer = page(await client.history({ until: client.welcome!.cursor, limit: 100 }));
      await publishing;
      await client.waitEvents(live.length);
      assert.deepEqual(ids(answer.events), reversed(stored), 'the stored events, newest first');
      assert.equal(answer.cursor, client.welcome!.cursor);
      assert.equal(answer.end, 'start');
      assert.equal(answer.next, null);
      assert.deepEqual(ids(client.events), ids(live));
      const seen = [...ids(answer.events), ...ids(client.events)];
      assert.equal(new Set(seen).size, stored.length + live.length, 'no duplicate between history and live');
    });

    test('pages back by cursor with limit and before, the same over WebSocket and HTTP', async () => {
      const tenant = 't-pages';
      const stored = Array.from({ length: 45 }, () => leadEvent(tenant));
      await publish(...stored);
      const client = await connect([tenant]);
      const pages = await allPages(client, { limit: 20 });
      assert.deepEqual(pages.map((p) => p.events.length), [20, 20, 5]);
      assert.deepEqual(pages.flatMap((p) => ids(p.events)), reversed(stored));
      assert.deepEqual(pages.map((p) => p.end), [null, null, 'start']);
      // Each page starts right after the one before it.
      assert.equal(pages[1].cursor, pages[0].next);
      const cursors = pages.flatMap((p) => p.events.map((e) => e.cursor));
      assert.ok(cursors.every((c, i) => i === 0 || compareCursors(c, cursors[i - 1]) < 0), 'in log order, newest first');

      const http: string[] = [];
      let before: Cursor | undefined;
      const tok = await token([tenant]);
      for (;;) {
        const { status, body } = await fetchHistory(gateway.url, tok, { limit: 20, before });
        assert.equal(status, 200, JSON.stringify(body));
        http.push(...ids(body.events!));
        if (!body.next) {
          assert.equal(body.end, 'start');
          break;
        }
        before = body.next;
      }
      assert.deepEqual(http, reversed(stored));
    });

    test('since bounds a page from below; an empty tenant ends at once', async () => {
      const tenant = 't-since';
      const stored = Array.from({ length: 30 }, () => leadEvent(tenant));
      const client = await connect([tenant]);
      await publish(...stored);
      await client.waitEvents(30);
      const since = client.events[9].cursor;
      const answer = page(await client.history({ since, limit: 1000 }));
      assert.deepEqual(ids(answer.events), reversed(stored.slice(10)));
      assert.equal(answer.end, 'since');
      const empty = page(await (await connect(['t-nothing'])).history({}));
      assert.deepEqual(empty.events, []);
      assert.equal(empty.end, 'start');
    });

    test('the filter is applied in the gateway: the connection\'s own by default, the request\'s when given, ts ranges included', async () => {
      const tenant = 't-filter';
      const now = Date.now();
      const temps = ['hot', 'warm', 'cold'] as const;
      const stored = Array.from({ length: 30 }, (_, i) => leadEvent(tenant, {}, { temperature: temps[i % 3] }));
      const threeDays = leadEvent(tenant, { ts: now - 3 * DAY }, { temperature: 'hot' });
      const tenDays = leadEvent(tenant, { ts: now - 10 * DAY }, { temperature: 'hot' });
      await publish(...stored, threeDays, tenDays);
      const hotOnly = await connect([tenant], { subscription: { filter: { temperatures: ['hot'] } } });
      const hot = page(await hotOnly.history({ limit: 1000 }));
      assert.deepEqual(ids(hot.events), reversed([...stored.filter((e) => (e.data as { temperature: string }).temperature === 'hot'), threeDays, tenDays]));
      const cold = page(await hotOnly.history({ limit: 1000, subscription: { filter: { temperatures: ['cold'] } } }));
      assert.deepEqual(ids(cold.events), reversed(stored.filter((e) => (e.data as { temperature: string }).temperature === 'cold')));
      // "Last 7 days": the event backdated 3 days is in, the one backdated 10 days is not.
      const week = page(await hotOnly.history({ limit: 1000, subscription: { filter: { from: now - 7 * DAY, temperatures: ['hot'] } } }));
      assert.ok(ids(week.events).includes(threeDays.id));
      assert.ok(!ids(week.events).includes(tenDays.id));
      assert.equal(week.events.length, hot.events.length - 1);
    });

    test('a page read over HTTP, then a resume from its cursor: no gap and no duplicate', async () => {
      const tenant = 't-attach';
      const stored = Array.from({ length: 20 }, () => leadEvent(tenant));
      await publish(...stored);
      const { body } = await fetchHistory(gateway.url, await token([tenant]), { limit: 100 });
      const later = Array.from({ length: 7 }, () => leadEvent(tenant));
      await publish(...later);
      const client = await connect([tenant], { cursor: body.cursor! });
      assert.equal(client.welcome?.recovered, true);
      await client.waitEvents(later.length);
      const fence = leadEvent(tenant);
      await publish(fence);
      await client.waitEvents(later.length + 1);
      assert.deepEqual(ids(body.events!), reversed(stored));
      assert.deepEqual(ids(client.events), [...ids(later), fence.id]);
    });

    test('another tenant\'s history is never served, whatever the request names', async () => {
      await publish(...Array.from({ length: 5 }, () => leadEvent('t-secret')));
      const mine = leadEvent('t-mine');
      await publish(mine);
      const client = await connect(['t-mine']);
      const asked = page(await client.history({ subscription: { tenants: ['t-secret'] } }));
      assert.deepEqual(asked.events, []);
      const both = page(await client.history({ subscription: { tenants: ['t-secret', 't-mine'] } }));
      assert.deepEqual(ids(both.events), [mine.id]);
      const { status, body } = await fetchHistory(gateway.url, await token(['t-mine']), { subscription: { tenants: ['t-secret'] } });
      assert.equal(status, 200);
      assert.deepEqual(body.events, []);
      assert.equal((await fetchHistory(gateway.url, undefined, {})).status, 401);
    });

    test('bad requests get an error naming the request and what is wrong; the connection loses nothing', async () => {
      const tenant = 't-bad';
      const client = await connect([tenant]);
      const live: Envelope[] = [];
      const bad: Array<[Record<string, unknown>, RegExp]> = [
        [{ limit: 0 }, /limit/],
        [{ limit: 1001 }, /limit/],
        [{ limit: 'ten' }, /limit/],
        [{ before: 'latest' }, /before/],
        [{ until: '12' }, /until/],
        [{ since: '1-2-3' }, /since/],
        [{ before: '1-0', until: '2-0' }, /not both/],
        [{ subscription: { filter: { temperatures: ['boiling'] } } }, /temperatures/],
        [{ subscription: { filter: { colour: 'red' } } }, /colour|Unrecognized/i],
        [{ cursor: '1-0' }, /cursor|Unrecognized/i],
      ];
      for (const [i, [request, why]] of bad.entries()) {
        const event = leadEvent(tenant);
        live.push(event);
        await publish(event);
        const answer = await client.history(request, `bad-${i}`);
        assert.equal(answer.type, 'error', JSON.stringify(request));
        assert.equal((answer as ErrorFrame).code, 'bad_history');
        assert.equal(answer.id, `bad-${i}`);
        assert.match((answer as ErrorFrame).message, why, JSON.stringify(request));
      }
      client.send({ type: 'history', limit: 5 });
      await client.waitFor(() => client.frames.some((f) => f.type === 'error' && !f.id && /id/.test(f.message)), 'error about the missing id');
      await client.waitEvents(live.length);
      assert.deepEqual(ids(client.events), ids(live), 'every live event arrived meanwhile');
      assert.equal(client.closed, undefined);
      const good = page(await client.history({ limit: 100 }));
      assert.deepEqual(ids(good.events), reversed(live));

      const tok = await token([tenant]);
      for (const params of [{ limit: 0 }, { limit: 'ten' }, { before: 'latest' }, { subscription: '{"filter":' }, { before: '1-0', until: '2-0' }, { limit: 5, subscription: { filter: { colour: 'red' } } }]) {
        const { status, body } = await fetchHistory(gateway.url, tok, params);
        assert.equal(status, 400, JSON.stringify(params));
        assert.equal(body.error, 'bad_request');
        assert.ok(typeof body.message === 'string' && body.message.length > 0);
      }
      // A version 1 connection is told history needs version 2, and keeps its stream.
      const old = await connect([tenant], { v: 1 });
      const refused = await old.history({});
      assert.equal(refused.type, 'error');
      assert.equal((refused as ErrorFrame).code, 'unsupported');
      const after = leadEvent(tenant);
      await publish(after);
      await old.waitEvents(1);
      assert.deepEqual(ids(old.events), [after.id]);
    });

    // Last: it fills the log past retention.
    test('paging back past what retention removed ends with "expired"', async () => {
      const tenant = 't-expired';
      const stored = Array.from({ length: 1_200 }, () => leadEvent(tenant));
      await publish(...stored);
      await gateway.log.trim();
      const extent = await gateway.log.extent();
      assert.ok(extent.trimmed);
      const client = await connect([tenant]);
      const pages = await allPages(client, { limit: 1000 });
      assert.equal(pages.at(-1)!.end, 'expired');
      const got = pages.flatMap((p) => ids(p.events));
      assert.ok(got.length < stored.length && got.length > 0, `${got.length} of ${stored.length}`);
      // Exactly the newest ones that are still held, newest first.
      assert.deepEqual(got, reversed(stored).slice(0, got.length));
    });
  });
}
