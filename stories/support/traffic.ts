/**
 * The demo's traffic generator (demo/traffic.ts) shaped as delivered events: each envelope
 * stamped with the caller's time and its priority resolved. Seeded, so stories look the same on
 * every load.
 */
import { createTraffic as demoTraffic, type PublicEnvelope } from '../../demo/traffic.ts';
import { DEFAULT_PRIORITY, type StreamEvent } from '../../protocol/index.ts';

export interface TrafficOptions {
  seed?: number;
  tenants?: readonly string[];
}

export function createTraffic({ seed = 42, tenants }: TrafficOptions = {}) {
  const traffic = demoTraffic({ seed, tenants });
  return {
    /** The next event at `ts`, without a cursor (the log gives it one). */
    next(ts = Date.now()): Omit<StreamEvent, 'cursor'> {
      const envelope: PublicEnvelope = traffic.next();
      return { ...envelope, ts, priority: envelope.priority ?? DEFAULT_PRIORITY[envelope.type] } as Omit<StreamEvent, 'cursor'>;
    },
  };
}
