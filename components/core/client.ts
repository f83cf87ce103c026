/**
 * The gateway client: one connection per (gateway URL, group) per page, shared by every widget
 * of the group (a group's filter is its connection's server-side subscription). A new token is
 * handed to the live connection — in-band where the transport and the token's subject allow,
 * else by reconnecting from the cursor — so nothing is skipped. It picks a transport
 * (WebSocket, then SSE, then long-poll when the previous one cannot connect at all while the
 * gateway still answers HTTP, probing WebSocket again later; a gateway that does not answer at
 * all is down, not blocked, and keeps its transport), reconnects with backoff and full jitter,
 * resumes from its last cursor and drops anything at or before it (so a replay overlap never
 * shows twice), reports `recovered: false` gaps, pauses in a long-hidden tab, keeps the token
 * fresh in-band, and estimates the gateway's clock for honest publish → render latency. Its
 * cursor only moves past events a listener has taken: what arrives while no widget listens
 * waits for the next one, or is replayed to it. History pages go through history.ts.
 *
 * Over 400 lines on purpose: what is left is one state machine (connect, welcome, close,
 * fallback, probe, hidden-tab pause, token hand-over) whose steps read and write the same few
 * fields; split, each part would reach into the others. What stands apart lives beside it:
 * listeners (client-listeners.ts), timers (timers.ts), sharing (shared-clients.ts), transports.
 */
import {
  CloseCode,
  HISTORY_SINCE_VERSION,
  compareCursors,
  shouldReconnect,
  type Cursor,
  type HistoryPage,
  type HistoryRequest,
  type ServerFrame,
  type StreamEvent,
  type Subscription,
  type WelcomeFrame,
} from '../../protocol/index.ts';
import { Backoff, type BackoffOptions } from './backoff.ts';
import { ClientListeners } from './client-listeners.ts';
import type { ClientListener, ConnectionState, ConnectionStatus } from './connection-state.ts';
import { ClockOffset } from './clock.ts';
import { Timers } from './timers.ts';
import { TokenSource, tokenClaims, tokenRefused } from './token-source.ts';
import { DEFAULT_TRANSPORTS } from './default-transports.ts';
import type { HistoryRequests } from './history.ts';
import { Lazy } from './lazy.ts';

/** History requests and answers: loaded when a widget first asks for a page. */
const historyPart = new Lazy('the history client', () => import('./history.ts'));
import type { CloseInfo, Transport, TransportConnection } from './transport.ts';

export type { ClientListener, ConnectionState, ConnectionStatus } from './connection-state.ts';

export interface ClientOptions {
  url: string;
  token?: string;
  tokenUrl?: string;
  /** In order of preference; default WebSocket, SSE, long-poll. */
  transports?: readonly Transport[];
  backoff?: BackoffOptions;
  /** A connection that stays up this long resets the backoff. */
  stableMs?: number;
  /** Consecutive failures to connect before trying the next transport. */
  failuresBeforeFallback?: number;
  /** On a fallback transport, probe WebSocket again after this long. */
  probeMs?: number;
  /** A tab hidden this long disconnects; it catches up from its cursor when shown again. */
  hiddenPauseMs?: number;
  /** Own pings (clock offset, client heartbeat) when the gateway names no interval. */
  pingMs?: number;
  /**
   * Failed attempts in a row after which the client stops and says `offline` (or stays
   * `unauthorised`); `retry()`, the browser coming online or the tab shown again start it anew.
   */
  maxRetries?: number;
  fetch?: typeof fetch;
}


/** How long a client with no listener stays connected before it closes. */
const IDLE_STOP_MS = 1_000;
/** Events held for the next listener while none is there; past this the client closes and resumes later. */
const UNCLAIMED_MAX = 5_000;
const FATAL_OFFLINE = new Set<number>([CloseCode.UnsupportedVersion]);
const AUTH = new Set<number>([CloseCode.Unauthorized, CloseCode.TokenExpired, CloseCode.ForbiddenOrigin]);

export class GatewayClient {
  readonly url: string;
  readonly clock = new ClockOffset();
  state: ConnectionState = { status: 'connecting', transport: null, attempt: 0, retryInMs: null, reason: '' };
  /** The last cursor received; a reconnect resumes after it. */
  cursor: Cursor | undefined;
  /**
   * Where the listeners stand: every event up to here was handed to a listener (or the client
   * started here). Events received while no listener is there wait in `unclaimed`; the client
   * closing meanwhile goes back here, so the next connection replays them.
   */
  claimed: Cursor | undefined;

  private readonly options: Required<
    Pick<ClientOptions, 'stableMs' | 'failuresBeforeFallback' | 'probeMs' | 'hiddenPauseMs' | 'pingMs' | 'maxRetries'>
  >;
  private readonly transports: readonly Transport[];
  private readonly backoff: Backoff;
  /**
   * Between asks of a token URL that failed or refused: slower than reconnects (a signed-out
   * user signs in in minutes, not milliseconds), and apart from them, since no transport is
   * to blame.
   */
  private readonly tokenBackoff: Backoff;
  /** Gave up after maxRetries: waits for retry(), `online` or the tab shown again. */
  private exhausted = false;
  private readonly tokenWatchers = new Set<(token: string) => void>();
  private tokens: TokenSource;
  private credentials: string;
  /** The token the current connection was opened with or last refreshed to. */
  private connectedToken: string | undefined;
  private readonly fetcher: typeof fetch | undefined;
  private readonly listeners = new ClientListeners();
  private unclaimed: StreamEvent[] = [];
  private histories: HistoryRequests | undefined;
  private connection: TransportConnection | undefined;
  private probe: TransportConnection | undefined;
  private transportIndex = 0;
  private connectFailures = 0;
  private authRetried = false;
  private running = false;
  private retired = false;
  private hiddenPaused = false;
  /** Bumped by drop(): an answer that arrives after it (a reachability check) is stale. */
  private generation = 0;
  private subscription: Subscription = {};
  /**
   * The subscription each connection was opened with or last sent, as JSON. The welcome echoes
   * the gateway's normalised form (tenants filled in), so it cannot tell whether ours changed.
   */
  private readonly asked = new WeakMap<TransportConnection, string>();
  private openedAt = 0;
  /** The version the current connection's welcome named. */
  private protocolVersion = 0;
  private heartbeatMs = 0;
  private readonly timers = new Timers();

  constructor(options: ClientOptions) {
    this.url = options.url;
    this.transports = options.transports?.length ? options.transports : DEFAULT_TRANSPORTS;
    this.backoff = new Backoff(options.backoff);
    const { initialMs = 500, maxMs = 20_000, random } = options.backoff ?? {};
    this.tokenBackoff = new Backoff({ initialMs: initialMs * 4, maxMs: maxMs * 3, random });
    this.fetcher = options.fetch;
    this.credentials = credentialsKey(options);
    this.tokens = this.tokenSource(options);
    this.options = {
      stableMs: options.stableMs ?? 10_000,
      failuresBeforeFallback: options.failuresBeforeFallback ?? 2,
      probeMs: options.probeMs ?? 60_000,
      hiddenPauseMs: options.hiddenPauseMs ?? 5 * 60_000,
      pingMs: options.pingMs ?? 15_000,
      maxRetries: options.maxRetries ?? 8,
    };
  }

  // ---- listeners ----------------------------------------------------------------------------

  /** Starts the connection with the first listener; returns the unsubscribe function. */
  listen(listener: ClientListener): () => void {
    this.listeners.add(listener);
    this.timers.clear('idle');
    const state = this.state;
    this.listeners.notify((l) => l === listener && l.state?.(state));
    if (this.claimed !== undefined) {
      const at = this.claimed;
      this.listeners.notify((l) => l === listener && l.attached?.(at));
    }
    // What arrived while nobody listened goes to the first listener back.
    if (this.unclaimed.length && listener.events) this.hand(this.unclaimed.splice(0));
    if (!this.running) this.start();
    else this.updateSubscription();
    return () => {
      this.listeners.delete(listener);
      // A widget moved in the DOM leaves and comes back at once: keep the line up meanwhile.
      if (this.listeners.size === 0) this.timers.later('idle', this.retired ? 0 : IDLE_STOP_MS, () => this.stop());
      else this.updateSubscription();
    };
  }

  /** No longer shared: close once no listener is left (now, if none is). */
  retire(): void {
    this.retired = true;
    if (this.listeners.size === 0) {
      this.timers.clear('idle');
      this.stop();
    }
  }

  /** Call when a listener's subscription() would now answer differently. */
  updateSubscription(): void {
    const next = this.listeners.agreedSubscription();
    if (JSON.stringify(next) === JSON.stringify(this.subscription)) return;
    this.subscription = next;
    if (!this.connection || !this.isOpen()) return; // the next hello carries it
    if (this.connection.send({ type: 'subscribe', subscription: next })) this.asked.set(this.connection, JSON.stringify(next));
    else this.restart('subscription changed');
  }

  /**
   * The token this client connects with (fetched from `token-url` when needed), for widgets that
   * also call the gateway's HTTP endpoints (`/v1/metrics`, `/v1/audit`) with the same identity.
   */
  token(): Promise<string | undefined> {
    return this.tokens.get();
  }

  /**
   * Calls `watcher` with every token fetched from the token URL (the first, a renewal, a
   * refresh): what a widget that judges the token (the export permission) re-checks on.
   * Returns the function that stops it.
   */
  watchToken(watcher: (token: string) => void): () => void {
    this.tokenWatchers.add(watcher);
    return () => this.tokenWatchers.delete(watcher);
  }

  /** Connects again now, after the client gave up (offline, not authorised) or while it waits. */
  retry(): void {
    if (!this.running) return;
    this.exhausted = false;
    this.backoff.reset();
    this.tokenBackoff.reset();
    this.setState({ attempt: 0 });
    if (this.connection && this.isOpen()) return;
    this.restart('retry asked');
  }

  /** Forget the token and fetch a fresh one (after a 401); a fixed token comes back unchanged. */
  renewToken(): Promise<string | undefined> {
    return this.tokens.renew();
  }

  /**
   * Switches to another token (or token URL). The connection carries on from its cursor: over
   * WebSocket and long-poll a token for the same subject is handed over in-band (`refresh`);
   * otherwise (SSE, another subject, a connection still opening) the client reconnects with its
   * cursor, so the gateway replays whatever was published in between.
   */
  setCredentials(credentials: Pick<ClientOptions, 'token' | 'tokenUrl'>): void {
    const key = credentialsKey(credentials);
    if (key === this.credentials) return;
    this.credentials = key;
    this.tokens.dispose();
    this.tokens = this.tokenSource(credentials);
    this.authRetried = false;
    if (this.exhausted || this.state.status === 'unauthorised') return this.retry(); // new credentials: worth a try at once
    void this.handOver();
  }

  private tokenSource(credentials: Pick<ClientOptions, 'token' | 'tokenUrl'>): TokenSource {
    const tokens = new TokenSource({ token: credentials.token, tokenUrl: credentials.tokenUrl, fetch: this.fetcher });
    tokens.onRefresh = (token) => tokens === this.tokens && this.refresh(token);
    tokens.onToken = (token) => tokens === this.tokens && this.tokenWatchers.forEach((watcher) => watcher(token));
    return tokens;
  }

  /** Sends a token in-band; false when this connection cannot take it (and must reconnect). */
  private refresh(token: string): boolean {
    const connection = this.connection;
    if (!connection || !this.isOpen()) return false;
    if (!connection.send({ type: 'refresh', token })) return false;
    this.connectedToken = token;
    return true;
  }

  private async handOver(): Promise<void> {
    if (!this.running || !this.connection) return; // the next connect takes the new token
    const tokens = this.tokens;
    const connection = this.connection;
    let token: string | undefined;
    try {
      token = await tokens.get();
    } catch {
      token = undefined;
    }
    if (tokens !== this.tokens || connection !== this.connection || !this.running) return;
    if (token !== undefined && token === this.connectedToken) return;
    if (token !== undefined && sameSubject(token, this.connectedToken) && this.refresh(token)) return;
    this.restart('token changed');
  }

  /**
   * A page of stored events (docs/protocol.md §5a): in-band on a WebSocket, else over HTTP
   * with this client's token. Rejects with a HistoryError (its `code` is the gateway's).
   */
  async history(request: HistoryRequest): Promise<HistoryPage> {
    // In-band only where the gateway said it speaks history (an older one would close on the frame).
    const inBand = this.isOpen() && this.protocolVersion >= HISTORY_SINCE_VERSION && this.transports[this.transportIndex].name === 'websocket';
    const connection = inBand ? this.connection : undefined;
    const part = await historyPart.load();
    if (!part) throw new Error('the history client could not load');
    const histories = (this.histories ??= new part.HistoryRequests());
    let token = await this.tokens.get().catch(() => undefined);
    // The connection may have changed while the part or the token loaded: then ask over HTTP.
    const stillOpen = connection !== undefined && connection === this.connection;
    const transport = this.transports[this.transportIndex];
    if (!stillOpen && transport.history) return transport.history(request, token);
    try {
      return await histories.ask(request, stillOpen ? connection : undefined, { url: this.url, token });
    } catch (error) {
      if (!(error instanceof part.HistoryError) || error.code !== 'unauthorized' || !this.tokens.renewable) throw error;
      token = await this.tokens.renew();
      return histories.ask(request, undefined, { url: this.url, token });
    }
  }

  /** The gateway's clock now (local clock plus the measured offset). */
  serverNow(): number {
    return Date.now() + this.clock.offset;
  }

  // ---- lifecycle ----------------------------------------------------------------------------

  start(): void {
    if (this.running) return;
    this.running = true;
    this.subscription = this.listeners.agreedSubscription();
    addEventListener('online', this.onOnline);
    addEventListener('offline', this.onOffline);
    document.addEventListener('visibilitychange', this.onVisibility);
    this.connect();
  }

  stop(): void {
    this.running = false;
    // Nobody took them: the next connection replays them from where the listeners stand.
    if (this.unclaimed.length) {
      this.unclaimed = [];
      this.cursor = this.claimed;
    }
    removeEventListener('online', this.onOnline);
    removeEventListener('offline', this.onOffline);
    document.removeEventListener('visibilitychange', this.onVisibility);
    this.drop();
    this.timers.clear('retry');
    this.timers.clear('hidden');
    // Without its visibilitychange listener a stopped client cannot see the tab come back: a
    // later start() must not inherit the pause.
    this.hiddenPaused = false;
    this.tokens.dispose();
  }

  private restart(reason: string): void {
    this.drop();
    this.setState({ status: 'reconnecting', reason, retryInMs: 0 });
    this.connect();
  }

  private async connect(): Promise<void> {
    this.timers.clear('retry');
    if (!this.running || this.hiddenPaused) return;
    if (navigator.onLine === false) {
      this.setState({ status: 'offline', reason: 'the browser is offline', retryInMs: null });
      return;
    }
    const transport = this.transports[this.transportIndex];
    const firstEver = this.state.status === 'connecting' && this.cursor === undefined;
    this.setState({ status: firstEver ? 'connecting' : 'reconnecting', transport: transport.name, retryInMs: null });
    let token: string | undefined;
    const tokens = this.tokens;
    try {
      token = await tokens.get();
    } catch (error) {
      if (tokens !== this.tokens) return this.connect();
      this.onTokenFailure(error as Error);
      return;
    }
    if (tokens !== this.tokens) return this.connect(); // credentials changed meanwhile
    if (!this.running || this.connection) return;
    this.connectedToken = token;
    this.openedAt = Date.now();
    const connection: TransportConnection = transport.open(
      { url: this.url, token, cursor: this.cursor, subscription: this.subscription },
      {
        frame: (frame) => connection === this.connection && this.onFrame(frame),
        alive: () => connection === this.connection && this.armWatchdog(),
        closed: (info) => {
          if (connection !== this.connection) return; // one we dropped on purpose
          this.connection = undefined;
          this.onClosed(info);
        },
      },
    );
    this.asked.set(connection, JSON.stringify(this.subscription));
    this.connection = connection;
  }

  /** Closes the current connection (and a probe) without triggering recovery. */
  private drop(): void {
    this.generation++;
    const { connection, probe } = this;
    this.connection = this.probe = undefined;
    connection?.close();
    probe?.close();
    this.histories?.failAll('the connection was closed');
    this.timers.clear('ping', 'watchdog', 'stable', 'probe');
  }

  private isOpen(): boolean {
    return this.state.status === 'live' || this.state.status === 'fallback';
  }

  // ---- frames -------------------------------------------------------------------------------

  private onFrame(frame: ServerFrame): void {
    this.armWatchdog();
    switch (frame.type) {
      case 'welcome':
        return this.onWelcome(frame);
      case 'events':
        return this.deliver(frame.events);
      case 'ping':
        this.connection?.send({ type: 'pong', t: frame.t, at: Date.now() });
        return;
      case 'pong':
        this.clock.sample(frame.t, frame.at, Date.now());
        return;
      case 'history':
        this.histories?.take(frame);
        return;
      case 'error':
        if (this.histories?.take(frame)) return;
        console.warn(`[leadwire] gateway: ${frame.code}: ${frame.message}`);
        return;
      default:
        return; // subscribed, refreshed: nothing to do
    }
  }

  private onWelcome(welcome: WelcomeFrame): void {
    const resumedFrom = this.cursor;
    if (resumedFrom !== undefined && !welcome.recovered) {
      this.listeners.notify((l) => l.gap?.(welcome.cursor));
    }
    // A fresh start stands at the head; a resumed one stays where it was.
    const attachedAt = this.cursor === undefined || !welcome.recovered ? welcome.cursor : undefined;
    if (attachedAt !== undefined) {
      this.cursor = this.claimed = attachedAt;
      this.unclaimed = [];
    }
    this.protocolVersion = welcome.v;
    if (Number.isFinite(welcome.serverTime)) this.clock.sample(this.openedAt, welcome.serverTime, Date.now());
    this.authRetried = false;
    this.connectFailures = 0;
    this.tokenBackoff.reset();
    this.exhausted = false;
    const fallback = this.transportIndex > 0;
    this.setState({
      status: fallback ? 'fallback' : 'live',
      transport: this.transports[this.transportIndex].name,
      reason: '',
      retryInMs: null,
    });
    this.heartbeatMs = welcome.heartbeatMs;
    this.armWatchdog();
    this.timers.every('ping', welcome.heartbeatMs || this.options.pingMs, () =>
      this.connection?.send({ type: 'ping', t: Date.now() }),
    );
    this.connection?.send({ type: 'ping', t: Date.now() });
    this.timers.later('stable', this.options.stableMs, () => {
      this.backoff.reset();
      this.setState({ attempt: 0 });
    });
    if (fallback) this.timers.later('probe', this.options.probeMs, () => this.probeFirstTransport());
    // The subscription may have changed while connecting.
    const connection = this.connection;
    if (connection && this.asked.get(connection) !== JSON.stringify(this.subscription)) {
      if (connection.send({ type: 'subscribe', subscription: this.subscription })) this.asked.set(connection, JSON.stringify(this.subscription));
      else this.restart('subscription changed');
    }
    // Last, once live: a listener asking history now asks it on this connection.
    if (attachedAt !== undefined) this.listeners.notify((l) => l.attached?.(attachedAt));
  }

  private deliver(events: StreamEvent[]): void {
    const fresh: StreamEvent[] = [];
    for (const event of events) {
      if (this.cursor !== undefined && compareCursors(event.cursor, this.cursor) <= 0) continue;
      this.cursor = event.cursor;
      fresh.push(event);
    }
    if (!fresh.length) return;
    if ([...this.listeners].some((l) => l.events)) return this.hand(fresh);
    this.unclaimed.push(...fresh);
    // Too much for nobody: close, and let the next listener's connection replay it.
    if (this.unclaimed.length > UNCLAIMED_MAX) this.stop();
  }

  private hand(events: StreamEvent[]): void {
    this.claimed = events[events.length - 1].cursor;
    this.listeners.notify((l) => l.events?.(events));
  }

  // ---- failure and recovery -----------------------------------------------------------------

  private onClosed(info: CloseInfo): void {
    this.timers.clear('ping', 'watchdog', 'stable', 'probe');
    this.histories?.failAll(info.reason || `closed (${info.code})`);
    this.probe?.close();
    this.probe = undefined;
    if (!this.running) return;

    if (AUTH.has(info.code)) {
      if (info.code !== CloseCode.ForbiddenOrigin && this.tokens.renewable && !this.authRetried) {
        this.authRetried = true;
        this.tokens.renew().then(
          () => this.connect(),
          (error: Error) => this.onTokenFailure(error),
        );
        return;
      }
      this.setState({ status: 'unauthorised', reason: info.reason || 'the gateway refused the token', retryInMs: null });
      return;
    }
    if (FATAL_OFFLINE.has(info.code) || !shouldReconnect(info.code)) {
      this.setState({ status: 'offline', reason: info.reason || `closed (${info.code})`, retryInMs: null });
      return;
    }
    const next = this.transports[this.transportIndex + 1];
    if (!info.opened && ++this.connectFailures >= this.options.failuresBeforeFallback && next) {
      // A transport that cannot connect is blocked only if the gateway answers otherwise; when
      // nothing answers (a restart, an outage) falling back would just stick on a worse one.
      this.setState({ status: 'reconnecting', reason: info.reason || `closed (${info.code})`, retryInMs: null });
      const generation = this.generation;
      void (next.reachable ? next.reachable(this.url) : Promise.resolve(true)).then((answers) => {
        if (!this.running || this.connection || generation !== this.generation) return;
        if (!answers) return this.retryLater(info);
        this.transportIndex++;
        this.connectFailures = 0;
        this.connect(); // a different transport: no reason to wait
      });
      return;
    }
    this.retryLater(info);
  }

  private retryLater(info: CloseInfo): void {
    const hint = info.code === CloseCode.ServerRestart ? retryHint(info.reason) : 0;
    this.retryAfter(this.backoff, 'reconnecting', 'offline', info.reason || `closed (${info.code})`, hint);
  }

  /**
   * The token URL failed: refused (401/403, the user is signed out: `unauthorised`) or broken
   * (`reconnecting`). Asked again on its own slower backoff; no transport is to blame, so none is
   * given up on.
   */
  private onTokenFailure(error: Error): void {
    const status = tokenRefused(error) ? 'unauthorised' : 'reconnecting';
    this.retryAfter(this.tokenBackoff, status, status === 'unauthorised' ? status : 'offline', `token: ${error.message}`);
  }

  /** The next attempt after `backoff`'s wait; after maxRetries in a row, none (`gaveUp`) until retry(). */
  private retryAfter(backoff: Backoff, waiting: ConnectionStatus, gaveUp: ConnectionStatus, reason: string, extraMs = 0): void {
    if (backoff.attempt >= this.options.maxRetries) {
      this.exhausted = true;
      this.setState({ status: gaveUp, reason, retryInMs: null });
      return;
    }
    const delay = backoff.next() + extraMs;
    this.setState({ status: waiting, reason, retryInMs: delay, attempt: backoff.attempt });
    this.timers.later('retry', delay, () => this.connect());
  }

  /** On a fallback, try the preferred transport beside the live one; switch when it welcomes. */
  private async probeFirstTransport(): Promise<void> {
    if (this.probe || !this.running) return;
    let token: string | undefined;
    try {
      token = await this.tokens.get();
    } catch {
      return;
    }
    const probe: TransportConnection = this.transports[0].open(
      { url: this.url, token, cursor: this.cursor, subscription: this.subscription },
      {
        frame: (frame) => {
          if (probe === this.connection) return this.onFrame(frame);
          if (probe !== this.probe || frame.type !== 'welcome') return;
          // Promote: the old transport goes, the probe's welcome is handled like any other.
          const old = this.connection;
          this.probe = undefined;
          this.connection = probe;
          this.connectedToken = token;
          old?.close();
          this.transportIndex = 0;
          this.onFrame(frame);
        },
        alive: () => probe === this.connection && this.armWatchdog(),
        closed: (info) => {
          if (probe === this.probe) {
            this.probe = undefined;
            this.timers.later('probe', this.options.probeMs, () => this.probeFirstTransport());
          } else if (probe === this.connection) {
            this.connection = undefined;
            this.onClosed(info);
          }
        },
      },
    );
    this.asked.set(probe, JSON.stringify(this.subscription));
    this.probe = probe;
  }

  private armWatchdog(): void {
    if (!this.heartbeatMs) return;
    this.timers.later('watchdog', this.heartbeatMs * 2.5, () => {
      const stale = this.connection;
      this.connection = undefined;
      stale?.close();
      this.onClosed({ code: CloseCode.HeartbeatTimeout, reason: 'no traffic from the gateway', opened: true });
    });
  }

  private onOnline = () => {
    if (this.running && !this.connection) this.retry();
  };

  private onOffline = () => {
    this.drop();
    this.timers.clear('retry');
    this.setState({ status: 'offline', reason: 'the browser is offline', retryInMs: null });
  };

  private onVisibility = () => {
    if (document.visibilityState === 'hidden') {
      this.timers.later('hidden', this.options.hiddenPauseMs, () => {
        this.hiddenPaused = true;
        this.drop();
        this.timers.clear('retry');
        this.setState({ status: 'offline', reason: 'paused while the tab is hidden', retryInMs: null });
      });
      return;
    }
    this.timers.clear('hidden');
    if (this.exhausted) return this.retry(); // back at the page: try again, as a reload would
    if (this.hiddenPaused) {
      this.hiddenPaused = false;
      this.backoff.reset();
      this.connect(); // catches up from the cursor
    }
  };

  // ---- helpers ------------------------------------------------------------------------------

  private setState(patch: Partial<ConnectionState>): void {
    this.state = { ...this.state, ...patch };
    const state = this.state;
    this.listeners.notify((l) => l.state?.(state));
  }
}

function retryHint(reason: string): number {
  try {
    const retryMs = (JSON.parse(reason) as { retryMs?: unknown }).retryMs;
    return typeof retryMs === 'number' && retryMs > 0 ? Math.min(retryMs, 60_000) : 0;
  } catch {
    return 0;
  }
}

function credentialsKey(options: Pick<ClientOptions, 'token' | 'tokenUrl'>): string {
  return JSON.stringify([options.token ?? null, options.tokenUrl ?? null]);
}

/** Whether two tokens name the same subject, as the gateway requires of an in-band refresh. */
function sameSubject(a: string, b: string | undefined): boolean {
  const subject = tokenClaims(a)?.sub;
  return b !== undefined && typeof subject === 'string' && subject === tokenClaims(b)?.sub;
}
