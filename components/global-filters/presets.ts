/**
 * Saved filters and the last used filter, per tenant, in localStorage under a versioned key.
 * Storage is input like any other: anything unreadable, of another shape or another version is
 * ignored with a console warning (and overwritten on the next save), never thrown at the widget.
 * Blocked storage (privacy mode, sandboxed iframe) degrades to memory for the page's lifetime.
 */
import { isEmptyFilter, type Filter } from '../../protocol/index.ts';
import { parseFilter } from './value.ts';

export const STORAGE_VERSION = 1;
export const storageKey = (tenant: string) => `leadwire:filters:v${STORAGE_VERSION}:${tenant}`;

export interface Preset {
  id: string;
  name: string;
  filter: Filter;
  /** Applied when the widget loads with no (or an empty) last used filter. At most one preset has it. */
  default?: boolean;
}

interface Stored {
  v: typeof STORAGE_VERSION;
  presets: Preset[];
  /** The filter last chosen (by the user or the page) before the page was left; absent before the first change. */
  last?: Filter;
}

const MAX_PRESETS = 100;
const MAX_NAME = 80;

const warn = (tenant: string, what: string) =>
  console.warn(`[leadwire] <global-filters>: ignoring ${what} in localStorage "${storageKey(tenant)}".`);

function parsePreset(value: unknown): Preset | string {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return 'a preset that is not an object';
  const { id, name, filter, default: isDefault, ...rest } = value as Record<string, unknown>;
  const foreign = Object.keys(rest);
  if (foreign.length) return `a preset with unknown key "${foreign[0]}"`;
  if (typeof id !== 'string' || !id || id.length > 64) return 'a preset without a valid id';
  if (typeof name !== 'string' || !name.trim() || name.length > MAX_NAME) return 'a preset without a valid name';
  if (isDefault !== undefined && typeof isDefault !== 'boolean') return 'a preset with an invalid default flag';
  const parsed = parseFilter(filter);
  if ('error' in parsed) return `a preset whose filter has ${parsed.error}`;
  return { id, name, filter: parsed.filter, ...(isDefault ? { default: true } : {}) };
}

/** What is stored for `tenant`, with every unusable part left out (and warned about). */
function read(tenant: string, raw: string | null): Stored {
  const empty: Stored = { v: STORAGE_VERSION, presets: [] };
  if (raw === null) return empty;
  let data: unknown;
  try {
    data = JSON.parse(raw);
  } catch {
    warn(tenant, 'data that is not JSON');
    return empty;
  }
  if (typeof data !== 'object' || data === null || Array.isArray(data)) {
    warn(tenant, 'data that is not an object');
    return empty;
  }
  const { v, presets, last, ...rest } = data as Record<string, unknown>;
  if (v !== STORAGE_VERSION) {
    warn(tenant, `data of version ${JSON.stringify(v)}`);
    return empty;
  }
  if (Object.keys(rest).length) warn(tenant, `unknown key "${Object.keys(rest)[0]}"`);
  const out: Stored = { ...empty };
  if (Array.isArray(presets)) {
    const ids = new Set<string>();
    for (const item of presets.slice(0, MAX_PRESETS)) {
      const preset = parsePreset(item);
      if (typeof preset === 'string') warn(tenant, preset);
      else if (ids.has(preset.id)) warn(tenant, `a duplicate preset id "${preset.id}"`);
      else {
        ids.add(preset.id);
        out.presets.push(preset);
      }
    }
    // One default at most: the first flagged wins.
    let seen = false;
    for (const p of out.presets) if (p.default) (seen ? delete p.default : (seen = true));
  } else if (presets !== undefined) {
    warn(tenant, 'a preset list that is not a list');
  }
  if (last !== undefined) {
    const parsed = parseFilter(last);
    if ('error' in parsed) warn(tenant, `a last used filter with ${parsed.error}`);
    else out.last = parsed.filter;
  }
  return out;
}

const memory = new Map<string, string>();

function load(key: string): string | null {
  try {
    return localStorage.getItem(key);
  } catch {
    return memory.get(key) ?? null;
  }
}

function save(key: string, value: string): void {
  memory.set(key, value);
  try {
    localStorage.setItem(key, value);
  } catch {
    // blocked or full: kept in memory for this page
  }
}

const newId = () => (crypto.randomUUID?.() ?? `${Date.now().toString(36)}-${Math.random().toString(36).slice(2)}`);

/** One tenant's saved filters. Every method re-reads storage, so two widgets never clobber. */
export class PresetStore {
  constructor(readonly tenant: string) {}

  private get key(): string {
    return storageKey(this.tenant);
  }

  private parsed: { raw: string | null; stored: Stored } | undefined;

  /** A fresh copy of what is stored; parsed (and warned about) once per distinct content. */
  private read(): Stored {
    const raw = load(this.key);
    if (this.parsed?.raw !== raw) this.parsed = { raw, stored: read(this.tenant, raw) };
    return structuredClone(this.parsed.stored);
  }

  private update(change: (stored: Stored) => void): Stored {
    const stored = this.read();
    change(stored);
    save(this.key, JSON.stringify(stored));
    return stored;
  }

  get presets(): Preset[] {
    return this.read().presets;
  }

  /** What a load starts from: the last used filter, or the default preset when there is none (or it was empty). */
  get initial(): Filter | undefined {
    const { last, presets } = this.read();
    return last && !isEmptyFilter(last) ? last : presets.find((p) => p.default)?.filter;
  }

  rememberLast(filter: Filter): void {
    this.update((s) => (s.last = filter));
  }

  /** Saves `filter` as `name`; an existing preset of that name (any case) is overwritten. */
  save(name: string, filter: Filter): Preset {
    const clean = name.trim().slice(0, MAX_NAME);
    if (!clean) throw new RangeError('a preset needs a name');
    let saved!: Preset;
    this.update((s) => {
      const existing = s.presets.find((p) => p.name.toLowerCase() === clean.toLowerCase());
      if (existing) Object.assign(existing, { name: clean, filter });
      else if (s.presets.length >= MAX_PRESETS) throw new RangeError(`at most ${MAX_PRESETS} presets`);
      else s.presets.push({ id: newId(), name: clean, filter });
      saved = existing ?? s.presets[s.presets.length - 1];
    });
    return saved;
  }

  /** Renames a preset; false when the name is empty or taken by another preset. */
  rename(id: string, name: string): boolean {
    const clean = name.trim().slice(0, MAX_NAME);
    let done = false;
    this.update((s) => {
      const taken = s.presets.some((p) => p.id !== id && p.name.toLowerCase() === clean.toLowerCase());
      const preset = s.presets.find((p) => p.id === id);
      if (!clean || taken || !preset) return;
      preset.name = clean;
      done = true;
    });
    return done;
  }

  delete(id: string): void {
    this.update((s) => (s.presets = s.presets.filter((p) => p.id !== id)));
  }

  /** Marks one preset as the default (or none with null). */
  setDefault(id: string | null): void {
    this.update((s) => {
      for (const p of s.presets) {
        if (p.id === id) p.default = true;
        else delete p.default;
      }
    });
  }
}
