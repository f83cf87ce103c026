/**
 * Replay: what a resuming session missed, sent before it goes live, so it sees no gap and no
 * duplicate. Served from the recent-events window when the cursor is inside it (no log read),
 * else read from the log page by page; paced to the client's reading speed; closed as lagging
 * when retention removes entries it has not sent yet, rather than skipping them.
 */
import { ALL_TENANTS, CloseCode, compareCursors, type Cursor } from '../../protocol/index.ts';
import type { Config } from './config.ts';
import type { Decoder, DeliverableEvent } from './decode.ts';
import { isRecoverable, type EventLog } from './log/log.ts';
import type { Logger } from './logger.ts';
import type { DeliveryStats } from './metrics/stats.ts';
import type { RecentEvents } from './recent.ts';
import { FRAME_TARGET_BYTES, type Session } from './session.ts';

export interface ReplayDeps {
  config: Pick<Config, 'REPLAY_PAGE' | 'SEND_BUFFER_BYTES' | 'REPLAY_STALL_MS'>;
  log: Pick<EventLog, 'extent' | 'readAfter'>;
  decoder: Decoder;
  recent: RecentEvents;
  stats: DeliveryStats;
  logger: Logger;
}

export class Replayer {
  constructor(private readonly deps: ReplayDeps) {}

  /**
   * Where a session starts: after the client's cursor when the log still holds everything
   * after it (recovered), else at the head; no cursor is a live start at the head.
   */
  async locate(cursor: Cursor | undefined): Promise<{ from: Cursor; recovered: boolean }> {
    const extent = await this.deps.log.extent();
    const recovered = cursor === undefined || isRecoverable(cursor, extent);
    if (cursor !== undefined) this.deps.stats.replays[recovered ? 'recovered' : 'unrecovered']++;
    return { from: cursor !== undefined && recovered ? cursor : extent.lastId, recovered };
  }

  /**
   * Sends the session's events after `from`, then turns it live: live events buffered during
   * the replay are merged without duplicates. False when the session went away meanwhile.
   */
  async run(session: Session, from: Cursor): Promise<boolean> {
    // Most resumes are seconds behind: served from memory, the session's own tenants' events
    // only. Live events since the session was added wait in its live buffer meanwhile.
    const recent = this.deps.recent.since(from, session.tenants);
    let readThrough: Cursor | undefined;
    if (recent) {
      this.deps.stats.replays.fromMemory++;
      readThrough = recent.through;
      if (!(await this.sendPaced(session, recent.events.filter((event) => session.wants(event))))) return false;
    } else {
      readThrough = await this.fromLog(session, from);
      if (readThrough === undefined) return false;
    }
    if (session.state !== 'replaying') return false;
    session.endReplay(readThrough);
    if (compareCursors(session.lastCursor, readThrough) < 0 && !session.hasPending()) session.lastCursor = readThrough;
    return true;
  }

  /** Replays the log after `from` page by page; the cursor read through, undefined once the session is gone. */
  private async fromLog(session: Session, from: Cursor): Promise<Cursor | undefined> {
    const { log, decoder, config } = this.deps;
    let readThrough = from;
    for (;;) {
      const page = await log.readAfter(readThrough, config.REPLAY_PAGE);
      // Retention may have trimmed entries after readThrough since the welcome said
      // recovered:true (or since the last page): the page would then start past a gap. Trims
      // only ever remove the oldest entries, so the log's extent read after the page tells.
      const extentNow = await log.extent();
      if (session.state !== 'replaying') return undefined;
      if (!isRecoverable(readThrough, extentNow)) {
        this.deps.logger.info({ session: session.id, after: readThrough, firstId: extentNow.firstId }, 'replay overtaken by retention');
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
        if (concerns && !decoder.has(entry.id) && !concerns(entry.raw)) continue;
        const event = decoder.decode(entry);
        if (event && session.wants(event)) wanted.push(event);
      }
      if (!(await this.sendPaced(session, wanted))) return undefined;
      if (page.length < config.REPLAY_PAGE) return readThrough;
    }
  }

  /**
   * Writes replayed events in slices of at most a quarter of the send buffer (one frame at
   * most), each after the client has taken enough of the previous ones: the buffer never holds
   * much more than SEND_BUFFER_BYTES, however large a page is. False once the session is gone.
   */
  private async sendPaced(session: Session, events: DeliverableEvent[]): Promise<boolean> {
    const slice = Math.min(FRAME_TARGET_BYTES, Math.floor(this.deps.config.SEND_BUFFER_BYTES / 4));
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
    const { SEND_BUFFER_BYTES, REPLAY_STALL_MS } = this.deps.config;
    const limit = SEND_BUFFER_BYTES / 2;
    let since: number | undefined;
    while (session.state === 'replaying' && session.sink.bufferedBytes() > limit) {
      const now = Date.now();
      since ??= now;
      if (now - since >= REPLAY_STALL_MS) {
        session.close(CloseCode.Lagging, 'stopped reading during replay: resume from your last cursor');
        break;
      }
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
    return session.state === 'replaying';
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
