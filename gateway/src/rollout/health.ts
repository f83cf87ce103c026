/**
 * Health per widget version, from the widgets' telemetry: counters only (loads, uncaught errors,
 * failed connections, failed exports, render time), never the text of an error, a URL or
 * anything a person typed. The monitor compares the candidate's failure rate with the stable's;
 * `/metrics` and `/v1/metrics` show them.
 */
import { Counter, Gauge, type Registry } from 'prom-client';
import { z } from 'zod';
import { maskText } from '../pii.ts';
import { versionSchema } from './model.ts';

const count = (max: number) => z.number().int().min(0).max(max).default(0);

/**
 * One report from one page: numbers and the version name, nothing else (`strict`: a field the
 * schema does not name — an error message, a stack, a URL — is refused, not stored).
 */
export const telemetryReportSchema = z
  .object({
    version: versionSchema.refine((v) => maskText(v) === v, 'a version name, not a phone number or an address'),
    /** 1 in a page's first report: the denominator of the failure rate. */
    loads: count(1),
    errors: count(100),
    connectionFailures: count(100),
    exportFailures: count(100),
    /** Loader start → first widget rendered, in ms. */
    renderMs: z.number().min(0).max(600_000).optional(),
  })
  .strict();

export type TelemetryReport = z.output<typeof telemetryReportSchema>;

export const FAILURE_KINDS = ['errors', 'connectionFailures', 'exportFailures'] as const;

export interface VersionCounts {
  loads: number;
  errors: number;
  connectionFailures: number;
  exportFailures: number;
  renders: number;
  renderMsSum: number;
}

const zero = (): VersionCounts => ({ loads: 0, errors: 0, connectionFailures: 0, exportFailures: 0, renders: 0, renderMsSum: 0 });

/** Failures per load; 0 before any load. */
export function failureRate(c: Pick<VersionCounts, 'loads' | (typeof FAILURE_KINDS)[number]>): number {
  return c.loads === 0 ? 0 : (c.errors + c.connectionFailures + c.exportFailures) / c.loads;
}

/** Counts in `now` that were not in `then` (a window since the candidate was staged). */
export function since(now: VersionCounts, then: VersionCounts | undefined): VersionCounts {
  if (!then) return now;
  const out = zero();
  for (const key of Object.keys(out) as Array<keyof VersionCounts>) out[key] = now[key] - then[key];
  return out;
}

export interface VersionSummary extends VersionCounts {
  version: string;
  failureRate: number;
  renderMsAvg: number | null;
}

export class VersionHealth {
  private readonly counts = new Map<string, VersionCounts>();

  record(report: TelemetryReport): void {
    let c = this.counts.get(report.version);
    if (!c) this.counts.set(report.version, (c = zero()));
    c.loads += report.loads;
    for (const kind of FAILURE_KINDS) c[kind] += report[kind];
    if (report.renderMs !== undefined) {
      c.renders++;
      c.renderMsSum += report.renderMs;
    }
  }

  /** A copy of the version's counters (all zero for a version never reported). */
  snapshot(version: string): VersionCounts {
    return { ...(this.counts.get(version) ?? zero()) };
  }

  summary(): VersionSummary[] {
    return [...this.counts].map(([version, c]) => ({
      version,
      ...c,
      failureRate: failureRate(c),
      renderMsAvg: c.renders ? c.renderMsSum / c.renders : null,
    }));
  }

  /** The counters as Prometheus series, read when scraped. */
  register(registry: Registry): void {
    const registers = [registry];
    const health = this;
    new Counter({
      name: 'leadwire_widget_loads_total',
      help: 'Page loads of the widgets reported by telemetry, by version',
      labelNames: ['version'],
      registers,
      collect() {
        this.reset();
        for (const [version, c] of health.counts) this.inc({ version }, c.loads);
      },
    });
    new Counter({
      name: 'leadwire_widget_failures_total',
      help: 'Failures the widgets reported, by version and kind (errors, connectionFailures, exportFailures)',
      labelNames: ['version', 'kind'],
      registers,
      collect() {
        this.reset();
        for (const [version, c] of health.counts) for (const kind of FAILURE_KINDS) this.inc({ version, kind }, c[kind]);
      },
    });
    new Gauge({
      name: 'leadwire_widget_failure_rate',
      help: 'Failures per page load, by version, since this gateway started',
      labelNames: ['version'],
      registers,
      collect() {
        this.reset();
        for (const [version, c] of health.counts) this.set({ version }, failureRate(c));
      },
    });
    new Gauge({
      name: 'leadwire_widget_render_ms_avg',
      help: 'Mean time from the loader starting to the first widget rendered, by version',
      labelNames: ['version'],
      registers,
      collect() {
        this.reset();
        for (const [version, c] of health.counts) if (c.renders) this.set({ version }, c.renderMsSum / c.renders);
      },
    });
  }
}
