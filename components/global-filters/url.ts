/**
 * Filters in the page URL, so a view can be shared: one query parameter holding the filter as
 * JSON. Relative date presets travel without their bounds (a link to "last 7 days" opened next
 * week means that week's last 7 days). Written with replaceState: filtering adds no history.
 */
import type { Filter } from '../../protocol/index.ts';
import { parseFilter } from '../core/filter-value.ts';

/** The filter in the URL's `param`, undefined when absent, null (with a warning) when unusable. */
export function readUrlFilter(param: string, href = location.href): Filter | null | undefined {
  const raw = new URL(href).searchParams.get(param);
  if (raw === null) return undefined;
  let data: unknown;
  try {
    data = JSON.parse(raw);
  } catch {
    data = undefined;
  }
  const parsed = parseFilter(data);
  if ('error' in parsed) {
    console.warn(`[leadwire] <global-filters>: ignoring the "${param}" URL parameter (${parsed.error}).`);
    return null;
  }
  return parsed.filter;
}

/** The URL with `filter` in `param` (removed when the filter is empty). */
export function urlWithFilter(param: string, filter: Filter, href = location.href): string {
  const url = new URL(href);
  const { from, to, ...rest } = filter;
  const shared = filter.datePreset && filter.datePreset !== 'custom' ? rest : filter;
  if (Object.keys(shared).length) url.searchParams.set(param, JSON.stringify(shared));
  else url.searchParams.delete(param);
  return url.href;
}

export function writeUrlFilter(param: string, filter: Filter): void {
  const next = urlWithFilter(param, filter);
  if (next !== location.href) history.replaceState(history.state, '', next);
}
