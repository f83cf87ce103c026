// Tests demo/publisher.ts: in-process pacing, and the standalone CLI against a real redis-server.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { after, before, test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { Redis } from 'ioredis';
import { envelopeSchema } from '../protocol/schemas.ts';
import { startDemoPublisher } from './publisher.ts';
import type { PublicEnvelope } from '../fixtures/traffic.ts';
import { startRedis, type RedisServer } from '../gateway/test/support/redis.ts';

async function until(condition: () => boolean, what: string, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(5);
  }
}

test('startDemoPublisher appends valid envelopes until stopped', async () => {
  const received: PublicEnvelope[] = [];
  const publisher = startDemoPublisher(async (envelope) => void received.push(envelope), { seed: 1, ratePerSecond: 5_000 });
  await until(() => received.length >= 200, '200 events');
  await publisher.stop();
  const count = received.length;
  for (const envelope of received) assert.ok(envelopeSchema.safeParse(envelope).success, envelope.type);
  await sleep(30); // a timer left armed would fire within this window
  assert.equal(received.length, count, 'nothing is appended after stop()');
});

test('a failing append is reported and the publisher carries on', async () => {
  const errors: unknown[] = [];
  let calls = 0;
  const publisher = startDemoPublisher(
    async () => {
      if (++calls % 2 === 0) throw new Error('gateway closing');
    },
    { seed: 2, ratePerSecond: 5_000, onError: (error) => errors.push(error) },
  );
  await until(() => errors.length >= 3, 'three reported failures');
  await publisher.stop();
  assert.match(String(errors[0]), /gateway closing/);
});

// ---- standalone against Redis ------------------------------------------------------------

let redis: RedisServer;
before(async () => {
  redis = await startRedis();
});
after(() => redis.stop());

test('CLI: --redis XADDs envelopes as field e; --invalid mixes in malformed entries', async () => {
  const stream = 'demo:test';
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', 'demo/publisher.ts', '--redis', redis.url, '--stream', stream, '--count', '60', '--invalid', '--seed', '9', '--rate', '2000'],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let output = '';
  child.stdout!.on('data', (chunk) => (output += chunk));
  child.stderr!.on('data', (chunk) => (output += chunk));
  const [code] = await once(child, 'exit');
  assert.equal(code, 0, output);

  const client = new Redis(redis.url);
  const entries = (await client.xrange(stream, '-', '+')) as [string, string[]][];
  client.disconnect();
  const valid = entries.filter(([, fields]) => fields[0] === 'e' && envelopeSchema.safeParse(safeJson(fields[1])).success);
  assert.equal(valid.length, 60);
  assert.equal(entries.length - valid.length, 3, 'one malformed entry per 20 valid ones');
  assert.match(output, /60 events and 3 malformed entries/);
});

function safeJson(text: string | undefined): unknown {
  try {
    return JSON.parse(text ?? '');
  } catch {
    return undefined;
  }
}
