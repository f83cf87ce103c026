/**
 * Redis over TLS: a CA and a server certificate made here with openssl, a real redis-server on a
 * TLS port only, and the gateway on `rediss://` trusting the CA through REDIS_TLS_CA_FILE. Events
 * published over TLS reach a WebSocket client; a gateway given another CA is not ready and says
 * why; the setting refuses a plain redis:// URL and a file that is not a certificate.
 */
import assert from 'node:assert/strict';
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { Redis } from 'ioredis';
import { ConfigError, loadConfig } from '../src/config.ts';
import { token } from './delivery.cases.ts';
import { TestClient } from './support/client.ts';
import { leadEvent } from './support/events.ts';
import { testGateway } from './support/gateway.ts';
import { waitUntil } from './support/http-clients.ts';
import { freePort } from './support/redis.ts';

let dir: string;
let server: ChildProcess;
let port: number;
const files = { ca: '', otherCa: '', notPem: '' };

const openssl = (...args: string[]) => execFileSync('openssl', args, { stdio: 'ignore' });
const ecKey = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'];

/** A self-signed CA: its certificate and key paths. */
function makeCa(name: string): { cert: string; key: string } {
  const cert = join(dir, `${name}.crt`);
  const key = join(dir, `${name}.key`);
  openssl('req', '-x509', ...ecKey, '-days', '1', '-subj', `/CN=Leadwire test ${name}`, '-keyout', key, '-out', cert);
  return { cert, key };
}

before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'leadwire-redis-tls-'));
  const ca = makeCa('ca');
  files.ca = ca.cert;
  files.otherCa = makeCa('other-ca').cert;
  // The server's certificate, signed by the CA, for the address the gateway dials.
  const [key, csr, cert, ext] = ['redis.key', 'redis.csr', 'redis.crt', 'redis.ext'].map((f) => join(dir, f));
  writeFileSync(ext, 'subjectAltName=DNS:localhost,IP:127.0.0.1\n');
  openssl('req', ...ecKey, '-subj', '/CN=localhost', '-keyout', key, '-out', csr);
  openssl('x509', '-req', '-in', csr, '-CA', ca.cert, '-CAkey', ca.key, '-CAcreateserial', '-days', '1', '-extfile', ext, '-out', cert);
  files.notPem = join(dir, 'not.pem');
  writeFileSync(files.notPem, 'not a certificate\n');

  port = await freePort();
  server = spawn(
    'redis-server',
    ['--port', '0', '--tls-port', String(port), '--tls-cert-file', cert, '--tls-key-file', key, '--tls-ca-cert-file', ca.cert,
      '--tls-auth-clients', 'no', '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'],
    { stdio: 'ignore' },
  );
  const probe = new Redis({ port, host: '127.0.0.1', tls: { ca: readFileSync(ca.cert) }, retryStrategy: () => 50 });
  probe.on('error', () => {});
  await waitUntil(() => probe.status === 'ready', 'redis-server on its TLS port', 10_000);
  probe.disconnect();
});

after(async () => {
  if (server) {
    const exited = new Promise((resolve) => server.once('exit', resolve));
    server.kill('SIGKILL');
    await exited;
  }
  rmSync(dir, { recursive: true, force: true });
});

test('rediss:// with REDIS_TLS_CA_FILE: published events reach a WebSocket client', async () => {
  const gateway = await testGateway({ REDIS_URL: `rediss://127.0.0.1:${port}`, REDIS_TLS_CA_FILE: files.ca, TAIL_BLOCK_MS: 200, METRICS_HEALTH_INTERVAL_MS: 0 });
  const publisher = new Redis(`rediss://127.0.0.1:${port}`, { tls: { ca: readFileSync(files.ca) } });
  try {
    const client = await TestClient.connect(gateway.url, { token: await token(['t-tls']) });
    await client.waitWelcome();
    const appended = leadEvent('t-tls');
    await gateway.append(appended);
    // Through the pub/sub bridge: its own TLS connection.
    const published = leadEvent('t-tls');
    await publisher.publish('leadwire:pub:t-tls', JSON.stringify(published));
    await client.waitEvents(2);
    assert.deepEqual(client.events.map((e) => e.id), [appended.id, published.id]);
    assert.equal((await fetch(`${gateway.url}/readyz`)).status, 200);
    await client.close();
  } finally {
    publisher.disconnect();
    await gateway.close();
  }
});

test('another CA: the handshake is refused, /readyz is 503 and names the certificate error', async () => {
  const wrong = await testGateway({ REDIS_URL: `rediss://127.0.0.1:${port}`, REDIS_TLS_CA_FILE: files.otherCa, METRICS_HEALTH_INTERVAL_MS: 0, PUBSUB_BRIDGE: false });
  try {
    const readyz = async () => {
      const res = await fetch(`${wrong.url}/readyz`);
      assert.equal(res.status, 503);
      return (await res.json()) as { ready: boolean; store: { ok: boolean; error?: string } };
    };
    // The first answers may come before the first handshake has failed.
    let body = await readyz();
    for (let i = 0; i < 100 && !/certificate/i.test(body.store.error ?? ''); i++) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      body = await readyz();
    }
    assert.equal(body.ready, false);
    assert.match(body.store.error ?? '', /redis unreachable: .*certificate/i);
    await assert.rejects(wrong.append(leadEvent('t-tls')));
  } finally {
    await wrong.close();
  }
});

test('REDIS_TLS_CA_FILE: only with rediss://, and only a readable PEM certificate', async () => {
  assert.equal(loadConfig({ REDIS_URL: `rediss://127.0.0.1:${port}`, REDIS_TLS_CA_FILE: files.ca }).REDIS_TLS_CA_FILE, files.ca);
  assert.throws(() => loadConfig({ REDIS_URL: `redis://127.0.0.1:${port}`, REDIS_TLS_CA_FILE: files.ca }), (error: Error) => error instanceof ConfigError && /REDIS_TLS_CA_FILE is set but REDIS_URL is not a rediss:\/\/ URL/.test(error.message));
  assert.throws(() => loadConfig({ REDIS_URL: `rediss://127.0.0.1:${port}`, REDIS_TLS_CA_FILE: join(dir, 'missing.pem') }), /REDIS_TLS_CA_FILE=.*missing\.pem.*cannot be read \(ENOENT\)/);
  await assert.rejects(testGateway({ REDIS_URL: `rediss://127.0.0.1:${port}`, REDIS_TLS_CA_FILE: files.notPem }), (error: Error) => error instanceof ConfigError && /REDIS_TLS_CA_FILE=.*not\.pem.*not a PEM certificate/.test(error.message));
});
