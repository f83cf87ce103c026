/**
 * Saved filters and the last used filter, per tenant, in localStorage under a versioned key.
 * Storage is input like any other: anything unreadable, of another shape or another version is
 * ignored with a console warning (and overwritten on the next save), never thrown at the widget.
 * Blocked storage (privacy mode, sandboxed iframe) degrades to memory for the page's lifetime.
 * Also whose they are (TenantPresets): this module loads when the first <global-filters> restores.
 */
import { isEmptyFilter, type Filter } from '../../protocol/index.ts';
import type { GatewayClient } from '../core/client.ts';
import { tokenClaims } from '../core/token-source.ts';
import type { GroupStore } from '../core/store.ts';
import { normalizeFilter, parseFilter, refreshDates, sameFilter } from '../core/filter-value.ts';

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

/** Tenants a JWT names, sorted and joined (`default` when it names none). */
const tenantsOf = (token: string) => {
  const tenants = tokenClaims(token)?.tenants;
  return Array.isArray(tenants) && tenants.length && tenants.every((t) => typeof t === 'string') ? [...tenants].sort().join(',') : 'default';
};
/** The GHL location a token URL asks for (`?location=`, as the embed adds it). */
const locationOf = (tokenUrl: string) => {
  try {
    return new URL(tokenUrl, document.baseURI).searchParams.get('location') || undefined;
  } catch {
    return undefined;
  }
};

/** The widget as its saved filters see it. */
export interface SavedFiltersHost {
  readonly tenant: string | null;
  readonly store: GroupStore;
  requestUpdate(): void;
}

/** What a widget's saved filters recorded before this module loaded, for it to take over. */
export interface EarlyChoices {
  /** The filter storage is to choose (set at restore when nothing else chose one), until someone chooses. */
  provisional: Filter | undefined;
  /** A change made before the tenant was known, to remember once it is. */
  lastUnsaved: boolean;
}

/**
 * Whose saved filters a <global-filters> works with (see saved-filters.ts): the tenant, found
 * from the widget and its group's connection, and that tenant's storage.
 */
export class TenantPresets {
  presets: Preset[] = [];
  private presetStore: PresetStore | undefined;
  private tokenTenant: { client: GatewayClient; key: string } | undefined;
  private tokenTenantFor: GatewayClient | undefined;

  /** @param applyQuietly applies a filter to the group without an event, remembering nothing */
  constructor(
    private readonly host: SavedFiltersHost,
    private readonly applyQuietly: (filter: Filter) => void,
    private readonly early: EarlyChoices,
  ) {}

  /** The tenant's storage, once the tenant is known. */
  get storage(): PresetStore | undefined {
    return this.presetStore;
  }

  /** Someone chose `filter`: storage no longer decides, and it is the tenant's last used one. */
  chosen(filter: Filter): void {
    this.early.provisional = undefined;
    if (this.presetStore) this.presetStore.rememberLast(filter);
    else this.early.lastUnsaved = true;
  }

  /** The key may have changed: presets follow, and a filter storage chose is chosen again. */
  tenantChanged(): void {
    const key = this.tenantKey();
    if (key === this.presetStore?.tenant && this.presetStore) return;
    this.presetStore = key === undefined ? undefined : new PresetStore(key);
    this.refresh();
    if (!this.presetStore) return;
    const filter = this.host.store.filter;
    const { early } = this;
    if (early.provisional && sameFilter(filter, early.provisional)) {
      const initial = this.presetStore.initial ?? {};
      early.provisional = normalizeFilter(refreshDates(initial));
      this.applyQuietly(initial);
    } else if (early.lastUnsaved) {
      this.presetStore.rememberLast(filter);
    }
    early.lastUnsaved = false;
  }

  /** Reads the presets again (after a change) and re-renders the widget. */
  refresh(): void {
    this.presets = this.presetStore?.presets ?? [];
    this.host.requestUpdate();
  }

  /** The storage key; undefined while the token that names it is being fetched. */
  private tenantKey(): string | undefined {
    const { tenant, store } = this.host;
    if (tenant) return tenant;
    const gateway = store.gateway;
    const location = gateway?.tokenUrl ? locationOf(gateway.tokenUrl) : undefined;
    if (location) return location;
    if (gateway?.token) return tenantsOf(gateway.token);
    const client = store.client;
    if (!gateway?.tokenUrl || !client) return 'default';
    if (this.tokenTenant?.client === client) return this.tokenTenant.key;
    if (this.tokenTenantFor !== client) {
      this.tokenTenantFor = client;
      const settle = (key: string) => {
        if (this.tokenTenantFor !== client) return; // the group moved on meanwhile
        this.tokenTenant = { client, key };
        this.tenantChanged();
      };
      client.token().then(
        (token) => settle(token ? tenantsOf(token) : 'default'),
        (error: Error) => {
          console.warn(`[leadwire] <global-filters>: saved filters are kept under "default": the token could not be fetched (${error.message}).`);
          settle('default');
        },
      );
    }
    return undefined;
  }
}
