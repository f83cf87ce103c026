/**
 * `npm run bench:gateway [-- --seconds 20 --scenario tenant-5k,tenant-10k,broadcast
 *   --system leadwire,socketio --procs 4 --cpu-prof]` — Leadwire's gateway against a Socket.IO 4
 * baseline, end to end through Redis on this machine. `--soak [--minutes 10 --rate 5000 --idle 5000]` runs
 * the soak instead (bench/gateway/soak.ts; `--churn 250` ms between resumes per client process). Progress goes to stderr; the Markdown result to
 * stdout and to .bench/last-gateway.md.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { tenantIds } from './events.ts';
import { cpuByPid, othersCpuSeconds, stopChildrenOnSignal } from './procs.ts';
import { ROOT, assignTenants, drain, publish, startClients, startServer, usage, type Report, type Usage } from './harness.ts';
import type { System, TenantOrder } from './messages.ts';
import { markdownTable, ratio } from './stats.ts';
import { soak } from './soak.ts';

export interface Scenario {
  key: string;
  title: string;
  tenants: number;
  clients: number;
  rate: number;
  /** p99 target for Leadwire, ms. */
  p99TargetMs: number;
}

export const SCENARIOS: Scenario[] = [
  { key: 'tenant-5k', title: 'tenant-routed 5k/s', tenants: 500, clients: 1_000, rate: 5_000, p99TargetMs: 5 },
  { key: 'tenant-10k', title: 'tenant-routed 10k/s', tenants: 500, clients: 1_000, rate: 10_000, p99TargetMs: 10 },
  { key: 'broadcast', title: 'broadcast', tenants: 1, clients: 200, rate: 500, p99TargetMs: 50 },
];

const { values: args } = parseArgs({
  options: {
    seconds: { type: 'string', default: '20' },
    warmup: { type: 'string', default: '2' },
    /** random: each event to a random tenant (bursty per tenant); round-robin: an even beat. */
    'tenant-order': { type: 'string', default: 'random' },
    scenario: { type: 'string', default: SCENARIOS.map((s) => s.key).join(',') },
    system: { type: 'string', default: 'leadwire,socketio' },
    procs: { type: 'string', default: '4' },
    gateway: { type: 'string', default: join(ROOT, 'gateway/src/main.ts') },
    'cpu-prof': { type: 'boolean', default: false },
    /** Extra node flags for the server under test, e.g. "--trace-gc"; its output goes to .bench/<system>.log. */
    'node-args': { type: 'string', default: '' },
    soak: { type: 'boolean', default: false },
    minutes: { type: 'string', default: '10' },
    rate: { type: 'string', default: '5000' },
    idle: { type: 'string', default: '5000' },
    churn: { type: 'string', default: '250' },
  },
});

const log = (line: string) => process.stderr.write(`${line}\n`);
const fixed = (n: number, digits = 0) => (Number.isFinite(n) ? n.toFixed(digits) : '–');
const PROF_DIR = join(ROOT, '.bench/prof');

interface Result {
  scenario: Scenario;
  system: System;
  publishedRate: number;
  report: Report;
  usage: Usage;
  /** CPU seconds processes outside the benchmark used meanwhile (the machine is shared). */
  othersCpu: number;
}

async function runOne(scenario: Scenario, system: System, seconds: number, warmup: number, procs: number): Promise<Result> {
  const tenants = tenantIds(scenario.tenants);
  const nodeArgs = [
    ...(args['cpu-prof'] ? ['--cpu-prof', `--cpu-prof-dir=${join(PROF_DIR, system)}`] : []),
    ...args['node-args'].split(' ').filter(Boolean),
  ];
  const logFile = args['node-args'] ? join(ROOT, '.bench', `${system}.log`) : undefined;
  const server = await startServer(system, { gatewayEntry: resolve(args.gateway), nodeArgs, logFile });
  try {
    const clients = await startClients(server, assignTenants(tenants, scenario.clients), procs);
    try {
      if (clients.failed > 0) throw new Error(`${clients.failed} of ${scenario.clients} clients could not connect: ${clients.firstError}`);
      const filtering = clients.filtered ? ` (${clients.filtered} with a subscription filter)` : '';
      log(`  ${clients.connected} clients welcomed${filtering}; publishing ${scenario.rate}/s for ${warmup} s warm-up + ${seconds} s`);
      // Measurement starts after the warm-up: latency only for events published from then on,
      // CPU from then on. Loss and duplicates are counted over every event.
      let before: Usage | undefined;
      let othersBefore = new Map<number, number>();
      const ours = new Set([process.pid, server.pid, server.redis.child.pid!, ...clients.workers.map((w) => w.pid!)]);
      let measureTimer: NodeJS.Timeout | undefined;
      const published = await publish(server, tenants, scenario.rate, warmup + seconds, (publisherPid) => {
        ours.add(publisherPid);
        clients.send({ type: 'measure', fromTs: Date.now() + warmup * 1000 });
        measureTimer = setTimeout(() => {
          before = usage(server);
          othersBefore = cpuByPid();
        }, warmup * 1000);
      }, args['tenant-order'] as TenantOrder);
      clearTimeout(measureTimer);
      const counts = new Map(published.published);
      const expected = assignTenants(tenants, scenario.clients).reduce((n, [t]) => n + (counts.get(t) ?? 0), 0);
      const drainedMs = await drain(clients, expected);
      const used = usage(server, before);
      const othersCpu = othersCpuSeconds(othersBefore, cpuByPid(), ours);
      const report = await clients.report(published.published);
      const publishedRate = published.total / (published.elapsedMs / 1000);
      if (published.maxBehindMs > 100) log(`  note: the publisher fell ${published.maxBehindMs} ms behind schedule at worst`);
      log(
        `  ${system}: p99 ${report.latency.percentile(99)} ms, lost ${report.deliveries.lost}, dup ${report.deliveries.duplicates}, ` +
          `CPU ${used.cpuSeconds.toFixed(1)} s, drained in ${(drainedMs / 1000).toFixed(1)} s, other processes used ${othersCpu.toFixed(1)} CPU s`,
      );
      log(`  worst latency per second (ms): ${report.worstBySecond.join(' ')}; worst client-process stall ${report.worstClientStallMs.toFixed(0)} ms`);
      return { scenario, system, publishedRate, report, usage: used, othersCpu };
    } finally {
      await clients.stop();
    }
  } catch (error) {
    throw new Error(`${system} / ${scenario.key}: ${(error as Error).message}\n${server.stderrTail()}`);
  } finally {
    await server.stop();
  }
}

const SYSTEM_NAMES: Record<System, string> = { leadwire: 'Leadwire', socketio: 'Socket.IO 4' };

/** Server CPU over the measured window per delivery made in it (every delivery after warm-up). */
function cpuPerDelivery(r: Result): number {
  return (r.usage.cpuSeconds * 1e6) / r.report.latency.count;
}

function render(results: Result[], seconds: number, warmup: number, procs: number): string {
  const cpu = cpus();
  const header =
    `## Gateway benchmark\n\n` +
    `${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC · ${seconds} s measured per scenario (after ${warmup} s warm-up) · ${procs} client processes · ` +
    `Node ${process.version} · ${cpu.length} × ${cpu[0]?.model.trim() ?? 'CPU'} (shared by server, Redis, publisher and clients)\n`;
  const main = markdownTable(
    ['scenario', 'system', 'events/s', 'deliveries', 'p50 ms', 'p95 ms', 'p99 ms', 'max ms', 'lost', 'dup', 'leaked', 'frames', 'server CPU s', 'CPU µs/delivery', 'peak RSS MiB', 'Redis CPU s', 'others CPU s', 'client stall ms', 'closes'],
    results.map((r) => [
      r.scenario.title,
      SYSTEM_NAMES[r.system],
      fixed(r.publishedRate),
      r.report.latency.count,
      r.report.latency.percentile(50),
      r.report.latency.percentile(95),
      r.report.latency.percentile(99),
      r.report.latency.max,
      r.report.deliveries.lost,
      r.report.deliveries.duplicates,
      r.report.deliveries.unexpected,
      r.report.frames,
      fixed(r.usage.cpuSeconds, 1),
      fixed(cpuPerDelivery(r), 1),
      fixed(r.usage.peakRssMiB),
      fixed(r.usage.redisCpuSeconds, 1),
      fixed(r.othersCpu, 1),
      fixed(r.report.worstClientStallMs),
      Object.entries(r.report.closes).map(([code, n]) => `${code}×${n}`).join(' ') || '–',
    ]),
  );
  const pairs = SCENARIOS.map((s) => [results.find((r) => r.scenario === s && r.system === 'leadwire'), results.find((r) => r.scenario === s && r.system === 'socketio')] as const);
  const ratios = markdownTable(
    ['scenario', 'p50', 'p99', 'max', 'CPU per delivery', 'peak RSS'],
    pairs
      .filter(([a, b]) => a && b)
      .map(([a, b]) => [
        a!.scenario.title,
        ratio(a!.report.latency.percentile(50), b!.report.latency.percentile(50)),
        ratio(a!.report.latency.percentile(99), b!.report.latency.percentile(99)),
        ratio(a!.report.latency.max, b!.report.latency.max),
        ratio(cpuPerDelivery(a!), cpuPerDelivery(b!)),
        ratio(a!.usage.peakRssMiB, b!.usage.peakRssMiB),
      ]),
  );
  const targets = pairs
    .filter(([a]) => a)
    .map(([a, b]) => {
      const checks = [
        `p99 ${a!.report.latency.percentile(99)} ms ≤ ${a!.scenario.p99TargetMs} ms: ${a!.report.latency.percentile(99) <= a!.scenario.p99TargetMs ? 'met' : 'MISSED'}`,
        `loss ${a!.report.deliveries.lost} / dup ${a!.report.deliveries.duplicates} / leaked ${a!.report.deliveries.unexpected}: ${a!.report.deliveries.lost + a!.report.deliveries.duplicates + a!.report.deliveries.unexpected === 0 ? 'met' : 'MISSED'}`,
      ];
      if (b) {
        const r = cpuPerDelivery(a!) / cpuPerDelivery(b);
        checks.push(`CPU per delivery ${r.toFixed(2)}× Socket.IO's ≤ 0.5×: ${r <= 0.5 ? 'met' : 'MISSED'}`);
      }
      return `- ${a!.scenario.title}: ${checks.join('; ')}`;
    });
  return [
    header,
    main,
    ratios.split('\n').length > 2 ? `\nLeadwire ÷ Socket.IO (below 1 is better for Leadwire):\n\n${ratios}` : '',
    targets.length ? `\nTargets (Leadwire):\n\n${targets.join('\n')}` : '',
    `\nScenarios: tenant-routed = 500 tenants, 1,000 clients (2 per tenant); broadcast = 1 tenant, 200 clients. ` +
      `Latency is publish (\`ts = Date.now()\` in the publisher) → the client's handler, same clock, whole milliseconds, ` +
      `for events published after a ${warmup} s warm-up; deliveries are the (client, event) pairs measured. ` +
      `lost / dup / leaked (events a client should never have seen) cover every event including warm-up. ` +
      `CPU is utime+stime from /proc over the measured window and drain; "others" is CPU used meanwhile by processes outside the benchmark ` +
      `(the machine is shared); "client stall" is the longest event-loop stall of a client process — when it is large, so is measured latency, whatever the server does. ` +
      `frames = WebSocket messages the clients received.`,
  ]
    .filter(Boolean)
    .join('\n');
}

function write(markdown: string, file: string): void {
  process.stdout.write(`${markdown}\n`);
  mkdirSync(join(ROOT, '.bench'), { recursive: true });
  writeFileSync(join(ROOT, '.bench', file), `${markdown}\n`);
  log(`written to .bench/${file}`);
}

async function main(): Promise<void> {
  stopChildrenOnSignal();
  const seconds = Number(args.seconds);
  const procs = Number(args.procs);
  const warmup = Number(args.warmup);
  if (!(seconds > 0) || !(procs > 0)) throw new Error('--seconds and --procs must be positive numbers');
  if (args.soak) {
    const markdown = await soak({
      gatewayEntry: resolve(args.gateway),
      minutes: Number(args.minutes),
      rate: Number(args.rate),
      idleConnections: Number(args.idle),
      procs,
      churnEveryMs: Number(args.churn),
      log,
    });
    write(markdown, 'last-soak.md');
    return;
  }
  const keys = args.scenario.split(',');
  const scenarios = SCENARIOS.filter((s) => keys.includes(s.key));
  const systems = args.system.split(',') as System[];
  if (scenarios.length !== keys.length) throw new Error(`unknown scenario; known: ${SCENARIOS.map((s) => s.key).join(', ')}`);
  if (!systems.every((s) => s === 'leadwire' || s === 'socketio')) throw new Error('--system takes leadwire and/or socketio');
  if (!['random', 'round-robin'].includes(args['tenant-order'])) throw new Error('--tenant-order takes random or round-robin');
  const results: Result[] = [];
  for (const scenario of scenarios) {
    for (const system of systems) {
      log(`${scenario.title} — ${SYSTEM_NAMES[system]}`);
      results.push(await runOne(scenario, system, seconds, warmup, procs));
    }
  }
  write(render(results, seconds, warmup, procs), 'last-gateway.md');
  if (args['cpu-prof']) log(`CPU profiles of the servers in ${PROF_DIR}`);
}

main().catch((error) => {
  log(`bench failed: ${(error as Error).stack ?? error}`);
  process.exitCode = 1;
});
