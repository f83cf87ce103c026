/**
 * The hub routes every valid event to the sessions of its tenant that want it, coalesces
 * them into frames, and runs replays so a resuming client sees no gap and no duplicate.
 */
import {
  ALL_TENANTS,
  CloseCode,
  PROTOCOL_VERSION,
  SUPPORTED_VERSIONS,
  compareCursors,
  type Cursor,
  type HelloFrame,
  type Subscription,
  type WelcomeFrame,
} from '../../protocol/index.ts';
import { Authenticator, AuthError, type Principal } from './auth.ts';
import type { Config } from './config.ts';
import { DecodedCache, decodeEntry, type DeliverableEvent } from './decode.ts';
import { isRecoverable, type EventLog, type LogEntry } from './log/log.ts';
import { ConnectionLimits } from './limits.ts';
import { loggableReason, type Logger } from './logger.ts';
import { RecentEvents } from './recent.ts';
import { DeliveryStats } from './metrics/stats.ts';
import { FRAME_TARGET_BYTES, FrameCache, Session, type Sink } from './session.ts';

/** Where a session starts: the client's cursor (absent = live from the head) and what it wants. */
export interface Resume {
  cursor?: Cursor;
  subscription?: Subscription;
  /** Negotiated protocol version (WebSocket hello); other transports speak the current one. */
  version?: number;
}

export class Hub {
  readonly sessions = new Set<Session>();
  readonly stats = new DeliveryStats();
  /** Cursor of the last log entry fanned out to the live sessions. */
  position: Cursor | undefined;
  private readonly byTenant = new Map<string, Set<Session>>();
  private readonly cache = new DecodedCache(20_000);
  private readonly recent: RecentEvents;
  private readonly dirty = new Set<Session>();
  private flushQueued = false;
  private flushTimer: NodeJS.Timeout | undefined;
  private heartbeatTimer: NodeJS.Timeout | undefined;
  /** Set by closeAll(): from then on every way in is told to reconnect elsewhere. */
  private closing = false;
  private retryMaxMs = 0;
  /** WebSocket hellos whose token is still being checked (they have no session yet). */
  private readonly opening = new Set<Sink>();
  /** Token checks and connection limits, shared by every transport. */
  readonly auth: Authenticator;
  readonly limits: ConnectionLimits;

  constructor(
    private readonly config: Config,
    private readonly log: EventLog,
    private readonly logger: Logger,
    /** Invalid tail entries go here (dead-lettered with the reason). */
    private readonly rejectEntry: (entry: LogEntry, reason: string) => void,
  ) {
    this.recent = new RecentEvents(config.REPLAY_MEMORY_EVENTS);
    this.auth = new Authenticator(config, logger);
    this.limits = new ConnectionLimits(config);
    this.heartbeatTimer = setInterval(() => this.heartbeat(), config.HEARTBEAT_MS);
    this.heartbeatTimer.unref();
  }

  // ---- ingest ----------------------------------------------------------------------------

  /** Validates tail entries and fans the valid ones out; invalid ones are dead-lettered. */
  ingest(entries: LogEntry[]): void {
    const now = Date.now();
    for (const entry of entries) {
      const event = this.decode(entry, this.rejectEntry);
      if (!event) continue;
      this.recent.append(event);
      this.stats.ingested(event, now);
      this.dispatch(event);
    }
    if (entries.length > 0) this.position = entries[entries.length - 1].id;
    this.queueFlush();
  }

  private decode(entry: LogEntry, onInvalid?: (entry: LogEntry, reason: string) => void): DeliverableEvent | undefined {
    const cached = this.cache.get(entry.id);
    if (cached) return cached;
    const decoded = decodeEntry(entry, this.config.MAX_FRAME_BYTES);
    if (!decoded.ok) {
      onInvalid?.(entry, decoded.reason);
      return undefined;
    }
    this.cache.set(decoded.event);
    return decoded.event;
  }

  private dispatch(event: DeliverableEvent): void {
    const targets = event.tenant === ALL_TENANTS ? this.sessions : this.byTenant.get(event.tenant);
    if (!targets) return;
    for (const session of targets) {
      if (session.wants(event) && session.offer(event)) this.dirty.add(session);
    }
  }

  // ---- batching --------------------------------------------------------------------------

  /** Flushes on the next turn: events read together leave together, with no added wait. */
  private queueFlush(): void {
    if (this.flushQueued || this.dirty.size === 0) return;
    this.flushQueued = true;
    setImmediate(() => {
      this.flushQueued = false;
      this.flushDue();
    });
  }

  /** Writes every session whose frame is due; busy sessions wait (bounded) to coalesce more. */
  private flushDue(): void {
    clearTimeout(this.flushTimer);
    this.flushTimer = undefined;
    const now = Date.now();
    let next = Infinity;
    const frames = new FrameCache();
    for (const session of this.dirty) {
      if (!session.hasPending() || session.state === 'closed') {
        this.dirty.delete(session);
        continue;
      }
      const due = session.dueAt();
      if (due <= now) {
        session.flush(now, frames);
        this.dirty.delete(session);
      } else if (due < next) {
        next = due;
      }
    }
    if (next !== Infinity) this.flushTimer = setTimeout(() => this.flushDue(), next - now);
  }

  // ---- sessions --------------------------------------------------------------------------

  /**
   * The WebSocket way in: checks the hello's version and token, then starts the session.
   * Throws nothing: refusals close the sink with the documented code.
   */
  async open(sink: Sink, hello: HelloFrame): Promise<Session | undefined> {
    const version = Math.min(hello.v, PROTOCOL_VERSION);
    if (!SUPPORTED_VERSIONS.includes(version)) {
      sink.close(CloseCode.UnsupportedVersion, `protocol v${hello.v} is not served; supported: ${SUPPORTED_VERSIONS.join(',')}`);
      return undefined;
    }
    let principal: Principal;
    this.opening.add(sink);
    try {
      // AUTH=off grants the tenants the hello asks for; otherwise the token decides.
      principal = await this.auth.authenticate(hello.token, { origin: sink.origin, tenants: hello.subscription?.tenants });
    } catch (error) {
      const refusal = error instanceof AuthError ? error : new AuthError((error as Error).message);
      // During shutdown the client was already told to reconnect elsewhere (closeAll).
      if (!this.closing) sink.close(refusal.closeCode, refusal.message);
      return undefined;
    } finally {
      this.opening.delete(sink);
    }
    return this.start(sink, principal, { cursor: hello.cursor, subscription: hello.subscription, version })?.session;
  }

  /**
   * Starts a session for an authenticated principal on any transport: welcome, then the
   * replay from `resume.cursor`, then live. The session is registered for live events before
   * the log is read, so nothing published meanwhile falls between replay and live.
   * `replayed` settles when the session is live (or gone).
   */
  start(sink: Sink, principal: Principal, resume: Resume = {}): { session: Session; replayed: Promise<void> } | undefined {
    if (this.closing) {
      // Authenticated while the gateway began to stop: told to go elsewhere like every session.
      sink.close(CloseCode.ServerRestart, this.restartReason());
      return undefined;
    }
    const slots = this.limits.admitTenants(principal.tenants);
    if ('full' in slots) {
      this.logger.warn({ transport: sink.transport, tenant: slots.full }, 'connection refused: tenant connection limit');
      sink.close(CloseCode.RateLimited, `too many connections for tenant ${slots.full}: retry later`);
      return undefined;
    }
    const session = new Session(sink, principal, {
      sendBufferBytes: this.config.SEND_BUFFER_BYTES,
      replayLiveBuffer: this.config.REPLAY_LIVE_BUFFER,
      replayLiveBufferBytes: this.config.REPLAY_LIVE_BUFFER_BYTES,
      batchMaxWaitMs: this.config.BATCH_MAX_WAIT_MS,
      batchLowWaitMs: this.config.BATCH_LOW_WAIT_MS,
      batchBusyRate: this.config.BATCH_BUSY_RATE ?? Math.ceil(1_000 / Math.max(this.config.BATCH_MAX_WAIT_MS, 1)),
    });
    // Connection ids, transport and counts only: never tokens, subjects' data or payloads.
    const log = this.logger.child({ session: session.id, transport: sink.transport });
    log.debug({ tenants: principal.tenants.size, resumed: resume.cursor !== undefined }, 'session opened');
    session.onClose = (code, reason) => {
      slots.release();
      if (code === CloseCode.Lagging) this.stats.laggingClosed++;
      if (code === 1000 || code === CloseCode.ServerRestart) log.debug({ code }, 'session closed');
      else log.info({ code, reason: loggableReason(reason) }, 'session closed');
      this.remove(session);
    };
    session.onLiveWrite = (events, now) => this.stats.delivered(events, now);
    const refused = session.subscribe(resume.subscription);
    session.watchExpiry();
    this.add(session);
    session.beginReplay();
    // The session answers pings and subscription changes while its replay runs.
    const replayed = this.replay(session, resume.cursor, resume.version ?? PROTOCOL_VERSION, refused).catch((error) => {
      this.logger.warn({ session: session.id, err: (error as Error).message }, 'replay failed');
      session.close(1011, 'replay failed: reconnect to resume');
    });
    return { session, replayed };
  }

  private async replay(session: Session, cursor: Cursor | undefined, version: number, refused: string[]): Promise<void> {
    const extent = await this.log.extent();
    const recovered = cursor === undefined || isRecoverable(cursor, extent);
    const from = cursor !== undefined && recovered ? cursor : extent.lastId;
    if (cursor !== undefined) this.stats.replays[recovered ? 'recovered' : 'unrecovered']++;
    session.lastCursor = from;
    const welcome: WelcomeFrame = {
      type: 'welcome',
      v: version,
      session: session.id,
      cursor: from,
      recovered,
      serverTime: Date.now(),
      heartbeatMs: this.config.HEARTBEAT_MS,
      subscription: session.subscription(),
      limits: { maxFrameBytes: this.config.MAX_FRAME_BYTES },
    };
    session.sink.send(JSON.stringify(welcome));
    if (refused.length) {
      session.sink.send(JSON.stringify({ type: 'error', code: 'forbidden_tenant', message: `token does not allow tenants: ${refused.join(', ')}` }));
    }
    // Most resumes are seconds behind: served from memory, the session's own tenants' events
    // only. Live events since the session was added wait in its live buffer meanwhile.
    const recent = this.recent.since(from, session.tenants);
    let readThrough: Cursor | undefined;
    if (recent) {
      this.stats.replays.fromMemory++;
      readThrough = recent.through;
      if (!(await this.sendPaced(session, recent.events.filter((event) => session.wants(event))))) return;
    } else {
      readThrough = await this.replayFromLog(session, from);
      if (readThrough === undefined) return;
    }
    if (session.state !== 'replaying') return;
    session.endReplay(readThrough);
    if (compareCursors(session.lastCursor, readThrough) < 0 && !session.hasPending()) session.lastCursor = readThrough;
    if (session.hasPending()) {
      this.dirty.add(session);
      this.queueFlush();
    }
  }

  /** Replays the log after `from` page by page; the cursor read through, undefined once the session is gone. */
  private async replayFromLog(session: Session, from: Cursor): Promise<Cursor | undefined> {
    let readThrough = from;
    for (;;) {
      const page = await this.log.readAfter(readThrough, this.config.REPLAY_PAGE);
      // Retention may have trimmed entries after readThrough since the welcome said
      // recovered:true (or since the last page): the page would then start past a gap. Trims
      // only ever remove the oldest entries, so the log's extent read after the page tells.
      const extentNow = await this.log.extent();
      if (session.state !== 'replaying') return undefined;
      if (!isRecoverable(readThrough, extentNow)) {
        this.logger.info({ session: session.id, after: readThrough, firstId: extentNow.firstId }, 'replay overtaken by retention');
        // Retryable: the resume from the client's last cursor answers recovered:false.
        session.close(CloseCode.Lagging, 'retention removed events this replay had not sent: resume from your last cursor');
        return undefined;
      }
      if (page.length === 0) return readThrough;
      readThrough = page[page.length - 1].id;
      const wanted: DeliverableEvent[] = [];
      const concerns = tenantPrefilter(session.tenants);
      for (const entry of page) {
        // Most of a page is other tenants' events: those are not decoded (and validated) again.
        if (concerns && !this.cache.get(entry.id) && !concerns(entry.raw)) continue;
        const event = this.decode(entry);
        if (event && session.wants(event)) wanted.push(event);
      }
      if (!(await this.sendPaced(session, wanted))) return undefined;
      if (page.length < this.config.REPLAY_PAGE) return readThrough;
    }
  }

  /**
   * Writes replayed events in slices of at most a quarter of the send buffer (one frame at
   * most), each after the client has taken enough of the previous ones: the buffer never holds
   * much more than SEND_BUFFER_BYTES, however large a page is. False once the session is gone.
   */
  private async sendPaced(session: Session, events: DeliverableEvent[]): Promise<boolean> {
    const slice = Math.min(FRAME_TARGET_BYTES, Math.floor(this.config.SEND_BUFFER_BYTES / 4));
    let start = 0;
    let bytes = 0;
    for (let i = 0; i < events.length; i++) {
      bytes += events[i].json.length;
      if (bytes < slice && i < events.length - 1) continue;
      if (!(await this.drain(session))) return false;
      session.sendReplayed(events.slice(start, i + 1));
      start = i + 1;
      bytes = 0;
    }
    return this.drain(session);
  }

  /**
   * Paces a replay to the client's reading speed: waits while the send buffer is over half
   * full. A client that takes nothing for REPLAY_STALL_MS is closed as lagging (it resumes
   * from its cursor later) rather than held, with its replay, for ever. False once the
   * session is no longer replaying.
   */
  private async drain(session: Session): Promise<boolean> {
    const limit = this.config.SEND_BUFFER_BYTES / 2;
    let since: number | undefined;
    while (session.state === 'replaying' && session.sink.bufferedBytes() > limit) {
      const now = Date.now();
      since ??= now;
      if (now - since >= this.config.REPLAY_STALL_MS) {
        session.close(CloseCode.Lagging, 'stopped reading during replay: resume from your last cursor');
        break;
      }
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
    return session.state === 'replaying';
  }

  /** Applies a new subscription to a live session (future events). */
  resubscribe(session: Session, subscription: Parameters<Session['subscribe']>[0]): string[] {
    this.detach(session);
    const refused = session.subscribe(subscription);
    this.attach(session);
    return refused;
  }

  private add(session: Session): void {
    this.sessions.add(session);
    this.attach(session);
  }

  private remove(session: Session): void {
    this.sessions.delete(session);
    this.dirty.delete(session);
    this.detach(session);
  }

  private attach(session: Session): void {
    for (const tenant of session.tenants) {
      let set = this.byTenant.get(tenant);
      if (!set) this.byTenant.set(tenant, (set = new Set()));
      set.add(session);
    }
  }

  private detach(session: Session): void {
    for (const tenant of session.tenants) {
      const set = this.byTenant.get(tenant);
      set?.delete(session);
      if (set?.size === 0) this.byTenant.delete(tenant);
    }
  }

  // ---- heartbeats and shutdown -----------------------------------------------------------

  private heartbeat(): void {
    const now = Date.now();
    const frame = JSON.stringify({ type: 'ping', t: now });
    for (const session of this.sessions) {
      if (session.sink.transport !== 'ws') {
        session.sink.heartbeat?.();
        continue;
      }
      if (now - session.lastSeenAt > 2 * this.config.HEARTBEAT_MS) {
        session.close(CloseCode.HeartbeatTimeout, 'no frame from client for two heartbeats');
      } else {
        session.sink.send(frame);
      }
    }
  }

  /**
   * Flushes what is pending and asks every client to reconnect (elsewhere) after a jittered
   * delay: open sessions, hellos whose token is still being checked, and, from now on, anyone
   * who gets through authentication later (start() refuses them the same way).
   */
  closeAll(retryMaxMs: number): void {
    this.closing = true;
    this.retryMaxMs = retryMaxMs;
    clearInterval(this.heartbeatTimer);
    const now = Date.now();
    for (const session of [...this.sessions]) {
      session.flush(now);
      session.close(CloseCode.ServerRestart, this.restartReason());
    }
    for (const sink of this.opening) sink.close(CloseCode.ServerRestart, this.restartReason());
    this.opening.clear();
    clearTimeout(this.flushTimer);
  }

  /** The 4503 reason: JSON `{"retryMs":n}`, n random below SHUTDOWN_RETRY_MAX_MS. */
  private restartReason(): string {
    return JSON.stringify({ retryMs: Math.floor(Math.random() * this.retryMaxMs) });
  }
}

/**
 * A cheap, sound pre-check for replays: false only when the raw envelope cannot belong to any of
 * `tenants` (nor to every tenant, `*`), because none of their JSON strings occurs in it. Text
 * with a backslash may spell a tenant with escapes, so it is always decoded; so is everything
 * for sessions of many tenants, where the check would cost more than it saves.
 */
export function tenantPrefilter(tenants: ReadonlySet<string>): ((raw: string | undefined) => boolean) | undefined {
  if (tenants.size === 0 || tenants.size > 16) return undefined;
  const needles = [...tenants, ALL_TENANTS].map((tenant) => JSON.stringify(tenant));
  return (raw) => raw === undefined || raw.includes('\\') || needles.some((needle) => raw.includes(needle));
}
