/**
 * The one way into the log from inside the gateway. Publisher envelopes — from
 * `gateway.append()`, `POST /v1/events` and the pub/sub bridge — are checked against the
 * publisher schema; the gateway's own events (`audit.export`, `system.health`) against what the
 * log may hold. Refused input is counted by way in, and where nobody can be answered (a stream
 * entry, a pub/sub message) it is dead-lettered with the reason.
 */
import type { Cursor, Envelope } from '../../../protocol/index.ts';
import { envelopeSchema, storedEnvelopeSchema } from '../../../protocol/schemas.ts';
import type { EventLog, LogEntry } from '../log/log.ts';
import { loggableReason, type Logger } from '../logger.ts';
import { IngestStats, type RejectSource } from '../metrics/stats.ts';

export class InvalidEnvelopeError extends Error {
  override name = 'InvalidEnvelopeError';
}

export interface Issue {
  /** Dotted path inside the envelope, e.g. `data.score`; `(root)` for the envelope itself. */
  path: string;
  message: string;
}

export type Checked = { ok: true; envelope: Envelope } | { ok: false; issues: Issue[] };

/**
 * A publisher envelope against the schema and, as it will be stored, against `maxBytes`: an
 * envelope the tail would dead-letter as too large is refused here, before anything is appended.
 */
export function checkEnvelope(value: unknown, maxBytes = Infinity): Checked {
  const result = envelopeSchema.safeParse(value);
  if (!result.success) {
    return {
      ok: false,
      issues: result.error.issues.slice(0, 20).map((issue) => ({ path: issue.path.map(String).join('.') || '(root)', message: issue.message })),
    };
  }
  const size = JSON.stringify(result.data).length;
  if (size > maxBytes) return { ok: false, issues: [{ path: '(root)', message: `envelope is ${size} bytes, over the ${maxBytes}-byte limit (MAX_FRAME_BYTES)` }] };
  return { ok: true, envelope: result.data as Envelope };
}

export function describe(issues: Issue[]): string {
  return issues.map((i) => `${i.path}: ${i.message}`).join('; ');
}

const UNANSWERED: Record<Exclude<RejectSource, 'http'>, string> = { stream: 'stream entry', pubsub: 'pub/sub message' };

export class LogWriter {
  readonly stats = new IngestStats();

  constructor(
    private readonly log: EventLog,
    private readonly logger: Logger,
    /** How long an envelope id is remembered to drop duplicates (appendOnce). */
    private readonly dedupeTtlS: number,
    /** Largest envelope the tail delivers (MAX_FRAME_BYTES): larger ones are refused on the way in. */
    readonly maxBytes: number,
  ) {}

  /** A publisher envelope checked as every way in checks it: schema, then size. */
  check(value: unknown): Checked {
    return checkEnvelope(value, this.maxBytes);
  }

  /** A publisher envelope, appended as given; throws InvalidEnvelopeError naming what is wrong. */
  async append(envelope: unknown): Promise<Cursor> {
    const checked = this.check(envelope);
    if (!checked.ok) throw new InvalidEnvelopeError(describe(checked.issues.slice(0, 5)));
    return this.log.append(JSON.stringify(checked.envelope));
  }

  /** An event the gateway writes itself (publishers may not write `audit.export`). */
  async appendOwn(envelope: object): Promise<Cursor> {
    return this.log.append(JSON.stringify(storedEnvelopeSchema.parse(envelope)));
  }

  /**
   * An event of the gateway's own that several gateways may each decide to write (a rollout
   * change seen by all): appended once per tenant and id within the dedupe window.
   */
  async appendOwnOnce(envelope: { tenant: string; id: string }): Promise<{ cursor: Cursor; duplicate: boolean }> {
    const checked = storedEnvelopeSchema.parse(envelope);
    return this.log.appendOnce(checked.tenant, checked.id, JSON.stringify(checked), this.dedupeTtlS);
  }

  /** A checked envelope from a way in, appended unless its tenant's envelope with this id was, within the dedupe window. */
  async appendOnce(envelope: Envelope, source: 'pubsub' | 'http'): Promise<{ cursor: Cursor; duplicate: boolean }> {
    const result = await this.log.appendOnce(envelope.tenant, envelope.id, JSON.stringify(envelope), this.dedupeTtlS);
    this.stats.outcomes[source][result.duplicate ? 'duplicate' : 'appended']++;
    return result;
  }

  /** Counts input refused to a sender who is told why (HTTP ingest answers 400). */
  reject(source: RejectSource, n = 1): void {
    this.stats.reject(source, n);
  }

  /**
   * Refused input nobody can be told about: the dead letter keeps the whole reason, the log line
   * gets one that quotes no input. Settles either way (a failed write is logged).
   */
  async deadLetter(source: Exclude<RejectSource, 'http'>, entry: LogEntry, reason: string, context: Record<string, unknown>): Promise<void> {
    this.stats.reject(source);
    this.logger.warn({ ...context, reason: loggableReason(reason) }, `invalid ${UNANSWERED[source]} dead-lettered`);
    try {
      await this.log.deadLetter(entry, reason);
    } catch (error) {
      this.logger.error({ ...context, err: (error as Error).message }, 'dead-letter write failed');
    }
  }
}
