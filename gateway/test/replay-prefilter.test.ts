/** The replay pre-check that spares decoding other tenants' events must never hide one's own. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { tenantPrefilter } from '../src/replay.ts';

const raw = (tenant: string, extra = '') => `{"id":"e1","type":"lead.created","tenant":"${tenant}","ts":1,"data":{"name":"Ana"${extra}}}`;

test('replay pre-check: others are skipped; own, deployment-wide and escaped text are always decoded', () => {
  const concerns = tenantPrefilter(new Set(['loc_a', 'loc_b']))!;
  assert.equal(concerns(raw('loc_c')), false, "another tenant's event is not decoded");
  assert.equal(concerns(raw('loc_a')), true);
  assert.equal(concerns(raw('loc_b')), true);
  assert.equal(concerns(raw('*')), true, 'deployment-wide (system) events may concern every session');
  assert.equal(concerns(raw('loc\\u005fa')), true, 'a tenant spelled with escapes is decoded, not guessed');
  assert.equal(concerns(raw('loc_c', ',"note":"\\/"')), true, 'any backslash means: decode');
  assert.equal(concerns(raw('loc_c', ',"note":"loc_a"')), true, 'a mention elsewhere only costs a decode');
  assert.equal(concerns(undefined), true, 'an entry without an envelope goes to the decoder, which reports it');
  assert.equal(concerns(raw('loc_aa')), false, 'a tenant id inside a longer one is not a match');
});

test('replay pre-check is off where it would not pay: no tenants or many', () => {
  assert.equal(tenantPrefilter(new Set()), undefined);
  assert.equal(tenantPrefilter(new Set(Array.from({ length: 17 }, (_, i) => `loc_${i}`))), undefined);
});
