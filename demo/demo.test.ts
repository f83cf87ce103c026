/** `npm start` as a newcomer runs it: a real process, the demo page, live traffic, clean SIGTERM. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { TestClient } from '../gateway/test/support/client.ts';
// @ts-expect-error — plain .mjs helpers, no declarations
import { startDemo } from '../scripts/start-demo.mjs';

test('demo mode serves the page and a token, publishes live traffic, and stops cleanly on SIGTERM', async () => {
  const { url, child, exited } = (await startDemo()) as { url: string; child: import('node:child_process').ChildProcess; exited: Promise<number | null> };
  try {
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
