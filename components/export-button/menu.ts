/**
 * The part of <export-button> used only once someone reaches for it: the format menu (keyboard
 * and pointer), the export run (events, progress, cancel, download, audit) and the progress
 * view. The button loads this module on first intent (hover, focus, click), so a page that never
 * exports does not pay for it; the export code itself (./export-code.ts) loads when a format is
 * picked.
 */
import { css, html, type ReactiveController } from 'lit';
import { adoptStyles } from '../core/element.ts';
import { emit } from '../core/emit.ts';
import { Lazy } from '../core/lazy.ts';
import { addStrings, formatNumber, msg } from '../core/l10n.ts';
import { historyRows } from './history-rows.ts';
import { exportMenuStrings } from '../core/strings/export-menu.ts';
import { endpoint } from '../core/transport.ts';
// One summary line everywhere: what <global-filters> shows is what an export prints.
import { summarizeFilter } from '../core/filter-summary.ts';
import { exportFileName, saveBlob } from './download.ts';
import type { ExportKind, ExportStartDetail } from './events.ts';
import type { ExportButtonHost, ExportSource } from './host.ts';
import { EXPORT_FORMATS, type ExportFormat } from './formats.ts';
import type { ChartImage } from './images.ts';

type ExportDetailBase = ExportStartDetail;
/** The row → file code and the chart exports, imported when a format is first picked. */
const exportCode = new Lazy('<export-button>: the export code', () => import('./export-code.ts'));
type Choice = { kind: 'data'; format: ExportFormat } | { kind: 'png' | 'svg'; chart: ChartImage } | { kind: 'charts-pdf' };

/** What the menu needs of the button beyond its public API. */
export interface MenuHost {
  /** The token to record the export with. */
  token(): Promise<string | undefined>;
  /** Whether the token has the export scope (recording is attempted only then). */
  audited(): boolean;
  trigger(): HTMLButtonElement | undefined;
}

addStrings(exportMenuStrings);

/** The open menu and the progress view; adopted beside the button's own styles when loaded. */
const menuStyles = css`
  [part~='menu'] {
    position: absolute;
    z-index: var(--lw-export-menu-z-index, 10);
    top: calc(100% + 4px);
    inset-inline-start: 0;
    min-width: 200px;
    margin: 0;
    padding: var(--_space-1);
    border: 1px solid var(--_border);
    border-radius: var(--_radius);
    background: var(--_surface-raised);
    box-shadow: 0 4px 16px rgb(0 0 0 / 0.18);
  }
  [part~='item'] {
    display: block;
    width: 100%;
    border: 0;
    background: transparent;
    text-align: start;
  }
  [part~='item']:hover,
  [part~='item']:focus-visible {
    background: var(--_accent);
    color: var(--_on-accent);
  }
  [part~='progress'] {
    width: 120px;
    height: 8px;
    accent-color: var(--_accent);
  }
  [part~='progress-label'] {
    font-size: var(--_font-size-small);
    color: var(--_text-muted);
  }
  @media (forced-colors: active) {
    [part~='item']:hover,
    [part~='item']:focus-visible {
      forced-color-adjust: none;
      background: Highlight;
      color: HighlightText;
      border: 2px solid ButtonText;
    }
  }
`;

export class ExportMenu implements ReactiveController {
  open = false;
  running: Choice | undefined;
  fraction = 0;
  status: { kind: 'done' | 'error'; text: string } | undefined;
  private charts: readonly ChartImage[] = [];
  private controller: AbortController | undefined;
  /** Events collected from history so far, while collecting. */
  private collected: number | undefined;

  constructor(
    private readonly el: ExportButtonHost,
    private readonly host: MenuHost,
  ) {
    el.addController(this);
    adoptStyles(el.renderRoot as ShadowRoot, menuStyles);
  }

  hostDisconnected(): void {
    this.cancel();
    document.removeEventListener('pointerdown', this.onOutsidePointer, true);
  }

  cancel(): void {
    this.controller?.abort();
  }

  // ---- source -------------------------------------------------------------------------------

  private sourceElement(): (Element & ExportSource) | undefined {
    const id = this.el.for;
    if (!id) return undefined;
    const root = this.el.getRootNode() as Document | ShadowRoot;
    return (root.getElementById?.(id) ?? document.getElementById(id)) as (Element & ExportSource) | undefined;
  }

  /** Whether the rows come from the gateway's history (a default export of a connected group). */
  private fromHistory(): boolean {
    return !this.el.rows && !this.el.for && this.el.rowsFrom === 'history' && !!this.el.store.client;
  }

  private async sourceRows(): Promise<readonly unknown[]> {
    if (this.el.rows) return this.el.rows;
    const source = this.sourceElement();
    if (source?.exportRows) return source.exportRows();
    if (source?.visibleEvents) return source.visibleEvents;
    if (this.el.for) throw new Error(`no export source with id "${this.el.for}"`);
    return this.el.store.visibleEvents;
  }

  // ---- menu ---------------------------------------------------------------------------------

  private items(): HTMLButtonElement[] {
    return [...this.el.renderRoot.querySelectorAll<HTMLButtonElement>('[part~="item"]')];
  }

  async openMenu(focus: 'first' | 'last' | null = 'first'): Promise<void> {
    this.charts = this.el.rows ? [] : (this.sourceElement()?.exportCharts?.() ?? []);
    this.open = true;
    document.addEventListener('pointerdown', this.onOutsidePointer, true);
    this.el.requestUpdate();
    await this.el.updateComplete;
    if (focus) this.items().at(focus === 'first' ? 0 : -1)?.focus();
  }

  close(refocus = true): void {
    if (!this.open) return;
    this.open = false;
    document.removeEventListener('pointerdown', this.onOutsidePointer, true);
    this.el.requestUpdate();
    if (refocus) this.host.trigger()?.focus();
  }

  private onOutsidePointer = (event: PointerEvent) => {
    if (!event.composedPath().includes(this.el)) this.close(false);
  };

  private onMenuKey = (event: KeyboardEvent) => {
    const items = this.items();
    const index = items.indexOf(this.el.renderRoot.querySelector(':focus') as HTMLButtonElement);
    const move = (to: number) => {
      event.preventDefault();
      items[(to + items.length) % items.length]?.focus();
    };
    if (event.key === 'ArrowDown') move(index + 1);
    else if (event.key === 'ArrowUp') move(index - 1);
    else if (event.key === 'Home') move(0);
    else if (event.key === 'End') move(items.length - 1);
    else if (event.key === 'Escape') {
      event.preventDefault();
      this.close();
    } else if (event.key === 'Tab') this.close(false);
  };

  // ---- the export ---------------------------------------------------------------------------

  private async audit(format: ExportKind, rows: number, filters: string, fileName: string): Promise<boolean> {
    const url = this.el.gateway ?? this.el.store.gateway?.url;
    const token = await this.host.token().catch(() => undefined);
    if (!this.host.audited() || !url || !token) return false;
    try {
      const response = await fetch(endpoint(url, '/v1/audit', 'http'), {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
        body: JSON.stringify({ format, rows, filters: filters.slice(0, 2_000), fileName }),
        signal: AbortSignal.timeout(10_000),
      });
      if (!response.ok) throw new Error(`HTTP ${response.status}`);
      return true;
    } catch (error) {
      console.warn(`[leadwire] the export was not recorded by the gateway: ${(error as Error).message}`);
      return false;
    }
  }

  private async run(choice: Choice): Promise<void> {
    const el = this.el;
    // Picked by keyboard (or with focus in the button): focus follows the export — to Cancel
    // while it runs, back to the trigger when it ends — instead of falling to <body> when the
    // trigger makes way for the progress bar.
    const hadFocus = el.matches(':focus-within');
    this.close(hadFocus);
    if (el.exporting) return;
    const format: ExportKind = choice.kind === 'data' ? choice.format : choice.kind === 'charts-pdf' ? 'pdf' : choice.kind;
    const fileName = exportFileName(choice.kind === 'png' || choice.kind === 'svg' ? `${el.filename}-${choice.chart.title}` : el.filename, format);
    let rows: readonly unknown[] = [];
    const base = () => ({ format, fileName, rows: rows.length });
    const fromHistory = this.fromHistory();
    try {
      if (!fromHistory) rows = await this.sourceRows();
    } catch (error) {
      this.fail(base(), error);
      return;
    }
    if (!emit(el, 'lw-export-start', base(), true)) return;

    const source = this.sourceElement();
    const filters = el.filterSummary ?? summarizeFilter(el.store.filter);
    const title = source?.exportTitle ?? el.reportTitle;
    const controller = (this.controller = new AbortController());
    el.exporting = true;
    this.running = choice;
    this.fraction = 0;
    this.status = undefined;
    el.requestUpdate();
    if (hadFocus) void el.updateComplete.then(() => el.renderRoot.querySelector<HTMLElement>('[part~="cancel"]')?.focus());
    let reported = -1;
    // With rows to collect first, collecting is the first half of the bar and writing the second.
    const share = fromHistory ? 0.5 : 0;
    const onProgress = ({ fraction: done }: { fraction: number }) => {
      const fraction = share + (1 - share) * done;
      this.fraction = fraction;
      el.requestUpdate();
      if (fraction - reported >= 0.01 || fraction === 1) {
        reported = fraction;
        emit(el, 'lw-export-progress', { ...base(), fraction });
      }
    };
    try {
      let blob: Blob;
      if (fromHistory) {
        rows = await historyRows(el.store.client!, el.store.filter, {
          signal: controller.signal,
          max: el.maxRows,
          onProgress: (done, count) => {
            this.collected = count;
            this.fraction = share * done;
            el.requestUpdate();
          },
        });
        this.collected = undefined;
      }
      const code = await exportCode.load();
      if (!code) throw new Error('the export code could not load');
      const { createExport, canvasToPng, chartToSvg, chartsToPdf, reportLabels } = code;
      if (choice.kind === 'data') {
        blob = await createExport(
          // A source's charts go into its PDF report, after the table: one report.
          { format: choice.format, rows, columns: el.columns ?? source?.exportColumns, title, filters, filter: el.store.filter, protect: !el.allowFormulas, charts: this.charts },
          { signal: controller.signal, onProgress },
        );
      } else {
        const meta = { title, filters, exportedAt: new Date(), rowCount: rows.length, labels: reportLabels() };
        if (choice.kind === 'png') blob = await canvasToPng(choice.chart.canvas);
        else if (choice.kind === 'svg') blob = chartToSvg(choice.chart);
        else blob = await chartsToPdf(this.charts, meta);
        if (controller.signal.aborted) throw controller.signal.reason;
        onProgress({ fraction: 1 });
      }
      const audited = await this.audit(format, rows.length, filters, fileName);
      if (emit(el, 'lw-export-complete', { ...base(), bytes: blob.size, blob, audited }, true)) saveBlob(blob, fileName);
      this.status = { kind: 'done', text: msg('export.done', { rows: formatNumber(rows.length), file: fileName }) };
    } catch (error) {
      this.fail(base(), error);
    } finally {
      // Still ours: focus in the button, or dropped to <body> with the element that held it.
      const active = document.activeElement;
      const refocus = el.matches(':focus-within') || (hadFocus && (active === null || active === document.body));
      el.exporting = false;
      this.running = undefined;
      this.controller = undefined;
      this.collected = undefined;
      el.requestUpdate();
      if (refocus) void el.updateComplete.then(() => this.host.trigger()?.focus());
    }
  }

  private fail(base: ExportDetailBase, error: unknown): void {
    const cancelled = (error as Error)?.name === 'AbortError';
    const message = cancelled ? msg('export.cancelled') : ((error as Error)?.message ?? String(error));
    this.status = { kind: 'error', text: cancelled ? message : msg('export.failed', { message }) };
    this.el.requestUpdate();
    emit(this.el, 'lw-export-error', { ...base, message, cancelled });
  }

  // ---- render -------------------------------------------------------------------------------

  private label(choice: Choice): string {
    if (choice.kind === 'data') return msg(`export.format.${choice.format}`);
    if (choice.kind === 'charts-pdf') return msg('export.charts-pdf');
    return msg(choice.kind === 'png' ? 'export.chart-png' : 'export.chart-svg', { title: choice.chart.title });
  }

  renderProgress() {
    return html`<progress part="progress" max="1" .value=${this.fraction} aria-labelledby="progress-label"></progress>
      <span part="progress-label" id="progress-label"
        >${msg('export.exporting', { format: this.label(this.running!), percent: Math.floor(this.fraction * 100) })}${this.collected !== undefined
          ? ` ${msg('export.collecting', { rows: formatNumber(this.collected) })}`
          : ''}</span
      >
      <button part="cancel" type="button" @click=${() => this.cancel()}>${msg('export.cancel')}</button>`;
  }

  renderMenu() {
    const wanted = this.el.formats.split(',').map((f) => f.trim());
    const choices: Choice[] = [
      ...EXPORT_FORMATS.filter((f) => wanted.includes(f)).map((format): Choice => ({ kind: 'data', format })),
      ...this.charts.flatMap((chart): Choice[] => [{ kind: 'png', chart }, ...(chart.svg ? [{ kind: 'svg', chart } as Choice] : [])]),
      ...(this.charts.length ? [{ kind: 'charts-pdf' } as Choice] : []),
    ];
    return html`<div part="menu" id="menu" role="menu" aria-label=${msg('export.menu')} @keydown=${this.onMenuKey}>
      ${choices.map(
        (choice) =>
          html`<button part="item" role="menuitem" type="button" tabindex="-1" @click=${() => this.run(choice)}>${this.label(choice)}</button>`,
      )}
    </div>`;
  }
}
