/**
 * What the button's parts loaded later (the menu and the export run) see of it: its public
 * settings and a Lit host, never the element module itself (which imports them).
 */
import type { LitElement } from 'lit';
import type { GroupStore } from '../core/store.ts';
import type { Column } from './columns.ts';
import type { ChartImage } from './images.ts';

/** What an element named by `for` may offer (all optional). */
export interface ExportSource {
  /** The rows to export now (events or plain records). */
  exportRows?(): readonly unknown[] | Promise<readonly unknown[]>;
  /** Used when there is no exportRows(): a feed's filtered events. */
  visibleEvents?: readonly unknown[];
  /** Columns suited to the source's rows. */
  exportColumns?: readonly Column[];
  /** Charts offered as PNG and as a PDF of charts. */
  exportCharts?(): readonly ChartImage[];
  /** Report title for this source. */
  exportTitle?: string;
}

/** The <export-button> as its menu uses it. */
export interface ExportButtonHost extends LitElement {
  readonly for: string | null;
  readonly rows: readonly unknown[] | undefined;
  readonly columns: readonly Column[] | undefined;
  readonly formats: string;
  readonly filename: string;
  readonly reportTitle: string;
  readonly filterSummary: string | null;
  readonly allowFormulas: boolean;
  readonly rowsFrom: 'history' | 'feed';
  readonly maxRows: number;
  readonly gateway: string | null;
  readonly store: GroupStore;
  exporting: boolean;
}
