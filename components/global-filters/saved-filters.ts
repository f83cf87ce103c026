/**
 * Whose saved filters and last used filter a <global-filters> works with, and what it starts
 * from. On load it takes, in order: `value` set before connecting, the URL (with `sync-url`), the
 * group's filter when another widget already set one, the tenant's last used filter, the default
 * preset. The tenant — the storage key — is the `tenant` attribute, else the GHL location the
 * page was opened for (the `location` the embed adds to the token URL), else the tenants named
 * by the token the group's connection uses (fetched from `token-url` when that is how it gets
 * one), else `default`. The storage (presets.ts) is imported when the first widget restores.
 */
import { isEmptyFilter, type Filter } from '../../protocol/index.ts';
import type { GatewayClient } from '../core/client.ts';
import { Lazy } from '../core/lazy.ts';
import type { GroupStore } from '../core/store.ts';
import { tokenClaims } from '../core/token-source.ts';
import type { Preset, PresetStore } from './presets.ts';
import { normalizeFilter, refreshDates, sameFilter } from './value.ts';

/**
 * The saved filters' storage, imported when the first widget restores: the controls render at
 * once with the group's filter, and the last used filter (or the default preset) follows in one
 * update.
 */
const presetsPart = new Lazy('<global-filters>: the saved filters', () => import('./presets.ts'));

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

export class SavedFilters {
  /** The tenant's saved filters, as last read. */
  presets: Preset[] = [];
  /** Set while the storage loads for this widget (the widget's updateComplete waits for it). */
  loading: Promise<void> | undefined;
  private presetStore: PresetStore | undefined;
  /** Set while the widget applies a filter nobody chose (restore): nothing is remembered. */
  private quiet = false;
  /** The filter storage chose on load, until someone chooses another. */
  private provisional: Filter | undefined;
  /** A change made while the tenant was still unknown, to remember once it is known. */
  private lastUnsaved = false;
  private tokenTenant: { client: GatewayClient; key: string } | undefined;
  private tokenTenantFor: GatewayClient | undefined;

  /** @param applyQuietly applies a filter to the group without an event */
  constructor(
    private readonly host: SavedFiltersHost,
    private readonly applyQuietly: (filter: Filter) => void,
  ) {}

  /** Whether the tenant is known (and so presets can be read and saved). */
  get ready(): boolean {
    return !!this.presetStore;
  }

  /** Runs `change` as a change nobody chose: nothing is remembered. */
  quietly(change: () => void): void {
    this.quiet = true;
    try {
      change();
    } finally {
      this.quiet = false;
    }
  }

  /**
   * Applies the filter to start from, without an event (nobody acted yet): `initial` (a value
   * set before connecting, or the URL's), else the group's filter, else (once the tenant is
   * known) the tenant's last used filter or default preset. Restoring writes nothing to storage.
   */
  restore(initial: Filter | undefined): void {
    if (initial) this.quietly(() => this.applyQuietly(initial));
    // Nothing chosen yet: storage decides, and decides again if the tenant turns out different.
    if (!initial && isEmptyFilter(this.host.store.filter)) this.provisional = {};
    this.tenantChanged();
  }

  /** The group's filter changed: remembered as the last used one unless nobody chose it. */
  filterChanged(filter: Filter): void {
    if (this.quiet) return;
    this.provisional = undefined; // someone chose a filter: storage no longer decides
    if (this.presetStore) this.presetStore.rememberLast(filter);
    else this.lastUnsaved = true;
  }

  /** The key may have changed: presets follow, and a filter storage chose is chosen again. */
  tenantChanged(): void {
    const key = this.tenantKey();
    const presets = presetsPart.value;
    if (!presets) {
      // The storage is still loading (alongside any token fetch): looked at again once it is in.
      this.loading ??= presetsPart.load().then(() => {
        this.loading = undefined;
        if (presetsPart.value) this.tenantChanged();
      });
      return;
    }
    if (key === this.presetStore?.tenant && this.presetStore) return;
    this.presetStore = key === undefined ? undefined : new presets.PresetStore(key);
    this.refresh();
    if (!this.presetStore) return;
    const filter = this.host.store.filter;
    if (this.provisional && sameFilter(filter, this.provisional)) {
      const initial = this.presetStore.initial ?? {};
      this.provisional = normalizeFilter(refreshDates(initial));
      this.quietly(() => this.applyQuietly(initial));
    } else if (this.lastUnsaved) {
      this.presetStore.rememberLast(filter);
    }
    this.lastUnsaved = false;
  }

  /** The tenant's storage; throws while the tenant is unknown. */
  storage(): PresetStore {
    if (!this.presetStore) {
      throw new Error(
        '[leadwire] <global-filters>: saved filters are not available yet: await the element\'s updateComplete (and, with a token URL, the group\'s token).',
      );
    }
    return this.presetStore;
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
