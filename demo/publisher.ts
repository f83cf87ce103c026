/**
 * The demo publisher: fixtures/traffic.ts paced by its schedule (steady traffic, quiet periods,
 * bursts of 20–50). In-process for `npm start` (the gateway passes its `append`), or standalone
 * against Redis:
 *
 *   node --import tsx demo/publisher.ts --redis redis://127.0.0.1:6379 [--stream leadwire:events]
 *        [--invalid] [--seed 42] [--rate 3] [--count 500]
 *
 * `--invalid` mixes in a few malformed entries (about one in twenty) to show dead-lettering.
 */
import { parseArgs } from 'node:util';
import { pathToFileURL } from 'node:url';
import { createTraffic, schedule, type PublicEnvelope, type ScheduleOptions, type TrafficOptions } from '../fixtures/traffic.ts';

export interface DemoPublisherOptions extends TrafficOptions, ScheduleOptions {
  /** Called when publishing a batch fails; the publisher carries on. Default: console.error once per message. */
  onError?: (error: unknown) => void;
}

export interface DemoPublisher {
  /** Stops the timers; resolves once the batch in flight (if any) has been handed over. */
  stop(): Promise<void>;
}

/**
 * Calls `publish(n)` with the size of each scheduled batch, waiting for it before arming the next
 * timer, so a slow sink slows the demo down instead of piling up work.
 */
function pace(publish: (count: number) => Promise<void>, options: DemoPublisherOptions): DemoPublisher {
  const steps = schedule(options);
  const onError = options.onError ?? logOnce();
  let timer: ReturnType<typeof setTimeout> | undefined;
  let inFlight: Promise<void> = Promise.resolve();
  let stopped = false;

  const arm = () => {
    if (stopped) return;
    const step = steps.next().value;
    timer = setTimeout(() => {
      inFlight = publish(step.count).catch(onError).finally(arm);
    }, step.delayMs);
  };
  arm();
  return {
    async stop() {
      stopped = true;
      clearTimeout(timer);
      await inFlight;
    },
  };
}

function logOnce() {
  const seen = new Set<string>();
  return (error: unknown) => {
    const message = error instanceof Error ? error.message : String(error);
    if (seen.has(message)) return;
    seen.add(message);
    console.error(`demo publisher: ${message}`);
  };
}

/** Drives realistic traffic into `append` (e.g. the gateway's in-process append) until stopped. */
export function startDemoPublisher(
  append: (envelope: PublicEnvelope) => Promise<unknown>,
  options: DemoPublisherOptions = {},
): DemoPublisher {
  const traffic = createTraffic(options);
  return pace(async (count) => {
    const batch = count === 1 ? [traffic.next()] : traffic.burst(count);
    for (const envelope of batch) await append(envelope);
  }, options);
}

// ---- standalone: XADD into Redis -----------------------------------------------------------

/** Malformed stream entries as fields of XADD; the gateway must dead-letter every one. */
export function malformedEntries(valid: PublicEnvelope): string[][] {
  return [
    ['e', '{"id":"broken-json",'],
    ['e', JSON.stringify({ ...valid, id: `${valid.id}-unknown`, type: 'lead.teleported' })],
    ['e', JSON.stringify({ ...valid, id: `${valid.id}-no-tenant`, tenant: undefined })],
    ['e', JSON.stringify({ ...valid, id: `${valid.id}-bad-score`, type: 'lead.analysis_completed', data: { leadId: 'L1', analysisId: 'A1', temperature: 'hot', score: 140 } })],
    ['payload', JSON.stringify(valid)], // no `e` field
  ];
}

async function main(argv: string[]): Promise<void> {
  const { values } = parseArgs({
    args: argv,
    options: {
      redis: { type: 'string' },
      stream: { type: 'string', default: 'leadwire:events' },
      invalid: { type: 'boolean', default: false },
      seed: { type: 'string' },
      rate: { type: 'string' },
      count: { type: 'string' },
    },
  });
  if (!values.redis) throw new Error('--redis <url> is required, e.g. --redis redis://127.0.0.1:6379');
  const { Redis } = await import('ioredis');
  const redis = new Redis(values.redis, { lazyConnect: true, maxRetriesPerRequest: 2 });
  await redis.connect();
  const stream = values.stream;
  const limit = values.count ? Number(values.count) : Infinity;
  const traffic = createTraffic({ seed: values.seed ? Number(values.seed) : undefined });
  let published = 0;
  let malformed = 0;

  let publisher: DemoPublisher | undefined;
  const finish = async () => {
    await publisher?.stop();
    await redis.quit();
    console.log(`demo publisher: ${published} events${values.invalid ? ` and ${malformed} malformed entries` : ''} → ${stream}`);
  };
  await new Promise<void>((resolve, reject) => {
    publisher = pace(
      async (count) => {
        const batch = (count === 1 ? [traffic.next()] : traffic.burst(count)).slice(0, limit - published);
        const pipeline = redis.pipeline();
        for (const envelope of batch) {
          pipeline.xadd(stream, '*', 'e', JSON.stringify(envelope));
          if (values.invalid && (published + 1) % 20 === 0) {
            const entries = malformedEntries(envelope);
            pipeline.xadd(stream, '*', ...entries[malformed++ % entries.length]);
          }
          published++;
        }
        const failed = (await pipeline.exec())?.find(([error]) => error);
        if (failed) throw failed[0];
        if (published >= limit) resolve();
      },
      { seed: values.seed ? Number(values.seed) : undefined, ratePerSecond: values.rate ? Number(values.rate) : undefined, onError: reject },
    );
    process.once('SIGINT', resolve);
    process.once('SIGTERM', resolve);
  });
  await finish();
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main(process.argv.slice(2)).catch((error: unknown) => {
    console.error(`demo publisher: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  });
}
