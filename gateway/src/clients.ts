/**
 * The client protocol, whatever the transport (docs/protocol.md §3): how a session starts —
 * admission, welcome, replay, live — for a WebSocket hello and for an SSE or long-poll request
 * alike; what a client that speaks frames may send, in what order and how fast; and the
 * heartbeat. Transports only turn bytes into frames and frames into bytes (their Sink).
 *
 * Over 400 lines because it is the one place the client protocol's rules live (docs/protocol.md
 * §2–§5a: start, frames and their order, history requests, refresh, heartbeat); split, every
 * transport would have to know which part says what.
 */
import {
  CloseCode,
  HISTORY_SINCE_VERSION,
  PROTOCOL_VERSION,
  SUPPORTED_VERSIONS,
  type ClientFrame,
  type Cursor,
  type HelloFrame,
  type HistoryRequest,
  type Subscription,
  type WelcomeFrame,
} from '../../protocol/index.ts';
import { clientFrameSchema, describeIssues, historyIdSchema, historyRequestSchema } from '../../protocol/schemas.ts';
import type { Admission } from './admission.ts';
import { AuthError, type Authenticator, type Principal } from './auth.ts';
import type { Config } from './config.ts';
import { pageJson, type History } from './history.ts';
import type { Hub } from './hub.ts';
import type { ConnectionLimits } from './limits.ts';
import { loggableReason, type Logger } from './logger.ts';
import type { DeliveryStats } from './metrics/stats.ts';
import type { Replayer } from './replay.ts';
import { ClosedSessions } from './closed-sessions.ts';
import { Session, type SessionLimits, type Sink } from './session.ts';

/** Where a session starts: the client's cursor (absent = live from the head) and what it wants. */
export interface Resume {
  cursor?: Cursor;
  subscription?: Subscription;
  /** Negotiated protocol version (WebSocket hello); other transports speak the current one. */
  version?: number;
  /** The client's previous session id: the welcome says how it ended (`lastClose`). */
  lastSession?: string;
}

export interface Started {
  session: Session;
  /** Settles once the welcome was sent (or the session ended before it). */
  welcomed: Promise<void>;
  /** Settles when the session is live (or gone). */
  replayed: Promise<void>;
}

export interface ClientsDeps {
  config: Pick<
    Config,
    | 'HEARTBEAT_MS'
    | 'MAX_FRAME_BYTES'
    | 'MAX_FRAMES_PER_SECOND'
    | 'SEND_BUFFER_BYTES'
    | 'REPLAY_LIVE_BUFFER'
    | 'REPLAY_LIVE_BUFFER_BYTES'
    | 'BATCH_MAX_WAIT_MS'
    | 'BATCH_HIGH_WAIT_MS'
    | 'BATCH_LOW_WAIT_MS'
    | 'BATCH_BUSY_RATE'
  >;
  auth: Pick<Authenticator, 'authenticate'>;
  admission: Admission;
  limits: Pick<ConnectionLimits, 'frameAllowance'>;
  hub: Hub;
  replayer: Replayer;
  history: Pick<History, 'page'>;
  stats: DeliveryStats;
  logger: Logger;
}

const HELLO_TIMEOUT_MS = 10_000;
/** History requests one connection may have waiting; more are refused (`history_busy`), not queued. */
const HISTORY_QUEUE = 4;

export class Clients {
  private readonly sessionLimits: SessionLimits;
  private readonly heartbeatTimer: NodeJS.Timeout;
  private readonly endings = new ClosedSessions();

  constructor(private readonly deps: ClientsDeps) {
    const { config } = deps;
    this.sessionLimits = {
      sendBufferBytes: config.SEND_BUFFER_BYTES,
      replayLiveBuffer: config.REPLAY_LIVE_BUFFER,
      replayLiveBufferBytes: config.REPLAY_LIVE_BUFFER_BYTES,
      batchMaxWaitMs: config.BATCH_MAX_WAIT_MS,
      batchHighWaitMs: config.BATCH_HIGH_WAIT_MS,
      batchLowWaitMs: config.BATCH_LOW_WAIT_MS,
      batchBusyRate: config.BATCH_BUSY_RATE ?? Math.ceil(1_000 / Math.max(config.BATCH_MAX_WAIT_MS, 1)),
    };
    this.heartbeatTimer = setInterval(() => this.heartbeat(), config.HEARTBEAT_MS);
    this.heartbeatTimer.unref();
  }

  /** A client that speaks frames (WebSocket): hand it every frame it sends. */
  connect(sink: Sink): ClientConnection {
    return new ClientConnection(sink, this, this.deps);
  }

  /**
   * The principal for a token presented with a resume; throws AuthError. AUTH=off grants the
   * tenants the subscription asks for; otherwise the token decides.
   */
  authenticate(token: string | undefined, origin: string | undefined, resume: Resume): Promise<Principal> {
    return this.deps.auth.authenticate(token, { origin, tenants: resume.subscription?.tenants });
  }

  /**
   * Starts a session for an authenticated principal on any transport: welcome, then the
   * replay from `resume.cursor`, then live. The session is registered for live events before
   * the log is read, so nothing published meanwhile falls between replay and live. Refusals
   * (shutdown, tenant limit) close the sink with the documented code and return undefined.
   */
  start(sink: Sink, principal: Principal, resume: Resume = {}): Started | undefined {
    const { admission, hub, stats, logger } = this.deps;
    const admitted = admission.admit(sink, principal);
    if (!admitted) return undefined;
    const session = new Session(sink, principal, this.sessionLimits);
    // Connection ids, transport and counts only: never tokens, subjects' data or payloads.
    const log = logger.child({ session: session.id, transport: sink.transport });
    log.debug({ tenants: principal.tenants.size, resumed: resume.cursor !== undefined }, 'session opened');
    session.onClose = (code, reason) => {
      admitted.release();
      if (code !== 1000) this.endings.record(session.id, principal.subject, { code, reason });
      if (code === CloseCode.Lagging) stats.laggingClosed++;
      if (code === 1000 || code === CloseCode.ServerRestart) log.debug({ code }, 'session closed');
      else log.info({ code, reason: loggableReason(reason) }, 'session closed');
      hub.remove(session);
    };
    session.onLiveWrite = (events, now) => stats.delivered(events, now);
    const refused = session.subscribe(resume.subscription);
    session.watchExpiry();
    hub.add(session);
    session.beginReplay();
    // The session answers pings and subscription changes while its replay runs.
    let welcomed!: () => void;
    const sent = new Promise<void>((resolve) => (welcomed = resolve));
    const replayed = this.welcome(session, resume, refused, welcomed)
      .catch((error) => {
        logger.warn({ session: session.id, err: (error as Error).message }, 'replay failed');
        // Typically the store is unreachable: 1011, retry with backoff (docs/protocol.md §10).
        session.close(1011, 'replay failed: reconnect to resume');
      })
      .finally(welcomed);
    return { session, replayed, welcomed: sent };
  }

  /** Welcome (where the session starts, whether its cursor was recovered), the replay, then live. */
  private async welcome(session: Session, resume: Resume, refused: string[], welcomed: () => void): Promise<void> {
    const { config, replayer, hub } = this.deps;
    const { from, recovered } = await replayer.locate(resume.cursor);
    session.lastCursor = from;
    const welcome: WelcomeFrame = {
      type: 'welcome',
      v: resume.version ?? PROTOCOL_VERSION,
      session: session.id,
      cursor: from,
      recovered,
      serverTime: Date.now(),
      heartbeatMs: config.HEARTBEAT_MS,
      subscription: session.subscription(),
      limits: { maxFrameBytes: config.MAX_FRAME_BYTES },
    };
    const lastClose = resume.lastSession ? this.endings.take(resume.lastSession, session.principal.subject) : undefined;
    if (lastClose) welcome.lastClose = lastClose;
    session.sink.send(JSON.stringify(welcome));
    if (refused.length) session.sink.send(forbiddenTenants(refused));
    welcomed();
    if (await replayer.run(session, from)) hub.flushSoon(session);
  }

  /** Applies a new subscription to a session (future events); says which tenants the token does not allow. */
  subscribe(session: Session, subscription: Subscription | undefined): void {
    const refused = this.deps.hub.resubscribe(session, subscription);
    if (refused.length) session.sink.send(forbiddenTenants(refused));
    session.sink.send(JSON.stringify({ type: 'subscribed', subscription: session.subscription() }));
  }

  /**
   * Answers a history request on the session's connection: a page under the request's
   * subscription, else the session's own (tenants and scopes as the token allows now). A log
   * that cannot be read answers an error frame; the connection and its live stream go on.
   */
  async history(session: Session, id: string, request: HistoryRequest): Promise<void> {
    let page;
    try {
      page = await this.deps.history.page(session.principal, request.subscription ?? session.subscription(), request);
    } catch (error) {
      this.deps.logger.warn({ session: session.id, err: (error as Error).message }, 'history read failed');
      if (session.state !== 'closed') session.sink.send(errorFrame('history_unavailable', 'the log cannot be read now: retry later', id));
      return;
    }
    if (session.state !== 'closed') session.sink.send(pageJson(page, { type: 'history', id }));
  }

  /**
   * Replaces the session's token with a fresh one for the same subject, checked as a hello's
   * was; its tenants and scopes apply from the next frame. A refusal closes the session.
   */
  async refresh(session: Session, token: string): Promise<void> {
    let principal: Principal;
    try {
      principal = await this.deps.auth.authenticate(token, { origin: session.sink.origin, tenants: [...session.principal.tenants] });
    } catch (error) {
      return session.close(error instanceof AuthError ? error.closeCode : CloseCode.Unauthorized, (error as Error).message);
    }
    if (principal.subject !== session.principal.subject) {
      return session.close(CloseCode.Unauthorized, 'refresh token names another subject');
    }
    session.principal = principal;
    session.watchExpiry();
    this.deps.hub.resubscribe(session, session.subscription());
    session.sink.send(JSON.stringify({ type: 'refreshed', expiresAt: principal.expiresAt }));
  }

  /**
   * Every HEARTBEAT_MS: a ping frame to clients that speak frames, closed once they have sent
   * nothing for two heartbeats; a keep-alive for the others (SSE comments).
   */
  private heartbeat(): void {
    const now = Date.now();
    const frame = JSON.stringify({ type: 'ping', t: now });
    for (const session of this.deps.hub.sessions) {
      if (session.sink.transport !== 'ws') {
        session.sink.heartbeat?.();
        continue;
      }
      if (now - session.lastSeenAt > 2 * this.deps.config.HEARTBEAT_MS) {
        session.close(CloseCode.HeartbeatTimeout, 'no frame from client for two heartbeats');
      } else {
        session.sink.send(frame);
      }
    }
  }

  /**
   * Stopping: flushes what is pending and asks every client to reconnect (elsewhere) after a
   * jittered delay — open sessions, clients whose token is still being checked, and, from now
   * on, anyone who gets through authentication later.
   */
  shutdown(retryMaxMs: number): void {
    const { admission, hub } = this.deps;
    clearInterval(this.heartbeatTimer);
    admission.close(retryMaxMs);
    hub.closeAll(CloseCode.ServerRestart, () => admission.restartReason());
  }
}

function forbiddenTenants(refused: string[]): string {
  return errorFrame('forbidden_tenant', `token does not allow tenants: ${refused.join(', ')}`);
}

function errorFrame(code: string, message: string, id?: string): string {
  return JSON.stringify({ type: 'error', code, message, ...(id === undefined ? {} : { id }) });
}

function isHistoryFrame(json: unknown): json is { type: 'history'; id?: unknown } {
  return typeof json === 'object' && json !== null && (json as { type?: unknown }).type === 'history';
}

/**
 * One client that speaks frames: `hello` first and once (within HELLO_TIMEOUT_MS), frames sent
 * while its token is being checked held and answered after the welcome, every frame valid JSON of the protocol, at most
 * MAX_FRAMES_PER_SECOND; then ping, subscribe and refresh.
 */
export class ClientConnection {
  private session: Session | undefined;
  private opening = false;
  /** The client closed, or was closed: a session that starts now is closed at once. */
  private ended = false;
  private readonly helloTimer: NodeJS.Timeout;
  private readonly takeFrame: () => boolean;
  /** Frames that arrived while the hello's token was being checked. */
  private held: Array<Exclude<ClientFrame, HelloFrame>> = [];
  /** The negotiated protocol version, once hello is read. */
  private version = 0;
  /** History requests answered one after the other, so a connection holds one log scan at a time. */
  private historyChain: Promise<void> = Promise.resolve();
  private historyWaiting = 0;

  constructor(
    private readonly sink: Sink,
    private readonly clients: Clients,
    private readonly deps: Pick<ClientsDeps, 'admission' | 'limits' | 'config' | 'logger'>,
  ) {
    this.takeFrame = deps.limits.frameAllowance();
    this.helloTimer = setTimeout(() => this.close(CloseCode.BadFrame, 'expected hello'), HELLO_TIMEOUT_MS);
  }

  receiveBinary(): void {
    if (this.withinRate()) this.close(CloseCode.BadFrame, 'binary frames are not part of the protocol');
  }

  receiveText(text: string): void {
    if (!this.withinRate()) return;
    let frame: ClientFrame;
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      return this.close(CloseCode.BadFrame, 'bad frame: not JSON');
    }
    if (isHistoryFrame(json)) return this.receiveHistory(json);
    const parsed = clientFrameSchema.safeParse(json);
    if (!parsed.success) return this.close(CloseCode.BadFrame, `bad frame: ${describeIssues(parsed.error)}`);
    frame = parsed.data as ClientFrame;
    const session = this.session;
    if (session) session.lastSeenAt = Date.now();
    if (frame.type === 'hello') {
      if (session || this.opening) return this.close(CloseCode.BadFrame, 'hello sent twice');
      this.opening = true;
      clearTimeout(this.helloTimer);
      void this.hello(frame);
      return;
    }
    if (!session || this.opening) {
      if (!this.opening) return this.close(CloseCode.BadFrame, 'expected hello first');
      // Sent before the token check finished: held, and answered in order once the session
      // starts (the frame rate bounds how many can wait).
      this.held.push(frame);
      return;
    }
    this.handle(session, frame);
  }

  private handle(session: Session, frame: Exclude<ClientFrame, HelloFrame>): void {
    switch (frame.type) {
      case 'ping':
        return this.sink.send(JSON.stringify({ type: 'pong', t: frame.t, at: Date.now() }));
      case 'pong':
        return;
      case 'subscribe':
        return this.clients.subscribe(session, frame.subscription);
      case 'refresh':
        void this.clients.refresh(session, frame.token);
        return;
    }
  }

  /**
   * A history request: a bad one is answered with an error frame naming its id and what is
   * wrong, and the connection carries on (its live stream loses nothing); a good one is queued
   * behind the connection's other history requests.
   */
  private receiveHistory(frame: { type: 'history'; id?: unknown }): void {
    const { type: _type, id, ...fields } = frame;
    const checkedId = historyIdSchema.safeParse(id);
    if (!checkedId.success) return this.sink.send(errorFrame('bad_history', 'id: a string of 1 to 64 characters, echoed in the answer'));
    const session = this.session;
    if (!session) {
      if (!this.opening) return this.close(CloseCode.BadFrame, 'expected hello first');
      return this.sink.send(errorFrame('not_ready', 'send history after the welcome', checkedId.data));
    }
    session.lastSeenAt = Date.now();
    if (this.version < HISTORY_SINCE_VERSION) {
      return this.sink.send(errorFrame('unsupported', `history needs protocol v${HISTORY_SINCE_VERSION}; this connection speaks v${this.version}`, checkedId.data));
    }
    const parsed = historyRequestSchema.safeParse(fields);
    if (!parsed.success) return this.sink.send(errorFrame('bad_history', describeIssues(parsed.error), checkedId.data));
    if (this.historyWaiting >= HISTORY_QUEUE) {
      return this.sink.send(errorFrame('history_busy', `at most ${HISTORY_QUEUE} history requests at a time: ask again once one is answered`, checkedId.data));
    }
    this.historyWaiting++;
    this.historyChain = this.historyChain
      .then(() => this.clients.history(session, checkedId.data, parsed.data as HistoryRequest))
      .finally(() => this.historyWaiting--);
  }

  /** The transport closed. */
  closed(): void {
    this.ended = true;
    clearTimeout(this.helloTimer);
    this.session?.close(1000, 'closed');
  }

  /** Checks the hello's version and token, then starts the session; refusals close with the documented code. */
  private async hello(hello: HelloFrame): Promise<void> {
    const version = Math.min(hello.v, PROTOCOL_VERSION);
    if (!SUPPORTED_VERSIONS.includes(version)) {
      return this.close(CloseCode.UnsupportedVersion, `protocol v${hello.v} is not served; supported: ${SUPPORTED_VERSIONS.join(',')}`);
    }
    this.version = version;
    const resume: Resume = { cursor: hello.cursor, subscription: hello.subscription, version, lastSession: hello.lastSession };
    let principal: Principal;
    try {
      principal = await this.deps.admission.whileChecking(this.sink, () => this.clients.authenticate(hello.token, this.sink.origin, resume));
    } catch (error) {
      const refusal = error instanceof AuthError ? error : new AuthError((error as Error).message);
      // During shutdown the client was already told to reconnect elsewhere.
      if (!this.deps.admission.closing) this.close(refusal.closeCode, refusal.message);
      return;
    }
    const started = this.clients.start(this.sink, principal, resume);
    this.session = started?.session;
    if (this.session && this.ended) this.session.close(1000, 'closed');
    if (!started) return;
    await started.welcomed;
    this.opening = false;
    const held = this.held;
    this.held = [];
    for (const frame of held) if (started.session.state !== 'closed') this.handle(started.session, frame);
  }

  private withinRate(): boolean {
    if (this.takeFrame()) return true;
    this.deps.logger.warn({ session: this.session?.id }, 'websocket closed: frame rate limit');
    this.close(CloseCode.RateLimited, `more than ${this.deps.config.MAX_FRAMES_PER_SECOND} frames per second: retry later`);
    return false;
  }

  private close(code: number, reason: string): void {
    this.ended = true;
    this.sink.close(code, reason);
  }
}
