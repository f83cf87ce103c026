/**
 * Faults with real gateways as child processes on one real redis-server. Each ends with the
 * resuming client holding exactly what was published: zero lost, zero duplicated, in order.
 */
import assert from 'node:assert/strict';
import { after, afterEach, before, describe, test } from 'node:test';
import { Redis } from 'ioredis';
import type { Cursor, StreamEvent } from '../../protocol/index.ts';
import { SECRET, token } from './delivery.cases.ts';
import { TestClient } from './support/client.ts';
import { startGatewayProcess, type GatewayProcess } from './support/gateway-process.ts';
import { poll, SseClient, waitUntil } from './support/http-clients.ts';
import { leadEvent } from './support/events.ts';
import { startRedis, type RedisServer } from './support/redis.ts';

const STREAM = 'leadwire:events';

/** XADDs numbered events one after another until stopped; `sent` is the stream order. */
class Publisher {
  readonly sent: string[] = [];
  private running = false;
  private loop: Promise<void> = Promise.resolve();
  constructor(
    private readonly redis: Redis,
    private readonly tenant: string,
  ) {}

  start(): void {
    this.running = true;
    this.loop = (async () => {
      while (this.running) {
        const event = leadEvent(this.tenant);
        try {
          await this.redis.xadd(STREAM, '*', 'e', JSON.stringify(event));
          this.sent.push(event.id);
        } catch {
          // Redis away: the event was not published; try the next one.
        }
        await new Promise((r) => setTimeout(r, 5));
      }
    })();
  }

  async publish(n: number): Promise<void> {
    for (let i = 0; i < n; i++) {
      const event = leadEvent(this.tenant);
      await this.redis.xadd(STREAM, '*', 'e', JSON.stringify(event));
      this.sent.push(event.id);
    }
  }

  async stop(): Promise<void> {
    this.running = false;
    await this.loop;
  }
}

/** Everything one logical client received over its successive connections. */
class Resumer {
  readonly events: StreamEvent[] = [];
  cursor: Cursor | undefined;
  private ws: TestClient | undefined;
  private taken = 0;
  constructor(private readonly tok: string) {}

  async connectWs(url: string): Promise<void> {
    this.ws = await TestClient.connect(url, { token: this.tok, cursor: this.cursor });
    this.taken = 0;
    await this.ws.waitWelcome();
    assert.equal(this.ws.welcome?.recovered, true);
    this.cursor ??= this.ws.welcome!.cursor;
  }

  /** Moves what the open socket received into `events`; false once it is closed. */
  collect(): boolean {
    if (!this.ws) return false;
    const fresh = this.ws.events.slice(this.taken);
    this.taken += fresh.length;
    this.take(fresh);
    return !this.ws.closed;
  }

  take(events: StreamEvent[]): void {
    this.events.push(...events);
    if (events.length) this.cursor = events[events.length - 1].cursor;
  }

  async closeWs(): Promise<void> {
    await this.ws?.close();
    this.collect();
    this.ws = undefined;
  }

  async waitCount(n: number, timeoutMs = 20_000): Promise<void> {
    await waitUntil(() => (this.collect(), this.events.length >= n), `${n} events (have ${this.events.length})`, timeoutMs);
  }

  ids(): string[] {
    return this.events.map((e) => e.id);
  }
}

describe('faults: gateways as child processes on one Redis', () => {
  let redis: RedisServer;
  let publisherRedis: Redis;
  const gateways: GatewayProcess[] = [];
  const gateway = async (env: Record<string, string> = {}) => {
    const g = await startGatewayProcess({ REDIS_URL: redis.url, AUTH_SECRET: SECRET, ...env });
    gateways.push(g);
    return g;
  };

  before(async () => {
    redis = await startRedis({ persist: true });
    publisherRedis = new Redis(redis.url, { maxRetriesPerRequest: 1 });
    publisherRedis.on('error', () => {});
  });
  // Each test owns its gateways (the bridge test counts what every running gateway did).
  afterEach(async () => {
    await Promise.all(gateways.splice(0).map((g) => g.stop()));
  });
  after(async () => {
    await Promise.all(gateways.map((g) => g.stop()));
    publisherRedis.disconnect();
    await redis.stop();
  });

  test('gateway killed with SIGKILL and restarted: the resuming client misses nothing and sees nothing twice', async () => {
    const a = await gateway();
    const client = new Resumer(await token(['t-kill']));
    const publisher = new Publisher(publisherRedis, 't-kill');
    await client.connectWs(a.url);
    publisher.start();
    await client.waitCount(20);
    await a.kill();
    await waitUntil(() => !client.collect(), 'the socket to notice');
    await a.start();
    await client.connectWs(a.url);
    await client.waitCount(client.events.length + 20);
    await publisher.stop();
    await client.waitCount(publisher.sent.length);
    await client.closeWs();
    assert.deepEqual(client.ids(), publisher.sent);
  });

  test('client moved from gateway A to gateway B mid-stream, publisher running: zero lost, zero duplicated', async () => {
    const [a, b] = await Promise.all([gateway(), gateway()]);
    const client = new Resumer(await token(['t-move']));
    const publisher = new Publisher(publisherRedis, 't-move');
    await client.connectWs(a.url);
    publisher.start();
    await client.waitCount(20);
    await client.closeWs();
    await client.connectWs(b.url);
    await client.waitCount(client.events.length + 20);
    await publisher.stop();
    await client.waitCount(publisher.sent.length);
    await client.closeWs();
    assert.deepEqual(client.ids(), publisher.sent);
  });

  test('client switching WS → SSE → poll with its cursor across gateways: zero lost, zero duplicated', async () => {
    const [a, b] = await Promise.all([gateway(), gateway()]);
    const tok = await token(['t-switch']);
    const client = new Resumer(tok);
    const publisher = new Publisher(publisherRedis, 't-switch');
    await client.connectWs(a.url);
    publisher.start();
    await client.waitCount(15);
    await client.closeWs();

    const sse = await SseClient.connect(b.url, { token: tok, cursor: client.cursor });
    await sse.waitEvents(15, 20_000);
    await sse.close();
    client.take(sse.events);
    assert.equal(sse.lastEventId, client.cursor);

    const pollOnce = async (url: string) => {
      const answer = await poll(url, tok, { cursor: client.cursor, wait: 2_000 });
      assert.equal(answer.status, 200);
      assert.equal(answer.body.recovered, true);
      client.take(answer.body.events);
      client.cursor = answer.body.cursor;
    };
    const viaSse = client.events.length;
    for (let i = 0; i < 100 && client.events.length < viaSse + 15; i++) await pollOnce(a.url);
    await publisher.stop();
    for (let i = 0; i < 50 && client.events.length < publisher.sent.length; i++) await pollOnce(b.url);
    assert.deepEqual(client.ids(), publisher.sent);
  });

  test('Redis restarted (AOF): a client away during the restart resumes with zero lost, zero duplicated', async () => {
    const a = await gateway();
    const client = new Resumer(await token(['t-redis']));
    const publisher = new Publisher(publisherRedis, 't-redis');
    await client.connectWs(a.url);
    await publisher.publish(10);
    await client.waitCount(10);
    await client.closeWs();
    await publisher.publish(5);
    await redis.restart();
    await waitUntil(() => publisherRedis.status === 'ready', 'the publisher to reconnect');
    await publisher.publish(5);
    for (let i = 0; i < 100 && !(await fetch(`${a.url}/readyz`)).ok; i++) await new Promise((r) => setTimeout(r, 100));
    await client.connectWs(a.url);
    await client.waitCount(20);
    await publisher.publish(5);
    await client.waitCount(25);
    await client.closeWs();
    assert.deepEqual(client.ids(), publisher.sent);
  });

  test('pub/sub bridge with two gateways: each PUBLISHed event lands in the stream exactly once', async () => {
    const [a, b] = await Promise.all([gateway(), gateway()]);
    const counts = async (g: GatewayProcess) => {
      const text = await (await fetch(`${g.url}/metrics`)).text();
      const read = (outcome: string) => Number(new RegExp(`leadwire_ingest_total\\{source="pubsub",outcome="${outcome}"\\} (\\d+)`).exec(text)?.[1] ?? 0);
      return { appended: read('appended'), duplicate: read('duplicate') };
    };
    const sent = Array.from({ length: 40 }, () => leadEvent('t-bridge'));
    for (const e of sent) await publisherRedis.publish('leadwire:pub:t-bridge', JSON.stringify(e));
    // Both gateways handled every message: one appended it, the other found it already there.
    let total = { appended: 0, duplicate: 0 };
    for (let i = 0; i < 200; i++) {
      const [ca, cb] = await Promise.all([counts(a), counts(b)]);
      total = { appended: ca.appended + cb.appended, duplicate: ca.duplicate + cb.duplicate };
      if (total.appended + total.duplicate >= 2 * sent.length) break;
      await new Promise((r) => setTimeout(r, 100));
    }
    assert.deepEqual(total, { appended: sent.length, duplicate: sent.length });
    const stored = ((await publisherRedis.xrange(STREAM, '-', '+')) as Array<[string, string[]]>)
      .map(([, f]) => JSON.parse(f[1]).id as string)
      .filter((id) => sent.some((e) => e.id === id));
    assert.deepEqual(stored, sent.map((e) => e.id));
  });
});
