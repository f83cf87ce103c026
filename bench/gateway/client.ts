/**
 * A benchmark client process: holds many WebSocket clients (Leadwire's protocol or Socket.IO),
 * records publish→receipt latency and which events each client got, and answers the runner.
 */
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { SignJWT } from 'jose';
import { io as ioClient, type Socket as IoSocket } from 'socket.io-client';
import WebSocket from 'ws';
import { shouldReconnect, type ServerFrame, type StreamEvent, type Subscription } from '../../protocol/index.ts';
import { BENCH_FILTER } from './events.ts';
import type { ChurnRequest, ConnectRequest, ReadyReply, ReportReply, WorkerRequest } from './messages.ts';
import { EMPTY_SUMMARY, Histogram, Ledger, addSummaries, seqOf } from './stats.ts';

const CONNECT_CONCURRENCY = 50;
const CONNECT_TIMEOUT_MS = 15_000;

const latency = new Histogram();
/** Worst latency per second of publishing (by event ts), to tell warm-up from steady state. */
const worstBySecond: number[] = [];
let firstTs = 0;
let frames = 0;
let received = 0;
let reconnects = 0;
let recording = true;
/** Events published before this (epoch ms) are warm-up: counted for loss, not for latency. */
let measureFromTs = 0;
const closes: Record<string, number> = {};
const clients: BenchClient[] = [];
let churnTimer: NodeJS.Timeout | undefined;
/** This process's own stalls: a check that measured latency is the server's, not the harness's. */
const loopDelay = monitorEventLoopDelay({ resolution: 5 });

interface BenchClient {
  ledger: Ledger;
  /** Resolves once the server has accepted the client and will deliver (welcome). */
  open(): Promise<void>;
  /** Drops the connection on purpose and comes back where it left off. */
  bounce(): void;
  close(): void;
}

function deliver(ledger: Ledger, tenant: string, id: string, ts: number, now: number): void {
  received++;
  if (!recording) return;
  ledger.receive(tenant, seqOf(id));
  if (ts < measureFromTs) return;
  latency.record(now - ts);
  firstTs ||= ts;
  const second = Math.floor((ts - firstTs) / 1000);
  if (second >= 0 && !(worstBySecond[second] >= now - ts)) worstBySecond[second] = now - ts;
}

/** Frames are counted in the measured window only, like latency. */
function countFrame(ts: number): void {
  if (ts >= measureFromTs) frames++;
}

function countClose(code: number): void {
  closes[code] = (closes[code] ?? 0) + 1;
}

async function tokenFor(secret: string, sub: string, tenants: string[]): Promise<string> {
  return new SignJWT({ tenants, scopes: ['events:read'] })
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
    .setSubject(sub)
    .setIssuedAt()
    .setExpirationTime('2h')
    .sign(new TextEncoder().encode(secret));
}

/**
 * Leadwire's protocol: hello → welcome → events frames; pongs for pings; resume by cursor.
 * With a subscription, the gateway filters for this client (every bench event still matches).
 */
function leadwireClient(url: string, token: string, tenants: string[], subscription?: Subscription): BenchClient {
  const ledger = new Ledger(tenants);
  let socket: WebSocket | undefined;
  let cursor: string | undefined;
  let closing = false;
  let welcomed: (() => void) | undefined;
  let failed: ((error: Error) => void) | undefined;

  function connect(): void {
    const ws = new WebSocket(url, { perMessageDeflate: false });
    socket = ws;
    ws.on('open', () => ws.send(JSON.stringify({ type: 'hello', v: 1, token, ...(cursor ? { cursor } : {}), ...(subscription ? { subscription } : {}) })));
    ws.on('message', (data) => {
      const frame = JSON.parse(data.toString()) as ServerFrame;
      const now = Date.now();
      if (frame.type === 'events') {
        countFrame(frame.events.at(-1)!.ts);
        for (const event of frame.events as StreamEvent[]) {
          deliver(ledger, event.tenant, event.id, event.ts, now);
          cursor = event.cursor;
        }
      } else if (frame.type === 'ping') {
        ws.send(JSON.stringify({ type: 'pong', t: frame.t, at: now }));
      } else if (frame.type === 'welcome') {
        cursor ??= frame.cursor;
        welcomed?.();
        welcomed = failed = undefined;
      }
    });
    ws.on('error', (error) => failed?.(error));
    ws.on('close', (code, reason) => {
      failed?.(new Error(`closed ${code} ${reason.toString()}`));
      welcomed = failed = undefined;
      if (closing || socket !== ws) return;
      countClose(code);
      if (shouldReconnect(code)) {
        reconnects++;
        setTimeout(connect, 100 + Math.random() * 400);
      }
    });
  }

  return {
    ledger,
    open: () =>
      new Promise<void>((resolve, reject) => {
        welcomed = resolve;
        failed = reject;
        connect();
      }),
    bounce() {
      const old = socket;
      socket = undefined;
      old?.terminate();
      reconnects++;
      connect();
    },
    close() {
      closing = true;
      socket?.terminate();
    },
  };
}

/**
 * Socket.IO as its users run it: websocket transport, the token in `auth`, the server joins the
 * socket to one room per tenant and says `welcome` once it has.
 */
function socketIoClient(url: string, token: string, tenants: string[]): BenchClient {
  const ledger = new Ledger(tenants);
  let socket: IoSocket | undefined;
  let closing = false;
  return {
    ledger,
    open: () =>
      new Promise<void>((resolve, reject) => {
        socket = ioClient(url, { transports: ['websocket'], auth: { token }, forceNew: true, reconnection: false });
        socket.on('event', (event: { id: string; tenant: string; ts: number }) => {
          countFrame(event.ts);
          deliver(ledger, event.tenant, event.id, event.ts, Date.now());
        });
        socket.once('welcome', () => resolve());
        socket.once('connect_error', (error) => reject(error));
        socket.on('disconnect', (reason) => {
          if (!closing) countClose(reason === 'transport close' ? 1006 : 1000);
        });
      }),
    bounce() {
      throw new Error('churn is only implemented for the Leadwire protocol');
    },
    close() {
      closing = true;
      socket?.disconnect();
    },
  };
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no welcome within ${ms / 1000} s`)), ms);
    promise.then(
      (value) => (clearTimeout(timer), resolve(value)),
      (error) => (clearTimeout(timer), reject(error)),
    );
  });
}

async function connectAll(request: ConnectRequest): Promise<ReadyReply> {
  recording = request.record;
  const url = request.system === 'leadwire' ? `${request.url}/v1/ws` : request.url;
  // Every other Leadwire client subscribes with a filter, so server-side filtering is measured.
  // Socket.IO has no server-side filter: its users filter in the browser.
  let filtered = 0;
  const make = (tenants: string[], token: string, index: number): BenchClient => {
    if (request.system !== 'leadwire') return socketIoClient(url, token, tenants);
    if (index % 2 === 1) filtered++;
    return leadwireClient(url, token, tenants, index % 2 === 1 ? { filter: BENCH_FILTER } : undefined);
  };
  let connected = 0;
  let failed = 0;
  let firstError: string | undefined;
  let next = 0;
  async function lane(): Promise<void> {
    while (next < request.clients.length) {
      const index = next++;
      const tenants = request.clients[index];
      const token = await tokenFor(request.secret, `bench-${process.pid}-${index + 1}`, tenants);
      const client = make(tenants, token, index);
      clients.push(client);
      try {
        await withTimeout(client.open(), CONNECT_TIMEOUT_MS);
        connected++;
      } catch (error) {
        failed++;
        firstError ??= (error as Error).message;
      }
    }
  }
  await Promise.all(Array.from({ length: CONNECT_CONCURRENCY }, lane));
  return { type: 'ready', connected, failed, filtered, ...(firstError ? { firstError } : {}) };
}

function churn({ everyMs }: ChurnRequest): void {
  clearInterval(churnTimer);
  churnTimer = setInterval(() => clients[Math.floor(Math.random() * clients.length)]?.bounce(), everyMs);
}

function report(published: [string, number][]): ReportReply {
  const counts = new Map(published);
  const deliveries = clients.reduce((sum, client) => addSummaries(sum, client.ledger.summary(counts)), EMPTY_SUMMARY);
  return { type: 'report', latency: latency.toJSON(), worstBySecond, worstStallMs: loopDelay.max / 1e6, deliveries, frames, closes, reconnects };
}

process.on('message', (message: WorkerRequest) => {
  const reply = (value: object) => process.send?.(value);
  switch (message.type) {
    case 'connect':
      void connectAll(message).then(reply);
      break;
    case 'measure':
      measureFromTs = message.fromTs;
      loopDelay.enable();
      break;
    case 'churn':
      churn(message);
      break;
    case 'progress':
      reply({ type: 'progress', received });
      break;
    case 'report':
      clearInterval(churnTimer);
      reply(report(message.published));
      break;
    case 'close':
      clearInterval(churnTimer);
      for (const client of clients) client.close();
      setTimeout(() => process.exit(0), 200);
      break;
  }
});
process.on('disconnect', () => process.exit(0));
