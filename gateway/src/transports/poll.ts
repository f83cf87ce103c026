/**
 * Long-poll: `GET /v1/poll?cursor=&subscription=&wait=` with `Authorization: Bearer <jwt>`.
 * Each request is a short-lived session (clients.start: the same replay-then-live path as a
 * WebSocket), answered with what it wrote: at once when events are available, else when the
 * first live events arrive or `wait` runs out. The answer's cursor is where to poll next.
 */
import type { Request, RequestHandler, Response } from 'express';
import { CloseCode, compareCursors, type Cursor } from '../../../protocol/index.ts';
import type { Clients } from '../clients.ts';
import type { Hub } from '../hub.ts';
import { EVENTS_FRAME_PREFIX, type Sink } from '../session.ts';
import { BadRequest, bearerToken, refuse, refuseAuth, refuseBadRequest } from '../http-requests.ts';
import { resumeParams } from './resume.ts';

export const POLL_PATH = '/v1/poll';
export const POLL_MAX_WAIT_MS = 25_000;
/** One answer carries about this much; the rest comes with the next poll. */
const POLL_MAX_BYTES = 512 * 1024;

function waitParam(req: Request): number {
  const raw = req.query.wait;
  if (raw === undefined || raw === '') return POLL_MAX_WAIT_MS;
  const wait = Number(raw);
  if (typeof raw !== 'string' || !Number.isInteger(wait) || wait < 0) throw new BadRequest('wait: milliseconds, a whole number ≥ 0');
  return Math.min(wait, POLL_MAX_WAIT_MS);
}

/** Collects what the session writes into one JSON answer. */
class PollSink implements Sink {
  readonly transport = 'poll';
  /** The event JSON of every events frame written, comma-joined per frame. */
  private readonly batches: string[] = [];
  private bytes = 0;
  welcome: { cursor: Cursor; recovered: boolean } | undefined;
  onWrite: (() => void) | undefined;
  onClose: ((code: number, reason: string) => void) | undefined;

  send(frame: string): void {
    if (frame.startsWith(EVENTS_FRAME_PREFIX)) {
      this.batches.push(frame.slice(EVENTS_FRAME_PREFIX.length, -2));
      this.bytes += frame.length;
    } else if (frame.startsWith('{"type":"welcome"')) {
      const { cursor, recovered } = JSON.parse(frame) as { cursor: Cursor; recovered: boolean };
      this.welcome = { cursor, recovered };
    }
    this.onWrite?.();
  }

  get hasEvents(): boolean {
    return this.batches.length > 0;
  }

  /** Replay pauses (as for a slow socket) once an answer is full. */
  bufferedBytes(): number {
    return this.bytes >= POLL_MAX_BYTES ? Number.MAX_SAFE_INTEGER : this.bytes;
  }

  close(code: number, reason: string): void {
    this.onClose?.(code, reason);
  }

  body(cursor: Cursor, recovered: boolean): string {
    return `{"cursor":${JSON.stringify(cursor)},"recovered":${recovered},"events":[${this.batches.join(',')}]}`;
  }
}

export interface PollDeps {
  clients: Pick<Clients, 'authenticate' | 'start'>;
  /** Where fan-out stands: an answer with nothing pending may move the client's cursor there. */
  hub: Pick<Hub, 'position'>;
}

export function pollHandler({ clients, hub }: PollDeps): RequestHandler {
  return async (req: Request, res: Response) => {
    let resume;
    let wait;
    try {
      resume = resumeParams(req);
      wait = waitParam(req);
    } catch (error) {
      if (refuseBadRequest(res, error)) return;
      throw error;
    }
    let principal;
    try {
      principal = await clients.authenticate(bearerToken(req), req.get('origin'), resume);
    } catch (error) {
      return refuseAuth(res, error);
    }
    if (req.socket.destroyed) return;
    res.set('cache-control', 'no-store');

    const sink = new PollSink();
    let answered = false;
    let timer: NodeJS.Timeout | undefined;

    const answer = () => {
      if (answered) return;
      answered = true;
      clearTimeout(timer);
      // Live events still waiting for their batching window leave with this answer.
      if (session.state === 'live' && session.hasPending()) session.flush(Date.now());
      const recovered = sink.welcome?.recovered ?? true;
      let cursor = session.lastCursor;
      // Nothing is waiting, so every entry the hub fanned out so far was either sent or not
      // wanted: the next poll need not read those again.
      if (session.state === 'live' && recovered && !session.hasPending() && hub.position && compareCursors(hub.position, cursor) > 0) {
        cursor = hub.position;
      }
      session.close(1000, 'answered');
      res.type('application/json').send(sink.body(cursor, recovered));
    };
    sink.onClose = (code, reason) => {
      if (answered || code === 1000) return;
      // Tenant limit: back off. Lagging, token expiry, shutdown: poll again from the same cursor.
      answered = true;
      clearTimeout(timer);
      if (code === CloseCode.RateLimited) refuse(res, 429, 'rate_limited', reason);
      else res.status(503).json({ error: 'retry', message: reason, code });
    };
    // Without a cursor, or with one older than retention, the client learns where it stands now.
    const atOnce = () => resume.cursor === undefined || sink.welcome?.recovered === false;
    sink.onWrite = () => {
      const full = sink.bufferedBytes() === Number.MAX_SAFE_INTEGER;
      if ((sink.welcome && atOnce()) || (sink.hasEvents && (session.state === 'live' || full))) queueMicrotask(answer);
    };

    const started = clients.start(sink, principal, resume);
    if (!started) return;
    const { session, replayed } = started;
    res.on('close', () => {
      answered = true;
      clearTimeout(timer);
      session.close(1000, 'client gone');
    });
    await replayed;
    if (answered) return;
    if (sink.hasEvents || session.hasPending() || atOnce() || wait === 0) return answer();
    timer = setTimeout(answer, wait);
  };
}
