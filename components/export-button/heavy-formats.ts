/**
 * The heavy back half of XLSX and PDF exports: cells → file bytes with SheetJS or jsPDF, both
 * imported on first use. Runs inside xlsx.worker.ts or pdf.worker.ts, or on the page when no worker
 * can start.
 * Input cells arrive already protected against formula injection (see tabulate.ts).
 */
import type { CellObject, WorkSheet } from 'xlsx';
import type { jsPDF as JsPdf } from 'jspdf';
import { exportFileStrings, type ReportLabels } from '../core/strings/export-file.ts';
import type { Cell } from './columns.ts';

export type HeavyFormat = 'xlsx' | 'pdf';

/** What every report carries besides the rows. */
export interface ReportMeta {
  title: string;
  /** The filter summary line, e.g. "Hot · Qualifying · last 7 days" ("" = no filters). */
  filters: string;
  exportedAt: Date;
  rowCount: number;
  /** The texts written beside the rows (the page's, from l10n); English where absent. */
  labels?: Partial<ReportLabels>;
}

/** The report's texts: the page's where given, else English. */
const labelsOf = (meta: ReportMeta): ReportLabels => ({ ...exportFileStrings, ...meta.labels });

export interface BuildJob {
  format: HeavyFormat;
  headers: string[];
  meta: ReportMeta;
  /** PDF stream compression (default on). */
  compress?: boolean;
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
        const length = value instanceof Date ? DATE_FORMAT.length : String(value ?? '').length;
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

// ---- PDF ----------------------------------------------------------------------------------

const PAGE = { margin: 36, font: 7.5, rowHeight: 11, headerGap: 4 } as const;

/** Instants in reports: ISO without milliseconds, e.g. "2026-11-22 14:05:03Z". */
export function reportTime(date: Date): string {
  return date.toISOString().replace('T', ' ').replace(/\.\d{3}Z$/, 'Z');
}

function pdfText(value: Cell): string {
  if (value === null || value === undefined) return '';
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? '' : reportTime(value);
  // Line breaks would overprint the next row; the table shows one line per row.
  return String(value).replace(/[\r\n\t]+/g, ' ');
}

/** The report heading every PDF shares: title, then one line each for filters, time, rows. */
export function writeHeading(doc: JsPdf, meta: ReportMeta, left: number, top: number): number {
  doc.setFont('helvetica', 'bold').setFontSize(16).text(meta.title, left, top);
  doc.setFont('helvetica', 'normal').setFontSize(9);
  const text = labelsOf(meta);
  const lines = [
    `${text['export.file.filters']}: ${meta.filters || text['export.file.none']}`,
    `${text['export.file.exported']}: ${reportTime(meta.exportedAt)}`,
    `${text['export.file.rows']}: ${meta.rowCount}`,
  ];
  lines.forEach((line, i) => doc.text(line, left, top + 16 + i * 12));
  return top + 16 + lines.length * 12 + 6;
}

/** "Page 3 of 12" on every page (written last, when the count is known). */
export function writePageNumbers(doc: JsPdf, meta: ReportMeta): void {
  const { title } = meta;
  const pageOf = labelsOf(meta)['export.file.page'];
  const pages = doc.getNumberOfPages();
  const { width, height } = doc.internal.pageSize;
  doc.setFont('helvetica', 'normal').setFontSize(8);
  for (let page = 1; page <= pages; page++) {
    doc.setPage(page);
    doc.text(title, PAGE.margin, height - PAGE.margin / 2);
    doc.text(pageOf.replace('{page}', String(page)).replace('{pages}', String(pages)), width - PAGE.margin, height - PAGE.margin / 2, { align: 'right' });
  }
}

export async function newPdf(compress = true): Promise<JsPdf> {
  const { jsPDF } = await import('jspdf');
  return new jsPDF({ orientation: 'landscape', unit: 'pt', format: 'a4', compress });
}

/** Column widths in points: shares of the page proportional to typical content, bounded. */
function columnWidths(headers: string[], rows: Cell[][], available: number): number[] {
  const sample = rows.slice(0, 200);
  const weights = headers.map((header, c) => {
    let longest = header.length;
    for (const row of sample) longest = Math.max(longest, pdfText(row[c]).length);
    return Math.min(Math.max(longest, 4), 40);
  });
  const sum = weights.reduce((a, b) => a + b, 0);
  return weights.map((w) => (w / sum) * available);
}

export async function buildPdf(job: BuildJob, rows: Cell[][], onProgress: BuildProgress): Promise<ArrayBuffer> {
  const doc = await newPdf(job.compress ?? true);
  const { width, height } = doc.internal.pageSize;
  const left = PAGE.margin;
  const bottom = height - PAGE.margin;
  const widths = columnWidths(job.headers, rows, width - 2 * left);
  // Helvetica averages about half an em per character: enough to cut cells to their column.
  const fits = widths.map((w) => Math.max(1, Math.floor((w - 3) / (PAGE.font * 0.5))));
  const clip = (text: string, c: number) => (text.length > fits[c] ? `${text.slice(0, fits[c] - 1)}…` : text);

  const drawRow = (cells: string[], y: number) => {
    let x = left;
    cells.forEach((text, c) => {
      doc.text(clip(text, c), x, y);
      x += widths[c];
    });
  };
  const drawHeader = (y: number) => {
    doc.setFont('helvetica', 'bold').setFontSize(PAGE.font);
    drawRow(job.headers, y);
    doc.setLineWidth(0.5).line(left, y + PAGE.headerGap - 1, width - left, y + PAGE.headerGap - 1);
    doc.setFont('helvetica', 'normal');
    return y + PAGE.rowHeight + PAGE.headerGap;
  };

  let y = drawHeader(writeHeading(doc, job.meta, left, PAGE.margin + 8));
  const step = Math.max(1, Math.floor(rows.length / 50));
  rows.forEach((row, r) => {
    if (y > bottom - PAGE.rowHeight) {
      doc.addPage();
      y = drawHeader(PAGE.margin + PAGE.font);
    }
    drawRow(row.map(pdfText), y);
    y += PAGE.rowHeight;
    if (r % step === 0) onProgress((r / rows.length) * 0.9);
  });
  writePageNumbers(doc, job.meta);
  const bytes = doc.output('arraybuffer');
  onProgress(1);
  return bytes;
}
