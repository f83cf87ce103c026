/**
 * The benchmark publisher process: writes envelopes into Redis at a steady overall rate,
 * stamping `ts = Date.now()` as it sends. Each event goes to a tenant drawn at random (seeded,
 * so runs are comparable): per tenant, traffic is bursty as real lead traffic is, which is what
 * exercises the gateway's coalescing. `round-robin` gives each tenant a perfectly even beat. Leadwire reads them from the stream
 * (`XADD leadwire:events * e <json>`); the Socket.IO baseline from pub/sub
 * (`PUBLISH leadwire:<tenant> <json>`, as existing bots publish).
 */
import { Redis } from 'ioredis';
import { benchEnvelope } from './events.ts';
import type { PublishRequest, PublishedReply } from './messages.ts';

const TICK_MS = 1;

/** mulberry32: a small deterministic PRNG. */
function seededRandom(seed: number): () => number {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

async function publish(request: PublishRequest): Promise<PublishedReply> {
  const redis = new Redis(request.redisUrl, { lazyConnect: true, maxRetriesPerRequest: 3 });
  await redis.connect();
  const { tenants, ratePerSecond } = request;
  const total = Math.round(ratePerSecond * request.seconds);
  const perTenant = new Array<number>(tenants.length).fill(0);
  const random = seededRandom(42);
  const pick = request.tenantOrder === 'round-robin' ? (n: number) => n % tenants.length : () => Math.floor(random() * tenants.length);
  const started = performance.now();
  let sent = 0;
  let maxBehindMs = 0;

  while (sent < total) {
    const elapsed = performance.now() - started;
    const due = Math.min(total, Math.floor((elapsed * ratePerSecond) / 1000));
    if (due > sent) {
      maxBehindMs = Math.max(maxBehindMs, elapsed - (sent * 1000) / ratePerSecond);
      const batch = redis.pipeline();
      for (; sent < due; sent++) {
        const t = pick(sent);
        const tenant = tenants[t];
        const json = JSON.stringify(benchEnvelope(tenant, perTenant[t]++, Date.now()));
        if (request.system === 'leadwire') batch.xadd('leadwire:events', '*', 'e', json);
        else batch.publish(`leadwire:${tenant}`, json);
      }
      await batch.exec();
    }
    await new Promise((resolve) => setTimeout(resolve, TICK_MS));
  }
  const elapsedMs = performance.now() - started;
  await redis.quit();
  return {
    type: 'published',
    published: tenants.map((tenant, i) => [tenant, perTenant[i]]),
    total: sent,
    maxBehindMs: Math.round(maxBehindMs),
    elapsedMs: Math.round(elapsedMs),
  };
}

process.on('message', (message: PublishRequest) => {
  if (message.type === 'publish') void publish(message).then((reply) => process.send?.(reply));
});
process.on('disconnect', () => process.exit(0));
process.send?.({ type: 'ready' });
