/**
 * The bar layout of <global-filters>: one row of chips — the date, then each active filter with
 * its value and a remove button — an "Add filter" menu for the rest, and the saved filters as a
 * menu. Each editor is a native popover (top layer, light dismiss, Escape) placed at the chip or
 * button that opened it; Tab stays inside it, and closing it returns focus to that chip (or, for
 * a filter just added, to its new chip). The chips are drawn from the group's filter on every
 * render, so whatever changed it (the URL, a preset, a sibling widget) they show.
 *
 * Loaded when the first bar-layout widget connects (the core bytes carry only a one-line
 * summary shown until then), with its texts and the popover helpers.
 */
import { css, html, nothing, type ReactiveController, type ReactiveControllerHost } from 'lit';
import { adoptStyles } from '../core/element.ts';
import type { Filter } from '../../protocol/index.ts';
import { addStrings, msg, type StringKey } from '../core/l10n.ts';
import { placePopover, tabStops, trapTab } from '../core/popover.ts';
import { filterBarStrings } from '../core/strings/filter-bar.ts';
import type { GroupStore } from '../core/store.ts';
import type { FilterControls } from './controls.ts';
import { fieldText, FILTER_FIELDS, type FilterField } from '../core/filter-summary.ts';

addStrings(filterBarStrings);

const LABELS: Record<FilterField, StringKey> = {
  dates: 'filters.dates',
  temperatures: 'filters.temperatures',
  stages: 'filters.stages',
  budget: 'filters.budget',
  timelines: 'filters.timelines',
  types: 'filters.types',
  text: 'filters.search',
};
/** The filters the "Add filter" menu offers, in its order (the date has a chip of its own). */
const ADDABLE = FILTER_FIELDS.filter((f) => f !== 'dates');
/** What clearing each filter sets. */
const CLEARED: Record<FilterField, Partial<Filter>> = {
  dates: { from: undefined, to: undefined, datePreset: undefined },
  temperatures: { temperatures: undefined },
  stages: { stages: undefined },
  budget: { budgetMin: undefined, budgetMax: undefined },
  timelines: { timelines: undefined },
  types: { types: undefined },
  text: { text: undefined },
};

const barStyles = css`
  .base.layout-bar {
    padding: var(--_space-2) var(--_space-3);
  }
  .chips-bar,
  .chips,
  .bar-end {
    display: flex;
    flex-wrap: wrap;
    align-items: center;
    gap: var(--_space-2);
  }
  .chips {
    margin: 0;
    padding: 0;
    list-style: none;
  }
  .bar-end {
    margin-inline-start: auto;
  }
  .chip {
    display: inline-flex;
    align-items: center;
    min-width: 0;
    max-width: 100%;
    border: 1px solid var(--_border);
    border-radius: 999px;
    background: var(--_surface-raised);
  }
  .chip button {
    min-height: var(--lw-chip-height, 28px);
    border: 0;
    border-radius: 999px;
    background: transparent;
  }
  [part~='chip-button'] {
    overflow: hidden;
    padding: 0 var(--_space-2) 0 var(--_space-3);
    text-overflow: ellipsis;
    white-space: nowrap;
  }
  .chip-label {
    color: var(--_text-muted);
  }
  .chip-value {
    font-weight: 600;
  }
  .chip-remove {
    min-width: var(--lw-chip-height, 28px);
    padding: 0;
  }
  [part~='add-filter'] {
    min-height: var(--lw-chip-height, 28px);
    border-style: dashed;
    border-radius: 999px;
  }
  .popover {
    position: fixed;
    inset: auto;
    width: max-content;
    min-width: min(240px, calc(100vw - 16px));
    max-width: min(560px, calc(100vw - 16px));
    margin: 0;
    padding: var(--_space-3);
    overflow: auto;
    border: 1px solid var(--_border);
    border-radius: var(--_radius);
    background: var(--_surface);
    color: var(--_text);
    box-shadow: 0 6px 24px rgb(0 0 0 / 24%);
  }
  .popover .group {
    padding: 0;
    border: 0;
    background: none;
  }
  .popover[role='menu'] {
    display: none;
    flex-direction: column;
    padding: var(--_space-1);
  }
  .popover[role='menu']:popover-open {
    display: flex;
  }
  [role='menuitem'] {
    border-color: transparent;
    text-align: start;
  }
  [role='menuitem']:hover,
  [role='menuitem']:focus-visible {
    background: var(--_surface-raised);
  }
  .popover-actions {
    display: flex;
    justify-content: flex-end;
    margin-top: var(--_space-3);
  }
  @media (forced-colors: active) {
    .chip,
    .popover {
      border-color: CanvasText;
    }
    .popover {
      box-shadow: none;
    }
  }
`;

/** The widget as the bar uses it. */
export interface FilterBarHost extends ReactiveControllerHost {
  readonly store: GroupStore;
  readonly renderRoot: HTMLElement | DocumentFragment;
  readonly isConnected: boolean;
  readonly layout: 'bar' | 'panel';
  /** The saved filters' menu is open (a public, reflected property of the widget). */
  presetsOpen: boolean;
  readonly presets: readonly unknown[];
  reset(): void;
}

export class FilterBar implements ReactiveController {
  /** The id of the popover showing, if any. */
  private openId: string | null = null;
  /** What each popover was opened from, to place it there and return focus to. */
  private readonly anchors = new Map<string, string>();
  private readonly reposition = () => {
    const popover = this.openId && this.byId(this.openId);
    const anchor = this.openId && this.anchorOf(this.openId);
    if (popover && anchor) placePopover(popover, anchor);
  };

  /** @param change applies a change of the filter as the user's (with `filter-change`) */
  constructor(
    private readonly host: FilterBarHost,
    private readonly change: (patch: Partial<Filter>) => void,
  ) {
    host.addController(this);
    adoptStyles(host.renderRoot as ShadowRoot, barStyles);
  }

  hostDisconnected(): void {
    this.listen(false);
  }

  /** `presets-open` set from outside opens or closes the saved filters' menu. */
  hostUpdated(): void {
    if (this.host.layout !== 'bar' || !this.host.isConnected) return;
    const saved = this.byId('pop-saved');
    if (!saved || saved.matches(':popover-open') === this.host.presetsOpen) return;
    if (this.host.presetsOpen) saved.showPopover();
    else saved.hidePopover();
  }

  private byId(id: string | undefined): HTMLElement | null {
    return id ? this.host.renderRoot.querySelector<HTMLElement>(`#${id}`) : null;
  }

  /** What opened popover `id`; one opened by a property (`presets-open`) is placed at its button. */
  private anchorOf(id: string): HTMLElement | null {
    const opener = id === 'pop-saved' ? 'presets-toggle' : id === 'pop-add' ? 'add-filter' : `chip-${id.slice(4)}`;
    return this.byId(this.anchors.get(id)) ?? this.byId(opener) ?? this.byId('add-filter') ?? this.byId('chip-dates');
  }

  private listen(on: boolean): void {
    const method = on ? 'addEventListener' : 'removeEventListener';
    window[method]('resize', this.reposition);
    window[method]('scroll', this.reposition, true);
  }

  /** Where focus goes when a popover closes: its chip if it has one now, else what opened it. */
  private returnTarget(id: string): HTMLElement | null {
    const field = id.startsWith('pop-') ? id.slice(4) : '';
    return this.byId(`chip-${field}`) ?? this.anchorOf(id);
  }

  private onBeforeToggle(event: ToggleEvent, id: string): void {
    const popover = event.target as HTMLElement;
    const anchor = this.anchorOf(id);
    if (event.newState === 'open' && anchor) placePopover(popover, anchor, false);
  }

  private async onToggle(event: ToggleEvent, id: string): Promise<void> {
    const popover = event.target as HTMLElement;
    const root = this.host.renderRoot as ShadowRoot;
    if (event.newState === 'open') {
      this.openId = id;
      if (id === 'pop-saved') this.host.presetsOpen = true;
      this.host.requestUpdate();
      await this.host.updateComplete;
      const anchor = this.anchorOf(id);
      if (anchor) placePopover(popover, anchor);
      this.listen(true);
      if (!root.activeElement || !popover.contains(root.activeElement)) {
        const first = id === 'pop-add' ? popover.querySelector<HTMLElement>('[role="menuitem"]') : tabStops(popover)[0];
        first?.focus();
      }
      return;
    }
    if (this.openId === id) {
      this.openId = null;
      this.listen(false);
    }
    if (id === 'pop-saved') this.host.presetsOpen = false;
    this.host.requestUpdate();
    await this.host.updateComplete;
    // Focus inside the closed popover (or lost with it) goes back; focus the user moved elsewhere stays.
    const active = root.activeElement;
    if (!active || popover.contains(active)) this.returnTarget(id)?.focus();
  }

  private onPopoverKey(event: KeyboardEvent): void {
    const popover = event.currentTarget as HTMLElement;
    if (event.key === 'Escape' && !event.defaultPrevented) {
      event.preventDefault();
      event.stopPropagation();
      popover.hidePopover();
      return;
    }
    if (popover.getAttribute('role') === 'menu') this.moveInMenu(event, popover);
    trapTab(event, popover);
  }

  private moveInMenu(event: KeyboardEvent, menu: HTMLElement): void {
    const items = [...menu.querySelectorAll<HTMLElement>('[role="menuitem"]')];
    const at = items.indexOf((this.host.renderRoot as ShadowRoot).activeElement as HTMLElement);
    const next = { ArrowDown: at + 1, ArrowUp: at - 1, Home: 0, End: items.length - 1 }[event.key];
    if (next === undefined) return;
    event.preventDefault();
    items[(next + items.length) % items.length]?.focus();
  }

  /** Opens a filter's editor from the "Add filter" menu, at the menu's button. */
  private add(field: FilterField): void {
    this.byId('pop-add')?.hidePopover();
    this.anchors.set(`pop-${field}`, 'add-filter');
    this.byId(`pop-${field}`)?.showPopover();
  }

  private async remove(field: FilterField): Promise<void> {
    this.change(CLEARED[field]);
    await this.host.updateComplete;
    // The chip is gone: focus goes to the button that can bring it back.
    (this.byId('add-filter') ?? this.byId('chip-dates'))?.focus();
  }

  private popover(id: string, label: string, content: unknown, role: 'dialog' | 'menu' = 'dialog') {
    return html`<div id=${id} popover class="popover" part="popover ${id}" role=${role} aria-label=${label}
      @beforetoggle=${(e: ToggleEvent) => this.onBeforeToggle(e, id)} @toggle=${(e: ToggleEvent) => this.onToggle(e, id)}
      @keydown=${(e: KeyboardEvent) => this.onPopoverKey(e)}>${content}</div>`;
  }

  /** A button opening popover `target` (the browser keeps its own click from light-dismissing it). */
  private opener(id: string, target: string, part: string, content: unknown, haspopup: 'dialog' | 'menu' = 'dialog', label?: string) {
    return html`<button type="button" id=${id} part=${part} popovertarget=${target} aria-haspopup=${haspopup}
      aria-expanded=${this.openId === target ? 'true' : 'false'} aria-controls=${target} aria-label=${label ?? nothing}
      @click=${() => this.anchors.set(target, id)}>${content}</button>`;
  }

  private chip(field: FilterField, value: string, removable: boolean) {
    const label = msg(LABELS[field]);
    return html`<li class="chip" part="chip chip-${field}" data-field=${field}>
      ${this.opener(`chip-${field}`, `pop-${field}`, 'chip-button', html`<span class="chip-label">${label}:</span> <span class="chip-value" part="chip-value">${value}</span>`)}
      ${removable
        ? html`<button type="button" class="chip-remove" part="chip-remove" aria-label=${msg('filters.remove', { field: label })}
            @click=${() => this.remove(field)}><span aria-hidden="true">×</span></button>`
        : nothing}
    </li>`;
  }

  /**
   * @param controls each filter's controls (the panel layout's, reused as editors)
   * @param saved the saved filters' manager, once loaded
   */
  render(controls: FilterControls, saved: unknown, canReset: boolean) {
    const filter = this.host.store.filter;
    const active = ADDABLE.filter((field) => fieldText(filter, field));
    const inactive = ADDABLE.filter((field) => !active.includes(field));
    const count = this.host.presets.length;
    const done = (id: string) => html`<div class="popover-actions">
      <button type="button" part="popover-done" @click=${() => this.byId(id)?.hidePopover()}>${msg('filters.done')}</button>
    </div>`;
    return html`<div class="chips-bar" part="bar">
        <ul class="chips" part="chips" aria-label=${msg('filters.label')}>
          ${this.chip('dates', fieldText(filter, 'dates') || msg('filters.date.any'), !!fieldText(filter, 'dates'))}
          ${active.map((field) => this.chip(field, fieldText(filter, field), true))}
        </ul>
        ${inactive.length
          ? this.opener('add-filter', 'pop-add', 'add-filter', html`<span aria-hidden="true">+</span> ${msg('filters.add')}`, 'menu')
          : nothing}
        <span class="bar-end">
          ${this.opener('presets-toggle', 'pop-saved', 'presets-toggle', html`${msg('filters.presets')}${count ? ` (${count})` : ''} <span aria-hidden="true">▾</span>`)}
          <button type="button" part="reset" ?disabled=${!canReset} @click=${() => this.host.reset()}>${msg('filters.reset')}</button>
        </span>
      </div>
      ${this.popover(
        'pop-add',
        msg('filters.add'),
        inactive.map(
          (field) => html`<button type="button" role="menuitem" tabindex="-1" part="add-item" data-field=${field} @click=${() => this.add(field)}>
            ${msg(LABELS[field])}
          </button>`,
        ),
        'menu',
      )}
      ${FILTER_FIELDS.map((field) => this.popover(`pop-${field}`, msg(LABELS[field]), html`${controls.renderField(field)}${done(`pop-${field}`)}`))}
      ${this.popover('pop-saved', msg('filters.presets'), html`${saved ?? nothing}${done('pop-saved')}`)}`;
  }
}
