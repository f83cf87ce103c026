import { html, nothing, type PropertyValues } from 'lit';
import { property, state } from 'lit/decorators.js';
import { isEmptyFilter, type Filter } from '../../protocol/index.ts';
import { LeadwireElement } from '../core/element.ts';
import { emit } from '../core/emit.ts';
import { Lazy } from '../core/lazy.ts';
import { msg } from '../core/l10n.ts';
import type { GroupKey, GroupStore } from '../core/store.ts';
import type { FilterBar } from './bar.ts';
import type { FilterControls } from './controls.ts';
import type {} from './events.ts';
import { filtersStyles } from './global-filters.styles.ts';
import type { PresetManager } from './preset-manager.ts';
import type { Preset } from './presets.ts';
import { RelativeDates } from './relative-dates.ts';
import { SavedFilters } from './saved-filters.ts';
import { summarizeFilter, type FilterField } from '../core/filter-summary.ts';
import { readUrlFilter, writeUrlFilter } from './url.ts';
import { normalizeFilter, parseFilter, refreshDates, sameFilter } from '../core/filter-value.ts';

export type { FilterChangeDetail } from './events.ts';

/** The panel layout's groups, in its order. */
const PANEL_FIELDS: readonly FilterField[] = ['dates', 'temperatures', 'stages', 'budget', 'timelines', 'text', 'types'];

const COMPACT_BELOW_PX = 480;

/**
 * The controls (the panel's groups, the bar's editors) and the bar's chips and popovers,
 * imported when the first widget connects: its summary line shows the filter meanwhile.
 */
const editorsPart = new Lazy('<global-filters>: the filter controls', () => Promise.all([import('./controls.ts'), import('./bar.ts')]));
/** The saved filters' manager (list, rename, save), imported when they are first opened. */
const presetManagerPart = new Lazy('<global-filters>: the saved filters manager', () => import('./preset-manager.ts'));

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
 * Two layouts. `bar` (the default) is one row of chips — the date, each active filter with its
 * value and a remove button — with an "Add filter" menu and the saved filters as a menu; each
 * filter is edited in a popover. `panel` shows every control at once, as a form, folding behind
 * a toggle when narrower than 480px.
 *
 * Form-associated: with a `name`, a surrounding `<form>` submits the filter as JSON; a form reset
 * clears it.
 *
 * @tagname global-filters
 * @csspart base - The outer fieldset around everything.
 * @csspart bar - The row of chips and buttons (bar layout), or the summary line with the toggle and reset buttons (panel).
 * @csspart chips - Bar layout: the list of chips.
 * @csspart chip - Bar layout: one filter's chip (also `chip-dates`, `chip-temperatures`, `chip-stages`, `chip-budget`, `chip-timelines`, `chip-types`, `chip-text`).
 * @csspart chip-button - Bar layout: a chip's button, opening its editor.
 * @csspart chip-value - Bar layout: the value shown in a chip.
 * @csspart chip-remove - Bar layout: a chip's remove button.
 * @csspart add-filter - Bar layout: the "Add filter" button.
 * @csspart add-item - Bar layout: one filter in the "Add filter" menu.
 * @csspart popover - Bar layout: a popover (also `pop-add`, `pop-saved`, `pop-<filter>` e.g. `pop-dates`).
 * @csspart popover-done - Bar layout: the button closing an editor.
 * @csspart summary - Panel layout: the one-line summary of the filters.
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
 * @csspart presets-toggle - The button showing or hiding the saved filters (their menu in the bar layout).
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
 * @fires {CustomEvent<FilterChangeDetail>} lw-filter-change - The user changed the filters.
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
  /** `bar`: chips with popover editors; `panel`: every control at once, as a form. */
  @property({ reflect: true }) layout: 'bar' | 'panel' = 'bar';
  /** Set while the widget is narrower than 480px: in the panel layout, controls fold behind a toggle. */
  @property({ type: Boolean, reflect: true }) compact = false;
  @property({ type: Boolean, reflect: true }) disabled = false;
  /** Shows the saved filters (apply, default, rename, delete, save); the user toggles it too. */
  @property({ type: Boolean, reflect: true, attribute: 'presets-open' }) presetsOpen = false;

  @state() private panelOpen = false;
  @state() private announcement = '';
  @state() private formDisabled = false;
  @state() private presetManager: PresetManager | undefined;

  private readonly internals: ElementInternals;
  private readonly saved = new SavedFilters(this, (filter) => this.apply(filter, false));
  private readonly relativeDates = new RelativeDates(
    this,
    () => this.store.filter,
    () => this.apply(this.store.filter, false),
  );
  @state() private editors: { controls: FilterControls; bar: FilterBar } | undefined;
  private editorsLoad: Promise<void> | undefined;
  private restored = false;
  private presetManagerLoad: Promise<void> | undefined;
  private pendingValue: Filter | undefined;
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
    return this.saved.presets;
  }

  /** Clears every condition. */
  reset(): void {
    this.editors?.controls.flushSearch(false);
    this.apply({}, true);
  }

  /** Saves the current filter under `name` (replacing a preset of that name). */
  savePreset(name: string): Preset {
    const preset = this.saved.storage().save(name, this.store.filter);
    this.saved.refresh();
    this.announcement = msg('filters.presets.saved', { name: preset.name });
    return preset;
  }

  applyPreset(id: string): void {
    const preset = this.presets.find((p) => p.id === id);
    if (preset) this.apply(preset.filter, true);
    // In the bar layout the saved filters are a menu: choosing one closes it.
    if (preset && this.layout === 'bar') this.presetsOpen = false;
  }

  /** False when the name is empty or another preset has it. */
  renamePreset(id: string, name: string): boolean {
    const done = this.saved.storage().rename(id, name);
    if (!done && name.trim()) this.announcement = msg('filters.presets.taken', { name: name.trim() });
    this.saved.refresh();
    return done;
  }

  deletePreset(id: string): void {
    const preset = this.presets.find((p) => p.id === id);
    this.saved.storage().delete(id);
    this.saved.refresh();
    if (preset) this.announcement = msg('filters.presets.deleted', { name: preset.name });
  }

  /** Marks a preset as the one applied when there is no last used filter (null: none). */
  setDefaultPreset(id: string | null): void {
    this.saved.storage().setDefault(id);
    this.saved.refresh();
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
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.resizeObserver?.disconnect();
    cancelAnimationFrame(this.resizeFrame);
  }

  /**
   * Once the element has rendered and, on its first load, the saved filters' storage is in and
   * whatever it restores is rendered too: from then on the preset methods work (given the tenant).
   * In the bar layout, also once the bar is in and rendered.
   */
  protected override async getUpdateComplete(): Promise<boolean> {
    let complete = await super.getUpdateComplete();
    while (this.saved.loading || (this.editorsLoad && !this.editors)) {
      await (this.saved.loading ?? this.editorsLoad);
      complete = await super.getUpdateComplete();
    }
    return complete;
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    super.willUpdate(changed); // resolves the group and configures its gateway first
    if (!this.restored) this.restore();
    else if (changed.has('tenant')) this.saved.tenantChanged();
    if (this.presetsOpen) this.loadPresetManager();
    this.editorsLoad ??= editorsPart.load().then((part) => {
      const change = (patch: Partial<Filter>) => this.change(patch);
      if (part) this.editors = { controls: new part[0].FilterControls(this, change), bar: new part[1].FilterBar(this, change) };
      else this.editorsLoad = undefined; // failed (reported): the next render tries again
    });
  }

  private loadPresetManager(): void {
    this.presetManagerLoad ??= presetManagerPart.load().then((part) => {
      if (part) this.presetManager = new part.PresetManager(this, () => this.saved.ready);
      else this.presetManagerLoad = undefined; // failed (reported): opening again tries again
    });
  }

  protected override groupChanged(key: GroupKey, store: GroupStore): void {
    super.groupChanged(key, store);
    if (!this.restored) return;
    if (key === 'filter') this.filterChanged();
    if (key === 'gateway') this.saved.tenantChanged();
  }

  /** The filter to start from: `value` set before connecting, else the URL, else what storage keeps (saved-filters.ts). */
  private restore(): void {
    this.restored = this.relativeDates.active = true;
    const fromUrl = this.syncUrl ? readUrlFilter(this.urlParam) : undefined;
    const initial = this.pendingValue ?? fromUrl ?? undefined;
    this.pendingValue = undefined;
    this.saved.restore(initial);
    this.saved.quietly(() => this.filterChanged());
  }

  /** Whatever changed the group's filter: form value, last used, URL, the midnight timer. */
  private filterChanged(): void {
    const filter = this.store.filter;
    const json = JSON.stringify(filter);
    this.internals.setFormValue(json, json);
    this.saved.filterChanged(filter);
    if (this.syncUrl) writeUrlFilter(this.urlParam, filter);
    this.relativeDates.schedule();
  }

  /**
   * Applies a filter to the group (relative date presets resolved as of now); fires
   * `filter-change` when `fire` and it differs.
   */
  private apply(next: Filter, fire: boolean): boolean {
    const filter = normalizeFilter(refreshDates(next));
    if (sameFilter(filter, this.store.filter)) return false;
    this.store.setFilter(filter);
    if (fire) emit(this, 'lw-filter-change', { filter, summary: summarizeFilter(filter) });
    return true;
  }

  private change(patch: Partial<Filter>): void {
    this.apply({ ...this.store.filter, ...patch }, true);
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

  // ---- rendering -------------------------------------------------------------------------------

  /** The saved filters: a disclosure, its manager loaded when first opened (./preset-manager.ts). */
  private renderPresets() {
    const open = this.presetsOpen;
    const count = this.presets.length;
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
    const controls = this.editors?.controls;
    const canReset = !isEmptyFilter(filter) || (controls?.searchDraft ?? null) !== null;
    const panel = this.layout === 'panel';
    const folded = this.compact && !this.panelOpen;
    // The bar (./bar.ts) once it is in; until then the summary line stands in.
    const bar = controls && this.editors!.bar.render(controls, this.presetsOpen ? this.presetManager?.render() : undefined, canReset);
    return html`<fieldset class="base layout-${this.layout}" part="base" ?disabled=${this.disabled || this.formDisabled}>
      <legend class="visually-hidden">${msg('filters.label')}</legend>
      ${!panel && bar
        ? bar
        : html`<div class="bar" part="bar">
            <p class="summary" part="summary" id="summary">${summarizeFilter(filter)}</p>
            ${panel && this.compact
              ? html`<button type="button" part="toggle" aria-expanded=${folded ? 'false' : 'true'} aria-controls="panel"
                  @click=${() => (this.panelOpen = !this.panelOpen)}>${folded ? msg('filters.show') : msg('filters.hide')}</button>`
              : nothing}
            ${panel
              ? html`<button type="button" part="reset" ?disabled=${!canReset} @click=${() => this.reset()}>${msg('filters.reset')}</button>`
              : nothing}
          </div>`}
      ${panel
        ? html`<div class="panel" part="panel" id="panel" ?hidden=${folded}>
            ${controls ? PANEL_FIELDS.map((field) => controls.renderField(field)) : nothing} ${this.renderPresets()}
          </div>`
        : nothing}
      <div class="visually-hidden" role="status" aria-live="polite">${this.announcement}</div>
    </fieldset>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'global-filters': GlobalFilters;
  }
}
