/**
 * The heavy back half of XLSX and PDF exports: cells → file bytes with SheetJS here or jsPDF
 * (pdf-report.ts), both imported on first use. Runs inside xlsx.worker.ts or pdf.worker.ts, or on
 * the page when no worker can start.
 * Input text cells arrive already cleaned and protected against formula injection (tabulate.ts).
 */
import type { CellObject, WorkSheet } from 'xlsx';
import { isLocalTime, type Cell } from './columns.ts';
import { buildPdf, labelsOf, type ReportChart, type ReportMeta } from './pdf-report.ts';

export { reportTime, type ReportMeta } from './pdf-report.ts';

export type HeavyFormat = 'xlsx' | 'pdf';

export interface BuildJob {
  format: HeavyFormat;
  headers: string[];
  meta: ReportMeta;
  /** PDF stream compression (default on). */
  compress?: boolean;
  /** PDF: charts drawn after the table. */
  charts?: readonly ReportChart[];
}

/** Build progress 0..1. */
export type BuildProgress = (fraction: number) => void;

export function build(job: BuildJob, rows: Cell[][], onProgress: BuildProgress = () => {}): Promise<ArrayBuffer> {
  return job.format === 'xlsx' ? buildXlsx(job, rows, onProgress) : buildPdf(job, rows, onProgress);
}

// ---- XLSX ---------------------------------------------------------------------------------

const DAY_MS = 86_400_000;
/** Days from the spreadsheet epoch (1899-12-30) to 1970-01-01. */
const EPOCH_OFFSET_DAYS = 25_569;
const DATE_FORMAT = 'yyyy-mm-dd hh:mm:ss';

/**
 * A typed cell. Dates are written as serial numbers in UTC with a date format, so the cell
 * shows the same instant on every machine (SheetJS's own conversion uses the local zone).
 */
function xlsxCell(value: Cell): CellObject | undefined {
  if (value === null || value === undefined || value === '') return undefined;
  if (typeof value === 'number') return Number.isFinite(value) ? { t: 'n', v: value } : undefined;
  if (typeof value === 'boolean') return { t: 'b', v: value };
  if (value instanceof Date) {
    const ms = value.getTime();
    return Number.isNaN(ms) ? undefined : { t: 'n', v: ms / DAY_MS + EPOCH_OFFSET_DAYS, z: DATE_FORMAT };
  }
  // A local time is the wall-clock time where it was exported (the zone is in its own column).
  if (isLocalTime(value)) {
    const ms = value.at + value.offset * 60_000;
    return Number.isFinite(ms) ? { t: 'n', v: ms / DAY_MS + EPOCH_OFFSET_DAYS, z: DATE_FORMAT } : undefined;
  }
  return { t: 's', v: value };
}

/**
 * A dense sheet: rows of cells in an array, which SheetJS writes without a string address
 * ("B12") per cell and without a property per cell on one huge object — what dominated the
 * cost of a 100,000-row export.
 */
function sheetOf(XLSX: typeof import('xlsx'), rows: Cell[][], widthSample = 200): WorkSheet {
  const dense: Array<Array<CellObject | undefined>> = new Array(rows.length);
  let width = 0;
  const chars: number[] = [];
  for (let r = 0; r < rows.length; r++) {
    const row = rows[r];
    const cells = new Array<CellObject | undefined>(row.length);
    width = Math.max(width, row.length);
    for (let c = 0; c < row.length; c++) {
      const value = row[c];
      cells[c] = xlsxCell(value);
      if (r < widthSample) {
        const length = value instanceof Date || isLocalTime(value) ? DATE_FORMAT.length : String(value ?? '').length;
        chars[c] = Math.max(chars[c] ?? 0, length);
      }
    }
    dense[r] = cells;
  }
  const sheet = dense as unknown as WorkSheet;
  sheet['!ref'] = XLSX.utils.encode_range({ s: { r: 0, c: 0 }, e: { r: Math.max(rows.length - 1, 0), c: Math.max(width - 1, 0) } });
  sheet['!cols'] = chars.map((n) => ({ wch: Math.min(Math.max(n + 1, 8), 60) }));
  return sheet;
}

export async function buildXlsx(job: BuildJob, rows: Cell[][], onProgress: BuildProgress): Promise<ArrayBuffer> {
  const XLSX = await import('xlsx');
  const data = sheetOf(XLSX, [job.headers, ...rows]);
  if (rows.length > 0) data['!autofilter'] = { ref: data['!ref']! };
  onProgress(0.5);
  const { meta } = job;
  const text = labelsOf(meta);
  const filters = sheetOf(XLSX, [
    [text['export.file.report'], meta.title],
    [text['export.file.filters'], meta.filters || text['export.file.none']],
    [text['export.file.exported-at'], meta.exportedAt],
    [text['export.file.rows'], meta.rowCount],
  ]);
  const book = XLSX.utils.book_new();
  XLSX.utils.book_append_sheet(book, data, text['export.file.data-sheet']);
  XLSX.utils.book_append_sheet(book, filters, text['export.file.filters-sheet']);
  book.Props = { Title: meta.title, CreatedDate: meta.exportedAt };
  // 'buffer', not 'array': SheetJS makes 'array' output by turning the zip's bytes into a binary
  // string one character at a time and back (a fifth of a 100,000-row export's time); 'buffer'
  // returns the zip's bytes as they are (a Uint8Array, or a Node Buffer where Buffer exists).
  const zip = XLSX.write(book, { type: 'buffer', bookType: 'xlsx', compression: true }) as Uint8Array;
  onProgress(1);
  return ownBuffer(zip);
}

/** The bytes' own ArrayBuffer (transferable), copied only when they are a view into a larger one. */
function ownBuffer(bytes: Uint8Array): ArrayBuffer {
  const whole = bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength;
  return (whole ? bytes.buffer : bytes.slice().buffer) as ArrayBuffer;
}
