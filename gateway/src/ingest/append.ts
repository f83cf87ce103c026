/**
 * The one way publisher envelopes enter the log from the gateway (pub/sub bridge, HTTP):
 * validated against the publisher schema, then appended once per envelope id.
 */
import type { Envelope } from '../../../protocol/index.ts';
import { envelopeSchema } from '../../../protocol/schemas.ts';
import type { Cursor } from '../../../protocol/index.ts';
import type { EventLog } from '../log/log.ts';

export interface Issue {
  /** Dotted path inside the envelope, e.g. `data.score`; `(root)` for the envelope itself. */
  path: string;
  message: string;
}

export type Checked = { ok: true; envelope: Envelope } | { ok: false; issues: Issue[] };

export function checkEnvelope(value: unknown): Checked {
  const result = envelopeSchema.safeParse(value);
  if (result.success) return { ok: true, envelope: result.data as Envelope };
  return {
    ok: false,
    issues: result.error.issues.slice(0, 20).map((issue) => ({ path: issue.path.map(String).join('.') || '(root)', message: issue.message })),
  };
}

export function describe(issues: Issue[]): string {
  return issues.map((i) => `${i.path}: ${i.message}`).join('; ');
}

/** Appends a valid envelope unless its tenant's envelope with this id was appended within the dedupe window. */
export function appendOnce(log: EventLog, envelope: Envelope, ttlSeconds: number): Promise<{ cursor: Cursor; duplicate: boolean }> {
  return log.appendOnce(envelope.tenant, envelope.id, JSON.stringify(envelope), ttlSeconds);
}
