/**
 * web-test-runner plugin for the browser end-to-end tests: starts a real redis-server and a real
 * gateway on it for the run (serverStart), stops both by pid/handle (serverStop), and gives the
 * tests commands (via @web/test-runner-commands' executeServerCommand):
 *   gateway-info        → { url, blockedUrl (WebSocket refused), noStreamUrl (WebSocket and SSE refused), tenant, token };
 *                         `{ tenant, scopes }` for a token of another tenant (a log of its own: history tests)
 *   gateway-publish     → XADD `count` demo envelopes that an events:read token sees (no system.*), or
 *                         `envelopes` as given, into the stream; returns their ids. `tenant` re-addresses
 *                         them, `backdateMs` stamps their ts that long before now
 *   gateway-token       → a token for { sub, ttlS, tenant } (default browser-e2e, an hour, the test tenant)
 *   gateway-tokens-served → how many times /__leadwire/token was asked for { sub } (refusals included)
 *   gateway-token-refuse → { sub, refuse }: /__leadwire/token answers 401 for that subject (a
 *                         signed-out user) until called again with refuse: false
 *   gateway-stop        → shuts the gateway down (as a deploy does: clients get 4503 with a retry hint);
 *                         Redis keeps running, so events can still be published meanwhile
 *   gateway-start       → starts it again on the same port
 *   gateway-drop        → destroys every open TCP connection to the gateway and to its proxies (a
 *                         network failure: the browser sees its connection end, whichever path it took)
 *   cdn-requests        → what the "CDN" served so far: [{ path, dest (Sec-Fetch-Dest), origin }]
 * For the script-tag embed tests it also serves (after building components/dist when stale):
 *   /__leadwire/token         → `{ token }` for the test tenant, as a host's token endpoint would
 *                               (`?ttl=<s>&sub=<subject>` for short-lived tokens of a subject)
 *   /__leadwire/page/<name>   → components/embed-pages/<name>.html with %GATEWAY% and %CDN% filled in
 *   /__leadwire/v2/<file>     → components/dist/<file> as another version (another URL, another version string)
 * `blockedUrl` is a proxy in front of the gateway that refuses WebSocket upgrades, as corporate
 * proxies do, to exercise the SSE/long-poll fallback.
 * A "CDN" on another origin (127.0.0.1, another port) serves components/dist under /dist/ with CORS, as a
 * CDN hosting leadwire.js must, and /broken/leadwire.js: the loader with no chunks beside it.
 */
import { readFile } from 'node:fs/promises';
import { extname } from 'node:path';
import { createServer, request, type Server } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { Redis } from 'ioredis';
import type { TestRunnerPlugin } from '@web/test-runner';
import { startGateway, type Gateway } from '../gateway/src/gateway.ts';
import { mintToken, type Scope } from '../gateway/src/auth.ts';
import { startRedis, type RedisServer } from '../gateway/test/support/redis.ts';
import { createTraffic } from '../fixtures/traffic.ts';
// @ts-expect-error — plain .mjs build helper, no declarations
import { ensureBuild } from './build.mjs';

const SECRET = 'browser-e2e-secret-browser-e2e-secret-01';
const TENANT = 'loc_Austin01';

/**
 * An HTTP proxy to `target` that passes requests through and refuses WebSocket upgrades, and
 * with `refuseStreams` also event streams (as proxies that buffer responses effectively do).
 * When the upstream connection breaks mid-response the downstream one is reset too, as a real
 * proxy does: `pipe` alone would leave the browser's stream open and silent (until its heartbeat
 * watchdog gives up, seconds later).
 */
function blockingProxy(target: URL, sockets: Set<Socket>, refuseStreams = false): Promise<Server> {
  const proxy = createServer((req, res) => {
    if (refuseStreams && req.url?.startsWith('/v1/sse')) {
      res.writeHead(403, { 'access-control-allow-origin': req.headers.origin ?? '*' }).end('streams are not allowed here');
      return;
    }
    const upstream = request(
      { host: target.hostname, port: target.port, path: req.url, method: req.method, headers: req.headers },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.on('error', () => res.destroy());
        answer.on('close', () => answer.complete || res.destroy());
        answer.pipe(res);
      },
    );
    upstream.on('error', () => res.destroy());
    req.pipe(upstream);
    res.on('close', () => upstream.destroy());
  });
  proxy.on('connection', (socket: Socket) => track(sockets, socket));
  proxy.on('upgrade', (_req, socket: Socket) => {
    socket.end('HTTP/1.1 403 Forbidden\r\nConnection: close\r\n\r\n');
  });
  return new Promise((resolve) => proxy.listen(0, '127.0.0.1', () => resolve(proxy)));
}

interface CdnRequest {
  path: string;
  dest: string | undefined;
  origin: string | undefined;
}

/** Static components/dist on its own origin, with CORS; logs every request. */
function cdnServer(log: CdnRequest[]): Promise<Server> {
  const dist = new URL('../components/dist/', import.meta.url);
  const types: Record<string, string> = { '.js': 'text/javascript', '.map': 'application/json' };
  const server = createServer(async (req, res) => {
    const path = new URL(req.url ?? '/', 'http://cdn').pathname;
    log.push({ path, dest: req.headers['sec-fetch-dest'] as string | undefined, origin: req.headers.origin });
    const cors = { 'access-control-allow-origin': '*' };
    const file = path === '/broken/leadwire.js' ? 'leadwire.js' : /^\/dist\/([\w/.-]+)$/.exec(path)?.[1];
    if (!file || file.includes('..')) return void res.writeHead(404, cors).end();
    try {
      const body = await readFile(new URL(file, dist));
      res.writeHead(200, { ...cors, 'content-type': types[extname(file)] ?? 'application/octet-stream' }).end(body);
    } catch {
      res.writeHead(404, cors).end();
    }
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}

function track(sockets: Set<Socket>, socket: Socket): void {
  sockets.add(socket);
  socket.on('close', () => sockets.delete(socket));
}

/** Subjects whose /__leadwire/token asks are refused (gateway-token-refuse). */
const refusedSubjects = new Set<string>();
const tokensServed = new Map<string, number>();

/**
 * The refusals of /__leadwire/token, as middleware: a plugin's serve() always answers 200, and a
 * refusal is a status. Listed in web-test-runner.config.mjs's middleware.
 */
export function tokenRefusalMiddleware(context: { path: string; url: string; status: number; body: unknown; type: string }, next: () => Promise<unknown>) {
  if (context.path !== '/__leadwire/token') return next();
  const sub = new URL(context.url, 'http://localhost').searchParams.get('sub') ?? 'embed-e2e';
  if (!refusedSubjects.has(sub)) return next();
  tokensServed.set(sub, (tokensServed.get(sub) ?? 0) + 1);
  context.status = 401;
  context.type = 'json';
  context.body = JSON.stringify({ error: 'not signed in' });
  return undefined;
}

export function gatewayPlugin(): TestRunnerPlugin {
  let redis: RedisServer | undefined;
  let gateway: Gateway | undefined;
  let publisher: Redis | undefined;
  let proxy: Server | undefined;
  let noStreamProxy: Server | undefined;
  let cdn: Server | undefined;
  const cdnLog: CdnRequest[] = [];
  const sockets = new Set<Socket>();
  const traffic = createTraffic({ tenants: [TENANT], seed: 11 });
  let stopped = false;
  /**
   * The next demo envelope a test token (scope events:read) is shown. The demo mix includes
   * system.* events, which need system:read: published by count they never reached a feed, so a
   * test waiting for N events timed out whenever the shared sequence put one in its batch.
   */
  const visibleEnvelope = () => {
    for (;;) {
      const envelope = traffic.next();
      if (!envelope.type.startsWith('system.')) return envelope;
    }
  };

  async function launch(port: number): Promise<Gateway> {
    gateway = await startGateway({
      PORT: port,
      REDIS_URL: redis!.url,
      AUTH_SECRET: SECRET,
      LOG_LEVEL: 'silent',
      HEARTBEAT_MS: 5_000,
      TAIL_BLOCK_MS: 200,
      SHUTDOWN_RETRY_MAX_MS: 200,
    });
    gateway.server.on('connection', (socket: Socket) => track(sockets, socket));
    stopped = false;
    return gateway;
  }

  return {
    name: 'leadwire-gateway',
    async serverStart() {
      ensureBuild(['embed']);
      redis = await startRedis();
      const { url } = await launch(0);
      publisher = new Redis(redis.url);
      proxy = await blockingProxy(new URL(url), sockets);
      noStreamProxy = await blockingProxy(new URL(url), sockets, true);
      cdn = await cdnServer(cdnLog);
    },
    async serverStop() {
      for (const server of [proxy, noStreamProxy, cdn]) {
        server?.closeAllConnections();
        server?.close();
      }
      publisher?.disconnect();
      await gateway?.close();
      await redis?.stop();
    },
    async serve(context) {
      if (!gateway) return undefined;
      if (context.path === '/__leadwire/token') {
        // ?ttl=<seconds>&sub=<subject>: short-lived tokens for the refresh tests; `served` counts.
        const query = new URL(context.url, 'http://localhost').searchParams;
        const sub = query.get('sub') ?? 'embed-e2e';
        const ttl = Number(query.get('ttl') ?? 3600);
        tokensServed.set(sub, (tokensServed.get(sub) ?? 0) + 1);
        const token = await mintToken({ sub, tenants: [TENANT], scopes: ['events:read', 'system:read', 'export'] }, SECRET, ttl);
        return { body: JSON.stringify({ token }), type: 'json' };
      }
      const page = /^\/__leadwire\/page\/([\w-]+)$/.exec(context.path)?.[1];
      if (page) {
        const template = await readFile(new URL(`../components/embed-pages/${page}.html`, import.meta.url), 'utf8');
        const origin = new URL(gateway.url);
        const body = template
          .replaceAll('%GATEWAY%', gateway.url)
          .replaceAll('%GATEWAY_WS%', `ws://${origin.host}`)
          .replaceAll('%CDN%', `http://127.0.0.1:${(cdn!.address() as AddressInfo).port}`);
        return { body, type: 'html' };
      }
      const copy = /^\/__leadwire\/v2\/([\w/.-]+\.js)$/.exec(context.path)?.[1];
      if (copy && !copy.includes('..')) {
        const code = await readFile(new URL(`../components/dist/${copy}`, import.meta.url), 'utf8');
        return { body: code.replace(/(Object\.assign\(\w+,\{version:)"[^"]*"/, '$1"0.0.0-other"'), type: 'js' };
      }
      return undefined;
    },
    async executeCommand({ command, payload }) {
      if (!gateway || !publisher || !proxy) return undefined;
      if (command === 'gateway-info') {
        const { tenant = TENANT, scopes = ['events:read'] } = (payload ?? {}) as { tenant?: string; scopes?: Scope[] };
        const token = await mintToken({ sub: 'browser-e2e', tenants: [tenant], scopes }, SECRET, 3600);
        const at = (server: Server) => `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
        return { url: gateway.url, blockedUrl: at(proxy), noStreamUrl: at(noStreamProxy!), tenant, token };
      }
      if (command === 'gateway-publish') {
        const { count = 1, envelopes, tenant, backdateMs = 0 } = (payload ?? {}) as { count?: number; envelopes?: object[]; tenant?: string; backdateMs?: number };
        const batch = envelopes ?? Array.from({ length: count }, visibleEnvelope);
        const ids: string[] = [];
        for (const envelope of batch) {
          const stamped = { ...envelope, ts: Date.now() - backdateMs, ...(tenant ? { tenant } : {}) };
          ids.push((await publisher.xadd(gateway.config.STREAM_KEY, '*', 'e', JSON.stringify(stamped))) as string);
        }
        return ids;
      }
      if (command === 'cdn-requests') return cdnLog;
      if (command === 'gateway-token') {
        const { sub = 'browser-e2e', ttlS = 3600, tenant = TENANT } = (payload ?? {}) as { sub?: string; ttlS?: number; tenant?: string };
        return mintToken({ sub, tenants: [tenant], scopes: ['events:read'] }, SECRET, ttlS);
      }
      if (command === 'gateway-tokens-served') {
        return tokensServed.get((payload as { sub?: string } | undefined)?.sub ?? 'embed-e2e') ?? 0;
      }
      if (command === 'gateway-token-refuse') {
        const { sub, refuse } = payload as { sub: string; refuse: boolean };
        if (refuse) refusedSubjects.add(sub);
        else refusedSubjects.delete(sub);
        return true;
      }
      if (command === 'gateway-stop') {
        if (!stopped) await gateway.close();
        stopped = true;
        return true;
      }
      if (command === 'gateway-start') {
        if (stopped) await launch(gateway.port);
        return true;
      }
      if (command === 'gateway-drop') {
        const count = sockets.size;
        for (const socket of sockets) socket.destroy();
        return count;
      }
      return undefined;
    },
  };
}
