/**
 * zod schemas: the source of truth for what publishers may send and what clients may say.
 * Gateway-only at runtime — the browser imports types from here with `import type`, never zod.
 */
import { z } from 'zod';
import { HISTORY_MAX_LIMIT } from './history.ts';
import {
  AUDIT_EXPORT,
  AUDIT_ROLLOUT,
  CHANNELS,
  DEPLOYMENT_WIDE_FAMILIES,
  familyOf,
  CIRCUIT_STATES,
  HEALTH_STATUSES,
  PRIORITIES,
  SEVERITIES,
  STAGES,
  TEMPERATURES,
  TIMELINES,
  type PublicEventType,
} from './catalog.ts';

const id = z.string().min(1).max(128);
const shortText = z.string().max(200);
const text = z.string().max(10_000);

export const temperature = z.enum(TEMPERATURES);
export const stage = z.enum(STAGES);
export const timeline = z.enum(TIMELINES);
export const budget = z
  .object({
    min: z.number().nonnegative().optional(),
    max: z.number().nonnegative().optional(),
    currency: z.string().regex(/^[A-Z]{3}$/, 'ISO 4217 code, e.g. USD').default('USD'),
  })
  .refine((b) => b.min === undefined || b.max === undefined || b.min <= b.max, {
    message: 'budget.min must not exceed budget.max',
  });

/** Fields a lead carries; the filters read these. email and phone are PII. */
const leadFields = {
  leadId: id,
  name: shortText.optional(),
  email: z.string().max(320).optional(),
  phone: z.string().max(40).optional(),
  source: shortText.optional(),
  temperature: temperature.optional(),
  stage: stage.optional(),
  score: z.number().min(0).max(100).optional(),
  budget: budget.optional(),
  timeline: timeline.optional(),
};

// Publishers may add fields of their own; they are kept (and bounded by the payload size limit).
const payload = <T extends z.ZodRawShape>(shape: T) => z.looseObject(shape);

export const payloadSchemas = {
  'lead.created': payload({ ...leadFields, name: shortText, stage: stage.default('new') }),
  'lead.message_received': payload({
    ...leadFields,
    channel: z.enum(CHANNELS),
    text,
  }),
  'lead.analysis_started': payload({ ...leadFields, analysisId: id, model: shortText.optional() }),
  'lead.analysis_completed': payload({
    ...leadFields,
    analysisId: id,
    temperature,
    score: leadFields.score.unwrap(),
    summary: text.optional(),
    durationMs: z.number().nonnegative().optional(),
  }),
  'lead.analysis_failed': payload({
    ...leadFields,
    analysisId: id,
    error: z.object({ code: shortText, message: text }),
    retryable: z.boolean(),
  }),
  'lead.temperature_changed': payload({
    ...leadFields,
    previous: temperature.optional(),
    temperature,
    reason: text.optional(),
  }),
  'lead.stage_changed': payload({ ...leadFields, previous: stage.optional(), stage, reason: text.optional() }),
  'ghl.contact_updated': payload({
    ...leadFields,
    leadId: id.optional(),
    contactId: id,
    fields: z.array(shortText).max(100),
  }),
  'ghl.tag_added': payload({ ...leadFields, leadId: id.optional(), contactId: id, tag: shortText }),
  'ghl.message_sent': payload({
    ...leadFields,
    leadId: id.optional(),
    contactId: id,
    channel: z.enum(CHANNELS),
    text,
    messageId: id.optional(),
  }),
  'ghl.api_error': payload({
    leadId: id.optional(),
    endpoint: z.string().max(2_000),
    method: z.enum(['GET', 'POST', 'PUT', 'PATCH', 'DELETE']),
    status: z.number().int().min(0).max(599).nullable(),
    code: shortText.optional(),
    message: text,
    retryable: z.boolean(),
    attempt: z.number().int().positive().optional(),
  }),
  'cache.hit': payload({ key: z.string().max(1_000), namespace: shortText.optional(), latencyMs: z.number().nonnegative().optional() }),
  'cache.miss': payload({ key: z.string().max(1_000), namespace: shortText.optional(), latencyMs: z.number().nonnegative().optional() }),
  'cache.invalidated': payload({
    key: z.string().max(1_000),
    namespace: shortText.optional(),
    reason: shortText.optional(),
    count: z.number().int().nonnegative().optional(),
  }),
  'system.health': payload({
    service: shortText,
    status: z.enum(HEALTH_STATUSES),
    metrics: z.record(z.string().max(100), z.number()).optional(),
    message: text.optional(),
  }),
  'system.alert': payload({
    severity: z.enum(SEVERITIES),
    title: shortText,
    message: text,
    service: shortText.optional(),
    metric: shortText.optional(),
    value: z.number().optional(),
    threshold: z.number().optional(),
  }),
  'system.error': payload({ service: shortText, message: text, code: shortText.optional() }),
  'system.circuit_changed': payload({
    service: shortText,
    previous: z.enum(CIRCUIT_STATES),
    state: z.enum(CIRCUIT_STATES),
    failures: z.number().int().nonnegative().optional(),
    reason: text.optional(),
  }),
  'connection.opened': payload({ connectionId: id, transport: shortText.optional(), peer: shortText.optional() }),
  'connection.closed': payload({ connectionId: id, code: z.number().int().optional(), reason: shortText.optional() }),
  'connection.lagging': payload({
    connectionId: id,
    bufferedBytes: z.number().int().nonnegative().optional(),
    lagMs: z.number().nonnegative().optional(),
  }),
} satisfies Record<PublicEventType, z.ZodType>;

export const auditExportSchema = payload({
  subject: shortText,
  format: z.enum(['csv', 'xlsx', 'json', 'pdf', 'png']),
  rows: z.number().int().nonnegative(),
  filters: z.string().max(2_000),
  fileName: shortText.optional(),
});

/** Who or what changed the rollout of widget versions, and to what (docs/rollout.md). */
export const auditRolloutSchema = payload({
  /** `cli:<user>`, `gateway auto-rollback`, `gateway schedule`. */
  by: shortText,
  action: z.string().max(40),
  stable: shortText,
  candidate: shortText.nullable(),
  percent: z.number().int().min(0).max(100),
  revision: z.number().int().nonnegative(),
  reason: z.string().max(500),
  withdrawn: z.array(shortText).max(1_000),
});

/** Tenant: a GHL location id, or `*` for deployment-wide events. */
export const tenantSchema = z
  .string()
  .regex(/^(\*|[A-Za-z0-9_-]{1,128})$/, 'a GHL location id (letters, digits, _ or -) or "*"');
/**
 * The tenant of an event outside the deployment-wide families: a location id only. A lead
 * event for `*` would reach nobody (no token names `*`), so it is refused where it comes in.
 */
const locationSchema = z
  .string()
  .regex(/^[A-Za-z0-9_-]{1,128}$/, `a GHL location id (letters, digits, _ or -); "*" is for the ${DEPLOYMENT_WIDE_FAMILIES.join(' and ')} families only`);

const envelopeBase = {
  id,
  ts: z.number().int().positive(),
  priority: z.enum(PRIORITIES).optional(),
};

function envelopeOf<T extends string, S extends z.ZodType>(type: T, data: S) {
  const tenant = (DEPLOYMENT_WIDE_FAMILIES as readonly string[]).includes(familyOf(type)) ? tenantSchema : locationSchema;
  return z.object({ ...envelopeBase, tenant, type: z.literal(type), data });
}

const publicEnvelopes = Object.entries(payloadSchemas).map(([type, data]) => envelopeOf(type, data));

/** What a publisher may write: one of the 21 public types. */
export const envelopeSchema = z.discriminatedUnion(
  'type',
  publicEnvelopes as unknown as [ReturnType<typeof envelopeOf>, ...ReturnType<typeof envelopeOf>[]],
);
/** What the log may hold: the public types plus the gateway's own audit entries. */
export const storedEnvelopeSchema = z.discriminatedUnion('type', [
  ...(publicEnvelopes as unknown as ReturnType<typeof envelopeOf>[]),
  envelopeOf(AUDIT_EXPORT, auditExportSchema),
  // A rollout concerns the deployment, not a location: its tenant is `*` (seen with system:read).
  envelopeOf(AUDIT_ROLLOUT, auditRolloutSchema).extend({ tenant: tenantSchema }),
] as unknown as [ReturnType<typeof envelopeOf>, ...ReturnType<typeof envelopeOf>[]]);

type Payloads = { [K in PublicEventType]: z.output<(typeof payloadSchemas)[K]> } & {
  [AUDIT_EXPORT]: z.output<typeof auditExportSchema>;
  [AUDIT_ROLLOUT]: z.output<typeof auditRolloutSchema>;
};
export type PayloadOf<T extends keyof Payloads> = Payloads[T];

/** An envelope as stored, typed per event type (discriminated on `type`). */
export type Envelope = {
  [K in keyof Payloads]: {
    id: string;
    type: K;
    tenant: string;
    ts: number;
    priority?: (typeof PRIORITIES)[number];
    data: Payloads[K];
  };
}[keyof Payloads];

// ---- filter model and client frames -----------------------------------------------------

export const filterSchema = z
  .object({
    from: z.number().int().nonnegative().optional(),
    to: z.number().int().nonnegative().optional(),
    datePreset: z.enum(['today', '7d', '30d', 'custom']).optional(),
    temperatures: z.array(temperature).max(TEMPERATURES.length).optional(),
    stages: z.array(stage).max(STAGES.length).optional(),
    budgetMin: z.number().nonnegative().optional(),
    budgetMax: z.number().nonnegative().optional(),
    timelines: z.array(timeline).max(TIMELINES.length).optional(),
    types: z.array(z.string().max(64)).max(64).optional(),
    text: z.string().max(200).optional(),
  })
  .strict();

export const subscriptionSchema = z
  .object({
    tenants: z.array(tenantSchema).max(1_000).optional(),
    filter: filterSchema.optional(),
  })
  .strict();

const cursor = z.string().regex(/^\d{1,20}-\d{1,20}$/, 'a stream entry id like "1700000000000-0"');

/** A history request's fields (the `history` frame without type and id, or the HTTP query). */
export const historyRequestSchema = z
  .object({
    limit: z.number().int().min(1).max(HISTORY_MAX_LIMIT).optional(),
    before: cursor.optional(),
    until: cursor.optional(),
    since: cursor.optional(),
    subscription: subscriptionSchema.optional(),
  })
  .strict()
  .refine((request) => request.before === undefined || request.until === undefined, {
    message: 'give before (to page back) or until (the point you attach at), not both',
  });

/** A `history` frame's id: checked before the rest, so that an error about the rest can name it. */
export const historyIdSchema = z.string().min(1).max(64);

export const clientFrameSchema = z.discriminatedUnion('type', [
  z.object({
    type: z.literal('hello'),
    v: z.number().int().positive(),
    token: z.string().max(8_192).optional(),
    cursor: cursor.optional(),
    subscription: subscriptionSchema.optional(),
    client: z.object({ name: shortText, version: shortText }).optional(),
    lastSession: z.string().max(64).optional(),
  }),
  z.object({ type: z.literal('subscribe'), subscription: subscriptionSchema }),
  z.object({ type: z.literal('ping'), t: z.number() }),
  z.object({ type: z.literal('pong'), t: z.number(), at: z.number() }),
  z.object({ type: z.literal('refresh'), token: z.string().max(8_192) }),
]);

/** One line that says where a zod error is and what is wrong, e.g. `data.score: Too big`. */
export function describeIssues(error: z.ZodError, prefix = ''): string {
  return error.issues
    .slice(0, 5)
    .map((issue) => {
      const path = issue.path.map(String).join('.');
      return `${prefix}${path || '(root)'}: ${issue.message}`;
    })
    .join('; ');
}
