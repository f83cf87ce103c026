import { css, html, type PropertyValues } from 'lit';
import { property } from 'lit/decorators.js';
import { LeadwireElement } from '../core/element.ts';
import { emit } from '../core/emit.ts';
import { msg } from '../core/l10n.ts';
import type { GroupKey, GroupStore } from '../core/store.ts';
import { THEME_CHOICES, type ThemeChoice } from '../core/tokens.ts';
import type {} from './events.ts';

export type { ThemeChangeDetail } from './events.ts';

/**
 * Picks the theme of its group's widgets: light, dark, high contrast, or auto (follows the
 * system's colour-scheme and contrast preferences). Remembered per site. Themes Leadwire widgets
 * only unless `apply-to-root` is set.
 *
 * @tagname theme-toggle
 * @csspart group - The fieldset holding the options.
 * @csspart label - The legend ("Theme").
 * @csspart option - Each option's label.
 * @csspart option-checked - The checked option's label (with `option`).
 * @cssprop --lw-color-accent - Fill of the checked option.
 * @fires {CustomEvent<ThemeChangeDetail>} lw-theme-change - The user picked a theme.
 */
export class ThemeToggle extends LeadwireElement {
  static override styles = [
    ...LeadwireElement.styles,
    css`
      :host {
        display: inline-block;
      }
      fieldset {
        display: inline-flex;
        flex-wrap: wrap;
        gap: 2px;
        margin: 0;
        padding: 2px;
        border: 1px solid var(--_border);
        border-radius: var(--_radius);
        background: var(--_surface);
      }
      legend {
        position: absolute;
        width: 1px;
        height: 1px;
        overflow: hidden;
        clip: rect(0 0 0 0);
      }
      label {
        position: relative;
        display: inline-flex;
        align-items: center;
        min-height: 28px;
        padding: 2px var(--_space-2);
        border-radius: calc(var(--_radius) - 2px);
        color: var(--_text);
        cursor: pointer;
        font-size: var(--_font-size-small);
        transition: background-color var(--_motion);
      }
      input {
        position: absolute;
        inset: 0;
        margin: 0;
        opacity: 0;
        cursor: pointer;
      }
      label:has(input:focus-visible) {
        outline: var(--_focus-ring);
        outline-offset: 1px;
      }
      label[data-checked] {
        background: var(--_accent);
        color: var(--_on-accent);
      }
      /* Forced colours: the checked option as a selection, in the one pair made to be read together. */
      @media (forced-colors: active) {
        label[data-checked] {
          forced-color-adjust: none;
          background: Highlight;
          color: HighlightText;
          border: 2px solid Highlight;
        }
      }
    `,
  ];

  /** Also set `data-lw-theme` and `color-scheme` on the page's <html> element. */
  @property({ type: Boolean, reflect: true, attribute: 'apply-to-root' }) applyToRoot = false;

  /** The current choice (the group's). */
  get value(): ThemeChoice {
    return this.store.themeChoice;
  }
  set value(choice: ThemeChoice) {
    this.store.setTheme(choice);
  }

  protected override groupChanged(key: GroupKey, store: GroupStore): void {
    super.groupChanged(key, store);
    if (key === 'theme') this.applyRoot();
  }

  protected override updated(changed: PropertyValues<this>): void {
    if (changed.has('applyToRoot')) this.applyRoot();
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    if (this.applyToRoot) this.clearRoot();
  }

  private applyRoot(): void {
    if (!this.applyToRoot) return;
    const root = document.documentElement;
    root.dataset.lwTheme = this.store.theme;
    root.style.colorScheme = this.store.theme === 'light' ? 'light' : 'dark';
  }

  private clearRoot(): void {
    delete document.documentElement.dataset.lwTheme;
    document.documentElement.style.removeProperty('color-scheme');
  }

  private pick(choice: ThemeChoice): void {
    this.store.setTheme(choice);
    emit(this, 'lw-theme-change', { choice, theme: this.store.theme });
  }

  protected override render() {
    const current = this.store.themeChoice;
    return html`<fieldset part="group" role="radiogroup" aria-label=${msg('theme.label')}>
      <legend part="label">${msg('theme.label')}</legend>
      ${THEME_CHOICES.map(
        (choice) =>
          html`<label part=${choice === current ? 'option option-checked' : 'option'} ?data-checked=${choice === current}>
            <input
              type="radio"
              name="theme"
              .value=${choice}
              .checked=${choice === current}
              @change=${() => this.pick(choice)}
            />${msg(`theme.${choice}`)}
          </label>`,
      )}
    </fieldset>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'theme-toggle': ThemeToggle;
  }
}
