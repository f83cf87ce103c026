/**
 * The pieces one benchmark run is made of: a server under test (Leadwire's gateway or the
 * Socket.IO baseline) on its own Redis, client worker processes, the publisher, and the tally.
 */
import type { ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { ConnectRequest, ProgressReply, PublishRequest, PublishedReply, ReadyReply, ReportReply, System, TenantOrder } from './messages.ts';
import { cpuSeconds, forkTs, freePort, memoryMiB, request, sleep, spawnTs, startRedis, stop, waitForPort, type Redis } from './procs.ts';
import { EMPTY_SUMMARY, Histogram, addSummaries, type LedgerSummary } from './stats.ts';

export const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const here = (file: string) => fileURLToPath(new URL(file, import.meta.url));

export interface ServerUnderTest {
  system: System;
  url: string;
  redis: Redis;
  child: ChildProcess;
  pid: number;
  secret: string;
  /** Last lines the server wrote to stderr, for error messages. */
  stderrTail(): string;
  stop(): Promise<void>;
}

export interface StartOptions {
  gatewayEntry: string;
  /** Raise the server's open-file limit (via `ulimit -n` in a shell) for many connections. */
  fdLimit?: number;
  nodeArgs?: string[];
  env?: Record<string, string>;
  /** Where the server's stdout and stderr go (appended); by default stdout is dropped. */
  logFile?: string;
}

export async function startServer(system: System, options: StartOptions): Promise<ServerUnderTest> {
  const redis = await startRedis();
  const port = await freePort();
  const secret = randomBytes(32).toString('hex');
  const entry = system === 'leadwire' ? options.gatewayEntry : here('./socketio-server.ts');
  // Every bench client connects from 127.0.0.1, as clients behind one proxy would: the per-address
  // limits (a guard against one abusive address) are lifted, the per-tenant ones stay as configured.
  const perAddress = { MAX_CONNECTIONS_PER_IP: '1000000', MAX_CONNECTS_PER_SECOND_PER_IP: '1000000' };
  const env = { PORT: String(port), HOST: '127.0.0.1', REDIS_URL: redis.url, AUTH_SECRET: secret, LOG_LEVEL: 'warn', ...perAddress, ...options.env };
  const child = spawnTs(entry, env, options.nodeArgs, options.fdLimit);
  let stderr = '';
  const logStream = options.logFile ? createWriteStream(options.logFile, { flags: 'a' }) : undefined;
  child.stdout?.on('data', (chunk: Buffer) => logStream?.write(chunk));
  child.stderr?.on('data', (chunk: Buffer) => {
    logStream?.write(chunk);
    stderr = (stderr + chunk.toString()).slice(-4_000);
  });
  child.once('exit', () => logStream?.end());
  try {
    await waitForPort(port, child, system === 'leadwire' ? 'gateway' : 'socket.io server');
  } catch (error) {
    await stop(child);
    await stop(redis.child);
    throw new Error(`${(error as Error).message}\n${stderr}`);
  }
  return {
    system,
    url: `http://127.0.0.1:${port}`,
    redis,
    child,
    pid: child.pid!,
    secret,
    stderrTail: () => stderr,
    async stop() {
      await stop(child);
      await stop(redis.child);
    },
  };
}

export interface Clients {
  workers: ChildProcess[];
  connected: number;
  failed: number;
  /** Clients that subscribed with a filter every event matches (Leadwire only). */
  filtered: number;
  firstError?: string;
  progress(): Promise<number>;
  report(published: [string, number][]): Promise<Report>;
  send(message: object): void;
  stop(): Promise<void>;
}

export interface Report {
  latency: Histogram;
  worstBySecond: number[];
  /** Longest event-loop stall among the client processes. */
  worstClientStallMs: number;
  deliveries: LedgerSummary;
  frames: number;
  closes: Record<string, number>;
  reconnects: number;
}

/** Spreads the clients over `processes` workers (round-robin) and waits for every welcome. */
export async function startClients(
  server: ServerUnderTest,
  clientTenants: string[][],
  processes: number,
  record = true,
): Promise<Clients> {
  const count = Math.max(1, Math.min(processes, clientTenants.length));
  const workers = Array.from({ length: count }, () => forkTs(here('./client.ts')));
  const shares = workers.map((_, w) => clientTenants.filter((_, i) => i % count === w));
  const stopAll = () => Promise.all(workers.map((worker) => stop(worker))).then(() => undefined);
  let ready: ReadyReply[];
  try {
    ready = await Promise.all(
      workers.map((worker, w) =>
        request<ReadyReply>(
          worker,
          { type: 'connect', system: server.system, url: server.url, secret: server.secret, clients: shares[w], record } satisfies ConnectRequest,
          'ready',
          180_000,
        ),
      ),
    );
  } catch (error) {
    await stopAll();
    throw error;
  }
  return {
    workers,
    connected: ready.reduce((n, r) => n + r.connected, 0),
    failed: ready.reduce((n, r) => n + r.failed, 0),
    filtered: ready.reduce((n, r) => n + r.filtered, 0),
    firstError: ready.find((r) => r.firstError)?.firstError,
    async progress() {
      const replies = await Promise.all(workers.map((worker) => request<ProgressReply>(worker, { type: 'progress' }, 'progress', 10_000)));
      return replies.reduce((n, r) => n + r.received, 0);
    },
    async report(published) {
      const replies = await Promise.all(workers.map((worker) => request<ReportReply>(worker, { type: 'report', published }, 'report', 60_000)));
      const latency = new Histogram();
      const closes: Record<string, number> = {};
      const worstBySecond: number[] = [];
      for (const reply of replies) {
        latency.merge(reply.latency);
        reply.worstBySecond.forEach((ms, s) => (worstBySecond[s] = Math.max(worstBySecond[s] ?? 0, ms ?? 0)));
        for (const [code, n] of Object.entries(reply.closes)) closes[code] = (closes[code] ?? 0) + n;
      }
      return {
        latency,
        worstBySecond,
        worstClientStallMs: Math.max(...replies.map((r) => r.worstStallMs)),
        deliveries: replies.reduce((sum, r) => addSummaries(sum, r.deliveries), EMPTY_SUMMARY),
        frames: replies.reduce((n, r) => n + r.frames, 0),
        closes,
        reconnects: replies.reduce((n, r) => n + r.reconnects, 0),
      };
    },
    send(message) {
      for (const worker of workers) worker.send(message);
    },
    async stop() {
      for (const worker of workers) if (worker.connected) worker.send({ type: 'close' });
      await stopAll();
    },
  };
}

/** Runs the publisher process to completion; `onStart` runs once it is up, just before it publishes. */
export async function publish(
  server: ServerUnderTest,
  tenants: string[],
  ratePerSecond: number,
  seconds: number,
  onStart: (publisherPid: number) => void = () => {},
  tenantOrder: TenantOrder = 'random',
): Promise<PublishedReply> {
  const publisher = forkTs(here('./publisher.ts'));
  try {
    await new Promise<void>((resolve, reject) => {
      publisher.once('message', () => resolve());
      publisher.once('exit', (code) => reject(new Error(`publisher exited (${code}) before it was ready`)));
    });
    onStart(publisher.pid!);
    return await request<PublishedReply>(
      publisher,
      { type: 'publish', system: server.system, redisUrl: server.redis.url, tenants, ratePerSecond, seconds, tenantOrder } satisfies PublishRequest,
      'published',
      (seconds + 60) * 1_000,
    );
  } finally {
    await stop(publisher);
  }
}

/**
 * Waits until the clients hold every expected delivery, or nothing new arrived for `quietMs`,
 * or `maxMs` passed; then a short grace period so late duplicates are caught too.
 */
export async function drain(clients: Clients, expected: number, quietMs = 3_000, maxMs = 30_000): Promise<number> {
  const started = Date.now();
  let last = -1;
  let lastChange = Date.now();
  for (;;) {
    const received = await clients.progress();
    if (received !== last) {
      last = received;
      lastChange = Date.now();
    }
    if (received >= expected || Date.now() - lastChange > quietMs || Date.now() - started > maxMs) break;
    await sleep(250);
  }
  await sleep(500);
  return Date.now() - started;
}

export interface Usage {
  cpuSeconds: number;
  redisCpuSeconds: number;
  peakRssMiB: number;
  rssMiB: number;
}

/** CPU since `since` (a previous reading) and memory now, for the server and its Redis. */
export function usage(server: ServerUnderTest, since?: Usage): Usage {
  return {
    cpuSeconds: cpuSeconds(server.pid) - (since?.cpuSeconds ?? 0),
    redisCpuSeconds: cpuSeconds(server.redis.child.pid!) - (since?.redisCpuSeconds ?? 0),
    peakRssMiB: memoryMiB(server.pid, 'VmHWM'),
    rssMiB: memoryMiB(server.pid, 'VmRSS'),
  };
}

/** Which tenants each client's token names: client i gets tenant i mod T. */
export function assignTenants(tenants: string[], clientCount: number): string[][] {
  return Array.from({ length: clientCount }, (_, i) => [tenants[i % tenants.length]]);
}
