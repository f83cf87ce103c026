/**
 * Whose saved filters and last used filter a <global-filters> works with, and what it starts
 * from. On load it takes, in order: `value` set before connecting, the URL (with `sync-url`), the
 * group's filter when another widget already set one, the tenant's last used filter, the default
 * preset. The tenant — the storage key — is the `tenant` attribute, else the GHL location the
 * page was opened for (the `location` the embed adds to the token URL), else the tenants named
 * by the token the group's connection uses (fetched from `token-url` when that is how it gets
 * one), else `default`. Finding it and the storage (presets.ts: TenantPresets) are imported when
 * the first widget restores; what happens before that is kept here for them.
 */
import { isEmptyFilter, type Filter } from '../../protocol/index.ts';
import { Lazy } from '../core/lazy.ts';
import type { EarlyChoices, Preset, PresetStore, SavedFiltersHost, TenantPresets } from './presets.ts';

/**
 * The saved filters, imported when the first widget restores: the controls render at once with
 * the group's filter, and the last used filter (or the default preset) follows in one update.
 */
const presetsPart = new Lazy('<global-filters>: the saved filters', () => import('./presets.ts'));

export class SavedFilters {
  /** Set while the storage loads for this widget (the widget's updateComplete waits for it). */
  loading: Promise<void> | undefined;
  private tenantPresets: TenantPresets | undefined;
  private readonly early: EarlyChoices = { provisional: undefined, lastUnsaved: false };
  /** Set while the widget applies a filter nobody chose (restore): nothing is remembered. */
  private quiet = false;

  /** @param apply applies a filter to the group without an event */
  constructor(
    private readonly host: SavedFiltersHost,
    private readonly apply: (filter: Filter) => void,
  ) {}

  /** The tenant's saved filters, as last read. */
  get presets(): Preset[] {
    return this.tenantPresets?.presets ?? [];
  }

  /** Whether the tenant is known (and so presets can be read and saved). */
  get ready(): boolean {
    return !!this.tenantPresets?.storage;
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
    if (initial) this.quietly(() => this.apply(initial));
    // Nothing chosen yet: storage decides, and decides again if the tenant turns out different.
    if (!initial && isEmptyFilter(this.host.store.filter)) this.early.provisional = {};
    this.tenantChanged();
  }

  /** The group's filter changed: remembered as the last used one unless nobody chose it. */
  filterChanged(filter: Filter): void {
    if (this.quiet) return;
    if (this.tenantPresets) return this.tenantPresets.chosen(filter);
    this.early.provisional = undefined; // someone chose a filter: storage no longer decides
    this.early.lastUnsaved = true;
  }

  /** The tenant may have changed: presets follow (once their module is in). */
  tenantChanged(): void {
    if (this.tenantPresets) return this.tenantPresets.tenantChanged();
    this.loading ??= presetsPart.load().then((part) => {
      this.loading = undefined;
      if (!part || this.tenantPresets) return; // failed (reported): the next change tries again
      this.tenantPresets = new part.TenantPresets(this.host, (filter) => this.quietly(() => this.apply(filter)), this.early);
      this.tenantPresets.tenantChanged();
    });
  }

  /** The tenant's storage; throws while the tenant is unknown. */
  storage(): PresetStore {
    const storage = this.tenantPresets?.storage;
    if (!storage) {
      throw new Error(
        '[leadwire] <global-filters>: saved filters are not available yet: await the element\'s updateComplete (and, with a token URL, the group\'s token).',
      );
    }
    return storage;
  }

  /** Reads the presets again (after a change) and re-renders the widget. */
  refresh(): void {
    this.tenantPresets?.refresh();
  }
}
