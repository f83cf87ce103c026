/**
 * Native TLS (TLS_CERT_FILE, TLS_KEY_FILE): a self-signed certificate made here with openssl,
 * the gateway on a real Redis serving https: and wss:, and every way the two settings can be
 * wrong refused with a message that names them.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { get } from 'node:https';
import { request as plainRequest } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { WebSocket } from 'ws';
import type { ServerFrame } from '../../protocol/index.ts';
import { mintToken } from '../src/auth.ts';
import { ConfigError, loadConfig } from '../src/config.ts';
import type { Gateway } from '../src/gateway.ts';
import { leadEvent } from './support/events.ts';
import { SECRET, testGateway } from './support/gateway.ts';
import { startRedis, type RedisServer } from './support/redis.ts';

const TENANT = 'loc_tls';
let dir: string;
let redis: RedisServer;
/** A certificate for localhost and 127.0.0.1, its key, and a second key that does not match it. */
const pem = { cert: '', key: '', otherKey: '' };

function selfSigned(name: string): { cert: string; key: string } {
  const cert = join(dir, `${name}.crt`);
  const key = join(dir, `${name}.key`);
  execFileSync('openssl', [
    'req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-days', '1',
    '-subj', '/CN=localhost', '-addext', 'subjectAltName=DNS:localhost,IP:127.0.0.1', '-keyout', key, '-out', cert,
  ], { stdio: 'ignore' });
  return { cert, key };
}

before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'leadwire-tls-'));
  const first = selfSigned('gateway');
  pem.cert = first.cert;
  pem.key = first.key;
  pem.otherKey = selfSigned('other').key;
  redis = await startRedis();
});

after(async () => {
  await redis?.stop();
  rmSync(dir, { recursive: true, force: true });
});

const ca = () => readFileSync(pem.cert);

test('TLS_CERT_FILE and TLS_KEY_FILE: both or neither, and each readable', () => {
  assert.equal(loadConfig({}).TLS_CERT_FILE, undefined);
  assert.deepEqual(
    [loadConfig({ TLS_CERT_FILE: pem.cert, TLS_KEY_FILE: pem.key })].map((c) => [c.TLS_CERT_FILE, c.TLS_KEY_FILE]),
    [[pem.cert, pem.key]],
  );
  assert.throws(() => loadConfig({ TLS_CERT_FILE: pem.cert }), (error: unknown) => {
    assert.ok(error instanceof ConfigError);
    assert.match(error.message, /TLS_CERT_FILE is set but TLS_KEY_FILE is not: set both/);
    return true;
  });
  assert.throws(() => loadConfig({ TLS_KEY_FILE: pem.key }), /TLS_KEY_FILE is set but TLS_CERT_FILE is not/);
  const missing = join(dir, 'missing.pem');
  assert.throws(() => loadConfig({ TLS_CERT_FILE: missing, TLS_KEY_FILE: pem.key }), new RegExp(`TLS_CERT_FILE="${missing}": cannot be read \\(ENOENT\\)`));
  assert.throws(() => loadConfig({ TLS_CERT_FILE: pem.cert, TLS_KEY_FILE: dir }), /TLS_KEY_FILE="[^"]+": not a file/);
  if (process.getuid?.() !== 0) {
    // root reads any file: the permission case exists only for other users.
    const locked = join(dir, 'locked.key');
    writeFileSync(locked, 'x');
    chmodSync(locked, 0o000);
    assert.throws(() => loadConfig({ TLS_CERT_FILE: pem.cert, TLS_KEY_FILE: locked }), /TLS_KEY_FILE="[^"]+": cannot be read \(EACCES\)/);
  }
});

test('a key that does not belong to the certificate, or a file that is not PEM, stops the gateway before it starts', async () => {
  await assert.rejects(testGateway({ TLS_CERT_FILE: pem.cert, TLS_KEY_FILE: pem.otherKey }), (error: unknown) => {
    assert.ok(error instanceof ConfigError);
    assert.match(error.message, /TLS_CERT_FILE="[^"]+", TLS_KEY_FILE="[^"]+": not a PEM certificate and its private key \(.*mismatch/i);
    return true;
  });
  const text = join(dir, 'not.pem');
  writeFileSync(text, 'hello');
  await assert.rejects(testGateway({ TLS_CERT_FILE: text, TLS_KEY_FILE: pem.key }), /not a PEM certificate and its private key/);
});

test('with both set the gateway serves https: and wss:, and events reach a client over TLS', async () => {
  const gateway: Gateway = await testGateway({ REDIS_URL: redis.url, TLS_CERT_FILE: pem.cert, TLS_KEY_FILE: pem.key, TAIL_BLOCK_MS: 100 });
  try {
    assert.match(gateway.url, /^https:\/\/127\.0\.0\.1:\d+$/);
    const readyz = () =>
      new Promise<{ status: number; body: { ready: boolean; log: string } }>((resolve, reject) => {
        get(`${gateway.url}/readyz`, { ca: ca() }, (res) => {
          let body = '';
          res.on('data', (chunk) => (body += chunk));
          res.on('end', () => resolve({ status: res.statusCode!, body: JSON.parse(body) }));
        }).on('error', reject);
      });
    let ready = await readyz();
    for (let i = 0; ready.status !== 200 && i < 100; i++) {
      await new Promise((r) => setTimeout(r, 50)); // the tail's first read
      ready = await readyz();
    }
    assert.deepEqual([ready.status, ready.body.ready, ready.body.log], [200, true, 'redis']);

    const token = await mintToken({ sub: 'tls', tenants: [TENANT], scopes: ['events:read'] }, SECRET, 600);
    const socket = new WebSocket(`${gateway.url.replace(/^https/, 'wss')}/v1/ws`, { ca: ca() });
    const frames: ServerFrame[] = [];
    socket.on('message', (data) => frames.push(JSON.parse(data.toString())));
    await new Promise((resolve, reject) => socket.once('open', resolve).once('error', reject));
    socket.send(JSON.stringify({ type: 'hello', v: 1, token }));
    const until = async (what: string, done: () => boolean) => {
      for (let i = 0; !done(); i++) {
        if (i > 200) throw new Error(`no ${what} over wss:`);
        await new Promise((r) => setTimeout(r, 50));
      }
    };
    await until('welcome', () => frames.some((f) => f.type === 'welcome'));
    const envelope = leadEvent(TENANT);
    await gateway.append(envelope);
    await until('event', () => frames.some((f) => f.type === 'events' && f.events.some((e) => e.id === envelope.id)));
    socket.close();

    // Plain HTTP to a TLS port gets no HTTP answer.
    const plain = await new Promise<string>((resolve) => {
      const req = plainRequest(gateway.url.replace(/^https/, 'http') + '/healthz', (res) => resolve(`status ${res.statusCode}`));
      req.on('error', (error) => resolve(`error ${(error as NodeJS.ErrnoException).code}`));
      req.end();
    });
    assert.notEqual(plain, 'status 200');
  } finally {
    await gateway.close();
  }
});
