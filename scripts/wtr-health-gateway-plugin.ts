/**
 * web-test-runner plugin for <health-panel>'s end-to-end test: a real redis-server and a real
 * gateway of its own (so stopping Redis disturbs no other test), started on the first command
 * and stopped by pid/handle when the run ends. Commands (executeServerCommand):
 *   health-gateway       → { url, token, tokenWithoutScope } (tokens with and without system:read)
 *   health-redis-stop    → stops redis-server (the gateway loses its store)
 *   health-redis-start   → starts it again on the same port
 */
import type { TestRunnerPlugin } from '@web/test-runner';
import { mintToken } from '../gateway/src/auth.ts';
import { startGateway, type Gateway } from '../gateway/src/gateway.ts';
import { startRedis, type RedisServer } from '../gateway/test/support/redis.ts';

const SECRET = 'health-e2e-secret-health-e2e-secret-0001';
const TENANT = 'loc_Health01';

export function healthGatewayPlugin(): TestRunnerPlugin {
  let running: Promise<{ redis: RedisServer; gateway: Gateway }> | undefined;
  const start = async () => {
    const redis = await startRedis();
    // system.health events every 300 ms: the panel's charts start from those already logged.
    const gateway = await startGateway({ PORT: 0, REDIS_URL: redis.url, AUTH_SECRET: SECRET, LOG_LEVEL: 'silent', METRICS_HEALTH_INTERVAL_MS: 300 });
    return { redis, gateway };
  };
  return {
    name: 'health-gateway',
    async serverStop() {
      if (!running) return;
      const { redis, gateway } = await running;
      await gateway.close();
      await redis.stop();
    },
    async executeCommand({ command }) {
      if (!command.startsWith('health-')) return undefined;
      if (command === 'health-gateway' || command.startsWith('health-redis-')) running ??= start();
      const { redis, gateway } = await running!;
      switch (command) {
        case 'health-gateway':
          return {
            url: gateway.url,
            token: await mintToken({ sub: 'health-e2e', tenants: [TENANT], scopes: ['events:read', 'system:read'] }, SECRET, 3600),
            tokenWithoutScope: await mintToken({ sub: 'health-e2e', tenants: [TENANT], scopes: ['events:read'] }, SECRET, 3600),
          };
        case 'health-redis-stop':
          await redis.stop();
          return true;
        case 'health-redis-start':
          await redis.restart();
          return true;
        default:
          return undefined;
      }
    },
  };
}
