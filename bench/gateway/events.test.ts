import assert from 'node:assert/strict';
import { test } from 'node:test';
import { matches } from '../../protocol/index.ts';
import { envelopeSchema } from '../../protocol/schemas.ts';
import { BENCH_FILTER, benchEnvelope, tenantIds } from './events.ts';
import { seqOf } from './stats.ts';

test('the benchmark publishes envelopes the gateway accepts, numbered per tenant', () => {
  const [tenant] = tenantIds(1);
  for (let seq = 0; seq < 40; seq++) {
    const envelope = benchEnvelope(tenant, seq, 1_700_000_000_000 + seq);
    const parsed = envelopeSchema.safeParse(envelope);
    assert.ok(parsed.success, parsed.success ? '' : parsed.error.message);
    assert.equal(envelope.priority, 'normal');
    assert.equal(envelope.tenant, tenant);
    assert.equal(seqOf(envelope.id), seq);
  }
});

test('tenant ids are distinct valid GHL-style location ids', () => {
  const ids = tenantIds(500);
  assert.equal(new Set(ids).size, 500);
  for (const id of ids) assert.match(id, /^[A-Za-z0-9_-]{1,128}$/);
});

test('every benchmark event matches the filter half the clients subscribe with, and the filter is not empty', () => {
  let checked = 0;
  for (const tenant of tenantIds(50)) {
    for (let seq = 0; seq < 400; seq++) {
      const envelope = benchEnvelope(tenant, seq, 1_700_000_000_000 + seq);
      assert.ok(matches(envelope, BENCH_FILTER), `${envelope.id} (${envelope.type}) does not match`);
      checked++;
    }
  }
  assert.equal(checked, 20_000);
  // It filters for real: other families, stages and budgets are left out.
  const base = benchEnvelope(tenantIds(1)[0], 1, 1_700_000_000_000);
  assert.ok(!matches({ ...base, type: 'cache.hit' }, BENCH_FILTER));
  assert.ok(!matches({ ...base, data: { ...base.data, stage: 'closed' } }, BENCH_FILTER));
  assert.ok(!matches({ ...base, data: { ...base.data, budget: { min: 10_000, max: 50_000 } } }, BENCH_FILTER));
});
