/**
 * Fan-out: every valid event the tail reads goes to the sessions of its tenant that want it,
 * and the sessions' pending events leave as frames, flushed together so that the sessions of a
 * tenant share one encoded frame per pass. Starting sessions and replaying them is clients.ts'
 * and replay.ts' job; the hub only indexes the sessions it is given.
 */
import { ALL_TENANTS, CURSOR_ZERO, type Cursor, type Subscription } from '../../protocol/index.ts';
import { decodeEntry, type Decoder, type DeliverableEvent } from './decode.ts';
import type { LogEntry } from './log/log.ts';
import type { DeliveryStats } from './metrics/stats.ts';
import type { RecentEvents } from './recent.ts';
import { FrameCache, type Session } from './session.ts';

export interface HubDeps {
  decoder: Decoder;
  /** The recent-events window replays are served from; the hub fills it. */
  recent: RecentEvents;
  stats: DeliveryStats;
  /** Invalid tail entries go here (dead-lettered with the reason). */
  rejectEntry: (entry: LogEntry, reason: string) => void;
}

export class Hub {
  readonly sessions = new Set<Session>();
  /** Cursor of the last log entry fanned out to the live sessions. */
  position: Cursor | undefined;
  private readonly byTenant = new Map<string, Set<Session>>();
  private readonly dirty = new Set<Session>();
  private flushQueued = false;
  private flushTimer: NodeJS.Timeout | undefined;
  private readonly decoder: Decoder;
  private readonly recent: RecentEvents;
  private readonly stats: DeliveryStats;
  private readonly rejectEntry: HubDeps['rejectEntry'];

  constructor(deps: HubDeps) {
    this.decoder = deps.decoder;
    this.recent = deps.recent;
    this.stats = deps.stats;
    this.rejectEntry = deps.rejectEntry;
  }

  // ---- fan-out ---------------------------------------------------------------------------

  /** Decodes what the tail read (once per entry), fans the valid events out; invalid ones are rejected. */
  fanOut(entries: LogEntry[]): void {
    const now = Date.now();
    for (const entry of entries) {
      const event = this.decoder.decode(entry, this.rejectEntry);
      if (!event) continue;
      this.recent.append(event);
      this.stats.ingested(event, now);
      this.dispatch(event);
    }
    if (entries.length > 0) this.position = entries[entries.length - 1].id;
    this.queueFlush();
  }

  private dispatch(event: DeliverableEvent): void {
    const targets = event.tenant === ALL_TENANTS ? this.sessions : this.byTenant.get(event.tenant);
    if (!targets) return;
    for (const session of targets) {
      if (session.wants(event) && session.offer(event)) this.dirty.add(session);
    }
  }

  /**
   * Delivers an event the log does not hold (yet) to the live sessions that want it: an alert
   * while the log is unreachable. Its cursor is the last one fanned out, so a client that keeps
   * it resumes from a real position.
   */
  broadcast(envelope: object): void {
    const decoded = decodeEntry({ id: this.position ?? CURSOR_ZERO, raw: JSON.stringify(envelope) }, Number.MAX_SAFE_INTEGER);
    if (!decoded.ok) return;
    const now = Date.now();
    for (const session of this.sessions) if (session.wants(decoded.event)) session.sendUnlogged(decoded.event, now);
  }

  // ---- batching --------------------------------------------------------------------------

  /** A session that has events waiting (e.g. live events merged after its replay) is flushed with the next pass. */
  flushSoon(session: Session): void {
    if (!session.hasPending()) return;
    this.dirty.add(session);
    this.queueFlush();
  }

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

  add(session: Session): void {
    this.sessions.add(session);
    this.attach(session);
  }

  remove(session: Session): void {
    this.sessions.delete(session);
    this.dirty.delete(session);
    this.detach(session);
  }

  /** Applies a new subscription to a session (future events); returns the tenants the token does not allow. */
  resubscribe(session: Session, subscription: Subscription | undefined): string[] {
    this.detach(session);
    const refused = session.subscribe(subscription);
    this.attach(session);
    return refused;
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

  /** Flushes what each session has pending, then closes it with `code` and a reason made for it. */
  closeAll(code: number, reason: () => string): void {
    const now = Date.now();
    for (const session of [...this.sessions]) {
      session.flush(now);
      session.close(code, reason());
    }
    clearTimeout(this.flushTimer);
  }
}
