/**
 * Soak: the tenant-routed load (500 tenants, 1,000 clients, 5,000 events/s or `rate`) for many minutes
 * while clients keep dropping and resuming from their cursors. The gateway's RSS is printed every
 * 30 s and must stay within ±10 % of its post-warm-up mean; every resumed client must still end
 * with every event exactly once. Then the idle cost: RSS per connection for N idle connections,
 * Leadwire and the Socket.IO baseline.
 */
import { tenantIds } from './events.ts';
import { assignTenants, drain, publish, startClients, startServer, type ServerUnderTest } from './harness.ts';
import type { System } from './messages.ts';
import { memoryMiB, sleep } from './procs.ts';
import { markdownTable } from './stats.ts';

export interface SoakOptions {
  gatewayEntry: string;
  minutes: number;
  /** Events per second published over all tenants (the tenant-routed scenario's 5,000 by default). */
  rate: number;
  idleConnections: number;
  procs: number;
  /** Each client worker drops one of its clients this often (250 ms × 4 workers ≈ 16 resumes/s). */
  churnEveryMs: number;
  log(line: string): void;
}

const SAMPLE_EVERY_MS = 30_000;
/** Connections per client process, below the common default open-file limit of 1,024. */
const CONNECTIONS_PER_PROCESS = 900;

/**
 * Flat means every sample after warm-up lies within ±tolerance of those samples' mean. Also
 * returns the least-squares slope (MiB per minute), the better signal for a slow leak.
 */
export function flatness(samples: { minute: number; rssMiB: number }[], warmupMinutes: number, tolerance = 0.1) {
  const settled = samples.filter((s) => s.minute >= warmupMinutes);
  if (settled.length < 2) return { flat: false, mean: NaN, worstDeviation: NaN, slopePerMinute: NaN };
  const mean = settled.reduce((sum, s) => sum + s.rssMiB, 0) / settled.length;
  const worstDeviation = Math.max(...settled.map((s) => Math.abs(s.rssMiB - mean) / mean));
  const meanMinute = settled.reduce((sum, s) => sum + s.minute, 0) / settled.length;
  const covariance = settled.reduce((sum, s) => sum + (s.minute - meanMinute) * (s.rssMiB - mean), 0);
  const variance = settled.reduce((sum, s) => sum + (s.minute - meanMinute) ** 2, 0);
  return { flat: worstDeviation <= tolerance, mean, worstDeviation, slopePerMinute: covariance / variance };
}

async function loadPhase(options: SoakOptions): Promise<string> {
  const { log, minutes, rate } = options;
  const tenants = tenantIds(500);
  const clientTenants = assignTenants(tenants, 1_000);
  // A bounded stream keeps Redis small over a long run; resumes stay far inside retention.
  const server = await startServer('leadwire', { gatewayEntry: options.gatewayEntry, env: { RETENTION_MAXLEN: '200000' } });
  const samples: { minute: number; rssMiB: number }[] = [];
  try {
    const clients = await startClients(server, clientTenants, options.procs);
    try {
      if (clients.failed > 0) throw new Error(`${clients.failed} clients could not connect: ${clients.firstError}`);
      log(`soak: ${clients.connected} clients, ${rate.toLocaleString('en')} events/s for ${minutes} min, each client process resuming a client every ${options.churnEveryMs} ms`);
      let started = 0;
      let sampler: NodeJS.Timeout | undefined;
      const sample = () => {
        const reading = { minute: (Date.now() - started) / 60_000, rssMiB: memoryMiB(server.pid, 'VmRSS') };
        samples.push(reading);
        log(`  ${reading.minute.toFixed(1).padStart(5)} min  gateway RSS ${reading.rssMiB.toFixed(1)} MiB`);
      };
      let published;
      try {
        published = await publish(server, tenants, rate, minutes * 60, () => {
          started = Date.now();
          sampler = setInterval(sample, SAMPLE_EVERY_MS);
          clients.send({ type: 'measure', fromTs: started });
          clients.send({ type: 'churn', everyMs: options.churnEveryMs });
        });
      } finally {
        clearInterval(sampler);
      }
      const counts = new Map(published.published);
      const expected = clientTenants.reduce((n, [t]) => n + (counts.get(t) ?? 0), 0);
      // Stop dropping clients before counting, or the last resumes would still be replaying.
      clients.send({ type: 'churn', everyMs: 3_600_000 });
      await drain(clients, expected, 5_000, 60_000);
      const report = await clients.report(published.published);
      const warmup = Math.min(2, minutes / 3);
      const result = flatness(samples, warmup);
      const d = report.deliveries;
      return [
        `### Soak: tenant-routed load, ${rate.toLocaleString('en')} events/s for ${minutes} min, each of ${options.procs} client processes resuming a client every ${options.churnEveryMs} ms`,
        '',
        markdownTable(
          ['minute', 'gateway RSS MiB'],
          samples.map((s) => [s.minute.toFixed(1), s.rssMiB.toFixed(1)]),
        ),
        '',
        `- RSS after a ${warmup.toFixed(1)}-minute warm-up: mean ${result.mean.toFixed(1)} MiB, worst deviation ` +
          `${(result.worstDeviation * 100).toFixed(1)} %, slope ${result.slopePerMinute.toFixed(2)} MiB/min → ` +
          `${result.flat ? 'flat (within ±10 %)' : 'NOT flat'}`,
        `- deliveries: ${d.expected} expected, lost ${d.lost}, duplicated ${d.duplicates}, leaked ${d.unexpected}; ` +
          `${report.reconnects} resumes (unasked closes: ${Object.entries(report.closes).map(([code, n]) => `${code}×${n}`).join(' ') || 'none'}); ` +
          `worst client-process stall ${report.worstClientStallMs.toFixed(0)} ms; latency p50 ${report.latency.percentile(50)} / p99 ${report.latency.percentile(99)} / max ${report.latency.max} ms`,
      ].join('\n');
    } finally {
      await clients.stop();
    }
  } finally {
    await server.stop();
  }
}

/** Median of a few RSS readings a second apart, to step over a GC in flight. */
async function settledRss(server: ServerUnderTest): Promise<number> {
  const readings: number[] = [];
  for (let i = 0; i < 5; i++) {
    await sleep(1_000);
    readings.push(memoryMiB(server.pid, 'VmRSS'));
  }
  return readings.sort((a, b) => a - b)[2];
}

async function idlePhase(options: SoakOptions, system: System): Promise<(string | number)[]> {
  const count = options.idleConnections;
  const tenants = tenantIds(500);
  const server = await startServer(system, { gatewayEntry: options.gatewayEntry, fdLimit: count + 1_024 });
  try {
    const before = await settledRss(server);
    const processes = Math.max(options.procs, Math.ceil(count / CONNECTIONS_PER_PROCESS));
    const clients = await startClients(server, assignTenants(tenants, count), processes, false);
    try {
      if (clients.failed > 0) throw new Error(`${clients.failed} idle clients could not connect: ${clients.firstError}`);
      const after = await settledRss(server);
      const perConnectionKiB = ((after - before) * 1024) / count;
      options.log(`idle ${system}: ${before.toFixed(1)} → ${after.toFixed(1)} MiB for ${count} connections`);
      return [system === 'leadwire' ? 'Leadwire' : 'Socket.IO 4', count, before.toFixed(1), after.toFixed(1), perConnectionKiB.toFixed(1)];
    } finally {
      await clients.stop();
    }
  } finally {
    await server.stop();
  }
}

export async function soak(options: SoakOptions): Promise<string> {
  const sections = [`## Gateway soak\n\n${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC · Node ${process.version}\n`];
  if (options.minutes > 0) sections.push(await loadPhase(options));
  if (options.idleConnections > 0) {
    const rows = [];
    for (const system of ['leadwire', 'socketio'] as const) rows.push(await idlePhase(options, system));
    sections.push(
      `### Idle memory per connection\n\n` +
        markdownTable(['system', 'idle connections', 'RSS before MiB', 'RSS after MiB', 'KiB per connection'], rows),
    );
  }
  return sections.join('\n\n');
}
