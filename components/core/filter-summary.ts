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

export function summarizeFilter(filter: Filter | undefined): string {
  const f = normalizeFilter(filter ?? {});
  const parts = [
    list('temperature', f.temperatures),
    list('stage', f.stages),
    budgetText(f),
    list('timeline', f.timelines),
    typesText(f.types),
    f.text ? msg('filters.summary.text', { text: f.text }) : '',
    datesText(f),
  ].filter(Boolean);
  return parts.length ? parts.join(' · ') : msg('filters.all');
}
