// Starts the demo (`demo/main.ts`) as `npm start` does, on a free port with no Redis, and
// resolves once it prints its URL: for the tests and scripts that drive the demo page.
import { spawn } from 'node:child_process';
import { resolve } from 'node:path';

const ROOT = resolve(import.meta.dirname, '..');

/** @returns {Promise<{ url: string, child: import('node:child_process').ChildProcess, exited: Promise<number | null> }>} */
export async function startDemo({ timeoutMs = 30_000 } = {}) {
  const child = spawn(process.execPath, ['--import', 'tsx', 'demo/main.ts'], {
    cwd: ROOT,
    env: { ...process.env, PORT: '0', LOG_LEVEL: 'warn', REDIS_URL: '' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const exited = new Promise((done) => child.on('exit', (code) => done(code)));
  let stdout = '';
  try {
    const url = await new Promise((done, fail) => {
      const timer = setTimeout(() => fail(new Error(`the demo printed no URL: ${stdout}`)), timeoutMs);
      child.stdout.on('data', (chunk) => {
        stdout += chunk;
        const match = /Leadwire gateway on (http:\/\/\S+)/.exec(stdout);
        if (match) {
          clearTimeout(timer);
          done(match[1]);
        }
      });
    });
    return { url, child, exited };
  } catch (error) {
    child.kill('SIGKILL');
    throw error;
  }
}
