/**
 * Bundled by run.ts into a classic script for the embed pages: `benchRows(n)` makes n delivered
 * events of realistic demo traffic, so an export is timed on rows like the feed's, not on toys.
 */
import { createTraffic } from '../../fixtures/traffic.ts';
import { DEFAULT_PRIORITY } from '../../protocol/catalog.ts';
import type { StreamEvent } from '../../protocol/index.ts';

function benchRows(n: number): StreamEvent[] {
  const traffic = createTraffic({ seed: 5 });
  const start = Date.now() - n * 1000;
  return Array.from({ length: n }, (_, i) => {
    const envelope = traffic.next();
    const ts = start + i * 1000;
    return { ...envelope, ts, priority: envelope.priority ?? DEFAULT_PRIORITY[envelope.type], cursor: `${ts}-${i}` } as StreamEvent;
  });
}

(window as unknown as { benchRows: typeof benchRows }).benchRows = benchRows;
