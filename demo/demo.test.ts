/** `npm start` as a newcomer runs it: a real process, the demo page, live traffic, clean SIGTERM. */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { test } from 'node:test';
import { TestClient } from '../gateway/test/support/client.ts';

test('demo mode serves the page and a token, publishes live traffic, and stops cleanly on SIGTERM', async () => {
  const child = spawn(process.execPath, ['--import', 'tsx', 'demo/main.ts'], {
    env: { ...process.env, PORT: '0', LOG_LEVEL: 'warn', REDIS_URL: '' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  try {
    let stdout = '';
    const url = await new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no URL printed: ${stdout}`)), 30_000);
      child.stdout.on('data', (chunk) => {
        stdout += chunk;
        const match = /Leadwire gateway on (http:\/\/\S+)/.exec(stdout);
        if (match) {
          clearTimeout(timer);
          resolve(match[1]);
        }
      });
    });
    const page = await fetch(url + '/');
    assert.equal(page.status, 200);
    assert.match(await page.text(), /<title>Leadwire demo<\/title>/);
    const { token, tenants } = (await (await fetch(url + '/demo/token')).json()) as { token: string; tenants: string[] };
    assert.ok(tenants.length >= 3);
    const client = await TestClient.connect(url, { token });
    await client.waitWelcome();
    await client.waitEvents(3, 20_000);
    assert.ok(client.events.every((e) => tenants.includes(e.tenant) || e.tenant === '*'));
    child.kill('SIGTERM');
    assert.equal((await client.waitClosed()).code, 4503);
    assert.equal(await exited, 0);
  } finally {
    if (child.exitCode === null) child.kill('SIGKILL');
  }
});
