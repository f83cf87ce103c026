/**
 * The saved-filters manager of <global-filters>: the list (apply, default, rename, delete) and
 * the save row, with their keyboard and focus handling and styles. It works through the
 * widget's public preset API (the storage, presets.ts, is the widget's: it loads when the widget
 * restores its filter), and is loaded when the saved filters are first opened, with its texts.
 */
import { css, html, type LitElement, type ReactiveController } from 'lit';
import { adoptStyles } from '../core/element.ts';
import { addStrings, msg } from '../core/l10n.ts';
import { presetManagerStrings } from '../core/strings/preset-manager.ts';
import type { Preset } from './presets.ts';

addStrings(presetManagerStrings);

const managerStyles = css`
  .presets-list {
    display: flex;
    flex-direction: column;
    gap: var(--_space-1);
    margin: 0;
    padding: 0;
    list-style: none;
  }
  .preset {
    display: flex;
    flex-wrap: wrap;
    align-items: center;
    gap: var(--_space-1);
  }
  .grow {
    flex: 1 1 10em;
  }
  .link {
    border-color: transparent;
    color: var(--_accent);
    text-align: start;
    text-decoration: underline;
  }
  button[aria-pressed='true'] {
    border-color: var(--_accent);
    color: var(--_accent);
  }
  @media (forced-colors: active) {
    button[aria-pressed='true'] {
      border: 2px solid Highlight;
    }
  }
`;

/** <global-filters> as the manager uses it: its public preset API. */
export interface PresetHost extends LitElement {
  readonly presets: Preset[];
  savePreset(name: string): Preset;
  applyPreset(id: string): void;
  renamePreset(id: string, name: string): boolean;
  deletePreset(id: string): void;
  setDefaultPreset(id: string | null): void;
}

export class PresetManager implements ReactiveController {
  /** The preset whose name is being edited. */
  private renaming: string | null = null;

  /** `ready()`: whether the tenant (the storage key) is known, so presets can be saved. */
  constructor(
    private readonly el: PresetHost,
    private readonly ready: () => boolean,
  ) {
    el.addController(this);
    adoptStyles(el.renderRoot as ShadowRoot, managerStyles);
  }

  hostUpdate(): void {
    // A preset renamed away (deleted, or another tenant's list): leave rename mode.
    if (this.renaming && !this.el.presets.some((p) => p.id === this.renaming)) this.renaming = null;
  }

  private query<T extends HTMLElement>(selector: string): T | null {
    return this.el.renderRoot.querySelector<T>(selector);
  }

  private onSaveKey = (event: KeyboardEvent) => {
    if (event.key === 'Enter') {
      event.preventDefault();
      this.saveFromInput();
    }
  };

  private saveFromInput = () => {
    const input = this.query<HTMLInputElement>('#preset-name')!;
    if (!input.value.trim()) return input.focus();
    this.el.savePreset(input.value);
    input.value = '';
  };

  private async startRename(id: string): Promise<void> {
    this.renaming = id;
    this.el.requestUpdate();
    await this.el.updateComplete;
    const input = this.query<HTMLInputElement>('[part~="preset"] [part~="preset-name"]');
    input?.focus();
    input?.select();
  }

  private async finishRename(id: string, input: HTMLInputElement, keep: boolean): Promise<void> {
    if (this.renaming !== id) return;
    if (keep && input.value.trim() && !this.el.renamePreset(id, input.value)) return input.focus();
    this.renaming = null;
    this.el.requestUpdate();
    await this.el.updateComplete;
    this.query(`[data-preset="${CSS.escape(id)}"] [part~="preset-rename"]`)?.focus();
  }

  private onRenameKey(event: KeyboardEvent, id: string): void {
    if (event.key !== 'Enter' && event.key !== 'Escape') return;
    event.preventDefault();
    void this.finishRename(id, event.target as HTMLInputElement, event.key === 'Enter');
  }

  private renderPreset(preset: Preset) {
    const { id, name } = preset;
    const main =
      this.renaming === id
        ? html`<input class="grow" part="preset-name" .value=${name} aria-label=${msg('filters.presets.new-name', { name })}
            maxlength="80" @keydown=${(e: KeyboardEvent) => this.onRenameKey(e, id)}
            @blur=${(e: FocusEvent) => this.finishRename(id, e.target as HTMLInputElement, true)} />`
        : html`<button type="button" class="grow link" part="preset-apply" aria-label=${msg('filters.presets.apply', { name })}
            @click=${() => this.el.applyPreset(id)}>${name}</button>`;
    return html`<li class="preset" part="preset" data-preset=${id}>
      ${main}
      <button type="button" part="preset-default" aria-pressed=${preset.default ? 'true' : 'false'}
        aria-label=${msg('filters.presets.make-default', { name })}
        @click=${() => this.el.setDefaultPreset(preset.default ? null : id)}>
        <span aria-hidden="true">${preset.default ? '★' : '☆'}</span> ${msg('filters.presets.default')}
      </button>
      <button type="button" part="preset-rename" aria-label=${msg('filters.presets.rename-label', { name })}
        @click=${() => this.startRename(id)}>${msg('filters.presets.rename')}</button>
      <button type="button" part="preset-delete" aria-label=${msg('filters.presets.delete-label', { name })}
        @click=${() => this.el.deletePreset(id)}>${msg('filters.presets.delete')}</button>
    </li>`;
  }

  render() {
    const presets = this.el.presets;
    const list = presets.length
      ? html`<ul class="presets-list">${presets.map((p) => this.renderPreset(p))}</ul>`
      : html`<p class="hint">${msg('filters.presets.empty')}</p>`;
    const unavailable = !this.ready();
    return html`${list}
      <div class="row">
        <input id="preset-name" class="grow" part="preset-name" maxlength="80" aria-label=${msg('filters.presets.name')}
          ?disabled=${unavailable} @keydown=${this.onSaveKey} />
        <button type="button" part="preset-save" ?disabled=${unavailable} @click=${this.saveFromInput}>${msg('filters.presets.save')}</button>
      </div>`;
  }
}
