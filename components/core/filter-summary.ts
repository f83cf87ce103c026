/**
 * The one-line summary of a filter ("Hot · Qualifying · $300K–$600K · last 7 days"): what the
 * widget shows, what `filter-change` carries, and what an export prints above its rows.
 */
import { FAMILIES, type Filter } from '../../protocol/index.ts';
import { formatDateTime, formatMoney, msg, typeLabel, type StringKey } from './l10n.ts';
import { normalizeFilter } from './filter-value.ts';

const DAY: Intl.DateTimeFormatOptions = { dateStyle: 'medium' };

const list = (prefix: string, values: readonly string[] | undefined) =>
  values?.length ? values.map((v) => msg(`${prefix}.${v}` as StringKey)).join(', ') : '';

function typesText(types: readonly string[] | undefined): string {
  if (!types?.length) return '';
  if (types.length > 2) return msg('filters.summary.types', { count: types.length });
  return types
    .map((t) => ((FAMILIES as readonly string[]).includes(t) ? msg(`filters.family.${t}` as StringKey) : typeLabel(t)))
    .join(', ');
}

function budgetText({ budgetMin: min, budgetMax: max }: Filter): string {
  if (min !== undefined && max !== undefined) return `${formatMoney(min)}–${formatMoney(max)}`;
  if (min !== undefined) return msg('filters.summary.budget-min', { min: formatMoney(min) });
  if (max !== undefined) return msg('filters.summary.budget-max', { max: formatMoney(max) });
  return '';
}

function datesText({ from, to, datePreset }: Filter): string {
  if (datePreset && datePreset !== 'custom') return msg(`filters.summary.${datePreset}`);
  if (from !== undefined && to !== undefined) {
    return msg('filters.summary.range', { from: formatDateTime(from, DAY), to: formatDateTime(to, DAY) });
  }
  if (from !== undefined) return msg('filters.summary.since', { from: formatDateTime(from, DAY) });
  if (to !== undefined) return msg('filters.summary.until', { to: formatDateTime(to, DAY) });
  return '';
}

/** The parts of a filter the bar shows as chips, in the order the summary reads them. */
export const FILTER_FIELDS = ['temperatures', 'stages', 'budget', 'timelines', 'types', 'text', 'dates'] as const;
export type FilterField = (typeof FILTER_FIELDS)[number];

/** What one part of a filter says, '' when it is not set. */
export function fieldText(f: Filter, field: FilterField): string {
  switch (field) {
    case 'temperatures':
      return list('temperature', f.temperatures);
    case 'stages':
      return list('stage', f.stages);
    case 'budget':
      return budgetText(f);
    case 'timelines':
      return list('timeline', f.timelines);
    case 'types':
      return typesText(f.types);
    case 'text':
      return f.text ? msg('filters.summary.text', { text: f.text }) : '';
    case 'dates':
      return datesText(f);
  }
}

export function summarizeFilter(filter: Filter | undefined): string {
  const f = normalizeFilter(filter ?? {});
  const parts = FILTER_FIELDS.map((field) => fieldText(f, field)).filter(Boolean);
  return parts.length ? parts.join(' · ') : msg('filters.all');
}
