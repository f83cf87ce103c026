import { testGateway } from './support/gateway.ts';
import { deliveryCases, DELIVERY_SETTINGS } from './delivery.cases.ts';
import type { MemoryLog } from '../src/log/memory.ts';

deliveryCases('in-memory', async () => ({
  gateway: (overrides = {}) => testGateway({ ...DELIVERY_SETTINGS, ...overrides }),
  async publishRaw(gateway, raw) {
    await gateway.log.append(raw);
  },
  async deadLetters(gateway) {
    return (gateway.log as MemoryLog).deadLetters.map(({ id, reason }) => ({ id, reason }));
  },
  async cleanup() {},
}));
