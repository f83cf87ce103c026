/**
 * A widget's API table from custom-elements.json (the CEM analyzer's output from the JSDoc):
 * attributes, properties, events, slots, CSS parts and CSS properties, each in its own section.
 *
 * Storybook's own reader keys every entry by its bare name, so an attribute `group` and a CSS
 * part `group` overwrite each other and rows go missing; it also lists private and static
 * members (Lit internals) as if a page could set them. Here only properties keep their bare name
 * (the key story args and controls use); the other sections are keyed by section, and shown
 * without controls.
 */
import type { ArgTypes } from '@storybook/web-components-vite';

interface Item {
  name: string;
  kind?: string;
  privacy?: string;
  static?: boolean;
  description?: string;
  summary?: string;
  type?: { text?: string };
  default?: string;
  fieldName?: string;
  attribute?: string;
  inheritedFrom?: { name: string };
  readonly?: boolean;
}
interface Declaration {
  tagName?: string;
  members?: Item[];
  attributes?: Item[];
  events?: Item[];
  slots?: Item[];
  cssParts?: Item[];
  cssProperties?: Item[];
}
export interface Manifest {
  modules?: Array<{ declarations?: Declaration[] }>;
}

const isPublicField = (member: Item) =>
  member.kind === 'field' && !member.static && (member.privacy ?? 'public') === 'public' && !/^[_#]/.test(member.name);

/** A control for simple types (`boolean`, `number`, `string`, a union of string literals), none otherwise. */
function control(typeText: string | undefined): Partial<ArgTypes[string]> {
  const parts = (typeText ?? '').split('|').map((part) => part.trim()).filter((part) => part && part !== 'null' && part !== 'undefined');
  const simple = { boolean: 'boolean', number: 'number', string: 'text' } as const;
  if (parts.length === 1 && parts[0] in simple) {
    const name = parts[0] as keyof typeof simple;
    return { type: { name, required: false }, control: { type: simple[name] } };
  }
  if (parts.length > 1 && parts.every((part) => /^'[^']*'$/.test(part))) {
    return { control: { type: 'select' }, options: parts.map((part) => part.slice(1, -1)) };
  }
  return { control: false };
}

function row(item: Item, category: string, extra: Partial<ArgTypes[string]> = {}): ArgTypes[string] {
  return {
    name: item.name,
    description: item.description ?? item.summary ?? '',
    table: {
      category,
      type: item.type?.text ? { summary: item.type.text } : undefined,
      defaultValue: item.default !== undefined ? { summary: item.default } : undefined,
    },
    control: false,
    ...extra,
  };
}

export function apiArgTypes(manifest: Manifest, tagName: string): ArgTypes | undefined {
  const declaration = manifest.modules?.flatMap((module) => module.declarations ?? []).find((d) => d.tagName === tagName);
  if (!declaration) return undefined;
  const section = (items: Item[] | undefined, category: string, key: (item: Item) => string, extra?: (item: Item) => Partial<ArgTypes[string]>) =>
    Object.fromEntries((items ?? []).map((item) => [key(item), row(item, category, extra?.(item))]));
  return {
    ...section(declaration.attributes, 'attributes', (a) => `attribute:${a.name}`, (a) => ({
      description: [a.description, a.fieldName && `Property: \`${a.fieldName}\`.`].filter(Boolean).join(' '),
    })),
    ...section(declaration.members?.filter(isPublicField), 'properties', (m) => m.name, (m) => ({
      description: [m.description, m.attribute && `Attribute: \`${m.attribute}\`.`].filter(Boolean).join(' '),
      // The story wires the group and its connection; only the widget's own properties get controls.
      // A getter without a setter (summary, exportTitle) is read, not set: no control.
      ...(m.inheritedFrom || m.readonly ? { control: false } : control(m.type?.text)),
    })),
    ...section(declaration.events, 'events', (e) => `event:${e.name}`),
    ...section(declaration.slots, 'slots', (s) => `slot:${s.name || 'default'}`, (s) => ({ name: s.name || '(default)' })),
    ...section(declaration.cssParts, 'css shadow parts', (p) => `part:${p.name}`),
    ...section(declaration.cssProperties, 'css custom properties', (p) => `css:${p.name}`),
  };
}
