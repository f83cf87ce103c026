/**
 * Generates the publisher-facing docs from the zod schemas in protocol/schemas.ts:
 * JSON Schema (draft 2020-12) for the envelope and for every payload, and the event catalog.
 * `npm run schema` writes them; scripts/schema.test.ts regenerates in memory and fails when the
 * committed files are stale.
 *
 * zod's `z.toJSONSchema` does the conversion, with `io: 'input'` so that fields with a default
 * (e.g. `stage` on lead.created, `budget.currency`) are optional for publishers. It maps
 * `looseObject` to `additionalProperties: {}` (extra fields allowed) and drops refinements,
 * so the one refinement (budget.min ≤ budget.max) is stated in the field's description.
 * Field descriptions live here, keyed by field name with per-type overrides; the test fails when
 * a payload field has none.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { z } from 'zod';
import { CATALOG, FAMILIES, PUBLIC_EVENT_TYPES, type PublicEventType } from '../protocol/catalog.ts';
import { envelopeSchema, payloadSchemas } from '../protocol/schemas.ts';

export type JsonSchema = {
  type?: string | string[];
  properties?: Record<string, JsonSchema>;
  required?: string[];
  description?: string;
  [key: string]: unknown;
};

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
export const SCHEMA_DIR = 'docs/schema';
export const CATALOG_FILE = 'docs/event-catalog.md';

const ENVELOPE_FIELDS: Record<string, string> = {
  id: 'Unique per event, chosen by the publisher; a repeated id is dropped as a duplicate.',
  type: 'The event type, from the catalog.',
  tenant: 'The GHL location id the event belongs to, or "*" for deployment-wide events.',
  ts: 'Publish time, epoch milliseconds.',
  priority: 'Delivery priority; omit to use the type\'s default (see docs/event-catalog.md).',
  data: 'The payload of this type.',
};

const FIELDS: Record<string, string> = {
  leadId: 'The lead (contact) this event is about.',
  name: 'Lead\'s full name.',
  email: 'Lead\'s email address (PII: masked unless the client holds pii:read).',
  phone: 'Lead\'s phone number, E.164 preferred (PII: masked unless the client holds pii:read).',
  source: 'Where the lead came from, e.g. Zillow, Realtor.com, Facebook Ads, Website, Referral.',
  temperature: 'How ready the lead is to transact.',
  stage: 'Pipeline stage of the lead.',
  score: 'Qualification score, 0–100.',
  budget: 'Price range the lead can afford; min must not exceed max (checked by the gateway).',
  timeline: 'When the lead intends to buy or sell.',
  channel: 'Conversation channel.',
  text: 'Message text.',
  analysisId: 'Identifies one analysis run; started, completed and failed share it.',
  model: 'Model or ruleset doing the analysis.',
  summary: 'Short human-readable outcome of the analysis.',
  durationMs: 'How long the analysis took, ms.',
  error: 'What went wrong: a machine code and a message.',
  retryable: 'Whether the operation will be (or may be) retried.',
  reason: 'Why this happened, in words.',
  contactId: 'GHL contact id.',
  fields: 'Names of the contact fields that changed.',
  tag: 'The tag added to the contact.',
  messageId: 'GHL message id.',
  endpoint: 'GHL API path that was called.',
  method: 'HTTP method of the call.',
  code: 'Machine-readable error code.',
  message: 'Human-readable message.',
  attempt: 'Attempt number, 1 for the first try.',
  key: 'Cache key.',
  namespace: 'Cache namespace (what kind of data the key holds).',
  latencyMs: 'Lookup time, ms.',
  count: 'Number of entries invalidated.',
  service: 'Service the event is about, e.g. ghl-api, llm, redis.',
  metrics: 'Named numeric measurements, e.g. {"p95Ms": 420, "queueDepth": 3}.',
  severity: 'How urgent the alert is.',
  title: 'One-line headline.',
  metric: 'Metric that crossed its threshold.',
  value: 'Observed value of the metric.',
  threshold: 'Threshold the value crossed.',
  state: 'Circuit breaker state now.',
  failures: 'Consecutive failures counted by the breaker.',
  connectionId: 'Identifies one client connection.',
  transport: 'ws, sse or poll.',
  peer: 'Remote address or client name.',
  bufferedBytes: 'Bytes waiting in the connection\'s send buffer.',
  lagMs: 'How far behind live the connection is, ms.',
};

const FIELD_OVERRIDES: Record<string, string> = {
  'lead.created:stage': 'Pipeline stage of the new lead; defaults to "new".',
  'lead.analysis_completed:temperature': 'Temperature the analysis concluded.',
  'lead.analysis_completed:score': 'Score the analysis concluded, 0–100.',
  'lead.temperature_changed:previous': 'Temperature before the change.',
  'lead.temperature_changed:temperature': 'Temperature after the change.',
  'lead.stage_changed:previous': 'Stage before the change.',
  'lead.stage_changed:stage': 'Stage after the change.',
  'ghl.message_sent:text': 'Text sent to the lead.',
  'ghl.api_error:status': 'HTTP status, or null when no response arrived (timeout, network).',
  'ghl.api_error:code': 'Error code from the GHL response, if any.',
  'system.health:status': 'Health of the service.',
  'system.health:message': 'Optional explanation of the status.',
  'system.error:code': 'Machine-readable error code.',
  'system.circuit_changed:previous': 'Circuit breaker state before the change.',
  'connection.closed:code': 'WebSocket close code.',
  'connection.closed:reason': 'Close reason.',
};

export function describeField(type: PublicEventType, field: string): string | undefined {
  return FIELD_OVERRIDES[`${type}:${field}`] ?? FIELDS[field];
}

const toJson = (schema: z.ZodType) => z.toJSONSchema(schema, { io: 'input', target: 'draft-2020-12' }) as JsonSchema;

function describeProperties(schema: JsonSchema, describe: (field: string) => string | undefined): void {
  for (const [field, property] of Object.entries(schema.properties ?? {})) {
    const description = describe(field);
    if (description) property.description = description;
  }
}

/** The JSON Schema of one type's payload (`data`), with field descriptions. */
export function payloadJsonSchema(type: PublicEventType): JsonSchema {
  const { $schema, ...body } = toJson(payloadSchemas[type]);
  describeProperties(body, (field) => describeField(type, field));
  return { $schema, title: `${type} payload`, description: `The \`data\` of a ${type} event.`, ...body };
}

/** The JSON Schema of a publishable envelope: one of the 21 types, discriminated on `type`. */
export function envelopeJsonSchema(): JsonSchema {
  const { $schema, ...body } = toJson(envelopeSchema);
  const variants = (body.oneOf ?? []) as JsonSchema[];
  for (const variant of variants) {
    const type = (variant.properties?.type as { const?: PublicEventType }).const!;
    describeProperties(variant, (field) => ENVELOPE_FIELDS[field]);
    const data = variant.properties!.data;
    describeProperties(data, (field) => describeField(type, field));
    data.description = ENVELOPE_FIELDS.data;
  }
  return {
    $schema,
    title: 'Leadwire event envelope',
    description:
      'What a publisher writes: XADD leadwire:events * e <envelope JSON>. One of the public event types, ' +
      'discriminated on "type". Payloads may carry extra fields of the publisher\'s own.',
    ...body,
  };
}

// ---- event catalog (markdown) ------------------------------------------------------------

/** A short human reading of a JSON Schema type, for the catalog table. */
export function typeLabel(schema: JsonSchema): string {
  if (Array.isArray(schema.anyOf)) return (schema.anyOf as JsonSchema[]).map(typeLabel).join(' or ');
  if (schema.const !== undefined) return `\`${JSON.stringify(schema.const)}\``;
  if (Array.isArray(schema.enum)) return (schema.enum as unknown[]).map((v) => `\`${v}\``).join(' | ');
  switch (schema.type) {
    case 'string':
      if (schema.pattern) return `string matching \`${schema.pattern}\``;
      return `string${schema.maxLength !== undefined ? ` (${schema.minLength ? `${schema.minLength}–` : '≤ '}${schema.maxLength} chars)` : ''}`;
    case 'integer':
    case 'number': {
      // zod states the safe-integer range on every int; only narrower bounds say something
      const safe = (n: unknown) => (typeof n === 'number' && Math.abs(n) < Number.MAX_SAFE_INTEGER ? n : undefined);
      const min = safe(schema.minimum);
      const above = safe(schema.exclusiveMinimum);
      const max = safe(schema.maximum);
      const low = min !== undefined ? `${min}` : above !== undefined ? `> ${above}` : undefined;
      if (low !== undefined && max !== undefined) return `${schema.type} ${min !== undefined ? `${low}–${max}` : `${low}, ≤ ${max}`}`;
      if (low !== undefined) return `${schema.type} ${min !== undefined ? `≥ ${low}` : low}`;
      return `${schema.type}${max !== undefined ? ` ≤ ${max}` : ''}`;
    }
    case 'array':
      return `array of ${typeLabel(schema.items as JsonSchema)}`;
    case 'object': {
      if (schema.properties) {
        const required = new Set(schema.required ?? []);
        const fields = Object.entries(schema.properties).map(([k, v]) => `${k}${required.has(k) ? '' : '?'}: ${typeLabel(v)}`);
        return `{ ${fields.join(', ')} }`;
      }
      const values = schema.additionalProperties as JsonSchema | undefined;
      return `object of ${values ? typeLabel(values) : 'any'}`;
    }
    default:
      return String(schema.type ?? 'any');
  }
}

interface FieldRow {
  field: string;
  type: string;
  required: boolean;
  description: string;
}

function fieldRows(type: PublicEventType): FieldRow[] {
  const schema = payloadJsonSchema(type);
  const required = new Set(schema.required ?? []);
  return Object.entries(schema.properties ?? {}).map(([field, property]) => ({
    field,
    type: typeLabel(property) + (property.default !== undefined ? ` (default \`${JSON.stringify(property.default)}\`)` : ''),
    required: required.has(field),
    description: property.description ?? '',
  }));
}

const rowKey = (row: FieldRow) => `${row.type}|${row.required}|${row.description}`;

/**
 * The lead facts: the fields every lead.* payload carries. Shown once; each type's table lists
 * only what it adds or changes (e.g. a required name on lead.created).
 */
function leadFacts(): FieldRow[] {
  const perType = Object.keys(CATALOG.lead).map((type) => fieldRows(type as PublicEventType));
  const common = perType[0].filter((row) => perType.every((rows) => rows.some((r) => r.field === row.field)));
  return common.map((row) => {
    // the most common variant of the field across the lead types is the reference one
    const variants = perType.map((rows) => rows.find((r) => r.field === row.field)!);
    const counts = new Map<string, number>();
    for (const v of variants) counts.set(rowKey(v), (counts.get(rowKey(v)) ?? 0) + 1);
    return variants.reduce((best, v) => (counts.get(rowKey(v))! > counts.get(rowKey(best))! ? v : best));
  });
}

const cell = (text: string) => text.replace(/\|/g, '\\|');
function table(rows: FieldRow[]): string[] {
  return [
    '| field | type | required | description |',
    '|---|---|---|---|',
    ...rows.map((r) => `| \`${r.field}\` | ${cell(r.type)} | ${r.required ? 'yes' : 'no'} | ${cell(r.description)} |`),
  ];
}

export function eventCatalogMarkdown(): string {
  const facts = leadFacts();
  const factKeys = new Map(facts.map((f) => [f.field, rowKey(f)]));
  const lines = [
    '# Event catalog',
    '',
    '<!-- Generated by `npm run schema` from protocol/schemas.ts and protocol/catalog.ts. Do not edit. -->',
    '',
    `Every event is an envelope \`{ id, type, tenant, ts, priority?, data }\` (see [protocol.md](protocol.md)); ` +
      `this page lists the ${PUBLIC_EVENT_TYPES.length} public types, their default priority and the fields of \`data\`. ` +
      'Payloads may carry extra fields of the publisher\'s own; they are kept. ' +
      'Machine-readable: [schema/envelope.schema.json](schema/envelope.schema.json) and ' +
      '[schema/events/](schema/events/) (JSON Schema draft 2020-12).',
    '',
    '## Lead facts',
    '',
    'Fields a lead event carries and the filters read (temperature, stage, budget, timeline, text). ' +
      'Types marked "lead facts" below accept all of them; their own table lists only what they add or change.',
    '',
    ...table(facts),
  ];
  for (const family of FAMILIES) {
    lines.push('', `## ${family}`, '', '| type | default priority | fields |', '|---|---|---|');
    const details: string[] = [];
    for (const [type, priority] of Object.entries(CATALOG[family]) as [PublicEventType, string][]) {
      const rows = fieldRows(type);
      const hasFacts = facts.every((f) => rows.some((r) => r.field === f.field));
      const own = hasFacts ? rows.filter((r) => factKeys.get(r.field) !== rowKey(r)) : rows;
      const names = own.map((r) => (r.required ? `\`${r.field}\`` : `\`${r.field}\`?`));
      if (hasFacts) names.push('lead facts');
      lines.push(`| [\`${type}\`](#${type.replace('.', '')}) | ${priority} | ${names.join(', ')} |`);
      details.push('', `### ${type}`, '', `Default priority: **${priority}**.${hasFacts ? ' Carries the lead facts.' : ''}`, '');
      details.push(...table(own));
    }
    lines.push(...details);
  }
  return lines.join('\n') + '\n';
}

// ---- files -------------------------------------------------------------------------------

const json = (value: unknown) => JSON.stringify(value, null, 2) + '\n';

/** Every generated file, path (relative to the repository root) → contents. */
export function generate(): Map<string, string> {
  const files = new Map<string, string>();
  files.set(`${SCHEMA_DIR}/envelope.schema.json`, json(envelopeJsonSchema()));
  for (const type of PUBLIC_EVENT_TYPES) files.set(`${SCHEMA_DIR}/events/${type}.schema.json`, json(payloadJsonSchema(type)));
  files.set(CATALOG_FILE, eventCatalogMarkdown());
  return files;
}

/** Paths whose committed contents differ from what generate() produces now. */
export function staleFiles(root = ROOT): string[] {
  const stale: string[] = [];
  for (const [path, contents] of generate()) {
    let current: string | undefined;
    try {
      current = readFileSync(join(root, path), 'utf8');
    } catch {
      current = undefined;
    }
    if (current !== contents) stale.push(path);
  }
  return stale;
}

export function writeAll(root = ROOT): string[] {
  const written: string[] = [];
  for (const [path, contents] of generate()) {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), contents);
    written.push(path);
  }
  return written;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const written = writeAll();
  console.log(`schema: wrote ${written.length} files (${SCHEMA_DIR}/, ${CATALOG_FILE})`);
}
