import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  CATALOG,
  DEFAULT_PRIORITY,
  PUBLIC_EVENT_TYPES,
  compareCursors,
  isCursor,
  matches,
  isEmptyFilter,
  shouldReconnect,
  CloseCode,
} from './index.ts';
import { envelopeSchema, clientFrameSchema, describeIssues, storedEnvelopeSchema } from './schemas.ts';

test('the catalog has 21 public types in five families, each with a default priority', () => {
  assert.equal(PUBLIC_EVENT_TYPES.length, 21);
  assert.deepEqual(Object.keys(CATALOG), ['lead', 'ghl', 'cache', 'system', 'connection']);
  for (const type of PUBLIC_EVENT_TYPES) assert.ok(DEFAULT_PRIORITY[type], type);
  assert.equal(DEFAULT_PRIORITY['system.alert'], 'critical');
});

test('cursors compare numerically, not as strings', () => {
  assert.ok(compareCursors('9-0', '10-0') < 0);
  assert.ok(compareCursors('10-2', '10-10') < 0);
  assert.equal(compareCursors('5-5', '5-5'), 0);
  assert.ok(isCursor('1700000000000-3'));
  assert.ok(!isCursor('$'));
  assert.ok(!isCursor('12'));
});

const lead = {
  id: 'evt-1',
  type: 'lead.analysis_completed',
  tenant: 'loc_1',
  ts: 1_700_000_000_000,
  data: {
    leadId: 'L1',
    name: 'Ana Souza',
    source: 'Zillow',
    analysisId: 'A1',
    temperature: 'hot',
    stage: 'qualifying',
    score: 87,
    budget: { min: 300_000, max: 600_000, currency: 'USD' },
    timeline: 'asap',
  },
};

test('a valid envelope parses; publisher extras are kept', () => {
  const parsed = envelopeSchema.parse({ ...lead, data: { ...lead.data, crmNote: 'x' } });
  assert.equal(parsed.type, 'lead.analysis_completed');
  assert.equal((parsed.data as Record<string, unknown>).crmNote, 'x');
});

test('an invalid envelope names the field and what is wrong', () => {
  const result = envelopeSchema.safeParse({ ...lead, data: { ...lead.data, score: 140 } });
  assert.ok(!result.success);
  assert.match(describeIssues(result.error), /^data\.score: /);
  const unknown = envelopeSchema.safeParse({ ...lead, type: 'lead.teleported' });
  assert.ok(!unknown.success);
  assert.match(describeIssues(unknown.error), /type/);
});

test('publishers cannot send audit.export but the log may hold it', () => {
  const audit = {
    id: 'a1',
    type: 'audit.export',
    tenant: 'loc_1',
    ts: 1,
    data: { subject: 'u1', format: 'csv', rows: 3, filters: 'Hot' },
  };
  assert.ok(!envelopeSchema.safeParse(audit).success);
  assert.ok(storedEnvelopeSchema.safeParse(audit).success);
});

test('client frames: hello with a malformed cursor is rejected', () => {
  assert.ok(clientFrameSchema.safeParse({ type: 'hello', v: 1, cursor: '1-0' }).success);
  assert.ok(!clientFrameSchema.safeParse({ type: 'hello', v: 1, cursor: 'latest' }).success);
  assert.ok(!clientFrameSchema.safeParse({ type: 'subscribe', subscription: { filter: { bogus: 1 } } }).success);
});

test('matches(): every condition narrows; unset conditions do not', () => {
  assert.ok(matches(lead, undefined));
  assert.ok(matches(lead, {}));
  assert.ok(isEmptyFilter({ text: '  ' }));
  assert.ok(matches(lead, { temperatures: ['hot'], stages: ['qualifying'], timelines: ['asap'] }));
  assert.ok(!matches(lead, { temperatures: ['cold'] }));
  assert.ok(!matches(lead, { stages: ['closed'] }));
  assert.ok(!matches(lead, { timelines: ['12m+'] }));
  assert.ok(matches(lead, { from: lead.ts, to: lead.ts }));
  assert.ok(!matches(lead, { from: lead.ts + 1 }));
  assert.ok(!matches(lead, { to: lead.ts - 1 }));
  assert.ok(matches(lead, { types: ['lead'] }), 'a family matches its types');
  assert.ok(matches(lead, { types: ['lead.analysis_completed'] }));
  assert.ok(!matches(lead, { types: ['system', 'lead.created'] }));
  assert.ok(matches(lead, { budgetMin: 500_000 }), 'ranges overlap');
  assert.ok(!matches(lead, { budgetMin: 700_000 }));
  assert.ok(!matches(lead, { budgetMax: 200_000 }));
  assert.ok(matches(lead, { text: 'souza' }));
  assert.ok(matches(lead, { text: 'ZILLOW' }));
  assert.ok(!matches(lead, { text: 'redfin' }));
});

test('matches(): lead conditions exclude events without lead facts', () => {
  const cacheHit = { type: 'cache.hit', ts: 1, data: { key: 'k' } };
  assert.ok(matches(cacheHit, { types: ['cache'] }));
  assert.ok(!matches(cacheHit, { temperatures: ['hot'] }));
  assert.ok(!matches(cacheHit, { budgetMin: 1 }));
  assert.ok(!matches(cacheHit, { text: 'k' }));
});

test('matches(): filters asked in turn each keep their own answer', () => {
  const hot = { temperatures: ['hot' as const] };
  const cold = { temperatures: ['cold' as const] };
  for (let i = 0; i < 3; i++) {
    assert.ok(matches(lead, hot));
    assert.ok(!matches(lead, cold));
    assert.ok(matches(lead, undefined));
  }
});

test('matches(): search text is literal, whatever characters it holds', () => {
  const named = (name: string) => ({ type: 'lead.created', ts: 1, data: { name } });
  assert.ok(matches(named('A.B. Realty'), { text: 'a.b.' }));
  assert.ok(!matches(named('AxBx Realty'), { text: 'a.b.' }), 'a dot is a dot, not any character');
  assert.ok(matches(named('Lee (investor)'), { text: '(investor' }), 'an unbalanced parenthesis neither throws nor misses');
  assert.ok(matches(named('50% down [cash]'), { text: '% down [c' }));
  assert.ok(!matches(named('Ana'), { text: '.*' }));
});

test('close codes say whether to reconnect', () => {
  assert.ok(shouldReconnect(CloseCode.Lagging));
  assert.ok(shouldReconnect(CloseCode.ServerRestart));
  assert.ok(shouldReconnect(1006));
  assert.ok(!shouldReconnect(CloseCode.Unauthorized));
  assert.ok(!shouldReconnect(CloseCode.ForbiddenOrigin));
  assert.ok(!shouldReconnect(CloseCode.UnsupportedVersion));
});
