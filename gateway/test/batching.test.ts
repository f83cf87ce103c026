/** Adaptive batching and heartbeats, observed from a real client. */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { CloseCode } from '../../protocol/index.ts';
import type { Gateway } from '../src/gateway.ts';
import { testGateway } from './support/gateway.ts';
import { TestClient } from './support/client.ts';
import { ids, leadEvent } from './support/events.ts';
import { token } from './delivery.cases.ts';

let gateway: Gateway;
before(async () => {
  // A coalescing window far longer than any test waits: whatever arrives early did not wait.
  gateway = await testGateway({ BATCH_MAX_WAIT_MS: 60_000, BATCH_LOW_WAIT_MS: 60_000 });
});
after(() => gateway.close());

const framesWithEvents = (client: TestClient) => client.frames.filter((f) => f.type === 'events').length;

test('idle: the first event goes out at once; busy: later ones coalesce; critical flushes them all now', async () => {
  const client = await TestClient.connect(gateway.url, { token: await token(['t-batch']) });
  await client.waitWelcome();
  const first = leadEvent('t-batch');
  await gateway.append(first);
  await client.waitEvents(1);
  assert.equal(framesWithEvents(client), 1);

  // Within the window after a flush, normal events wait to be coalesced…
  const waiting = Array.from({ length: 5 }, () => leadEvent('t-batch'));
  for (const e of waiting) {
    await gateway.append(e);
    await new Promise((r) => setImmediate(r));
  }
  await client.waitFor(() => false, 'nothing yet', 300).catch(() => {});
  assert.equal(client.events.length, 1, 'busy connection holds normal events to coalesce them');

  // …until a critical one arrives, which goes at once and takes them along in order, in one frame.
  const critical = leadEvent('t-batch', { priority: 'critical' }, { temperature: 'hot' });
  await gateway.append(critical);
  await client.waitEvents(7, 10_000);
  assert.deepEqual(ids(client.events), [first.id, ...ids(waiting), critical.id]);
  assert.equal(client.events.at(-1)?.priority, 'critical');
  assert.equal(framesWithEvents(client), 2);
  await client.close();
});

test('a quiet connection gets every event at once, even right after a frame; only a busy one waits', async () => {
  // The same minute-long window, but coalescing starts at 50 events/s per connection.
  const quiet = await testGateway({ BATCH_MAX_WAIT_MS: 60_000, BATCH_LOW_WAIT_MS: 60_000, BATCH_BUSY_RATE: 50 });
  try {
    const client = await TestClient.connect(quiet.url, { token: await token(['t-quiet']) });
    await client.waitWelcome();
    for (let n = 1; n <= 3; n++) {
      // Each right after the previous frame: held for the window, they would not arrive in time.
      await quiet.append(leadEvent('t-quiet'));
      await client.waitEvents(n, 10_000);
    }
    assert.equal(framesWithEvents(client), 3, 'one frame per event, none held back');
    // A burst makes the connection busy: what follows waits to be coalesced…
    for (let i = 0; i < 20; i++) await quiet.append(leadEvent('t-quiet'));
    await client.waitFor(() => false, 'nothing yet', 300).catch(() => {});
    assert.ok(client.events.length < 23, `a busy connection holds events (got ${client.events.length} of 23)`);
    // …until a critical event takes everything along.
    await quiet.append(leadEvent('t-quiet', { priority: 'critical' }));
    await client.waitEvents(24, 10_000);
    await client.close();
  } finally {
    await quiet.close();
  }
});

test('a client that answers no heartbeat is closed with the heartbeat-timeout code', async () => {
  const quick = await testGateway({ HEARTBEAT_MS: 1_000 });
  try {
    const silent = await TestClient.connect(quick.url, { token: await token(['t-hb']) });
    await silent.waitWelcome();
    // Stop answering pings: drop the client's auto-pong by replacing send.
    silent.send = () => {};
    const responsive = await TestClient.connect(quick.url, { token: await token(['t-hb']) });
    await responsive.waitWelcome();
    const closed = await silent.waitClosed(10_000);
    assert.equal(closed.code, CloseCode.HeartbeatTimeout);
    assert.equal(responsive.closed, undefined, 'a client that answers pings stays');
    assert.ok(responsive.frames.some((f) => f.type === 'ping'));
    await responsive.close();
  } finally {
    await quick.close();
  }
});
