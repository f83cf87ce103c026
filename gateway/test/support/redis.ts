/**
 * A real redis-server on a free loopback port for one test file, stopped by its pid.
 * `restart()` stops it and starts a new one on the same port (data is kept only with `persist`).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createServer, connect } from 'node:net';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface RedisServer {
  url: string;
  port: number;
  readonly pid: number;
  stop(): Promise<void>;
  /** Kills the server but keeps its data directory (with `persist`, start() comes back with the data). */
  kill(): Promise<void>;
  start(): Promise<void>;
  restart(): Promise<void>;
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

function canConnect(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.write('PING\r\n');
      socket.once('data', (data) => {
        socket.destroy();
        resolve(data.toString().startsWith('+PONG'));
      });
    });
    socket.once('error', () => resolve(false));
  });
}

/** Sends one command (inline form) and resolves with the raw reply. */
function command(port: number, line: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1');
    socket.once('connect', () => socket.write(`${line}\r\n`));
    socket.once('data', (data) => {
      socket.destroy();
      resolve(data.toString());
    });
    socket.once('error', reject);
  });
}

/**
 * `persist`: an append-only file fsynced on every write, so a restart keeps the stream.
 * `cluster`: Redis Cluster mode, one node owning every hash slot (a single-shard cluster):
 * it refuses commands and scripts whose keys hash to different slots, as any cluster does.
 */
export async function startRedis(options: { persist?: boolean; cluster?: boolean } = {}): Promise<RedisServer> {
  const port = await freePort();
  let child: ChildProcess | undefined;
  const dir = options.persist || options.cluster ? mkdtempSync(join(tmpdir(), 'leadwire-redis-')) : undefined;
  const persistence = options.persist ? ['--appendonly', 'yes', '--appendfsync', 'always', '--dir', dir!] : ['--appendonly', 'no'];
  const cluster = options.cluster ? ['--cluster-enabled', 'yes', '--cluster-config-file', join(dir!, 'nodes.conf'), '--dir', dir!] : [];

  async function start(): Promise<void> {
    child = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', ...persistence, ...cluster], {
      stdio: 'ignore',
    });
    const spawned = child;
    const deadline = Date.now() + 10_000;
    while (!(await canConnect(port))) {
      if (spawned.exitCode !== null) throw new Error(`redis-server exited with ${spawned.exitCode}`);
      if (Date.now() > deadline) throw new Error('redis-server did not start within 10 s');
      await new Promise((r) => setTimeout(r, 25));
    }
    if (!options.cluster) return;
    if (!(await command(port, 'CLUSTER INFO')).includes('cluster_slots_assigned:16384')) {
      const added = await command(port, 'CLUSTER ADDSLOTSRANGE 0 16383');
      if (!added.startsWith('+OK')) throw new Error(`CLUSTER ADDSLOTSRANGE: ${added.trim()}`);
    }
    while (!(await command(port, 'CLUSTER INFO')).includes('cluster_state:ok')) {
      if (Date.now() > deadline) throw new Error('redis cluster not ok within 10 s');
      await new Promise((r) => setTimeout(r, 50));
    }
  }

  async function stop(): Promise<void> {
    const running = child;
    child = undefined;
    if (!running || running.exitCode !== null) return;
    const exited = new Promise((resolve) => running.once('exit', resolve));
    running.kill('SIGKILL');
    await exited;
  }

  await start();
  return {
    url: `redis://127.0.0.1:${port}`,
    port,
    get pid() {
      return child?.pid ?? -1;
    },
    async stop() {
      await stop();
      if (dir) rmSync(dir, { recursive: true, force: true });
    },
    kill: stop,
    start,
    async restart() {
      await stop();
      await start();
    },
  };
}
