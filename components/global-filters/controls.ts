/**
 * The controls of <global-filters>: date range, lists of options, budget, event types and search,
 * each turning what the user does into a change of the group's filter (the widget applies it and
 * fires `filter-change`). Also the search text typed but not applied yet, and which event
 * families are unfolded.
 */
import { html, nothing, type ReactiveController, type ReactiveControllerHost } from 'lit';
import { FAMILIES, STAGES, TEMPERATURES, TIMELINES, type DatePreset, type Family, type Filter } from '../../protocol/index.ts';
import { msg, typeLabel, type StringKey } from '../core/l10n.ts';
import type { GroupStore } from '../core/store.ts';
import type { FilterField } from '../core/filter-summary.ts';
import { TYPES_BY_FAMILY, clock, endOfDay, expandTypes, presetBounds, startOfDay } from '../core/filter-value.ts';

type DateChoice = DatePreset | 'any';
type ListKey = 'temperatures' | 'stages' | 'timelines';

const DATE_CHOICES: readonly DateChoice[] = ['any', 'today', '7d', '30d', 'custom'];

/** `YYYY-MM-DD` of a local day, for `<input type="date">`. */
const dayString = (ts: number | undefined) => {
  if (ts === undefined) return '';
  const d = new Date(ts);
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
};
/**
 * Local midnight of a complete `YYYY-MM-DD` day, else undefined. A date input reports each
 * keystroke: typing a year shows 0002, 0020, 0202 on the way to 2026, so a year before the
 * epoch is a date still being typed, not a filter.
 */
const parseDay = (value: string) => {
  const m = /^(\d{4,6})-(\d{2})-(\d{2})$/.exec(value);
  if (!m) return undefined;
  const [year, month, day] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const date = new Date(year, month - 1, day);
  const real = date.getFullYear() === year && date.getMonth() === month - 1 && date.getDate() === day;
  return real && year >= 1970 && year <= 9999 ? date.getTime() : undefined;
};
const parseAmount = (value: string) => {
  const n = value.trim() === '' ? NaN : Number(value);
  return Number.isFinite(n) && n >= 0 ? n : undefined;
};

/** The widget as its controls use it. */
export interface FilterControlsHost extends ReactiveControllerHost {
  readonly store: GroupStore;
  /** Quiet time (ms) after typing before a search applies. */
  readonly searchDelay: number;
}

export class FilterControls implements ReactiveController {
  expandedFamilies: ReadonlySet<string> = new Set();
  /** Search text typed but not yet applied. */
  searchDraft: string | null = null;
  private searchTimer: ReturnType<typeof setTimeout> | undefined;

  /** @param change applies a change of the filter as the user's (with `filter-change`) */
  constructor(
    private readonly host: FilterControlsHost,
    private readonly change: (patch: Partial<Filter>) => void,
  ) {
    host.addController(this);
  }

  hostDisconnected(): void {
    clearTimeout(this.searchTimer);
  }

  private get dateChoice(): DateChoice {
    const f = this.host.store.filter;
    return f.datePreset ?? (f.from !== undefined || f.to !== undefined ? 'custom' : 'any');
  }

  private pickDate(choice: DateChoice): void {
    const f = this.host.store.filter;
    if (choice === 'any') this.change({ from: undefined, to: undefined, datePreset: undefined });
    else if (choice === 'custom') {
      // Custom starts from the range in effect (or today), for the user to adjust.
      const now = clock.now();
      this.change({ from: f.from ?? startOfDay(now), to: f.to ?? endOfDay(now), datePreset: 'custom' });
    } else this.change({ ...presetBounds(choice), datePreset: choice });
  }

  /** A custom day typed or picked: applied once it is a complete, valid date; a partial one waits. */
  private setCustomDay(bound: 'from' | 'to', input: HTMLInputElement): void {
    const day = parseDay(input.value);
    if (day === undefined) return;
    const f = this.host.store.filter;
    const ts = bound === 'from' ? day : endOfDay(day);
    const from = bound === 'from' ? ts : f.from;
    const to = bound === 'to' ? ts : f.to;
    // A reversed range is what the user meant, not an empty result.
    if (from !== undefined && to !== undefined && from > to) {
      this.change({ from: startOfDay(to), to: endOfDay(from), datePreset: 'custom' });
    } else this.change({ [bound]: ts, datePreset: 'custom' });
  }

  /**
   * Leaving a day input: an input the user emptied drops that bound; one left half typed or
   * invalid shows the day in effect again (the filter never took it).
   */
  private leaveCustomDay(bound: 'from' | 'to', input: HTMLInputElement): void {
    if (input.value === '' && !input.validity.badInput) {
      if (this.host.store.filter[bound] !== undefined) this.change({ [bound]: undefined, datePreset: 'custom' });
    } else if (parseDay(input.value) === undefined) input.value = dayString(this.host.store.filter[bound]);
  }

  private toggleIn<K extends ListKey>(key: K, value: NonNullable<Filter[K]>[number], on: boolean): void {
    const current = (this.host.store.filter[key] ?? []) as string[];
    const next = on ? [...current, value] : current.filter((v) => v !== value);
    this.change({ [key]: next });
  }

  private setBudget(bound: 'budgetMin' | 'budgetMax', input: HTMLInputElement): void {
    const amount = parseAmount(input.value);
    const other = bound === 'budgetMin' ? this.host.store.filter.budgetMax : this.host.store.filter.budgetMin;
    // A swapped range is what the user meant, not an empty result.
    if (amount !== undefined && other !== undefined && (bound === 'budgetMin' ? amount > other : amount < other)) {
      this.change({ budgetMin: Math.min(amount, other), budgetMax: Math.max(amount, other) });
    } else this.change({ [bound]: amount });
    // An unusable entry is cleared from the input: the filter may not have changed, so no render would.
    input.value = this.host.store.filter[bound]?.toString() ?? '';
  }

  private toggleTypes(types: readonly string[], on: boolean): void {
    const picked = expandTypes(this.host.store.filter.types);
    for (const t of types) on ? picked.add(t) : picked.delete(t);
    this.change({ types: [...picked] });
  }

  private toggleFamilyOpen(family: string): void {
    const next = new Set(this.expandedFamilies);
    if (!next.delete(family)) next.add(family);
    this.expandedFamilies = next;
    this.host.requestUpdate();
  }

  private onSearchInput = (event: InputEvent): void => {
    this.searchDraft = (event.target as HTMLInputElement).value;
    this.host.requestUpdate();
    clearTimeout(this.searchTimer);
    this.searchTimer = setTimeout(() => this.flushSearch(true), this.host.searchDelay);
  };

  /** Applies (or drops) the typed search text. */
  flushSearch(applyDraft: boolean): void {
    clearTimeout(this.searchTimer);
    const draft = this.searchDraft;
    this.searchDraft = null;
    this.host.requestUpdate();
    if (applyDraft && draft !== null) this.change({ text: draft });
  }

  private onSearchKey = (event: KeyboardEvent): void => {
    if (event.key === 'Enter') {
      event.preventDefault();
      this.flushSearch(true);
    }
  };

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

  /** One filter's controls: a group of the panel, or the editor in a bar popover. */
  renderField(field: FilterField) {
    switch (field) {
      case 'dates':
        return this.renderDates();
      case 'temperatures':
        return this.renderList(field, TEMPERATURES, 'temperature', 'filters.temperatures');
      case 'stages':
        return this.renderList(field, STAGES, 'stage', 'filters.stages');
      case 'budget':
        return this.renderBudget();
      case 'timelines':
        return this.renderList(field, TIMELINES, 'timeline', 'filters.timelines');
      case 'types':
        return this.renderTypes();
      case 'text':
        return this.renderSearch();
    }
  }

  private renderDates() {
    const choice = this.dateChoice;
    const f = this.host.store.filter;
    const custom =
      choice === 'custom'
        ? html`<div class="row">
            <label class="field">${msg('filters.date.from')}
              <input type="date" part="date-from" .value=${dayString(f.from)} max=${dayString(f.to) || nothing}
                @change=${(e: Event) => this.setCustomDay('from', e.target as HTMLInputElement)}
                @blur=${(e: Event) => this.leaveCustomDay('from', e.target as HTMLInputElement)} />
            </label>
            <label class="field">${msg('filters.date.to')}
              <input type="date" part="date-to" .value=${dayString(f.to)} min=${dayString(f.from) || nothing}
                @change=${(e: Event) => this.setCustomDay('to', e.target as HTMLInputElement)}
                @blur=${(e: Event) => this.leaveCustomDay('to', e.target as HTMLInputElement)} />
            </label>
          </div>`
        : nothing;
    const options = DATE_CHOICES.map((c) =>
      this.option('radio', msg(`filters.date.${c}`), c === choice, () => this.pickDate(c), '', 'date'),
    );
    return this.fieldset('dates', msg('filters.dates'), html`<div class="options">${options}</div>${custom}`);
  }

  private renderList<K extends ListKey>(key: K, all: readonly NonNullable<Filter[K]>[number][], prefix: string, legend: StringKey) {
    const picked = (this.host.store.filter[key] ?? []) as readonly string[];
    const options = all.map((v) =>
      this.option('checkbox', msg(`${prefix}.${v}` as StringKey), picked.includes(v), (on) => this.toggleIn(key, v, on)),
    );
    return this.fieldset(key, msg(legend), html`<div class="options">${options}</div>`);
  }

  private renderBudget() {
    const f = this.host.store.filter;
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
    const picked = expandTypes(this.host.store.filter.types);
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
          maxlength="200" .value=${this.searchDraft ?? this.host.store.filter.text ?? ''}
          @input=${this.onSearchInput} @keydown=${this.onSearchKey} />
        <span id="search-hint" class="hint">${msg('filters.search.hint')}</span>`,
    );
  }
}
