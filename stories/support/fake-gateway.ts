/**
 * An in-page gateway for Storybook and unit tests: keeps a log with cursors, speaks the protocol
 * through the client's Transport interface (welcome, replay from a cursor with `recovered`,
 * subscribe with server-side filtering, ping/pong, refresh), and lets a story or test publish,
 * drop every connection, refuse a transport, go down altogether, or trim retention to force a gap. Traffic comes
 * from the demo's generator (demo/traffic.ts), the same the gateway's demo mode publishes.
 */
import {
  CloseCode,
  compareCursors,
  matches,
  type ClientFrame,
  type ServerFrame,
  type StreamEvent,
  type Subscription,
} from '../../protocol/index.ts';
import type { Transport, TransportName, TransportParams, TransportSink } from '../../components/core/transport.ts';
import { createTraffic, type TrafficOptions } from './traffic.ts';

interface FakeConnection {
  sink: TransportSink;
  subscription: Subscription;
  transport: TransportName;
  closed: boolean;
}

export interface FakeGatewayOptions extends TrafficOptions {
  /** Simulated one-way network delay, ms. */
  delayMs?: number;
  heartbeatMs?: number;
  /** Tokens the gateway accepts; any when unset. */
  acceptTokens?: string[];
}

export class FakeGateway {
  readonly log: StreamEvent[] = [];
  /** Transports that refuse to connect (as a proxy blocking WebSocket would). */
  readonly refused = new Set<TransportName>();
  /** Nothing answers (a restart, an outage): every transport fails and so does the HTTP check. */
  down = false;
  /** Frames the clients sent, for tests. */
  readonly received: ClientFrame[] = [];
  private readonly connections = new Set<FakeConnection>();
  private readonly traffic;
  private seq = 0;
  private lastMs = 0;
  private timer: ReturnType<typeof setInterval> | undefined;
  /** Oldest cursor still retained; older resumes get recovered:false. */
  private retainedFrom = '0-0';

  constructor(private readonly options: FakeGatewayOptions = {}) {
    this.traffic = createTraffic({ seed: 42, ...options });
  }

  private generate(ts: number): Omit<StreamEvent, 'cursor'> {
    return this.traffic.next(ts);
  }

  /** The next generated event of one of these types (the demo's mix, filtered). */
  nextOfType(types: readonly string[], ts = Date.now()): Omit<StreamEvent, 'cursor'> {
    for (let i = 0; i < 10_000; i++) {
      const event = this.generate(ts);
      if (types.includes(event.type)) return event;
    }
    throw new Error(`the demo traffic produced no ${types.join('/')}`);
  }

  get connectionCount(): number {
    return this.connections.size;
  }

  /** A transport for GatewayClient's `transports` option. */
  transport(name: TransportName = 'websocket'): Transport {
    return { name, open: (params, sink) => this.open(name, params, sink), reachable: async () => !this.down };
  }

  /** Every transport, WebSocket first, like the real default. */
  transports(): Transport[] {
    return [this.transport('websocket'), this.transport('sse'), this.transport('poll')];
  }

  /** Appends events (generated unless given) and delivers them to matching connections. */
  publish(count = 1, make?: (ts: number) => Omit<StreamEvent, 'cursor'>): StreamEvent[] {
    const batch: StreamEvent[] = [];
    for (let i = 0; i < count; i++) {
      const now = Date.now();
      if (now === this.lastMs) this.seq++;
      else [this.lastMs, this.seq] = [now, 0];
      const event = { ...(make ? make(now) : this.generate(now)), cursor: `${this.lastMs}-${this.seq}` } as StreamEvent;
      this.log.push(event);
      batch.push(event);
    }
    for (const c of this.connections) this.send(c, { type: 'events', events: batch.filter((e) => matches(e, c.subscription.filter)) });
    return batch;
  }

  /** Fills the log with `count` past events spread over the last `spanMs`, without delivering. */
  backfill(count: number, spanMs = 3_600_000): void {
    const start = Date.now() - spanMs;
    for (let i = 0; i < count; i++) {
      const ts = Math.round(start + (spanMs * i) / count);
      this.log.push({ ...this.generate(ts), cursor: `${ts}-${i}` } as StreamEvent);
    }
  }

  /** Publishes `perSecond` events per second until stop(). */
  start(perSecond = 2): void {
    this.stop();
    const every = Math.max(10, 1000 / perSecond);
    const per = Math.max(1, Math.round(perSecond / (1000 / every)));
    this.timer = setInterval(() => this.publish(per), every);
  }

  stop(): void {
    clearInterval(this.timer);
    this.timer = undefined;
  }

  /** Closes every connection as a network failure would (1006 by default). */
  dropAll(code = 1006, reason = 'connection lost'): void {
    for (const c of [...this.connections]) this.close(c, code, reason);
  }

  /** Forgets the log before now: resumes from older cursors are answered recovered:false. */
  trimRetention(): void {
    this.retainedFrom = this.log.at(-1)?.cursor ?? '0-0';
    this.log.length = 0;
  }

  private open(name: TransportName, params: TransportParams, sink: TransportSink) {
    const connection: FakeConnection = { sink, subscription: params.subscription, transport: name, closed: false };
    const delay = this.options.delayMs ?? 0;
    setTimeout(() => {
      if (connection.closed) return;
      if (this.down) return this.close(connection, 1006, 'connection refused', false);
      if (this.refused.has(name)) return this.close(connection, 1006, `${name} refused`, false);
      if (this.options.acceptTokens && !this.options.acceptTokens.includes(params.token ?? '')) {
        return this.close(connection, CloseCode.Unauthorized, 'token rejected', false);
      }
      this.connections.add(connection);
      const head = this.log.at(-1)?.cursor ?? this.retainedFrom;
      const recovered = !params.cursor || compareCursors(params.cursor, this.retainedFrom) >= 0;
      this.send(connection, {
        type: 'welcome',
        v: 1,
        session: `fake-${Math.random().toString(36).slice(2, 8)}`,
        cursor: params.cursor && recovered ? params.cursor : head,
        recovered,
        serverTime: Date.now(),
        heartbeatMs: name === 'poll' ? 0 : (this.options.heartbeatMs ?? 15_000),
        subscription: params.subscription,
        limits: { maxFrameBytes: 1 << 20 },
      });
      if (params.cursor && recovered) {
        const replay = this.log.filter(
          (e) => compareCursors(e.cursor, params.cursor!) > 0 && matches(e, params.subscription.filter),
        );
        if (replay.length) this.send(connection, { type: 'events', events: replay });
      }
    }, delay);
    return {
      send: (frame: ClientFrame) => {
        if (connection.closed) return false;
        this.received.push(frame);
        if (frame.type === 'subscribe') {
          if (name === 'sse') return false;
          connection.subscription = frame.subscription;
          this.send(connection, { type: 'subscribed', subscription: frame.subscription });
        } else if (frame.type === 'ping') {
          this.send(connection, { type: 'pong', t: frame.t, at: Date.now() });
        } else if (frame.type === 'refresh') {
          this.send(connection, { type: 'refreshed', expiresAt: null });
        }
        return true;
      },
      close: () => this.close(connection, 1000, 'closed by client', true),
    };
  }

  private send(connection: FakeConnection, frame: ServerFrame): void {
    if (frame.type === 'events' && frame.events.length === 0) return;
    const delay = this.options.delayMs ?? 0;
    const deliver = () => !connection.closed && connection.sink.frame(frame);
    if (delay) setTimeout(deliver, delay);
    else deliver();
  }

  private close(connection: FakeConnection, code: number, reason: string, opened = true): void {
    if (connection.closed) return;
    connection.closed = true;
    this.connections.delete(connection);
    connection.sink.closed({ code, reason, opened });
  }
}
