/**
 * Turns a raw log entry into a deliverable event, once: JSON-parsed, validated against the
 * catalog, priority resolved, and serialised for the wire so fan-out never re-serialises.
 */
import { DEFAULT_PRIORITY, type Cursor, type EventType, type Priority } from '../../protocol/index.ts';
import { describeIssues, storedEnvelopeSchema } from '../../protocol/schemas.ts';
import type { LogEntry } from './log/log.ts';

export interface DeliverableEvent {
  cursor: Cursor;
  type: EventType;
  tenant: string;
  ts: number;
  priority: Priority;
  data: Record<string, unknown>;
  /** The StreamEvent as wire JSON. */
  json: string;
  /** The same with PII masked, filled in on first need by pii.ts `maskedJson()`. */
  maskedJson?: string;
  /** The object `json` was made from, until the masked JSON is made from it. */
  wire?: Record<string, unknown>;
}

export type Decoded = { ok: true; event: DeliverableEvent } | { ok: false; reason: string };

export function decodeEntry(entry: LogEntry, maxBytes: number): Decoded {
  if (entry.raw === undefined) return { ok: false, reason: 'entry has no "e" field' };
  if (entry.raw.length > maxBytes) return { ok: false, reason: `envelope is ${entry.raw.length} bytes, over the ${maxBytes}-byte limit` };
  let parsed: unknown;
  try {
    parsed = JSON.parse(entry.raw);
  } catch (error) {
    return { ok: false, reason: `not JSON: ${(error as Error).message}` };
  }
  const result = storedEnvelopeSchema.safeParse(parsed);
  if (!result.success) return { ok: false, reason: describeIssues(result.error) };
  const envelope = result.data as unknown as Omit<DeliverableEvent, 'cursor' | 'json' | 'priority'> & {
    id: string;
    priority?: Priority;
  };
  const priority = envelope.priority ?? DEFAULT_PRIORITY[envelope.type];
  const wire = { cursor: entry.id, ...envelope, priority };
  return {
    ok: true,
    event: {
      cursor: entry.id,
      type: envelope.type,
      tenant: envelope.tenant,
      ts: envelope.ts,
      priority,
      data: envelope.data,
      json: JSON.stringify(wire),
      wire,
    },
  };
}

/** Recently decoded events by cursor, so the common replay (a short reconnect) decodes nothing. */
export class DecodedCache {
  private readonly map = new Map<Cursor, DeliverableEvent>();
  constructor(private readonly capacity: number) {}

  get(cursor: Cursor): DeliverableEvent | undefined {
    return this.map.get(cursor);
  }

  set(event: DeliverableEvent): void {
    this.map.set(event.cursor, event);
    if (this.map.size > this.capacity) this.map.delete(this.map.keys().next().value as Cursor);
  }
}
