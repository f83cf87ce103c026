/**
 * Process plumbing for the benchmark: free ports, a throwaway redis-server, children that run
 * TypeScript through tsx, and CPU/memory figures read from /proc. Everything started here is
 * stopped by its pid.
 */
import { fork, spawn, type ChildProcess } from 'node:child_process';
import { readFileSync, readdirSync } from 'node:fs';
import { connect, createServer } from 'node:net';
import { once } from 'node:events';

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export async function freePort(): Promise<number> {
  const server = createServer();
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

export function canConnect(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

/** Polls until something listens on the port; fails early if the child exits. */
export async function waitForPort(port: number, child: ChildProcess, what: string, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await canConnect(port))) {
    if (child.exitCode !== null || child.signalCode !== null) throw new Error(`${what} exited (${child.exitCode ?? child.signalCode}) before listening`);
    if (Date.now() > deadline) throw new Error(`${what} did not listen on ${port} within ${timeoutMs / 1000} s`);
    await sleep(50);
  }
}

/** Stops a child by its pid: SIGTERM, then SIGKILL if it lingers. */
export async function stop(child: ChildProcess | undefined, graceMs = 5_000): Promise<void> {
  if (!child || child.exitCode !== null || child.signalCode !== null) return;
  const exited = once(child, 'exit');
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
  await exited;
  clearTimeout(timer);
}

export interface Redis {
  url: string;
  child: ChildProcess;
}

export async function startRedis(): Promise<Redis> {
  const port = await freePort();
  const child = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], {
    stdio: 'ignore',
  });
  await waitForPort(port, child, 'redis-server', 10_000);
  return { url: `redis://127.0.0.1:${port}`, child };
}

/** A server under test, run as `node --import tsx <entry>` (optionally with a raised fd limit). */
export function spawnTs(entry: string, env: Record<string, string>, nodeArgs: string[] = [], fdLimit?: number): ChildProcess {
  const args = [...nodeArgs, '--import', 'tsx', entry];
  const options = { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] as ('ignore' | 'pipe')[] };
  if (!fdLimit) return spawn(process.execPath, args, options);
  // `exec` keeps the pid: the shell becomes node, so /proc/<pid> is the server itself.
  const quoted = [process.execPath, ...args].map((a) => `'${a.replace(/'/g, `'\\''`)}'`).join(' ');
  return spawn('/bin/sh', ['-c', `ulimit -n ${fdLimit} 2>/dev/null || ulimit -n $(ulimit -Hn); exec ${quoted}`], options);
}

/** A worker speaking the benchmark's IPC messages. */
export function forkTs(entry: string): ChildProcess {
  return fork(entry, [], { execArgv: ['--import', 'tsx'], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
}

/** Sends a request and resolves with the first reply whose `type` is `reply`. */
export function request<T>(child: ChildProcess, message: object, reply: string, timeoutMs = 60_000): Promise<T> {
  return new Promise((resolve, reject) => {
    const onMessage = (msg: { type: string }) => {
      if (msg?.type !== reply) return;
      cleanup();
      resolve(msg as T);
    };
    const onExit = (code: number | null) => {
      cleanup();
      reject(new Error(`worker exited (${code}) while waiting for ${reply}`));
    };
    const timer = setTimeout(() => {
      cleanup();
      reject(new Error(`no ${reply} from worker within ${timeoutMs / 1000} s`));
    }, timeoutMs);
    const cleanup = () => {
      clearTimeout(timer);
      child.off('message', onMessage);
      child.off('exit', onExit);
    };
    child.on('message', onMessage);
    child.once('exit', onExit);
    child.send(message);
  });
}

const TICKS = 100; // USER_HZ on Linux

/** utime + stime of a process, in seconds (all its threads). */
export function cpuSeconds(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  // The command name may hold spaces; fields after its closing paren are space-separated.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) / TICKS;
}

/** A field of /proc/<pid>/status in MiB, e.g. VmHWM (peak RSS) or VmRSS. */
export function memoryMiB(pid: number, field: 'VmHWM' | 'VmRSS'): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const match = new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status);
  return match ? Number(match[1]) / 1024 : NaN;
}

/** utime + stime of every process on the machine, by pid (processes may vanish mid-read). */
export function cpuByPid(): Map<number, number> {
  const result = new Map<number, number>();
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      result.set(Number(name), cpuSeconds(Number(name)));
    } catch {
      // exited between readdir and read
    }
  }
  return result;
}

/**
 * CPU seconds other processes (not in `ours`) used between two snapshots: the load neighbours
 * put on the shared machine during a run. Processes that exited meanwhile are missed.
 */
export function othersCpuSeconds(before: Map<number, number>, after: Map<number, number>, ours: Set<number>): number {
  let total = 0;
  for (const [pid, cpu] of after) if (!ours.has(pid)) total += cpu - (before.get(pid) ?? 0);
  return total;
}

/** Pids whose parent is `parent` (from /proc/<pid>/stat; the name field may hold spaces). */
function childPids(parent: number): number[] {
  const pids: number[] = [];
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const stat = readFileSync(`/proc/${name}/stat`, 'utf8');
      if (Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]) === parent) pids.push(Number(name));
    } catch {
      // exited between readdir and read
    }
  }
  return pids;
}

/**
 * An interrupted run (Ctrl-C, SIGTERM) stops every process it started — servers, redis-server,
 * client and publisher workers — instead of leaving them running without a parent.
 */
export function stopChildrenOnSignal(): void {
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => {
      for (const pid of childPids(process.pid)) {
        try {
          process.kill(pid, 'SIGKILL');
        } catch {
          // already gone
        }
      }
      process.exit(signal === 'SIGINT' ? 130 : 143);
    });
  }
}
