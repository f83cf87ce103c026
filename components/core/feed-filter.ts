/**
 * The filter the widgets read events with — the feed's rows, history pages, exports: the
 * group's filter without its UI-only `datePreset`, and, when it names no types, every public
 * family, so the gateway's own `audit.export` records (who exported what) stay out of the
 * lead feed and out of the next export unless the filter asks for them (`types: ['audit']`).
 */
import { FAMILIES, type Filter } from '../../protocol/index.ts';

const read = new WeakMap<Filter, Filter>();

export function readingFilter(filter: Filter): Filter {
  let out = read.get(filter);
  if (!out) {
    const { datePreset: _preset, ...rest } = filter;
    out = rest.types?.length ? rest : { ...rest, types: [...FAMILIES] };
    read.set(filter, out);
  }
  return out;
}
