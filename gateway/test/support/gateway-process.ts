/** A real gateway as a child process (`node --import tsx gateway/src/main.ts`), stopped by its pid. */
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { freePort } from './redis.ts';

const MAIN = fileURLToPath(new URL('../../src/main.ts', import.meta.url));

export interface GatewayProcess {
  url: string;
  port: number;
  readonly pid: number;
  /** SIGKILL: no goodbye to clients, nothing flushed. */
  kill(): Promise<void>;
  /** Starts it again on the same port with the same environment. */
  start(): Promise<void>;
  /** SIGTERM (graceful), then SIGKILL if it lingers. */
  stop(): Promise<void>;
}

export async function startGatewayProcess(env: Record<string, string>): Promise<GatewayProcess> {
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  let child: ChildProcess | undefined;

  async function start(): Promise<void> {
    child = spawn(process.execPath, ['--import', 'tsx', MAIN], {
      env: { ...process.env, LOG_LEVEL: 'warn', METRICS_HEALTH_INTERVAL_MS: '0', TAIL_BLOCK_MS: '200', HTTP_RATE_PER_SECOND: '1000', ...env, PORT: String(port), HOST: '127.0.0.1' },
      stdio: 'ignore',
    });
    const spawned = child;
    const deadline = Date.now() + 30_000;
    for (;;) {
      if (spawned.exitCode !== null) throw new Error(`gateway exited with ${spawned.exitCode}`);
      if (Date.now() > deadline) throw new Error('gateway not ready within 30 s');
      const ready = await fetch(`${url}/readyz`).then((r) => r.ok, () => false);
      if (ready) return;
      await new Promise((r) => setTimeout(r, 100));
    }
  }

  async function signal(name: NodeJS.Signals, graceMs: number): Promise<void> {
    const running = child;
    child = undefined;
    if (!running || running.exitCode !== null || running.signalCode !== null) return;
    const exited = new Promise((resolve) => running.once('exit', resolve));
    running.kill(name);
    const timer = setTimeout(() => running.kill('SIGKILL'), graceMs);
    await exited;
    clearTimeout(timer);
  }

  await start();
  return {
    url,
    port,
    get pid() {
      return child?.pid ?? -1;
    },
    kill: () => signal('SIGKILL', 0),
    start,
    stop: () => signal('SIGTERM', 5_000),
  };
}
