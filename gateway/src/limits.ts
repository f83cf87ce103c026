/**
 * Limits that keep one client (or one address, or one tenant) from hurting the others:
 * connections per IP and per tenant, client frames per second, HTTP requests per second.
 * Over a limit the client gets the documented answer (close 4429, HTTP 429 + Retry-After);
 * nothing here throws. Sizes are bounded elsewhere: MAX_FRAME_BYTES by the ws server (close
 * 1009), INGEST_MAX_BYTES by the ingest route's body parser (413).
 */
import type { IncomingMessage } from 'node:http';
import type { RequestHandler } from 'express';
import type { Config } from './config.ts';

/** A token bucket: `rate` tokens per second up to `burst`; `take()` spends one if it can. */
export class TokenBucket {
  private tokens: number;
  private updatedAt = performance.now();

  constructor(
    private readonly rate: number,
    private readonly burst: number,
  ) {
    this.tokens = burst;
  }

  take(): boolean {
    this.refill();
    if (this.tokens < 1) return false;
    this.tokens -= 1;
    return true;
  }

  /** Seconds until one token is available (0 when one is). */
  retryAfterSeconds(): number {
    this.refill();
    return this.tokens >= 1 ? 0 : Math.ceil((1 - this.tokens) / this.rate);
  }

  /** True when the bucket is full again: nothing is remembered that a new bucket would not know. */
  get idle(): boolean {
    this.refill();
    return this.tokens >= this.burst;
  }

  private refill(): void {
    const now = performance.now();
    this.tokens = Math.min(this.burst, this.tokens + ((now - this.updatedAt) / 1000) * this.rate);
    this.updatedAt = now;
  }
}

/**
 * The client's address: the socket's peer, or, behind TRUST_PROXY_HOPS proxies, the entry that
 * many hops from the right of X-Forwarded-For (entries further left are the client's own claims).
 */
export function clientIp(req: IncomingMessage, trustProxyHops: number): string {
  const peer = req.socket.remoteAddress ?? 'unknown';
  if (trustProxyHops === 0) return peer;
  const header = req.headers['x-forwarded-for'];
  const hops = (Array.isArray(header) ? header.join(',') : (header ?? '')).split(',').map((s) => s.trim()).filter(Boolean);
  return hops[hops.length - trustProxyHops] ?? hops[0] ?? peer;
}

/** Counts of open connections by key, refusing past a maximum. */
class Counter {
  private readonly counts = new Map<string, number>();
  constructor(readonly max: number) {}

  /** Takes a slot for every key, or none: returns the first key that is full. */
  acquire(keys: Iterable<string>): string | undefined {
    const list = [...keys];
    const full = list.find((key) => (this.counts.get(key) ?? 0) >= this.max);
    if (full !== undefined) return full;
    for (const key of list) this.counts.set(key, (this.counts.get(key) ?? 0) + 1);
    return undefined;
  }

  release(keys: Iterable<string>): void {
    for (const key of keys) {
      const left = (this.counts.get(key) ?? 0) - 1;
      if (left > 0) this.counts.set(key, left);
      else this.counts.delete(key);
    }
  }

  count(key: string): number {
    return this.counts.get(key) ?? 0;
  }
}

/**
 * Connection slots per client IP (taken at connect) and per tenant (taken at hello), and the
 * rate at which one IP may open connections (a reconnect storm from one address is slowed
 * down, not served).
 */
export class ConnectionLimits {
  readonly perIp: Counter;
  readonly perTenant: Counter;
  private readonly connectRate: RateByKey;
  private readonly framesPerSecond: number;
  /** Refusals by limit, for metrics. */
  readonly refused = { ip: 0, connectRate: 0, tenant: 0, frames: 0, http: 0 };

  constructor(
    config: Pick<Config, 'MAX_CONNECTIONS_PER_IP' | 'MAX_CONNECTIONS_PER_TENANT' | 'MAX_CONNECTS_PER_SECOND_PER_IP' | 'MAX_FRAMES_PER_SECOND'>,
  ) {
    this.perIp = new Counter(config.MAX_CONNECTIONS_PER_IP);
    this.perTenant = new Counter(config.MAX_CONNECTIONS_PER_TENANT);
    this.connectRate = new RateByKey(config.MAX_CONNECTS_PER_SECOND_PER_IP, config.MAX_CONNECTS_PER_SECOND_PER_IP * 5);
    this.framesPerSecond = config.MAX_FRAMES_PER_SECOND;
  }

  /** A release function, or the reason the address may not open another connection now. */
  admitIp(ip: string): { release: () => void } | { refused: string } {
    if (!this.connectRate.take(ip).ok) {
      this.refused.connectRate++;
      return { refused: 'connecting too often from your address: retry later' };
    }
    if (this.perIp.acquire([ip]) !== undefined) {
      this.refused.ip++;
      return { refused: 'too many connections from your address: retry later' };
    }
    return { release: once(() => this.perIp.release([ip])) };
  }

  /** Takes a slot in each of the token's tenants; `full` names a tenant at its maximum. */
  admitTenants(tenants: Iterable<string>): { release: () => void } | { full: string } {
    const list = [...tenants];
    const full = this.perTenant.acquire(list);
    if (full !== undefined) {
      this.refused.tenant++;
      return { full };
    }
    return { release: once(() => this.perTenant.release(list)) };
  }

  /** One connection's client frames (burst twice the rate): false, and counted, past the limit. */
  frameAllowance(): () => boolean {
    const bucket = new TokenBucket(this.framesPerSecond, this.framesPerSecond * 2);
    return () => {
      if (bucket.take()) return true;
      this.refused.frames++;
      return false;
    };
  }
}

function once(fn: () => void): () => void {
  let done = false;
  return () => {
    if (done) return;
    done = true;
    fn();
  };
}

/**
 * A token bucket per key (client IP). Buckets that have refilled are forgotten, so memory
 * follows the number of recently active addresses, not every address ever seen.
 */
export class RateByKey {
  private readonly buckets = new Map<string, TokenBucket>();
  private calls = 0;
  constructor(
    private readonly rate: number,
    private readonly burst: number,
  ) {}

  /** The key's bucket after spending one token: `take` says whether there was one. */
  take(key: string): { ok: boolean; bucket: TokenBucket } {
    if (++this.calls % 1_000 === 0) {
      for (const [k, bucket] of this.buckets) if (bucket.idle) this.buckets.delete(k);
    }
    let bucket = this.buckets.get(key);
    if (!bucket) this.buckets.set(key, (bucket = new TokenBucket(this.rate, this.burst)));
    return { ok: bucket.take(), bucket };
  }
}

/**
 * Per-IP request rate for HTTP routes: over it, 429 `{"error":"rate_limited","message":…}`
 * with Retry-After (seconds).
 */
export function httpRateLimit(
  config: Pick<Config, 'HTTP_RATE_PER_SECOND' | 'HTTP_RATE_BURST' | 'TRUST_PROXY_HOPS'>,
  onRefused?: () => void,
): RequestHandler {
  const rates = new RateByKey(config.HTTP_RATE_PER_SECOND, config.HTTP_RATE_BURST);
  return (req, res, next) => {
    const { ok, bucket } = rates.take(clientIp(req, config.TRUST_PROXY_HOPS));
    if (ok) return next();
    onRefused?.();
    const retryAfter = Math.max(1, bucket.retryAfterSeconds());
    res.setHeader('Retry-After', String(retryAfter));
    res.status(429).json({ error: 'rate_limited', message: `too many requests; retry after ${retryAfter} s` });
  };
}
