import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  CATALOG,
  CHANNELS,
  CIRCUIT_STATES,
  DEFAULT_PRIORITY,
  HEALTH_STATUSES,
  PRIORITIES,
  PUBLIC_EVENT_TYPES,
  SEVERITIES,
  STAGES,
  TEMPERATURES,
  TIMELINES,
} from '../protocol/catalog.ts';
import { payloadSchemas } from '../protocol/schemas.ts';
import { envelopeJsonSchema, eventCatalogMarkdown, generate, payloadJsonSchema, staleFiles, type JsonSchema } from './schema.ts';

test('committed docs/schema and docs/event-catalog.md match the zod schemas', () => {
  const stale = staleFiles();
  assert.deepEqual(stale, [], `stale generated files (run \`npm run schema\` and commit): ${stale.join(', ')}`);
});

test('generation writes the envelope, one schema per type and the catalog', () => {
  const paths = [...generate().keys()];
  assert.equal(paths.length, PUBLIC_EVENT_TYPES.length + 2);
  for (const type of PUBLIC_EVENT_TYPES) assert.ok(paths.includes(`docs/schema/events/${type}.schema.json`), type);
});

test('the envelope schema is a draft 2020-12 oneOf over exactly the public types', () => {
  const schema = envelopeJsonSchema();
  assert.equal(schema.$schema, 'https://json-schema.org/draft/2020-12/schema');
  const variants = schema.oneOf as JsonSchema[];
  const types = variants.map((v) => (v.properties!.type as { const: string }).const);
  assert.deepEqual([...types].sort(), [...PUBLIC_EVENT_TYPES].sort());
  assert.ok(!types.includes('audit.export'), 'publishers cannot send audit.export');
  for (const variant of variants) {
    assert.deepEqual([...variant.required!].sort(), ['data', 'id', 'tenant', 'ts', 'type']);
    assert.deepEqual(variant.properties!.priority.enum, [...PRIORITIES]);
    assert.equal(variant.properties!.ts.type, 'integer');
  }
});

test('required payload fields are exactly those zod requires from a publisher (defaults optional)', () => {
  for (const type of PUBLIC_EVENT_TYPES) {
    const shape = payloadSchemas[type].shape as Record<string, { safeParse(v: unknown): { success: boolean } }>;
    const expected = Object.keys(shape).filter((key) => !shape[key].safeParse(undefined).success);
    const schema = payloadJsonSchema(type);
    assert.deepEqual([...(schema.required ?? [])].sort(), expected.sort(), type);
    assert.deepEqual(Object.keys(schema.properties!).sort(), Object.keys(shape).sort(), type);
    assert.notEqual(schema.additionalProperties, false, `${type}: publisher extras are allowed`);
    for (const [field, property] of Object.entries(schema.properties!)) {
      assert.ok(property.description, `${type}.${field} has no description (add one in scripts/schema.ts)`);
    }
  }
  const created = payloadJsonSchema('lead.created');
  assert.equal(created.properties!.stage.default, 'new');
  assert.ok(!created.required!.includes('stage'));
  assert.ok(!(created.properties!.budget.required ?? []).includes('currency'), 'currency has a default');
});

test('enums in the JSON Schema are the catalog lists', () => {
  const enumOf = (type: (typeof PUBLIC_EVENT_TYPES)[number], field: string) => payloadJsonSchema(type).properties![field].enum;
  assert.deepEqual(enumOf('lead.temperature_changed', 'temperature'), [...TEMPERATURES]);
  assert.deepEqual(enumOf('lead.stage_changed', 'stage'), [...STAGES]);
  assert.deepEqual(enumOf('lead.created', 'timeline'), [...TIMELINES]);
  assert.deepEqual(enumOf('lead.message_received', 'channel'), [...CHANNELS]);
  assert.deepEqual(enumOf('system.health', 'status'), [...HEALTH_STATUSES]);
  assert.deepEqual(enumOf('system.alert', 'severity'), [...SEVERITIES]);
  assert.deepEqual(enumOf('system.circuit_changed', 'state'), [...CIRCUIT_STATES]);
});

test('the catalog page lists every type under its family with its default priority', () => {
  const markdown = eventCatalogMarkdown();
  for (const [family, types] of Object.entries(CATALOG)) {
    const section = markdown.split(`\n## ${family}\n`)[1]?.split('\n## ')[0];
    assert.ok(section, `no section for ${family}`);
    for (const type of Object.keys(types) as (typeof PUBLIC_EVENT_TYPES)[number][]) {
      assert.ok(section.includes(`| [\`${type}\`](#${type.replace('.', '')}) | ${DEFAULT_PRIORITY[type]} |`), type);
      assert.ok(section.includes(`\n### ${type}\n`), `${type} has a field table`);
    }
  }
});
