/** The public events of <export-button> and their details. */
import type { ExportFormat } from './formats.ts';

/** What was exported: a data format, or chart images. */
export type ExportKind = ExportFormat | 'png' | 'svg';

interface ExportDetailBase {
  format: ExportKind;
  fileName: string;
  /** Rows in the export (for chart exports: rows behind the charts). */
  rows: number;
}
export type ExportStartDetail = ExportDetailBase;
export interface ExportProgressEventDetail extends ExportDetailBase {
  /** 0..1 */
  fraction: number;
}
export interface ExportCompleteDetail extends ExportDetailBase {
  /** Size of the file in bytes. */
  bytes: number;
  blob: Blob;
  /** Whether the gateway recorded the export (false when not configured or it failed). */
  audited: boolean;
}
export interface ExportErrorDetail extends ExportDetailBase {
  message: string;
  /** The user (or a host) cancelled it. */
  cancelled: boolean;
}

declare global {
  interface HTMLElementEventMap {
    'lw-export-start': CustomEvent<ExportStartDetail>;
    'lw-export-progress': CustomEvent<ExportProgressEventDetail>;
    'lw-export-complete': CustomEvent<ExportCompleteDetail>;
    'lw-export-error': CustomEvent<ExportErrorDetail>;
  }
}
