import { html, nothing, type PropertyValues } from 'lit';
import { property, state } from 'lit/decorators.js';
import {
  FAMILIES,
  STAGES,
  TEMPERATURES,
  TIMELINES,
  isEmptyFilter,
  type DatePreset,
  type Family,
  type Filter,
} from '../../protocol/index.ts';
import { LeadwireElement } from '../core/element.ts';
import { emit } from '../core/emit.ts';
import { Lazy } from '../core/lazy.ts';
import { msg, typeLabel, type StringKey } from '../core/l10n.ts';
import type { GatewayClient } from '../core/client.ts';
import type { GroupKey, GroupStore } from '../core/store.ts';
import { tokenClaims } from '../core/token-source.ts';
import type {} from './events.ts';
import { filtersStyles } from './global-filters.styles.ts';
import type { PresetManager } from './preset-manager.ts';
import type { Preset, PresetStore } from './presets.ts';
import { summarizeFilter } from './summary.ts';
import { readUrlFilter, writeUrlFilter } from './url.ts';
import {
  TYPES_BY_FAMILY,
  clock,
  endOfDay,
  expandTypes,
  isRelative,
  nextMidnight,
  normalizeFilter,
  parseFilter,
  presetBounds,
  refreshDates,
  sameFilter,
  startOfDay,
} from './value.ts';

export type { FilterChangeDetail } from './events.ts';

type DateChoice = DatePreset | 'any';
type ListKey = 'temperatures' | 'stages' | 'timelines';

const DATE_CHOICES: readonly DateChoice[] = ['any', 'today', '7d', '30d', 'custom'];
const COMPACT_BELOW_PX = 480;

/**
 * The saved filters' storage, imported when the first widget restores: the controls render at
 * once with the group's filter, and the last used filter (or the default preset) follows in one
 * update.
 */
const presetsPart = new Lazy('<global-filters>: the saved filters', () => import('./presets.ts'));
/** The saved filters' manager (list, rename, save), imported when they are first opened. */
const presetManagerPart = new Lazy('<global-filters>: the saved filters manager', () => import('./preset-manager.ts'));

/** `YYYY-MM-DD` of a local day, for `<input type="date">`. */
const dayString = (ts: number | undefined) => {
  if (ts === undefined) return '';
  const d = new Date(ts);
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
};
/** Local midnight of a `YYYY-MM-DD` string, undefined when empty or malformed. */
const parseDay = (value: string) => {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
  return m ? new Date(Number(m[1]), Number(m[2]) - 1, Number(m[3])).getTime() : undefined;
};
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
const parseAmount = (value: string) => {
  const n = value.trim() === '' ? NaN : Number(value);
  return Number.isFinite(n) && n >= 0 ? n : undefined;
};

/**
 * Slices its group's activity: date range, lead temperature, bot stage, budget, timeline, event
 * types and free text. The value is the protocol's `Filter`; each change updates the group at
 * once (sibling feeds, exports and health panels follow, and the feed's gateway subscription is
 * updated, so the gateway filters server-side) and fires one `filter-change`.
 *
 * Saved filters (presets) and the last used filter are kept per tenant in localStorage. On load
 * the widget takes, in order: `value` set before connecting, the URL (with `sync-url`), the
 * group's filter when another widget already set one, the last used filter, the default preset.
 * "Today", "last 7 days" and "last 30 days" stay relative: no upper bound, and the start moves
 * at local midnight.
 *
 * Form-associated: with a `name`, a surrounding `<form>` submits the filter as JSON; a form reset
 * clears it.
 *
 * @tagname global-filters
 * @csspart base - The outer fieldset around everything.
 * @csspart bar - The summary line with the toggle and reset buttons.
 * @csspart summary - The one-line summary of the filters.
 * @csspart toggle - In the compact layout: the button showing or hiding the controls.
 * @csspart reset - The reset button.
 * @csspart panel - The controls.
 * @csspart group - Each group of controls (a fieldset); also `dates`, `temperatures`, `stages`,
 *   `budget`, `timelines`, `types`, `search`, `presets`.
 * @csspart legend - The title of each group.
 * @csspart option - A checkbox or radio with its label (with `option-checked` when checked).
 * @csspart option-checked - A checked option's label (with `option`).
 * @csspart date-from - The custom range's start date input.
 * @csspart date-to - The custom range's end date input.
 * @csspart budget-min - The minimum budget input.
 * @csspart budget-max - The maximum budget input.
 * @csspart family - One event family (its checkbox, expander and types).
 * @csspart family-toggle - The button showing a family's types.
 * @csspart type - One event type's option (with `option`).
 * @csspart search-input - The free-text search input.
 * @csspart presets-toggle - The button showing or hiding the saved filters.
 * @csspart preset - One saved filter's row.
 * @csspart preset-apply - The button applying a saved filter (its name).
 * @csspart preset-default - The toggle marking a saved filter as the default.
 * @csspart preset-rename - The rename button.
 * @csspart preset-delete - The delete button.
 * @csspart preset-name - The name input (for saving, or renaming).
 * @csspart preset-save - The save button.
 * @cssprop --lw-color-accent - Checked options and the focus of inputs.
 * @cssprop --lw-color-surface - Background.
 * @cssprop --lw-color-border - Borders of groups and inputs.
 * @cssprop --lw-font-size - Base font size in px (the widget ignores the page's root size).
 * @cssprop --lw-radius - Corner radius.
 * @fires {CustomEvent<FilterChangeDetail>} filter-change - The user changed the filters.
 */
export class GlobalFilters extends LeadwireElement {
  static formAssociated = true;
  static override shadowRootOptions: ShadowRootInit = { ...LeadwireElement.shadowRootOptions, delegatesFocus: true };
  static override styles = [...LeadwireElement.styles, filtersStyles];
  static override groupKeys: readonly GroupKey[] = ['theme', 'filter', 'gateway'];

  /** The form field name the filter is submitted under (as JSON). */
  @property({ reflect: true }) name: string | null = null;
  /** Whose presets: defaults to the tenants of the group's token, else `default`. */
  @property() tenant: string | null = null;
  /** Reflect the filter into the page URL (and read it from there on load). */
  @property({ type: Boolean, attribute: 'sync-url' }) syncUrl = false;
  /** The query parameter used with `sync-url`. */
  @property({ attribute: 'url-param' }) urlParam = 'filters';
  /** Quiet time (ms) after typing before a search applies; Enter applies at once. */
  @property({ type: Number, attribute: 'search-delay' }) searchDelay = 300;
  /** Set while the widget is narrower than 480px: controls fold behind a toggle. */
  @property({ type: Boolean, reflect: true }) compact = false;
  @property({ type: Boolean, reflect: true }) disabled = false;
  /** Shows the saved filters (apply, default, rename, delete, save); the user toggles it too. */
  @property({ type: Boolean, reflect: true, attribute: 'presets-open' }) presetsOpen = false;

  @state() private panelOpen = false;
  @state() private expandedFamilies: ReadonlySet<string> = new Set();
  @state() private presetList: Preset[] = [];
  @state() private announcement = '';
  /** Search text typed but not yet applied. */
  @state() private searchDraft: string | null = null;
  @state() private formDisabled = false;

  private readonly internals: ElementInternals;
  private presetStore: PresetStore | undefined;
  /** Set while the saved filters' storage loads for this widget (updateComplete waits for it). */
  private presetsLoad: Promise<void> | undefined;
  private restored = false;
  /** Set while the widget applies a filter nobody chose (restore): nothing is remembered. */
  private quiet = false;
  /** The filter storage chose on load, until someone chooses another. */
  private provisional: Filter | undefined;
  /** A change made while the tenant was still unknown, to remember once it is known. */
  private lastUnsaved = false;
  private tokenTenant: { client: GatewayClient; key: string } | undefined;
  private tokenTenantFor: GatewayClient | undefined;
  private midnightTimer: ReturnType<typeof setTimeout> | undefined;
  @state() private presetManager: PresetManager | undefined;
  private presetManagerLoad: Promise<void> | undefined;
  private pendingValue: Filter | undefined;
  private searchTimer: ReturnType<typeof setTimeout> | undefined;
  private resizeObserver: ResizeObserver | undefined;
  private resizeFrame = 0;

  constructor() {
    super();
    this.internals = this.attachInternals();
  }

  /** The group's filter. Setting it applies it to the group without firing `filter-change`. */
  get value(): Filter {
    return this.restored ? this.store.filter : (this.pendingValue ?? this.store.filter);
  }
  set value(filter: Filter) {
    if (this.restored) this.apply(filter, false);
    else this.pendingValue = filter;
  }

  /** The one-line summary of the current filter. */
  get summary(): string {
    return summarizeFilter(this.value);
  }

  get form(): HTMLFormElement | null {
    return this.internals.form;
  }

  /** The tenant's saved filters. */
  get presets(): Preset[] {
    return this.presetList;
  }

  /** Clears every condition. */
  reset(): void {
    this.flushSearch(false);
    this.apply({}, true);
  }

  /** Saves the current filter under `name` (replacing a preset of that name). */
  savePreset(name: string): Preset {
    const preset = this.presetsFor().save(name, this.store.filter);
    this.refreshPresets();
    this.announcement = msg('filters.presets.saved', { name: preset.name });
    return preset;
  }

  applyPreset(id: string): void {
    const preset = this.presetList.find((p) => p.id === id);
    if (preset) this.apply(preset.filter, true);
  }

  /** False when the name is empty or another preset has it. */
  renamePreset(id: string, name: string): boolean {
    const done = this.presetsFor().rename(id, name);
    if (!done && name.trim()) this.announcement = msg('filters.presets.taken', { name: name.trim() });
    this.refreshPresets();
    return done;
  }

  deletePreset(id: string): void {
    const preset = this.presetList.find((p) => p.id === id);
    this.presetsFor().delete(id);
    this.refreshPresets();
    if (preset) this.announcement = msg('filters.presets.deleted', { name: preset.name });
  }

  /** Marks a preset as the one applied when there is no last used filter (null: none). */
  setDefaultPreset(id: string | null): void {
    this.presetsFor().setDefault(id);
    this.refreshPresets();
  }

  // ---- lifecycle -------------------------------------------------------------------------------

  override connectedCallback(): void {
    super.connectedCallback();
    this.resizeObserver ??= new ResizeObserver(([entry]) => {
      // Applied next frame: the layout change must not land inside this observation.
      cancelAnimationFrame(this.resizeFrame);
      const width = entry.contentRect.width;
      this.resizeFrame = requestAnimationFrame(() => (this.compact = width > 0 && width < COMPACT_BELOW_PX));
    });
    this.resizeObserver.observe(this);
    document.addEventListener('visibilitychange', this.onVisibility);
    if (this.restored) this.refreshRelativeDates(); // back in the page: "today" may be another day now
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.resizeObserver?.disconnect();
    cancelAnimationFrame(this.resizeFrame);
    clearTimeout(this.searchTimer);
    clearTimeout(this.midnightTimer);
    document.removeEventListener('visibilitychange', this.onVisibility);
  }

  /**
   * Once the element has rendered and, on its first load, the saved filters' storage is in and
   * whatever it restores is rendered too: from then on the preset methods work (given the tenant).
   */
  protected override async getUpdateComplete(): Promise<boolean> {
    let complete = await super.getUpdateComplete();
    while (this.presetsLoad) {
      await this.presetsLoad;
      complete = await super.getUpdateComplete();
    }
    return complete;
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    super.willUpdate(changed); // resolves the group and configures its gateway first
    if (!this.restored) this.restore();
    else if (changed.has('tenant')) this.tenantChanged();
    if (this.presetsOpen) this.loadPresetManager();
  }

  private loadPresetManager(): void {
    this.presetManagerLoad ??= presetManagerPart.load().then((part) => {
      if (part) this.presetManager = new part.PresetManager(this, () => !!this.presetStore);
      else this.presetManagerLoad = undefined; // failed (reported): opening again tries again
    });
  }

  protected override groupChanged(key: GroupKey, store: GroupStore): void {
    super.groupChanged(key, store);
    if (!this.restored) return;
    if (key === 'filter') this.filterChanged();
    if (key === 'gateway') this.tenantChanged();
  }

  /**
   * The filter to start from, applied without an event (nobody acted yet): `value` set before
   * connecting, else the URL, else the group's filter, else (once the tenant is known) the
   * tenant's last used filter or default preset. Restoring writes nothing to storage.
   */
  private restore(): void {
    this.restored = true;
    const fromUrl = this.syncUrl ? readUrlFilter(this.urlParam) : undefined;
    const initial = this.pendingValue ?? fromUrl ?? undefined;
    this.pendingValue = undefined;
    if (initial) this.quietly(() => this.apply(initial, false));
    // Nothing chosen yet: storage decides, and decides again if the tenant turns out different.
    if (!initial && isEmptyFilter(this.store.filter)) this.provisional = {};
    this.tenantChanged();
    this.quietly(() => this.filterChanged());
  }

  /** Whatever changed the group's filter: form value, last used, URL, the midnight timer. */
  private filterChanged(): void {
    const filter = this.store.filter;
    const json = JSON.stringify(filter);
    this.internals.setFormValue(json, json);
    if (!this.quiet) {
      this.provisional = undefined; // someone chose a filter: storage no longer decides
      if (this.presetStore) this.presetStore.rememberLast(filter);
      else this.lastUnsaved = true;
    }
    if (this.syncUrl) writeUrlFilter(this.urlParam, filter);
    this.scheduleMidnight();
  }

  private quietly(run: () => void): void {
    this.quiet = true;
    try {
      run();
    } finally {
      this.quiet = false;
    }
  }

  /**
   * Applies a filter to the group (relative date presets resolved as of now); fires
   * `filter-change` when `fire` and it differs.
   */
  private apply(next: Filter, fire: boolean): boolean {
    const filter = normalizeFilter(refreshDates(next));
    if (sameFilter(filter, this.store.filter)) return false;
    this.store.setFilter(filter);
    if (fire) emit(this, 'filter-change', { filter, summary: summarizeFilter(filter) });
    return true;
  }

  private change(patch: Partial<Filter>): void {
    this.apply({ ...this.store.filter, ...patch }, true);
  }

  // ---- relative dates ------------------------------------------------------------------------

  /**
   * "Today", "last 7 days" and "last 30 days" have no upper bound and a start that moves at
   * local midnight: re-resolved then (a timer), when the tab is shown again (timers sleep in
   * hidden tabs and suspended laptops) and when the widget is attached again. Not a user
   * action: no `filter-change`, but the group (and the feed's subscription) follows.
   */
  private refreshRelativeDates(): void {
    if (!isRelative(this.store.filter)) return;
    if (!this.apply(this.store.filter, false)) this.scheduleMidnight();
  }

  private scheduleMidnight(): void {
    clearTimeout(this.midnightTimer);
    if (!this.isConnected || !isRelative(this.store.filter)) return;
    const now = clock.now();
    this.midnightTimer = setTimeout(() => this.refreshRelativeDates(), Math.max(0, nextMidnight(now) - now));
  }

  private onVisibility = () => {
    if (document.visibilityState === 'visible') this.refreshRelativeDates();
  };

  // ---- tenant and presets --------------------------------------------------------------------

  /**
   * Whose presets and last used filter: the `tenant` attribute, else the GHL location the page
   * was opened for (the `location` the embed adds to the token URL), else the tenants named by
   * the token the group's connection uses (fetched from `token-url` when that is how it gets
   * one), else `default`. Undefined while that token is being fetched.
   */
  private tenantKey(): string | undefined {
    if (this.tenant) return this.tenant;
    const gateway = this.store.gateway;
    const location = gateway?.tokenUrl ? locationOf(gateway.tokenUrl) : undefined;
    if (location) return location;
    if (gateway?.token) return tenantsOf(gateway.token);
    const client = this.store.client;
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

  /** The key may have changed: presets follow, and a filter storage chose is chosen again. */
  private tenantChanged(): void {
    const key = this.tenantKey();
    const presets = presetsPart.value;
    if (!presets) {
      // The storage is still loading (alongside any token fetch): looked at again once it is in.
      this.presetsLoad ??= presetsPart.load().then(() => {
        this.presetsLoad = undefined;
        if (presetsPart.value) this.tenantChanged();
      });
      return;
    }
    if (key === this.presetStore?.tenant && this.presetStore) return;
    this.presetStore = key === undefined ? undefined : new presets.PresetStore(key);
    this.refreshPresets();
    if (!this.presetStore) return;
    if (this.provisional && sameFilter(this.store.filter, this.provisional)) {
      const initial = this.presetStore.initial ?? {};
      this.provisional = normalizeFilter(refreshDates(initial));
      this.quietly(() => this.apply(initial, false));
    } else if (this.lastUnsaved) {
      this.presetStore.rememberLast(this.store.filter);
    }
    this.lastUnsaved = false;
  }

  private presetsFor(): PresetStore {
    if (!this.presetStore) {
      throw new Error(
        '[leadwire] <global-filters>: saved filters are not available yet: await the element\'s updateComplete (and, with a token URL, the group\'s token).',
      );
    }
    return this.presetStore;
  }

  private refreshPresets(): void {
    this.presetList = this.presetStore?.presets ?? [];
  }

  // ---- form association ----------------------------------------------------------------------

  formResetCallback(): void {
    this.reset();
  }

  formStateRestoreCallback(saved: string | File | FormData | null): void {
    if (typeof saved !== 'string') return;
    let data: unknown;
    try {
      data = JSON.parse(saved);
    } catch {
      return; // a state we did not write: keep the current filter
    }
    const parsed = parseFilter(data);
    if ('filter' in parsed) this.apply(parsed.filter, false);
  }

  formDisabledCallback(disabled: boolean): void {
    this.formDisabled = disabled;
  }

  // ---- controls --------------------------------------------------------------------------------

  private get dateChoice(): DateChoice {
    const f = this.store.filter;
    return f.datePreset ?? (f.from !== undefined || f.to !== undefined ? 'custom' : 'any');
  }

  private pickDate(choice: DateChoice): void {
    const f = this.store.filter;
    if (choice === 'any') this.change({ from: undefined, to: undefined, datePreset: undefined });
    else if (choice === 'custom') {
      // Custom starts from the range in effect (or today), for the user to adjust.
      const now = clock.now();
      this.change({ from: f.from ?? startOfDay(now), to: f.to ?? endOfDay(now), datePreset: 'custom' });
    } else this.change({ ...presetBounds(choice), datePreset: choice });
  }

  private setCustomDay(bound: 'from' | 'to', value: string): void {
    const day = parseDay(value);
    const ts = day === undefined ? undefined : bound === 'from' ? day : endOfDay(day);
    this.change({ [bound]: ts, datePreset: 'custom' });
  }

  private toggleIn<K extends ListKey>(key: K, value: NonNullable<Filter[K]>[number], on: boolean): void {
    const current = (this.store.filter[key] ?? []) as string[];
    const next = on ? [...current, value] : current.filter((v) => v !== value);
    this.change({ [key]: next });
  }

  private setBudget(bound: 'budgetMin' | 'budgetMax', input: HTMLInputElement): void {
    const amount = parseAmount(input.value);
    const other = bound === 'budgetMin' ? this.store.filter.budgetMax : this.store.filter.budgetMin;
    // A swapped range is what the user meant, not an empty result.
    if (amount !== undefined && other !== undefined && (bound === 'budgetMin' ? amount > other : amount < other)) {
      this.change({ budgetMin: Math.min(amount, other), budgetMax: Math.max(amount, other) });
    } else this.change({ [bound]: amount });
    // An unusable entry is cleared from the input: the filter may not have changed, so no render would.
    input.value = this.store.filter[bound]?.toString() ?? '';
  }

  private toggleTypes(types: readonly string[], on: boolean): void {
    const picked = expandTypes(this.store.filter.types);
    for (const t of types) on ? picked.add(t) : picked.delete(t);
    this.change({ types: [...picked] });
  }

  private toggleFamilyOpen(family: string): void {
    const next = new Set(this.expandedFamilies);
    if (!next.delete(family)) next.add(family);
    this.expandedFamilies = next;
  }

  private onSearchInput(event: InputEvent): void {
    this.searchDraft = (event.target as HTMLInputElement).value;
    clearTimeout(this.searchTimer);
    this.searchTimer = setTimeout(() => this.flushSearch(true), this.searchDelay);
  }

  /** Applies (or drops) the typed search text. */
  private flushSearch(applyDraft: boolean): void {
    clearTimeout(this.searchTimer);
    const draft = this.searchDraft;
    this.searchDraft = null;
    if (applyDraft && draft !== null) this.change({ text: draft });
  }

  private onSearchKey(event: KeyboardEvent): void {
    if (event.key === 'Enter') {
      event.preventDefault();
      this.flushSearch(true);
    }
  }

  // ---- rendering -------------------------------------------------------------------------------

  private option(type: 'radio' | 'checkbox', label: string, checked: boolean, onChange: (checked: boolean) => void, extra = '', name?: string) {
    return html`<label class="option" part="option ${checked ? 'option-checked' : ''} ${extra}">
      <input
        type=${type}
        name=${name ?? nothing}
        .checked=${checked}
        @change=${(e: Event) => onChange((e.target as HTMLInputElement).checked)}
      />${label}
    </label>`;
  }

  private fieldset(part: string, legend: string, content: unknown) {
    return html`<fieldset class="group ${part}" part="group ${part}">
      <legend part="legend">${legend}</legend>
      ${content}
    </fieldset>`;
  }

  private renderDates() {
    const choice = this.dateChoice;
    const f = this.store.filter;
    const custom =
      choice === 'custom'
        ? html`<div class="row">
            <label class="field">${msg('filters.date.from')}
              <input type="date" part="date-from" .value=${dayString(f.from)} max=${dayString(f.to) || nothing}
                @change=${(e: Event) => this.setCustomDay('from', (e.target as HTMLInputElement).value)} />
            </label>
            <label class="field">${msg('filters.date.to')}
              <input type="date" part="date-to" .value=${dayString(f.to)} min=${dayString(f.from) || nothing}
                @change=${(e: Event) => this.setCustomDay('to', (e.target as HTMLInputElement).value)} />
            </label>
          </div>`
        : nothing;
    const options = DATE_CHOICES.map((c) =>
      this.option('radio', msg(`filters.date.${c}`), c === choice, () => this.pickDate(c), '', 'date'),
    );
    return this.fieldset('dates', msg('filters.dates'), html`<div class="options">${options}</div>${custom}`);
  }

  private renderList<K extends ListKey>(key: K, all: readonly NonNullable<Filter[K]>[number][], prefix: string, legend: StringKey) {
    const picked = (this.store.filter[key] ?? []) as readonly string[];
    const options = all.map((v) =>
      this.option('checkbox', msg(`${prefix}.${v}` as StringKey), picked.includes(v), (on) => this.toggleIn(key, v, on)),
    );
    return this.fieldset(key, msg(legend), html`<div class="options">${options}</div>`);
  }

  private renderBudget() {
    const f = this.store.filter;
    const input = (bound: 'budgetMin' | 'budgetMax', label: StringKey, part: string) =>
      html`<label class="field">${msg(label)}
        <input type="number" part=${part} inputmode="numeric" min="0" step="10000" .value=${f[bound]?.toString() ?? ''}
          @change=${(e: Event) => this.setBudget(bound, e.target as HTMLInputElement)} />
      </label>`;
    return this.fieldset(
      'budget',
      msg('filters.budget'),
      html`<div class="row">${input('budgetMin', 'filters.budget.min', 'budget-min')}${input('budgetMax', 'filters.budget.max', 'budget-max')}</div>`,
    );
  }

  private renderTypes() {
    const picked = expandTypes(this.store.filter.types);
    const families = FAMILIES.map((family: Family) => {
      const types = TYPES_BY_FAMILY[family];
      const count = types.filter((t) => picked.has(t)).length;
      const all = count === types.length;
      const open = this.expandedFamilies.has(family);
      const label = msg(`filters.family.${family}` as StringKey);
      const id = `types-${family}`;
      return html`<div class="family" part="family" data-family=${family}>
        <div class="family-head">
          <label class="option" part="option ${all ? 'option-checked' : ''}">
            <input type="checkbox" .checked=${all} .indeterminate=${count > 0 && !all}
              @change=${(e: Event) => this.toggleTypes(types, (e.target as HTMLInputElement).checked)} />${label}
            <span class="count">${count}/${types.length}</span>
          </label>
          <button type="button" class="icon-button" part="family-toggle" aria-expanded=${open ? 'true' : 'false'}
            aria-controls=${id} aria-label=${msg('filters.types.expand', { family: label })}
            @click=${() => this.toggleFamilyOpen(family)}>
            <span aria-hidden="true">${open ? '▾' : '▸'}</span>
          </button>
        </div>
        <div class="type-list" id=${id} role="group" aria-label=${label} ?hidden=${!open}>
          ${types.map((t) => this.option('checkbox', typeLabel(t), picked.has(t), (on) => this.toggleTypes([t], on), 'type'))}
        </div>
      </div>`;
    });
    return this.fieldset('types', msg('filters.types'), html`<div class="families">${families}</div>`);
  }

  private renderSearch() {
    return this.fieldset(
      'search',
      msg('filters.search'),
      html`<input type="search" part="search-input" aria-label=${msg('filters.search')} aria-describedby="search-hint"
          maxlength="200" .value=${this.searchDraft ?? this.store.filter.text ?? ''}
          @input=${this.onSearchInput} @keydown=${this.onSearchKey} />
        <span id="search-hint" class="hint">${msg('filters.search.hint')}</span>`,
    );
  }

  /** The saved filters: a disclosure, its manager loaded when first opened (./preset-manager.ts). */
  private renderPresets() {
    const open = this.presetsOpen;
    const count = this.presetList.length;
    return html`<fieldset class="group presets" part="group presets">
      <legend part="legend">
        <button type="button" class="disclosure" part="presets-toggle" aria-expanded=${open ? 'true' : 'false'} aria-controls="presets-manager"
          @click=${() => (this.presetsOpen = !open)}>
          <span aria-hidden="true">${open ? '▾' : '▸'}</span> ${msg('filters.presets')}${count ? ` (${count})` : ''}
        </button>
      </legend>
      <div id="presets-manager" ?hidden=${!open}>${open ? this.presetManager?.render() : nothing}</div>
    </fieldset>`;
  }

  protected override render() {
    const filter = this.store.filter;
    const folded = this.compact && !this.panelOpen;
    return html`<fieldset class="base" part="base" ?disabled=${this.disabled || this.formDisabled}>
      <legend class="visually-hidden">${msg('filters.label')}</legend>
      <div class="bar" part="bar">
        <p class="summary" part="summary" id="summary">${summarizeFilter(filter)}</p>
        ${this.compact
          ? html`<button type="button" part="toggle" aria-expanded=${folded ? 'false' : 'true'} aria-controls="panel"
              @click=${() => (this.panelOpen = !this.panelOpen)}>${folded ? msg('filters.show') : msg('filters.hide')}</button>`
          : nothing}
        <button type="button" part="reset" ?disabled=${isEmptyFilter(filter) && this.searchDraft === null} @click=${() => this.reset()}>
          ${msg('filters.reset')}
        </button>
      </div>
      <div class="panel" part="panel" id="panel" ?hidden=${folded}>
        ${this.renderDates()}
        ${this.renderList('temperatures', TEMPERATURES, 'temperature', 'filters.temperatures')}
        ${this.renderList('stages', STAGES, 'stage', 'filters.stages')}
        ${this.renderBudget()}
        ${this.renderList('timelines', TIMELINES, 'timeline', 'filters.timelines')}
        ${this.renderSearch()}
        ${this.renderTypes()}
        ${this.renderPresets()}
      </div>
      <div class="visually-hidden" role="status" aria-live="polite">${this.announcement}</div>
    </fieldset>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'global-filters': GlobalFilters;
  }
}
