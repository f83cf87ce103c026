/**
 * Priority lanes (docs/protocol.md §7): on a busy connection the most urgent pending event sets
 * how long a frame may wait after the previous one — critical none, high BATCH_HIGH_WAIT_MS,
 * normal BATCH_MAX_WAIT_MS, low BATCH_LOW_WAIT_MS; a quiet connection never waits, low events
 * included. Checked on Session.dueAt with given clocks, and end to end with windows far
 * longer than any test waits.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { Priority } from '../../protocol/index.ts';
import type { DeliverableEvent } from '../src/decode.ts';
import type { Gateway } from '../src/gateway.ts';
import { Session, type SessionLimits, type Sink } from '../src/session.ts';
import { token } from './delivery.cases.ts';
import { TestClient } from './support/client.ts';
import { leadEvent } from './support/events.ts';
import { testGateway } from './support/gateway.ts';

const limits: SessionLimits = {
  sendBufferBytes: 1 << 20,
  replayLiveBuffer: 1_000,
  replayLiveBufferBytes: 1 << 20,
  batchMaxWaitMs: 10,
  batchHighWaitMs: 5,
  batchLowWaitMs: 50,
  batchBusyRate: 100,
};
const sink: Sink = { transport: 'ws', send() {}, bufferedBytes: () => 0, close() {} };
let seq = 0;
const event = (priority: Priority): DeliverableEvent => ({
  cursor: `1-${seq++}`,
  type: 'lead.created',
  tenant: 't',
  ts: 1,
  priority,
  data: {},
  json: '{}',
});
function liveSession(): Session {
  const session = new Session(sink, { subject: 's', tenants: new Set(['t']), scopes: new Set(['events:read']), expiresAt: null }, limits);
  session.subscribe(undefined);
  session.beginReplay();
  session.endReplay('0-0');
  return session;
}

test('busy connection: the frame waits as long as its most urgent event allows (critical 0, high 5, normal 10, low 50)', () => {
  const session = liveSession();
  for (let i = 0; i < 50; i++) session.offer(event('normal')); // busy: 50 events just now
  session.flush(1_000);
  const dueFor = (...priorities: Priority[]) => {
    for (const p of priorities) session.offer(event(p));
    const due = session.dueAt();
    session.flush(1_000);
    return due;
  };
  assert.equal(dueFor('low', 'low'), 1_050, 'low only: the low window');
  assert.equal(dueFor('low', 'normal'), 1_010, 'normal sets the window');
  assert.equal(dueFor('normal', 'high', 'low'), 1_005, 'high sets the window');
  assert.equal(dueFor('low', 'critical'), 0, 'critical: now');
});

test('quiet connection: every event is due at once, low ones too', () => {
  const session = liveSession();
  session.offer(event('normal'));
  session.flush(1_000);
  session.offer(event('low'));
  assert.equal(session.dueAt(), 0);
});

let gateway: Gateway;
before(async () => {
  gateway = await testGateway({ BATCH_MAX_WAIT_MS: 60_000, BATCH_HIGH_WAIT_MS: 60_000, BATCH_LOW_WAIT_MS: 60_000, BATCH_BUSY_RATE: 100 });
});
after(() => gateway.close());

test('end to end: a low event on a quiet connection right after a frame arrives without waiting out the low window', async () => {
  const client = await TestClient.connect(gateway.url, { token: await token(['t-lane']) });
  await client.waitWelcome();
  await gateway.append(leadEvent('t-lane'));
  await client.waitEvents(1);
  // Let the connection's rate decay: it is quiet again.
  await new Promise((resolve) => setTimeout(resolve, 500));
  await gateway.append(leadEvent('t-lane', { priority: 'low' }));
  await client.waitEvents(2, 10_000);
  await client.close();
});
