/** The deployment log: a Redis Stream, tailed with XREAD BLOCK on a dedicated connection. */
import { Redis } from 'ioredis';
import type { Cursor } from '../../../protocol/index.ts';
import { CircuitBreaker, type BreakerOptions } from './breaker.ts';
import { newEpochId, seenKey, type EventLog, type LogEntry, type LogExtent, type Retention } from './log.ts';

type RawEntry = [id: string, fields: string[]];

function toEntries(raw: RawEntry[] | null | undefined): LogEntry[] {
  if (!raw) return [];
  return raw.map(([id, fields]) => {
    let e: string | undefined;
    for (let i = 0; i + 1 < fields.length; i += 2) {
      if (fields[i] === 'e') {
        e = fields[i + 1];
        break;
      }
    }
    return { id, raw: e };
  });
}

/** Writes a dead letter once per source entry id, however many gateways see it. */
const DEAD_LETTER_ONCE = `
if redis.call('SET', KEYS[2], '1', 'NX', 'EX', 86400) then
  return redis.call('XADD', KEYS[1], 'MAXLEN', '~', '100000', '*', 'id', ARGV[1], 'reason', ARGV[2], 'e', ARGV[3])
end
return false`;

/**
 * Appends an envelope once per tenant and envelope id across every gateway: SET NX claims
 * `<stream>:seen:<tenant>:<id>`, the XADD follows in the same script, and the claim then
 * remembers the cursor for duplicates.
 */
const APPEND_ONCE = `
if redis.call('SET', KEYS[2], '', 'NX', 'EX', ARGV[2]) then
  local id = redis.call('XADD', KEYS[1], '*', 'e', ARGV[1])
  redis.call('SET', KEYS[2], id, 'KEEPTTL')
  return {1, id}
end
return {0, redis.call('GET', KEYS[2])}`;

export interface RedisLogOptions {
  url: string;
  streamKey: string;
  deadLetterKey: string;
  retention: Retention;
  /** ioredis `tls` options (the CA of a rediss:// URL); the URL's scheme alone turns TLS on. */
  tls?: { ca: Buffer };
  /** Opens after consecutive failures; every command goes through it. */
  breaker?: BreakerOptions;
  /** A command without an answer this long fails (and counts for the breaker); the blocking tail read is exempt. */
  commandTimeoutMs?: number;
  /** Told each connection error (refused, TLS handshake, auth), so the gateway can log it. */
  onError?: (error: Error) => void;
}

export class RedisLog implements EventLog {
  readonly kind = 'redis';
  reconnects = 0;
  /** Why the command connection is down, e.g. a certificate that did not verify; cleared when ready. */
  lastError: string | undefined;
  readonly breaker: CircuitBreaker;
  /** Commands: append, ranges, info, trim. Fails fast while Redis is away (no offline queue growth). */
  readonly redis: Redis;
  /** XREAD BLOCK holds its connection, so the tail gets one of its own. */
  private readonly blocking: Redis;

  constructor(private readonly options: RedisLogOptions) {
    const common = {
      lazyConnect: false,
      maxRetriesPerRequest: 1,
      enableOfflineQueue: false,
      retryStrategy: (attempt: number) => Math.min(50 * 2 ** attempt, 2_000),
      ...(options.tls ? { tls: options.tls } : {}),
    };
    this.breaker = new CircuitBreaker(options.breaker ?? { failures: 5, cooldownMs: 5_000 });
    this.redis = new Redis(options.url, { ...common, connectionName: 'leadwire-gateway', commandTimeout: options.commandTimeoutMs });
    this.blocking = new Redis(options.url, { ...common, connectionName: 'leadwire-gateway-tail' });
    // Errors surface through the calls that fail and onError; handled, so never fatal.
    this.redis.on('error', (error: Error) => {
      this.lastError = error.message;
      options.onError?.(error);
    });
    this.redis.on('ready', () => (this.lastError = undefined));
    this.blocking.on('error', () => {});
    // ioredis replays a command cut by a reconnect on the new connection: count them, so the
    // tail checks the epoch before trusting what such a read returned.
    for (const client of [this.redis, this.blocking]) {
      let connected = false;
      client.on('ready', () => {
        if (connected) this.reconnects++;
        connected = true;
      });
    }
  }

  /**
   * Every command goes through the breaker. While the connection is down its own error (refused,
   * certificate, auth) is the failure, as "Stream isn't writeable" would say nothing.
   */
  private call<T>(command: () => Promise<T>, canProbe = true): Promise<T> {
    return this.breaker.run(() => {
      if (this.redis.status !== 'ready' && this.lastError) return Promise.reject(new Error(`redis unreachable: ${this.lastError}`));
      return command();
    }, canProbe);
  }

  /** Resolves once both connections are ready (or rejects after timeoutMs). */
  async ready(timeoutMs = 10_000): Promise<void> {
    const wait = (client: Redis) =>
      client.status === 'ready'
        ? Promise.resolve()
        : new Promise<void>((resolve, reject) => {
            const timer = setTimeout(() => reject(new Error(`redis not ready after ${timeoutMs} ms`)), timeoutMs);
            client.once('ready', () => {
              clearTimeout(timer);
              resolve();
            });
          });
    await Promise.all([wait(this.redis), wait(this.blocking)]);
  }

  get connected(): boolean {
    return this.redis.status === 'ready';
  }

  async append(raw: string): Promise<Cursor> {
    const id = await this.call(() => this.redis.xadd(this.options.streamKey, '*', 'e', raw));
    return id as Cursor;
  }

  async appendOnce(tenant: string, id: string, raw: string, ttlSeconds: number): Promise<{ cursor: Cursor; duplicate: boolean }> {
    const { streamKey } = this.options;
    const claim = `${streamKey}:seen:${seenKey(tenant, id)}`;
    const [added, cursor] = (await this.call(() => this.redis.eval(APPEND_ONCE, 2, streamKey, claim, raw, ttlSeconds))) as [number, string];
    return { cursor, duplicate: added === 0 };
  }

  async readAfter(after: Cursor, count: number): Promise<LogEntry[]> {
    const raw = await this.call(() => this.redis.xrange(this.options.streamKey, `(${after}`, '+', 'COUNT', count));
    return toEntries(raw as RawEntry[]);
  }

  async readBefore(bound: Cursor, inclusive: boolean, count: number, floor?: Cursor): Promise<LogEntry[]> {
    const raw = await this.redis.xrevrange(this.options.streamKey, inclusive ? bound : `(${bound}`, floor === undefined ? '-' : `(${floor}`, 'COUNT', count);
    return toEntries(raw as RawEntry[]);
  }

  async waitAfter(after: Cursor, count: number, blockMs: number): Promise<LogEntry[]> {
    const result = (await this.call(() => this.blocking.xread('COUNT', count, 'BLOCK', blockMs, 'STREAMS', this.options.streamKey, after), false)) as
      | Array<[string, RawEntry[]]>
      | null;
    return toEntries(result?.[0]?.[1]);
  }

  async extent(): Promise<LogExtent> {
    return this.call(async () => {
      const epoch = await this.epoch();
      const info = await this.streamInfo();
      return info ? { ...info, ...epoch } : { lastId: '0-0', firstId: null, trimmed: false, ...epoch };
    });
  }

  private async streamInfo(): Promise<Omit<LogExtent, 'epoch' | 'floor'> | undefined> {
    let info: unknown[];
    try {
      info = (await this.redis.xinfo('STREAM', this.options.streamKey)) as unknown[];
    } catch (error) {
      if (/no such key/i.test((error as Error).message)) return undefined;
      throw error;
    }
    const field = (name: string) => info[info.indexOf(name) + 1];
    const length = Number(field('length'));
    const added = Number(field('entries-added'));
    const first = field('first-entry') as RawEntry | null;
    return {
      lastId: String(field('last-generated-id')),
      firstId: first ? first[0] : null,
      trimmed: added > length,
    };
  }

  /**
   * The stream's epoch, `<stream>:epoch` = "<id> <floor>", made by the first gateway that
   * finds none: a Redis that lost its data lost this key with it. The floor is where the
   * stream's own history starts: its first entry, else its head, else (no stream yet) now on
   * the Redis clock. SET NX makes every gateway agree on one; plain commands, so it needs no
   * hash tag in a cluster.
   */
  private async epoch(): Promise<{ epoch: string; floor: Cursor }> {
    const key = `${this.options.streamKey}:epoch`;
    let value = await this.redis.get(key);
    if (value === null) {
      const info = await this.streamInfo();
      let floor = info ? (info.firstId ?? info.lastId) : undefined;
      if (floor === undefined) {
        const [seconds, micros] = (await this.redis.time()) as [string | number, string | number];
        floor = `${Number(seconds) * 1000 + Math.floor(Number(micros) / 1000)}-0`;
      }
      await this.redis.set(key, `${newEpochId()} ${floor}`, 'NX');
      value = (await this.redis.get(key)) ?? `${newEpochId()} ${floor}`;
    }
    const [epoch, floor] = value.split(' ');
    return { epoch, floor: floor as Cursor };
  }

  async trim(): Promise<void> {
    const { streamKey, retention } = this.options;
    await this.call(async () => {
      await this.redis.xtrim(streamKey, 'MAXLEN', '~', retention.maxLen);
      if (retention.maxAgeMs > 0) await this.redis.xtrim(streamKey, 'MINID', '~', `${Date.now() - retention.maxAgeMs}-0`);
    });
  }

  async deadLetter(entry: LogEntry, reason: string): Promise<void> {
    const { deadLetterKey } = this.options;
    await this.call(() => this.redis.eval(DEAD_LETTER_ONCE, 2, deadLetterKey, `${deadLetterKey}:seen:${entry.id}`, entry.id, reason, entry.raw ?? ''));
  }

  /** Goes through the breaker: after its cool-down the periodic checks' ping is the probe that closes it. */
  async ping(): Promise<number> {
    return this.call(async () => {
      const start = performance.now();
      await this.redis.ping();
      return performance.now() - start;
    });
  }

  async close(): Promise<void> {
    this.blocking.disconnect();
    await this.redis.quit().catch(() => this.redis.disconnect());
  }
}
