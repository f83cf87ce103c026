/** The decoded-event cache: bounded, oldest out first, a repeated cursor replaces in place. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { DecodedCache, type DeliverableEvent } from '../src/decode.ts';

const event = (cursor: string, json = '{}') => ({ cursor, tenant: 't', type: 'lead.created', ts: 1, priority: 'normal', data: {}, json }) as DeliverableEvent;

test('holds the last `capacity` events; the oldest goes first; a repeated cursor evicts nothing', () => {
  const cache = new DecodedCache(3);
  for (let i = 1; i <= 3; i++) cache.set(event(`1-${i}`));
  cache.set(event('1-2', '{"v":2}'));
  assert.equal(cache.get('1-2')?.json, '{"v":2}');
  assert.ok(cache.get('1-1'), 'setting a held cursor again does not push anything out');
  cache.set(event('1-4'));
  assert.equal(cache.get('1-1'), undefined, 'the oldest is evicted');
  assert.deepEqual(['1-2', '1-3', '1-4'].map((c) => cache.get(c)?.cursor), ['1-2', '1-3', '1-4']);
  for (let i = 5; i < 10_005; i++) cache.set(event(`1-${i}`));
  assert.deepEqual([10_002, 10_003, 10_004].map((i) => cache.get(`1-${i}`)?.cursor), ['1-10002', '1-10003', '1-10004']);
  assert.equal(cache.get('1-10001'), undefined);
});
