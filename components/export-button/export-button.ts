import { html, nothing, type PropertyValues } from 'lit';
import { property, query, state } from 'lit/decorators.js';
import { LeadwireElement } from '../core/element.ts';
import { Lazy } from '../core/lazy.ts';
import { msg } from '../core/l10n.ts';
import type { GroupKey, GroupStore } from '../core/store.ts';
import { tokenClaims } from '../core/token-source.ts';
import type { Column } from './columns.ts';
import { EXPORT_FORMATS } from './formats.ts';
import type {} from './events.ts';
import { exportButtonStyles } from './export-button.styles.ts';
import type { ExportMenu } from './menu.ts';

export type { ExportSource } from './host.ts';
export type {
  ExportCompleteDetail,
  ExportErrorDetail,
  ExportKind,
  ExportProgressEventDetail,
  ExportStartDetail,
} from './events.ts';

/** Why the button is disabled, when it is. */
export type DisabledReason = 'scope' | 'checking' | 'auth' | null;

/** The menu, the export run and its progress: imported on first intent (hover, focus, click). */
const menuPart = new Lazy('<export-button>: the export menu', () => import('./menu.ts'));

/** Scopes named in a JWT's payload (not verified here: the gateway verifies). */
export function tokenScopes(token: string): string[] {
  const scopes = tokenClaims(token)?.scopes;
  return Array.isArray(scopes) ? scopes.filter((s): s is string => typeof s === 'string') : [];
}

/**
 * Exports rows as CSV, Excel, JSON or a PDF report — by default every event matching the group's
 * filter, paged through the gateway's history (not only what the feed holds; `rows-from="feed"`
 * takes the feed's rows), else an element named by `for`, or `rows` set as a property — and chart images when the
 * source offers charts. Carries the filter summary into every file, shows progress with a
 * cancel, and records each export with the gateway when the token has the `export` scope;
 * without it the button is disabled and says why.
 *
 * @tagname export-button
 * @csspart base - The wrapper of everything visible.
 * @csspart trigger - The Export button that opens the format menu.
 * @csspart caret - The menu arrow inside the trigger.
 * @csspart menu - The format menu.
 * @csspart item - One format in the menu.
 * @csspart progress - The progress bar while exporting.
 * @csspart progress-label - The "Exporting CSV… 40%" text.
 * @csspart cancel - The cancel button while exporting.
 * @csspart reason - Why the button is disabled.
 * @csspart status - The outcome of the last export (announced politely).
 * @cssprop --lw-export-background - Trigger background (default: the accent colour).
 * @cssprop --lw-export-color - Trigger text colour.
 * @cssprop --lw-export-menu-z-index - Stacking of the open menu (default 10).
 * @cssprop --lw-color-accent - Accent colour (trigger, focused item, progress).
 * @fires {CustomEvent<ExportStartDetail>} lw-export-start - The user picked a format; cancelable (the export does not run).
 * @fires {CustomEvent<ExportProgressEventDetail>} lw-export-progress - Part of the export is done.
 * @fires {CustomEvent<ExportCompleteDetail>} lw-export-complete - The file is ready; cancelable (no download: use detail.blob).
 * @fires {CustomEvent<ExportErrorDetail>} lw-export-error - The export failed or was cancelled.
 */
export class ExportButton extends LeadwireElement {
  static override styles = [...LeadwireElement.styles, exportButtonStyles];
  static override groupKeys: readonly GroupKey[] = ['theme', 'filter', 'gateway'];

  /** Id of the element whose rows to export (see ExportSource); default: the group's feed. */
  @property() for: string | null = null;
  /** Rows to export instead of any source. */
  @property({ attribute: false }) rows: readonly unknown[] | undefined;
  /** Columns (key, header, formatter); default: suited to the rows. */
  @property({ attribute: false }) columns: readonly Column[] | undefined;
  /** Data formats offered, comma-separated. */
  @property() formats: string = EXPORT_FORMATS.join(',');
  /** Base of the file name; a date and time are appended. */
  @property() filename = 'leadwire-activity';
  /** Title of PDF reports and XLSX properties. */
  @property({ attribute: 'report-title' }) reportTitle: string = msg('export.title');
  /** Filter summary to carry; default: the group's filters described. */
  @property({ attribute: 'filter-summary' }) filterSummary: string | null = null;
  /** Write text that looks like a formula as it is (default: neutralised with a leading `'`). */
  @property({ type: Boolean, attribute: 'allow-formulas' }) allowFormulas = false;
  /**
   * Where a default export (no `rows`, no `for`) takes its rows: `history` — every event matching
   * the group's filter, from the gateway (at most `max-rows`) — or `feed`, the rows the feed shows.
   */
  @property({ attribute: 'rows-from' }) rowsFrom: 'history' | 'feed' = 'history';
  /** The most events an export from history takes; past it the export stops and says why. */
  @property({ type: Number, attribute: 'max-rows' }) maxRows = 100_000;
  /** Disabled by the host page. */
  @property({ type: Boolean, reflect: true }) disabled = false;
  /** Reflected while an export runs. */
  @property({ type: Boolean, reflect: true }) exporting = false;

  /** `unavailable`: no token could be fetched (signed out): checked again with each new token. */
  @state() private access: 'local' | 'checking' | 'granted' | 'denied' | 'unavailable' = 'local';
  /** The menu, the export run and its progress: loaded on first use (./menu.ts). */
  @state() private menu: ExportMenu | undefined;

  @query('[part~="trigger"]') private trigger!: HTMLButtonElement;

  private menuLoad: Promise<ExportMenu | undefined> | undefined;
  private accessCheck = 0;
  private stopTokenWatch: (() => void) | undefined;

  /** Why the button is disabled by access ('scope', 'checking', 'auth': no token) or null. */
  get disabledReason(): DisabledReason {
    if (this.access === 'unavailable') return 'auth';
    return this.access === 'denied' ? 'scope' : this.access === 'checking' ? 'checking' : null;
  }

  /** Cancels a running export. */
  cancel(): void {
    this.menu?.cancel();
  }

  protected override groupChanged(key: GroupKey, store: GroupStore): void {
    super.groupChanged(key, store);
    if (key === 'gateway') {
      // Each token the connection fetches is checked again: a token URL that refused (signed
      // out) and answers later enables the button without a reload.
      this.stopTokenWatch?.();
      this.stopTokenWatch = store.client?.watchToken(() => void this.checkAccess());
      void this.checkAccess();
    }
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.stopTokenWatch?.();
    this.stopTokenWatch = undefined;
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    super.willUpdate(changed);
    if (changed.has('token') || changed.has('tokenUrl')) void this.checkAccess();
  }

  // ---- access -------------------------------------------------------------------------------

  /**
   * The token to check and send: the `token` attribute, else the one the group's connection
   * uses (fetched from its `token-url` once, and kept fresh, by that connection: no second fetch).
   */
  private async currentToken(): Promise<string | undefined> {
    if (this.token) return this.token;
    return this.store.client?.token();
  }

  private async checkAccess(): Promise<void> {
    const check = ++this.accessCheck;
    const gateway = this.store.gateway;
    if (!this.token && !gateway?.token && !gateway?.tokenUrl) {
      this.access = 'local'; // no credentials (rows of the page's own, a gateway without auth): nothing to authorise
      return;
    }
    this.access = 'checking';
    let current: string | undefined;
    let fetched = true;
    try {
      current = await this.currentToken();
    } catch {
      fetched = false;
    }
    if (check !== this.accessCheck) return;
    this.access = !fetched ? 'unavailable' : current && tokenScopes(current).includes('export') ? 'granted' : 'denied';
    if (this.access !== 'granted') this.menu?.close(false);
  }

  // ---- the menu, on first use ---------------------------------------------------------------

  /** Loads the menu (on intent: hover or focus of the trigger, at the latest the click). */
  private loadMenu = (): Promise<ExportMenu | undefined> =>
    (this.menuLoad ??= menuPart.load().then((part) => {
      if (part) return (this.menu = new part.ExportMenu(this, { token: () => this.currentToken(), audited: () => this.access === 'granted', trigger: () => this.trigger }));
      this.menuLoad = undefined; // failed (reported): the next try loads it again
      return undefined;
    }));

  private async onTrigger(): Promise<void> {
    const menu = await this.loadMenu();
    if (menu?.open) menu.close();
    else void menu?.openMenu();
  }

  private async onTriggerKey(event: KeyboardEvent): Promise<void> {
    if (event.key !== 'ArrowDown' && event.key !== 'ArrowUp') return;
    event.preventDefault();
    void (await this.loadMenu())?.openMenu(event.key === 'ArrowDown' ? 'first' : 'last');
  }

  // ---- render -------------------------------------------------------------------------------

  protected override render() {
    const reason = this.disabledReason;
    const disabled = this.disabled || !!reason;
    const menu = this.menu;
    const open = !!menu?.open && !disabled;
    return html`<div part="base">
      ${menu?.running
        ? menu.renderProgress()
        : html`<button
              part="trigger"
              type="button"
              aria-haspopup="menu"
              aria-expanded=${open ? 'true' : 'false'}
              aria-controls=${open ? 'menu' : nothing}
              aria-describedby=${reason ? 'reason' : nothing}
              ?disabled=${disabled}
              @click=${this.onTrigger}
              @keydown=${this.onTriggerKey}
              @pointerenter=${this.loadMenu}
              @focus=${this.loadMenu}
            >
              ${msg('export.label')}<span part="caret" aria-hidden="true">▾</span>
            </button>
            ${reason
              ? html`<span part="reason" id="reason"
                  >${msg(`export.reason.${reason}`)}</span
                >`
              : nothing}
            ${open ? menu.renderMenu() : nothing}`}
      <span part="status" role="status" data-kind=${menu?.status?.kind ?? nothing}>${menu?.status?.text ?? ''}</span>
    </div>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'export-button': ExportButton;
  }
}
