/** POST /v1/audit against a real gateway: who may record an export, and that clients see it. */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { StreamEvent } from '../../protocol/index.ts';
import { mintToken, type Scope } from '../src/auth.ts';
import type { Gateway } from '../src/gateway.ts';
import { InvalidEnvelopeError } from '../src/ingest/writer.ts';
import { SECRET, testGateway } from './support/gateway.ts';
import { TestClient } from './support/client.ts';

const mint = (scopes: Scope[], tenants = ['loc_A', 'loc_B'], secret = SECRET) => mintToken({ sub: 'agent@example.com', tenants, scopes }, secret);
const EXPORT = { format: 'xlsx', rows: 1234, filters: 'Hot · last 7 days', fileName: 'leadwire-activity-2026-11-22T1405.xlsx' };

describe('audit route', () => {
  let gateway: Gateway;
  let watcher: TestClient;
  let masked: TestClient;

  before(async () => {
    // The gateway's own wiring: its authenticator, its log, and its /v1 CORS policy.
    gateway = await testGateway({ ALLOWED_ORIGINS: 'https://*.gohighlevel.com' });
    watcher = await TestClient.connect(gateway.url, { token: await mint(['events:read', 'pii:read']) });
    masked = await TestClient.connect(gateway.url, { token: await mint(['events:read']) });
    await Promise.all([watcher.waitWelcome(), masked.waitWelcome()]);
  });
  after(async () => {
    await Promise.all([watcher.close(), masked.close()]);
    await gateway.close();
  });

  const post = (body: unknown, token?: string, headers: Record<string, string> = {}) =>
    fetch(`${gateway.url}/v1/audit`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}), ...headers },
      body: typeof body === 'string' ? body : JSON.stringify(body),
    });

  const audits = () => watcher.events.filter((e): e is Extract<StreamEvent, { type: 'audit.export' }> => e.type === 'audit.export');

  test('records an audit.export event that live clients receive, under the first tenant', async () => {
    const response = await post(EXPORT, await mint(['export']));
    assert.equal(response.status, 202);
    const { cursor } = (await response.json()) as { cursor: string };
    await watcher.waitFor(() => audits().some((e) => e.cursor === cursor), 'the audit event');
    const event = audits().find((e) => e.cursor === cursor)!;
    assert.equal(event.tenant, 'loc_A');
    assert.equal(event.priority, 'low');
    assert.deepEqual(event.data, { subject: 'agent@example.com', ...EXPORT });
    // The subject is an email: a viewer without pii:read sees it masked, like any other PII.
    await masked.waitFor(() => masked.events.some((e) => e.cursor === cursor), 'the masked audit event');
    const seen = masked.events.find((e) => e.cursor === cursor)!;
    assert.equal((seen.data as { subject: string }).subject, 'a***@example.com');
  });

  test('a tenant named in the body must be one of the token’s', async () => {
    const token = await mint(['export']);
    const ok = await post({ ...EXPORT, tenant: 'loc_B' }, token);
    assert.equal(ok.status, 202);
    const { cursor } = (await ok.json()) as { cursor: string };
    await watcher.waitFor(() => audits().some((e) => e.cursor === cursor), 'the loc_B audit event');
    assert.equal(audits().find((e) => e.cursor === cursor)!.tenant, 'loc_B');

    const foreign = await post({ ...EXPORT, tenant: 'loc_Z' }, token);
    assert.equal(foreign.status, 403);
    assert.match(((await foreign.json()) as { message: string }).message, /loc_Z/);
  });

  test('refuses missing, forged and expired tokens (401), other origins (403) and tokens without export (403)', async () => {
    const before = (await gateway.log.extent()).lastId;
    const pinned = await mintToken({ sub: 'x', tenants: ['loc_A'], scopes: ['export'], origins: ['https://app.gohighlevel.com'] }, SECRET);
    const cases: Array<[string | undefined, number, string, Record<string, string>?]> = [
      [undefined, 401, 'unauthorized'],
      [await mint(['export'], ['loc_A'], 'another-secret-another-secret-another-!!'), 401, 'unauthorized'],
      [await mintToken({ sub: 'x', tenants: ['loc_A'], scopes: ['export'] }, SECRET, -10), 401, 'token_expired'],
      [await mint(['events:read', 'pii:read']), 403, 'forbidden'],
      // Allowed by the deployment (*.gohighlevel.com), not by the token's origins claim.
      [pinned, 403, 'forbidden_origin', { origin: 'https://other.gohighlevel.com' }],
    ];
    for (const [token, status, error, headers] of cases) {
      const response = await post(EXPORT, token, headers);
      assert.equal(response.status, status, error);
      assert.equal(((await response.json()) as { error: string }).error, error);
    }
    assert.equal((await gateway.log.extent()).lastId, before, 'nothing was written');
    // The same token from the page it names is served.
    const own = await post(EXPORT, pinned, { origin: 'https://app.gohighlevel.com' });
    assert.equal(own.status, 202);
    const { cursor } = (await own.json()) as { cursor: string };
    await watcher.waitFor(() => audits().some((e) => e.cursor === cursor), 'the audit event from the pinned origin');
  });

  test('refuses bad bodies with 400 and a message naming the field', async () => {
    const token = await mint(['export']);
    const bodies: Array<[unknown, RegExp]> = [
      [{ ...EXPORT, format: 'exe' }, /format/],
      [{ ...EXPORT, rows: -1 }, /rows/],
      [{ ...EXPORT, rows: undefined }, /rows/],
      [{ ...EXPORT, subject: 'someone-else' }, /subject/],
      [{ ...EXPORT, filters: 'x'.repeat(2_001) }, /filters/],
      ['{not json', /JSON|Unexpected|Expected/i],
    ];
    for (const [body, message] of bodies) {
      const response = await post(body, token);
      assert.equal(response.status, 400, JSON.stringify(body).slice(0, 60));
      const answer = (await response.json()) as { error: string; message: string };
      assert.equal(answer.error, 'bad_request');
      assert.match(answer.message, message);
    }
  });

  test('answers CORS preflights so widgets on other origins can call it', async () => {
    const response = await fetch(`${gateway.url}/v1/audit`, {
      method: 'OPTIONS',
      headers: { origin: 'https://app.gohighlevel.com', 'access-control-request-method': 'POST', 'access-control-request-headers': 'authorization,content-type' },
    });
    assert.equal(response.status, 204);
    assert.equal(response.headers.get('access-control-allow-origin'), 'https://app.gohighlevel.com');
    assert.match(response.headers.get('access-control-allow-headers') ?? '', /Authorization/);
  });

  test('publishers still cannot write audit.export through the publisher path', async () => {
    const envelope = { id: 'fake-audit', type: 'audit.export', tenant: 'loc_A', ts: Date.now(), data: { subject: 'x', format: 'csv', rows: 1, filters: '' } };
    await assert.rejects(gateway.append(envelope), InvalidEnvelopeError);
  });
});
