/**
 * Pure bookkeeping for the gateway benchmark: latency histograms that merge exactly across
 * client processes, and per-client delivery ledgers that tell lost from duplicated events.
 */

/**
 * Latencies in whole milliseconds (publisher and clients both stamp with `Date.now()`, so every
 * sample is an integer). One bucket per millisecond keeps percentiles exact and merging free.
 */
export class Histogram {
  /** counts[i] = samples of i ms; the last bucket holds everything at or above it. */
  readonly counts: number[];
  count = 0;
  sum = 0;
  max = -Infinity;
  min = Infinity;

  constructor(readonly limitMs = 120_000) {
    this.counts = new Array<number>(limitMs + 1).fill(0);
  }

  record(ms: number): void {
    // Clock steps of a millisecond can make a sample -1 ms; it still counts (as 0).
    const bucket = Math.min(Math.max(Math.round(ms), 0), this.limitMs);
    this.counts[bucket]++;
    this.count++;
    this.sum += ms;
    if (ms > this.max) this.max = ms;
    if (ms < this.min) this.min = ms;
  }

  merge(other: HistogramJSON): void {
    for (const [bucket, n] of other.buckets) this.counts[Math.min(bucket, this.limitMs)] += n;
    this.count += other.count;
    this.sum += other.sum;
    if (other.count > 0) {
      this.max = Math.max(this.max, other.max);
      this.min = Math.min(this.min, other.min);
    }
  }

  /** Nearest-rank percentile: the smallest value with at least p % of samples at or below it. */
  percentile(p: number): number {
    if (this.count === 0) return NaN;
    const rank = Math.max(1, Math.ceil((p / 100) * this.count));
    let seen = 0;
    for (let ms = 0; ms < this.counts.length; ms++) {
      seen += this.counts[ms];
      if (seen >= rank) return ms;
    }
    return this.limitMs;
  }

  mean(): number {
    return this.count === 0 ? NaN : this.sum / this.count;
  }

  /** Sparse form for IPC: only the non-empty buckets. */
  toJSON(): HistogramJSON {
    const buckets: [number, number][] = [];
    this.counts.forEach((n, ms) => n > 0 && buckets.push([ms, n]));
    return { buckets, count: this.count, sum: this.sum, max: this.max, min: this.min };
  }
}

export interface HistogramJSON {
  buckets: [ms: number, count: number][];
  count: number;
  sum: number;
  max: number;
  min: number;
}

/**
 * What one client received. The publisher numbers events per tenant from 0, so a client that
 * should see tenant t must end with exactly seqs 0..published(t)-1, each once.
 */
export class Ledger {
  private readonly seen = new Map<string, Uint8Array>();
  received = 0;
  duplicates = 0;
  /** Events of a tenant this client may not see (a routing leak). */
  foreign = 0;

  constructor(readonly tenants: readonly string[]) {
    for (const tenant of tenants) this.seen.set(tenant, new Uint8Array(1024));
  }

  receive(tenant: string, seq: number): void {
    let bits = this.seen.get(tenant);
    if (!bits) {
      this.foreign++;
      return;
    }
    if (seq >= bits.length) {
      const grown = new Uint8Array(Math.max(bits.length * 2, seq + 1));
      grown.set(bits);
      this.seen.set(tenant, grown);
      bits = grown;
    }
    this.received++;
    if (bits[seq]) this.duplicates++;
    else bits[seq] = 1;
  }

  /** Distinct events held per tenant, and any seq the publisher never sent (count ≥ published). */
  summary(published: ReadonlyMap<string, number>): LedgerSummary {
    let lost = 0;
    let unexpected = 0;
    for (const [tenant, bits] of this.seen) {
      const expected = published.get(tenant) ?? 0;
      let held = 0;
      for (let seq = 0; seq < bits.length; seq++) {
        if (!bits[seq]) continue;
        if (seq < expected) held++;
        else unexpected++;
      }
      lost += expected - held;
    }
    return { expected: this.expected(published), received: this.received, lost, duplicates: this.duplicates, unexpected: this.foreign + unexpected };
  }

  expected(published: ReadonlyMap<string, number>): number {
    return this.tenants.reduce((sum, tenant) => sum + (published.get(tenant) ?? 0), 0);
  }
}

export interface LedgerSummary {
  expected: number;
  received: number;
  lost: number;
  duplicates: number;
  /** Events the client should never have had: another tenant's, or never published. */
  unexpected: number;
}

export function addSummaries(a: LedgerSummary, b: LedgerSummary): LedgerSummary {
  return {
    expected: a.expected + b.expected,
    received: a.received + b.received,
    lost: a.lost + b.lost,
    duplicates: a.duplicates + b.duplicates,
    unexpected: a.unexpected + b.unexpected,
  };
}

export const EMPTY_SUMMARY: LedgerSummary = { expected: 0, received: 0, lost: 0, duplicates: 0, unexpected: 0 };

/** Parses the per-tenant sequence number out of an event id of the form `<tenant>:<seq>`. */
export function seqOf(id: string): number {
  return Number(id.slice(id.lastIndexOf(':') + 1));
}

/** A GitHub-flavoured Markdown table; columns whose cells are all numbers are right-aligned. */
export function markdownTable(header: string[], rows: (string | number)[][]): string {
  const body = rows.map((row) => row.map(String));
  const numeric = header.map((_, i) => body.length > 0 && body.every((row) => /^(-?[\d.]+×?|–|NaN)$/.test(row[i] ?? '')));
  const widths = header.map((h, i) => Math.max(3, h.length, ...body.map((row) => row[i]?.length ?? 0)));
  const line = (row: string[]) => `| ${row.map((cell, i) => (numeric[i] ? cell.padStart(widths[i]) : cell.padEnd(widths[i]))).join(' | ')} |`;
  const rule = `|${widths.map((w, i) => (numeric[i] ? '-'.repeat(w + 1) + ':' : '-'.repeat(w + 2))).join('|')}|`;
  return [line(header), rule, ...body.map(line)].join('\n');
}

/** `a / b` as e.g. `0.31×`; blank when either side is missing. */
export function ratio(a: number, b: number): string {
  if (!Number.isFinite(a) || !Number.isFinite(b) || b === 0) return '–';
  const r = a / b;
  return `${r >= 0.1 ? r.toFixed(2) : r.toPrecision(1)}×`;
}
