/**
 * The rollout over HTTP against a real gateway and Redis: the loader URL and the versions'
 * immutable files, the assignment by the verified token's location, telemetry that is
 * authenticated, rate- and size-limited and stores numbers only, and the automatic rollback
 * with its alert and audit events.
 */
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { CURSOR_ZERO } from '../../protocol/index.ts';
import { mintToken } from '../src/auth.ts';
import type { Gateway } from '../src/gateway.ts';
import * as rollout from '../src/rollout/model.ts';
import { RedisRolloutStore, updateRollout } from '../src/rollout/store.ts';
import { SECRET, testGateway } from './support/gateway.ts';
import { waitUntil } from './support/http-clients.ts';
import { startRedis, type RedisServer } from './support/redis.ts';

const KEY = 'leadwire:rollout:http-test';
const cli = { by: 'cli:ops', now: Date.now() };
const token = (tenants: string[], scopes: Array<'events:read' | 'system:read'> = ['events:read']) => mintToken({ sub: 'page', tenants, scopes }, SECRET);

describe('rollout over HTTP', () => {
  let redis: RedisServer;
  let gateway: Gateway;
  let store: RedisRolloutStore;
  let dir: string;

  before(async () => {
    redis = await startRedis();
    dir = mkdtempSync(join(tmpdir(), 'leadwire-versions-'));
    for (const version of ['1.0.0', '1.1.0']) {
      mkdirSync(join(dir, version, 'leadwire'), { recursive: true });
      writeFileSync(join(dir, version, 'leadwire-rollout.js'), `/* loader ${version} */`);
      writeFileSync(join(dir, version, 'leadwire', 'embed.js'), `export const version = ${JSON.stringify(version)};`);
    }
    writeFileSync(join(dir, 'secret.txt'), 'not a version');
    store = new RedisRolloutStore(redis.url, KEY);
    gateway = await testGateway({
      REDIS_URL: redis.url,
      ROLLOUT_KEY: KEY,
      ROLLOUT_VERSIONS_DIR: dir,
      ROLLOUT_CHECK_MS: 50,
      ROLLOUT_MIN_SAMPLE: 10,
      ROLLOUT_MARGIN: 0.1,
      TELEMETRY_PER_MINUTE: 5,
      TELEMETRY_MAX_BYTES: 512,
      HTTP_RATE_PER_SECOND: 1_000,
      HTTP_RATE_BURST: 1_000,
    });
  });
  after(async () => {
    await gateway.close();
    await store.close();
    await redis.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  const get = (path: string, bearer?: string) => fetch(`${gateway.url}${path}`, { headers: bearer ? { authorization: `Bearer ${bearer}` } : {} });
  const report = (body: unknown, bearer?: string) =>
    fetch(`${gateway.url}/v1/telemetry`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(bearer ? { authorization: `Bearer ${bearer}` } : {}) },
      body: typeof body === 'string' ? body : JSON.stringify(body),
    });
  const settled = () => gateway.rollout.tick();

  test('before any rollout, the loader URL says so in the console and the assignment is 503', async () => {
    const loader = await get('/leadwire.js');
    assert.equal(loader.status, 503);
    assert.match(await loader.text(), /console\.error\(.*no rollout is configured/);
    assert.equal((await get('/v1/rollout/assignment', await token(['loc_a']))).status, 503);
  });

  test('the loader URL serves the stable version’s loader; versions are immutable files, unknown ones 404', async () => {
    await updateRollout(store, () => rollout.initial('1.0.0', cli));
    await settled();
    const loader = await get('/leadwire.js');
    assert.equal(loader.status, 200);
    assert.equal(await loader.text(), '/* loader 1.0.0 */');
    assert.match(loader.headers.get('content-type')!, /javascript/);
    assert.equal(loader.headers.get('cache-control'), 'no-cache');

    const chunk = await get('/embed/1.1.0/leadwire/embed.js');
    assert.equal(chunk.status, 200);
    assert.equal(await chunk.text(), 'export const version = "1.1.0";');
    assert.match(chunk.headers.get('cache-control')!, /immutable/);
    assert.equal(chunk.headers.get('access-control-allow-origin'), '*');
    for (const path of ['/embed/9.9.9/leadwire/embed.js', '/embed/1.0.0/leadwire/none.js', '/embed/1.0.0/%2e%2e/secret.txt', '/embed/..%2fsecret.txt/x']) {
      const response = await get(path);
      assert.equal(response.status, 404, path);
      assert.doesNotMatch(await response.text(), /not a version/, path);
    }
  });

  test('the assignment follows the verified token’s location, never the query, and refuses a missing token', async () => {
    await updateRollout(store, (s) => rollout.stage(s!, '1.1.0', cli));
    let state = await updateRollout(store, (s) => rollout.setPercent(s!, 50, cli));
    await settled();
    const ids = Array.from({ length: 20 }, (_, i) => `loc_q${i}`);
    const low = ids.find((id) => rollout.bucketOf(id) < 50)!;
    const high = ids.find((id) => rollout.bucketOf(id) >= 50)!;
    for (const [id, version] of [[low, '1.1.0'], [high, '1.0.0']] as const) {
      const response = await get(`/v1/rollout/assignment?location=${low === id ? high : low}`, await token([id]));
      assert.equal(response.status, 200);
      const body = (await response.json()) as { location: string; version: string; bucket: number; withdrawn: string[] };
      assert.deepEqual({ location: body.location, version: body.version, bucket: body.bucket }, { location: id, version, bucket: rollout.bucketOf(id) });
    }
    assert.equal((await get('/v1/rollout/assignment')).status, 401);
    assert.equal((await get('/v1/rollout/assignment', 'not-a-jwt')).status, 401);
    state = await updateRollout(store, (s) => rollout.setPercent(s!, 0, cli));
    assert.equal(state.percent, 0);
    await settled();
  });

  test('telemetry refuses missing tokens, oversized bodies, free text and versions outside the rollout, and stores none of it', async () => {
    const page = await token(['loc_t1']);
    const before = gateway.versionHealth.summary();
    const cases: Array<[unknown, string | undefined, number]> = [
      [{ version: '1.0.0', loads: 1 }, undefined, 401],
      [{ version: '1.0.0', loads: 1 }, 'forged', 401],
      [{ version: '1.0.0', loads: 1, errors: 1, pad: 'x'.repeat(600) }, page, 413],
      [{ version: '1.0.0', errors: 1, message: 'failed for jane.doe@example.com, call 512-555-0199' }, page, 400],
      [{ version: 'jane.doe@example.com', errors: 1 }, page, 400],
      [{ version: '512.555.0199', errors: 1 }, page, 400],
      [{ version: '9.9.9', errors: 1 }, page, 400],
      [{ version: '1.0.0', errors: -1 }, page, 400],
      ['{"version":', page, 400],
    ];
    for (const [body, bearer, status] of cases) {
      const response = await report(body, bearer);
      assert.equal(response.status, status, JSON.stringify(body).slice(0, 80));
      assert.ok(((await response.json()) as { error: string }).error);
    }
    assert.deepEqual(gateway.versionHealth.summary(), before, 'nothing refused was counted');
    const prometheus = await (await get('/metrics')).text();
    const summary = await (await get('/v1/metrics', await token(['loc_t1'], ['system:read']))).text();
    for (const text of [prometheus, summary]) {
      assert.doesNotMatch(text, /jane|example\.com|555-0199|512\.555/);
    }
  });

  test('telemetry counts per version into /metrics and /v1/metrics, and limits each location’s rate', async () => {
    const page = await token(['loc_r1']);
    assert.equal((await report({ version: '1.0.0', loads: 1, renderMs: 120 }, page)).status, 204);
    assert.equal((await report({ version: '1.0.0', connectionFailures: 1, exportFailures: 2 }, page)).status, 204);
    const prometheus = await (await get('/metrics')).text();
    assert.match(prometheus, /leadwire_widget_loads_total\{version="1\.0\.0"\} 1\b/);
    assert.match(prometheus, /leadwire_widget_failures_total\{version="1\.0\.0",kind="exportFailures"\} 2\b/);
    assert.match(prometheus, /leadwire_widget_failure_rate\{version="1\.0\.0"\} 3\b/);
    const summary = (await (await get('/v1/metrics', await token(['loc_r1'], ['system:read']))).json()) as { versions: Array<{ version: string; loads: number; renderMsAvg: number }> };
    assert.deepEqual(
      summary.versions.filter((v) => v.version === '1.0.0').map((v) => [v.loads, v.renderMsAvg]),
      [[1, 120]],
    );
    // Five a minute per location (the setting): the sixth and later are refused, another location is not.
    const statuses = [];
    for (let i = 0; i < 5; i++) statuses.push((await report({ version: '1.0.0' }, page)).status);
    assert.deepEqual(statuses, [204, 204, 204, 429, 429]);
    assert.equal((await report({ version: '1.0.0' }, await token(['loc_r2']))).status, 204);
  });

  test('a failing candidate is rolled back to 0 % by the gateway, with a system.alert and audit.rollout events', async () => {
    const start = (await gateway.log.extent()).lastId ?? CURSOR_ZERO;
    await updateRollout(store, (s) => rollout.stage(s!, '1.1.0', cli));
    await updateRollout(store, (s) => rollout.setPercent(s!, 25, cli));
    await settled();
    // The stable: 10 clean loads. The candidate: 9 loads with errors, below the minimum sample.
    for (let i = 0; i < 10; i++) assert.equal((await report({ version: '1.0.0', loads: 1 }, await token([`loc_s${i}`]))).status, 204);
    for (let i = 0; i < 9; i++) assert.equal((await report({ version: '1.1.0', loads: 1, errors: 1 }, await token([`loc_c${i}`]))).status, 204);
    await settled();
    assert.equal((await store.load())!.percent, 25, 'not judged below the minimum sample');
    assert.equal((await report({ version: '1.1.0', loads: 1, errors: 1 }, await token(['loc_c9']))).status, 204);
    await waitUntil(() => gateway.rollout.state?.action === 'rollback', 'the automatic rollback');

    const state = (await store.load())!;
    assert.equal(state.percent, 0);
    assert.deepEqual(state.withdrawn, ['1.1.0']);
    assert.equal(state.changedBy, 'gateway auto-rollback');
    assert.match(state.reason, /failure rate 1\.000 over 10 loads/);
    const assignment = (await (await get('/v1/rollout/assignment', await token(['loc_c0']))).json()) as { version: string; withdrawn: string[] };
    assert.deepEqual(assignment.withdrawn, ['1.1.0']);
    assert.equal(assignment.version, '1.0.0');

    const entries = (await gateway.log.readAfter(start, 1_000)).map((e) => JSON.parse(e.raw!) as { type: string; tenant: string; data: Record<string, unknown> });
    const audits = entries.filter((e) => e.type === 'audit.rollout').map((e) => [e.data.action, e.data.by, e.data.percent]);
    assert.deepEqual(audits, [
      ['stage', 'cli:ops', 0],
      ['set', 'cli:ops', 25],
      ['rollback', 'gateway auto-rollback', 0],
    ]);
    const alerts = entries.filter((e) => e.type === 'system.alert');
    assert.equal(alerts.length, 1);
    assert.equal(alerts[0]!.tenant, '*');
    assert.match(String(alerts[0]!.data.title), /1\.1\.0 rolled back/);
  });

  test('on a schedule the gateway steps a healthy candidate through the seed by itself, and stops at 100 %', async () => {
    await updateRollout(store, (s) => rollout.stage(s!, '1.1.0', cli));
    await updateRollout(store, (s) => rollout.schedule(s!, 1, cli));
    await waitUntil(() => gateway.rollout.state?.percent === 100, 'the scheduled steps');
    const state = (await store.load())!;
    const steps = state.history.filter((c) => c.action === 'step').slice(-5);
    assert.deepEqual(steps.map((c) => [c.percent, c.by]), [10, 25, 50, 75, 100].map((p) => [p, 'gateway schedule']));
    await settled();
    assert.equal((await store.load())!.revision, state.revision, 'nothing after 100 %: promoting is the operator’s');
  });
});
