import assert from 'node:assert/strict';
import { test } from 'node:test';
import { flatness } from './soak.ts';
import { Histogram, Ledger, addSummaries, markdownTable, ratio, seqOf } from './stats.ts';

/** Nearest-rank percentile over a sorted copy: the definition the histogram must agree with. */
function nearestRank(samples: number[], p: number): number {
  const sorted = [...samples].sort((a, b) => a - b);
  return sorted[Math.max(1, Math.ceil((p / 100) * sorted.length)) - 1];
}

test('histogram percentiles agree with nearest-rank over the raw samples', () => {
  let seed = 7;
  const random = () => ((seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31);
  const samples = Array.from({ length: 5_000 }, () => Math.floor(random() ** 4 * 300));
  const histogram = new Histogram();
  for (const ms of samples) histogram.record(ms);
  for (const p of [1, 50, 90, 95, 99, 99.9, 100]) assert.equal(histogram.percentile(p), nearestRank(samples, p), `p${p}`);
  assert.equal(histogram.max, Math.max(...samples));
  assert.equal(histogram.count, samples.length);
});

test('histograms merged across processes equal one histogram of all samples', () => {
  const whole = new Histogram();
  const parts = [new Histogram(), new Histogram(), new Histogram()];
  for (let i = 0; i < 999; i++) {
    const ms = (i * 37) % 211;
    whole.record(ms);
    parts[i % 3].record(ms);
  }
  const merged = new Histogram();
  for (const part of parts) merged.merge(JSON.parse(JSON.stringify(part)));
  assert.deepEqual(merged.toJSON(), whole.toJSON());
  assert.equal(merged.percentile(99), whole.percentile(99));
});

test('an empty histogram has no percentiles, and overflow lands in the last bucket', () => {
  const histogram = new Histogram(100);
  assert.ok(Number.isNaN(histogram.percentile(50)));
  histogram.record(5_000);
  histogram.record(-1);
  assert.equal(histogram.percentile(100), 100);
  assert.equal(histogram.percentile(50), 0);
  assert.equal(histogram.max, 5_000);
});

test('a ledger tells lost, duplicated and leaked events apart', () => {
  const ledger = new Ledger(['a', 'b']);
  for (const seq of [0, 1, 2, 4]) ledger.receive('a', seq); // 3 lost
  ledger.receive('a', 2); // duplicate
  for (let seq = 0; seq < 3000; seq++) ledger.receive('b', seq); // grows past its first 1,024 slots
  ledger.receive('c', 0); // another tenant's event
  ledger.receive('b', 3000); // never published
  const summary = ledger.summary(new Map([['a', 5], ['b', 3000], ['c', 1]]));
  assert.deepEqual(summary, { expected: 3005, received: 3006, lost: 1, duplicates: 1, unexpected: 2 });
});

test('a client that got nothing has lost everything its tenants published', () => {
  const summaries = [new Ledger(['a']), new Ledger(['a', 'b'])].map((l) => l.summary(new Map([['a', 10], ['b', 2]])));
  assert.deepEqual(summaries.reduce(addSummaries), { expected: 22, received: 0, lost: 22, duplicates: 0, unexpected: 0 });
});

test('event ids carry the per-tenant sequence after the last colon', () => {
  assert.equal(seqOf('loc000012bench:417'), 417);
});

test('flatness ignores warm-up, bounds deviation at ±10 % and measures the slope', () => {
  const steady = [80, 96, 101, 99, 103, 98, 100].map((rssMiB, i) => ({ minute: i * 0.5, rssMiB }));
  const flat = flatness(steady, 1);
  assert.equal(flat.flat, true);
  assert.ok(Math.abs(flat.mean - 100.2) < 1e-9);
  const leaking = [100, 104, 108, 112, 116, 120, 124].map((rssMiB, i) => ({ minute: i * 0.5, rssMiB }));
  const leak = flatness(leaking, 0);
  assert.equal(leak.flat, false);
  assert.ok(Math.abs(leak.slopePerMinute - 8) < 1e-9);
});

test('markdown tables align and right-align numbers', () => {
  assert.equal(markdownTable(['name', 'n'], [['a', 1], ['bbbb', 22]]), '| name |   n |\n|------|----:|\n| a    |   1 |\n| bbbb |  22 |');
});

test('ratios keep a significant digit when small and say so when undefined', () => {
  assert.equal(ratio(7.2, 8.3), '0.87×');
  assert.equal(ratio(9, 2655), '0.003×');
  assert.equal(ratio(1, 0), '–');
  assert.equal(ratio(NaN, 3), '–');
});
