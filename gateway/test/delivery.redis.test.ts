import { Redis } from 'ioredis';
import { deliveryCases, DELIVERY_SETTINGS, type Harness } from './delivery.cases.ts';
import { historyCases } from './history.cases.ts';
import { testGateway } from './support/gateway.ts';
import { startRedis } from './support/redis.ts';

const harness = async (): Promise<Harness> => {
  const redis = await startRedis();
  const publisher = new Redis(redis.url);
  const gateways: Array<{ close(): Promise<void> }> = [];
  return {
    async gateway(overrides = {}) {
      const gateway = await testGateway({ ...DELIVERY_SETTINGS, REDIS_URL: redis.url, ...overrides });
      gateways.push(gateway);
      return gateway;
    },
    async publishRaw(gateway, raw) {
      await publisher.xadd(gateway.config.STREAM_KEY, '*', 'e', raw);
    },
    async deadLetters(gateway) {
      const entries = (await publisher.xrange(gateway.config.DEAD_LETTER_KEY, '-', '+')) as Array<[string, string[]]>;
      return entries.map(([, fields]) => {
        const get = (name: string) => fields[fields.indexOf(name) + 1];
        return { id: get('id'), reason: get('reason') };
      });
    },
    async cleanup() {
      await Promise.all(gateways.map((g) => g.close()));
      publisher.disconnect();
      await redis.stop();
    },
  };
};

deliveryCases('redis', harness);
historyCases('redis', harness);
