import { testGateway } from './support/gateway.ts';
import { deliveryCases, DELIVERY_SETTINGS, type Harness } from './delivery.cases.ts';
import { historyCases } from './history.cases.ts';
import type { MemoryLog } from '../src/log/memory.ts';

const harness = async (): Promise<Harness> => ({
  gateway: (overrides = {}) => testGateway({ ...DELIVERY_SETTINGS, ...overrides }),
  async publishRaw(gateway, raw) {
    await gateway.log.append(raw);
  },
  async deadLetters(gateway) {
    return (gateway.log as MemoryLog).deadLetters.map(({ id, reason }) => ({ id, reason }));
  },
  async cleanup() {},
});

deliveryCases('in-memory', harness);
historyCases('in-memory', harness);
