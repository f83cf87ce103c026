/**
 * The deployment examples (gateway/deploy, shipped in the package) checked as far as a file check
 * goes here (no systemd, Docker or nginx on this machine): each is in docs/gateway.md as it is,
 * and each says what the gateway needs. scripts/packages.test.ts runs the Dockerfile's health
 * check and the unit's ExecStart against the installed package.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { configSchema } from '../src/config.ts';
import { parseDockerfile, parseUnit } from './support/deploy-files.ts';

const deploy = (name: string) => readFileSync(new URL(`../deploy/${name}`, import.meta.url), 'utf8');
const HEARTBEAT_S = configSchema.parse({}).HEARTBEAT_MS / 1000;

/** An nginx `location … { … }` block's text. */
const nginxLocation = (text: string, path: string) => new RegExp(`location\\s+=\\s+${path.replace(/\//g, '\\/')}\\s*\\{([^}]*)\\}`).exec(text)?.[1] ?? '';

test('docs/gateway.md shows every deployment example as the package ships it', () => {
  const docs = readFileSync(new URL('../../docs/gateway.md', import.meta.url), 'utf8');
  for (const name of ['leadwire-gateway.service', 'Dockerfile', 'nginx.conf', 'Caddyfile']) {
    assert.ok(docs.includes(deploy(name).trimEnd()), `docs/gateway.md does not show deploy/${name} as it is`);
  }
  const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));
  assert.ok(pkg.files.includes('deploy'), 'the package ships deploy/');
});

test('the systemd unit runs the package bin as an unprivileged user and stops it with SIGTERM', () => {
  const unit = parseUnit(deploy('leadwire-gateway.service'));
  const service = unit.get('Service')!;
  assert.deepEqual(service.get('ExecStart'), ['/opt/leadwire/node_modules/.bin/leadwire-gateway']);
  const [user] = service.get('User') ?? [];
  assert.ok(user && user !== 'root' && user !== '0', `User=${user}`);
  assert.deepEqual(service.get('KillSignal'), ['SIGTERM']);
  assert.deepEqual(service.get('RestartPreventExitStatus'), ['2'], 'a configuration error (exit 2) is not restarted');
  assert.ok(service.get('EnvironmentFile')?.[0].startsWith('/etc/'), 'settings come from a file root owns');
  assert.deepEqual(unit.get('Install')?.get('WantedBy'), ['multi-user.target']);
});

test('the Dockerfile installs the tarball, runs as a non-root user and checks /readyz', () => {
  const steps = parseDockerfile(deploy('Dockerfile'));
  const first = (instruction: string) => steps.find((s) => s.instruction === instruction)?.args;
  assert.match(first('FROM')!, /^node:20\b/);
  assert.match(first('RUN')!, /npm install --omit=dev .*leadwire-gateway-\*\.tgz/);
  const users = steps.filter((s) => s.instruction === 'USER').map((s) => s.args);
  assert.ok(users.length > 0 && !['root', '0'].includes(users.at(-1)!), `USER ${users.at(-1)}`);
  const userAt = steps.findIndex((s) => s.instruction === 'USER');
  assert.ok(userAt < steps.findIndex((s) => s.instruction === 'CMD'), 'USER comes before CMD');
  const healthcheck = first('HEALTHCHECK')!;
  assert.match(healthcheck, /\/readyz/);
  assert.deepEqual(JSON.parse(healthcheck.slice(healthcheck.indexOf('CMD') + 3)).slice(0, 2), ['node', '-e']);
  const workdir = first('WORKDIR')!;
  assert.deepEqual(JSON.parse(first('CMD')!), [`${workdir}/node_modules/.bin/leadwire-gateway`]);
  assert.ok(steps.some((s) => s.instruction === 'ENV' && /\bHOST=0\.0\.0\.0\b/.test(s.args)), 'listens on every interface of the container');
});

test('the nginx example passes WebSocket upgrades, leaves SSE unbuffered and outlives the heartbeat', () => {
  const conf = deploy('nginx.conf');
  const ws = nginxLocation(conf, '/v1/ws');
  assert.match(ws, /proxy_set_header Upgrade \$http_upgrade;/);
  assert.match(ws, /proxy_set_header Connection "upgrade";/);
  assert.match(ws, /proxy_set_header X-Forwarded-For \$proxy_add_x_forwarded_for;/, '/v1/ws repeats the forwarded-for header it would not inherit');
  assert.match(conf, /proxy_http_version 1\.1;/);
  const sse = nginxLocation(conf, '/v1/sse');
  assert.match(sse, /proxy_buffering off;/);
  assert.match(sse, /access_log off;/, 'EventSource tokens in the query string are not logged');
  for (const block of [ws, sse]) {
    const timeout = Number(/proxy_read_timeout (\d+)s;/.exec(block)?.[1]);
    assert.ok(timeout > HEARTBEAT_S, `proxy_read_timeout ${timeout}s is not above the ${HEARTBEAT_S}s heartbeat`);
  }
  assert.ok(Number(/proxy_read_timeout (\d+)s;/.exec(nginxLocation(conf, '/v1/poll'))?.[1]) > 25, 'long-poll waits 25 s');
});

test('the Caddy example flushes SSE at once and takes unready gateways out of rotation', () => {
  const caddy = deploy('Caddyfile');
  const proxy = /reverse_proxy [^{]+\{([^}]*)\}/.exec(caddy)?.[1] ?? '';
  assert.match(proxy, /flush_interval -1/);
  assert.match(proxy, /health_uri \/readyz/);
  assert.doesNotMatch(caddy, /^\s*log\b/m, 'no access log: SSE tokens are in query strings');
});
