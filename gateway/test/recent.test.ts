/** The recent-events window: what a replay from memory may and may not claim. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { DeliverableEvent } from '../src/decode.ts';
import { RecentEvents } from '../src/recent.ts';

let seq = 0;
const event = (tenant: string): DeliverableEvent =>
  ({ cursor: `1000-${seq++}`, tenant, type: 'lead.created', ts: 1, priority: 'normal', data: {}, json: '{}' }) as DeliverableEvent;
const cursors = (result: ReturnType<RecentEvents['since']>) => result?.events.map((e) => e.cursor);

test('since(): the tenants asked for and deployment-wide events after the cursor, in log order', () => {
  const recent = new RecentEvents(100);
  const log = ['a', 'b', '*', 'a', 'c', 'b', 'a', '*'].map(event);
  log.forEach((e) => recent.append(e));
  const [first] = log;
  const only = (...tenants: string[]) => log.filter((e, i) => i > 0 && (tenants.includes(e.tenant) || e.tenant === '*')).map((e) => e.cursor);
  assert.deepEqual(cursors(recent.since(first.cursor, new Set(['a']))), only('a'));
  assert.deepEqual(cursors(recent.since(first.cursor, new Set(['a', 'b']))), only('a', 'b'));
  assert.deepEqual(cursors(recent.since(log[5].cursor, new Set(['c']))), [log[7].cursor]);
  assert.equal(recent.since(first.cursor, new Set(['a']))?.through, log[7].cursor, 'runs through the newest event held');
  assert.deepEqual(cursors(recent.since(log[7].cursor, new Set(['a']))), []);
});

test('since(): nothing is claimed before the first event seen, nor before what was evicted', () => {
  const recent = new RecentEvents(3);
  assert.equal(recent.since('0-0', new Set(['a'])), undefined, 'empty: nothing is known');
  const log = Array.from({ length: 5 }, () => event('a'));
  recent.append(log[0]);
  assert.equal(recent.since('999-0', new Set(['a'])), undefined, 'before the first event seen');
  log.slice(1).forEach((e) => recent.append(e));
  // Held: 2, 3, 4. Everything after 1 is held; resuming from 0 would miss 1.
  assert.equal(recent.since(log[0].cursor, new Set(['a'])), undefined);
  assert.deepEqual(cursors(recent.since(log[1].cursor, new Set(['a']))), [log[2], log[3], log[4]].map((e) => e.cursor));
});

test('a cursor newer than the window (another gateway ran ahead) is what the replay runs through', () => {
  const recent = new RecentEvents(10);
  recent.append(event('a'));
  const ahead = `1000-${seq + 50}`;
  assert.deepEqual(recent.since(ahead, new Set(['a'])), { events: [], through: ahead });
});

test('eviction keeps each tenant exact over many wraps (compaction included); capacity 0 holds nothing', () => {
  const recent = new RecentEvents(2_000);
  const tenants = ['a', 'b', 'c', 'd', 'e'];
  const log: DeliverableEvent[] = [];
  for (let i = 0; i < 20_000; i++) {
    const e = event(tenants[(i * 7 + (i >> 3)) % tenants.length]);
    log.push(e);
    recent.append(e);
  }
  const from = log[log.length - 1_500].cursor;
  for (const tenant of tenants) {
    const expected = log.slice(-1_499).filter((e) => e.tenant === tenant).map((e) => e.cursor);
    assert.deepEqual(cursors(recent.since(from, new Set([tenant]))), expected, tenant);
  }
  // Held: the last 2,000. Resuming from the event just before them is covered; one earlier is not.
  assert.equal(recent.since(log[log.length - 2_001].cursor, new Set(tenants))?.events.length, 2_000);
  assert.equal(recent.since(log[log.length - 2_002].cursor, new Set(tenants)), undefined);
  // What is held stays bounded however long it runs, with few tenants or many.
  assert.ok(recent.retained() < 2 * 2_000 + tenants.length, `retained ${recent.retained()}`);
  const many = new RecentEvents(1_000);
  for (let i = 0; i < 50_000; i++) many.append(event(`t${i % 500}`));
  assert.ok(many.retained() < 2 * 1_000 + 500, `retained ${many.retained()} with 500 tenants`);
  const off = new RecentEvents(0);
  off.append(event('a'));
  assert.equal(off.since('0-0', new Set(['a'])), undefined);
});
