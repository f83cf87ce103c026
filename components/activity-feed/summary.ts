/**
 * What one line of the feed says about an event: a label, who it is about, the key facts and any
 * free text — all as plain strings (rendered as text, never HTML), cleaned of control and
 * bidi-override characters and bounded in length so hostile payloads cannot spoof or flood.
 */
import { familyOf, STAGES, TEMPERATURES, TIMELINES, type StreamEvent } from '../../protocol/index.ts';
import { formatMoney, msg, typeLabel, type StringKey } from '../core/l10n.ts';

// C0/C1 controls (except tab/newline) and bidi overrides/isolates.
const UNSAFE = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;

/** Text safe to show: no control/bidi characters, at most `max` characters. */
export function displayText(value: unknown, max = 200): string {
  if (value === undefined || value === null) return '';
  const text = (typeof value === 'string' ? value : String(value)).replace(UNSAFE, '\uFFFD');
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

/** The full payload as indented JSON text, bidi/control characters made visible, bounded. */
export function payloadText(event: StreamEvent, max = 20_000): string {
  const json = JSON.stringify(event.data, null, 2) ?? '';
  const visible = json.replace(UNSAFE, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
  return visible.length > max ? `${visible.slice(0, max)}\n… (${visible.length - max} more characters)` : visible;
}

export const FAMILY_ICONS: Record<string, string> = {
  lead: '●',
  ghl: '◆',
  cache: '■',
  system: '▲',
  connection: '⇄',
  audit: '✎',
};

export interface Summary {
  icon: string;
  label: string;
  /** The lead's name, the service or the key the event is about. */
  subject: string;
  facts: string[];
  text: string;
}

type Data = Record<string, unknown> & {
  budget?: { min?: number; max?: number; currency?: string };
  error?: { message?: unknown };
};

function budgetText(budget: Data['budget']): string {
  if (!budget || typeof budget !== 'object') return '';
  const currency = typeof budget.currency === 'string' ? budget.currency : 'USD';
  const min = typeof budget.min === 'number' ? formatMoney(budget.min, currency) : '';
  const max = typeof budget.max === 'number' ? formatMoney(budget.max, currency) : '';
  return min && max ? `${min}–${max}` : min ? `≥ ${min}` : max ? `≤ ${max}` : '';
}

/** A lead fact as the filters name it ("3–6 months", "Hot"); an unknown value as it came. */
function factLabel(prefix: string, known: readonly string[], value: unknown): unknown {
  return typeof value === 'string' && known.includes(value) ? msg(`${prefix}.${value}` as StringKey) : value;
}

/** The changed fields of a contact update, the first few by name. */
function fieldsText(fields: unknown): string {
  if (!Array.isArray(fields) || !fields.length) return '';
  const names = fields.slice(0, 4).map((f) => displayText(f, 40)).join(', ');
  return msg('feed.fields', { fields: fields.length > 4 ? `${names} +${fields.length - 4}` : names });
}

export function summarize(event: StreamEvent): Summary {
  const data = (event.data ?? {}) as Data;
  const family = familyOf(event.type);
  const facts: string[] = [];
  const push = (value: unknown) => {
    const text = displayText(value, 60);
    if (text) facts.push(text);
  };
  push(factLabel('temperature', TEMPERATURES, data.temperature));
  push(factLabel('stage', STAGES, data.stage));
  if (typeof data.score === 'number') push(msg('feed.score', { score: data.score }));
  push(budgetText(data.budget));
  push(factLabel('timeline', TIMELINES, data.timeline));

  let subject = displayText(data.name ?? data.leadId ?? data.service ?? data.key ?? data.connectionId ?? data.subject, 80);
  let text: unknown = data.text ?? data.summary ?? data.message ?? data.reason;
  switch (event.type) {
    case 'lead.analysis_failed':
      text = data.error?.message;
      break;
    case 'ghl.api_error':
      text = `${String(data.method)} ${String(data.endpoint)} → ${String(data.status ?? '—')}: ${String(data.message)}`;
      break;
    case 'system.alert':
      subject = displayText(data.title, 80);
      break;
    case 'system.health':
      push(data.status);
      break;
    case 'system.circuit_changed':
      push(`${String(data.previous)} → ${String(data.state)}`);
      break;
    case 'ghl.tag_added':
      if (data.tag !== undefined) facts.unshift(msg('feed.tag', { tag: displayText(data.tag, 60) }));
      break;
    case 'ghl.contact_updated':
      if (fieldsText(data.fields)) facts.unshift(fieldsText(data.fields));
      break;
    case 'audit.export':
      text = `${String(data.format)} · ${String(data.rows)} rows`;
      break;
  }
  return {
    icon: FAMILY_ICONS[family] ?? '•',
    label: typeLabel(event.type),
    subject,
    facts,
    text: displayText(text, 280),
  };
}
