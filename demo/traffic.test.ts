// Tests demo/traffic.ts (kept here because test:node discovers tests under scripts/).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { PUBLIC_EVENT_TYPES, STAGES } from '../protocol/catalog.ts';
import { describeIssues, envelopeSchema } from '../protocol/schemas.ts';
import { createTraffic, schedule, type PublicEnvelope } from './traffic.ts';

function clock(start = 1_760_000_000_000) {
  let t = start;
  return () => (t += 137);
}

const run = (count: number, seed: number) => {
  const traffic = createTraffic({ seed, now: clock() });
  const events: PublicEnvelope[] = [];
  while (events.length < count) events.push(...(events.length % 1000 === 500 ? traffic.burst(40) : [traffic.next()]));
  return events;
};

test('5,000 generated envelopes all pass envelopeSchema and cover every public type', () => {
  const events = run(5_000, 42);
  for (const event of events) {
    const result = envelopeSchema.safeParse(event);
    assert.ok(result.success, `${event.type}: ${result.success ? '' : describeIssues(result.error)}`);
  }
  const seen = new Set(events.map((e) => e.type));
  assert.deepEqual(PUBLIC_EVENT_TYPES.filter((t) => !seen.has(t)), [], 'types never generated');
  assert.equal(new Set(events.map((e) => e.id)).size, events.length, 'ids are unique');
  const tenants = new Set(events.map((e) => e.tenant).filter((t) => t !== '*'));
  assert.ok(tenants.size >= 3, `only ${tenants.size} tenants`);
  for (const tenant of tenants) assert.match(tenant, /^loc_[A-Za-z]+\d+$/);
});

test('a lead never moves backwards in the pipeline, except into nurture or closed', () => {
  const order = (stage: string) => STAGES.indexOf(stage as (typeof STAGES)[number]);
  const last = new Map<string, string>();
  let changes = 0;
  for (const event of run(5_000, 7)) {
    const data = event.data as { leadId?: string; stage?: string };
    if (!data.leadId || !data.stage) continue;
    const key = `${event.tenant}/${data.leadId}`;
    const before = last.get(key);
    if (before && before !== data.stage) {
      changes++;
      assert.ok(before !== 'closed', `${key} moved after closing`);
      const terminal = data.stage === 'nurture' || data.stage === 'closed';
      assert.ok(terminal || order(data.stage) > order(before), `${key}: ${before} → ${data.stage}`);
    }
    last.set(key, data.stage);
  }
  assert.ok(changes > 100, `only ${changes} stage changes`);
});

test('analyses start before they complete or fail, and temperatures change', () => {
  const started = new Set<string>();
  let finished = 0;
  let temperatureChanges = 0;
  for (const event of run(3_000, 11)) {
    if (event.type === 'lead.analysis_started') started.add(event.data.analysisId);
    if (event.type === 'lead.analysis_completed' || event.type === 'lead.analysis_failed') {
      assert.ok(started.has(event.data.analysisId), `${event.data.analysisId} finished before it started`);
      finished++;
    }
    if (event.type === 'lead.temperature_changed') {
      assert.notEqual(event.data.previous, event.data.temperature);
      temperatureChanges++;
    }
  }
  assert.ok(finished > 50 && temperatureChanges > 10, `${finished} analyses finished, ${temperatureChanges} temperature changes`);
});

test('the same seed and clock reproduce the same traffic; another seed does not', () => {
  assert.deepEqual(run(300, 5), run(300, 5));
  assert.notDeepEqual(run(300, 5), run(300, 6));
});

test('the schedule mixes steady traffic, quiet periods and 20–50 event bursts at a few events/s', () => {
  let elapsedMs = 0;
  let events = 0;
  const phases = new Set<string>();
  const steps = schedule({ seed: 3 });
  for (let i = 0; i < 5_000; i++) {
    const step = steps.next().value;
    elapsedMs += step.delayMs;
    events += step.count;
    phases.add(step.phase);
    if (step.phase === 'burst') assert.ok(step.count >= 20 && step.count <= 50, `burst of ${step.count}`);
    else assert.equal(step.count, 1);
  }
  assert.deepEqual([...phases].sort(), ['burst', 'quiet', 'steady']);
  const rate = events / (elapsedMs / 1000);
  assert.ok(rate > 1 && rate < 8, `average ${rate.toFixed(2)} events/s`);
});
