/**
 * The filter as a value: canonical form (so "no change" is detectable and equal filters compare
 * equal), relative date presets resolved to a start in the user's local time, and a hand-written
 * shape check for anything read back from storage or a URL (the browser ships no zod; the rules
 * mirror protocol/schemas.ts `filterSchema`, strict about unknown keys).
 */
import {
  CATALOG,
  FAMILIES,
  STAGES,
  TEMPERATURES,
  TIMELINES,
  type DatePreset,
  type Family,
  type Filter,
} from '../../protocol/index.ts';

export const DATE_PRESETS: readonly DatePreset[] = ['today', '7d', '30d', 'custom'];
/** Every type the picker offers, by family, in catalog order. */
export const TYPES_BY_FAMILY: Readonly<Record<Family, readonly string[]>> = Object.fromEntries(
  FAMILIES.map((family) => [family, Object.keys(CATALOG[family])]),
) as unknown as Record<Family, readonly string[]>;
const KNOWN_TYPES = new Set<string>([...FAMILIES, ...FAMILIES.flatMap((f) => TYPES_BY_FAMILY[f])]);

const MAX_TEXT = 200;
const DAY_MS = 86_400_000;

/** Local midnight starting the day of `ts`. */
export function startOfDay(ts: number): number {
  const d = new Date(ts);
  d.setHours(0, 0, 0, 0);
  return d.getTime();
}

/** The last millisecond of the local day of `ts` (DST-safe: next midnight minus one). */
export function endOfDay(ts: number): number {
  const d = new Date(startOfDay(ts) + DAY_MS * 1.5);
  d.setHours(0, 0, 0, 0);
  return d.getTime() - 1;
}

/**
 * The clock relative date presets are resolved with. A hook, so tests can move "now" across a
 * midnight without waiting for one.
 */
export const clock = { now: (): number => Date.now() };

/**
 * Bounds for a relative preset, as of `now`: from the local midnight starting the range (today
 * included) and no upper bound, so events keep arriving after midnight; the start moves forward
 * when the widget re-resolves it (see nextMidnight).
 */
export function presetBounds(preset: Exclude<DatePreset, 'custom'>, now = clock.now()): { from: number; to: undefined } {
  const days = preset === 'today' ? 0 : preset === '7d' ? 6 : 29;
  const from = new Date(startOfDay(now));
  from.setDate(from.getDate() - days);
  return { from: from.getTime(), to: undefined };
}

/** The next local midnight after `now`: when a relative preset's start moves. */
export function nextMidnight(now = clock.now()): number {
  return endOfDay(now) + 1;
}

/** A relative preset's bounds recomputed for `now` (a filter saved yesterday means today's "today"). */
export function refreshDates(filter: Filter, now = clock.now()): Filter {
  return isRelative(filter) ? { ...filter, ...presetBounds(filter.datePreset as Exclude<DatePreset, 'custom'>, now) } : filter;
}

/** Whether the filter's dates are a relative preset (today, last 7 or 30 days). */
export function isRelative(filter: Filter): boolean {
  return !!filter.datePreset && filter.datePreset !== 'custom';
}

/** Event types: whole families when every type of one is picked, else the types, catalog order. */
export function canonicalTypes(picked: Iterable<string>): string[] {
  const set = new Set(picked);
  const out: string[] = [];
  for (const family of FAMILIES) {
    const types = TYPES_BY_FAMILY[family];
    if (set.has(family) || types.every((t) => set.has(t))) out.push(family);
    else out.push(...types.filter((t) => set.has(t)));
  }
  return out;
}

/** The types a `types` list selects, with families expanded. */
export function expandTypes(types: readonly string[] | undefined): Set<string> {
  const out = new Set<string>();
  for (const t of types ?? []) {
    if (t in TYPES_BY_FAMILY) for (const member of TYPES_BY_FAMILY[t as Family]) out.add(member);
    else out.add(t);
  }
  return out;
}

const ordered = <T extends string>(all: readonly T[], picked: readonly T[] | undefined) =>
  all.filter((v) => picked?.includes(v));

/** The one spelling of a filter: no empty conditions, lists in catalog order, trimmed text. */
export function normalizeFilter(filter: Filter): Filter {
  const out: Filter = {};
  if (filter.from !== undefined) out.from = filter.from;
  if (filter.to !== undefined) out.to = filter.to;
  // A relative preset stands on its own (bounds are derived); `custom` means the bounds.
  const relative = filter.datePreset && filter.datePreset !== 'custom';
  if (filter.datePreset && (relative || out.from !== undefined || out.to !== undefined)) out.datePreset = filter.datePreset;
  const temperatures = ordered(TEMPERATURES, filter.temperatures);
  if (temperatures.length) out.temperatures = temperatures;
  const stages = ordered(STAGES, filter.stages);
  if (stages.length) out.stages = stages;
  if (filter.budgetMin !== undefined) out.budgetMin = filter.budgetMin;
  if (filter.budgetMax !== undefined) out.budgetMax = filter.budgetMax;
  const timelines = ordered(TIMELINES, filter.timelines);
  if (timelines.length) out.timelines = timelines;
  const types = filter.types?.length ? canonicalTypes(filter.types) : [];
  if (types.length) out.types = types;
  const text = filter.text?.trim();
  if (text) out.text = text.slice(0, MAX_TEXT);
  return out;
}

export function sameFilter(a: Filter, b: Filter): boolean {
  return JSON.stringify(normalizeFilter(a)) === JSON.stringify(normalizeFilter(b));
}

// ---- shape check -----------------------------------------------------------------------------

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const isTime = (v: unknown) => typeof v === 'number' && Number.isInteger(v) && v >= 0;
const isAmount = (v: unknown) => typeof v === 'number' && Number.isFinite(v) && v >= 0;
const listOf = (allowed: ReadonlySet<string> | readonly string[], max: number) => (v: unknown) =>
  Array.isArray(v) &&
  v.length <= max &&
  v.every((item) => typeof item === 'string' && (allowed instanceof Set ? allowed.has(item) : (allowed as readonly string[]).includes(item)));

const RULES: Record<keyof Filter, (v: unknown) => boolean> = {
  from: isTime,
  to: isTime,
  datePreset: (v) => (DATE_PRESETS as readonly unknown[]).includes(v),
  temperatures: listOf(TEMPERATURES, TEMPERATURES.length),
  stages: listOf(STAGES, STAGES.length),
  budgetMin: isAmount,
  budgetMax: isAmount,
  timelines: listOf(TIMELINES, TIMELINES.length),
  types: listOf(KNOWN_TYPES, 64),
  text: (v) => typeof v === 'string' && v.length <= MAX_TEXT,
};

/**
 * `value` as a normalized Filter, or the reason it is not one. Unknown keys make it foreign:
 * refused, not stripped, so data written by something else is never half-applied.
 */
export function parseFilter(value: unknown): { filter: Filter } | { error: string } {
  if (!isObject(value)) return { error: 'not an object' };
  for (const key of Object.keys(value)) {
    if (!Object.hasOwn(RULES, key)) return { error: `unknown key "${key}"` };
    if (!RULES[key as keyof Filter](value[key])) return { error: `invalid "${key}"` };
  }
  return { filter: normalizeFilter(value as Filter) };
}
