/**
 * The PDF report: heading, a table of the columns a person reads with every cell wrapped to its
 * column (never cut), the charts of the source after the table, "Page n of m" on every page. Text
 * is drawn in embedded Noto fonts (pdf-fonts.ts) so names in any of the scripts CRM contacts come
 * in read back as written. jsPDF is imported on first use. Runs in pdf.worker.ts, or on the page.
 */
import type { jsPDF as JsPdf } from 'jspdf';
import { exportFileStrings, type ReportLabels } from '../core/strings/export-file.ts';
import { isLocalTime, offsetText, type Cell } from './columns.ts';
import { addFonts, facesFor } from './pdf-fonts.ts';
import { ReportText } from './pdf-text.ts';

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

/** A chart drawn into a report: a PNG of its canvas, sized in CSS pixels. */
export interface ReportChart {
  title: string;
  /** data: URL of the PNG. */
  png: string;
  width: number;
  height: number;
}

/** The report's texts: the page's where given, else English. */
export const labelsOf = (meta: ReportMeta): ReportLabels => ({ ...exportFileStrings, ...meta.labels });

const PAGE = { margin: 36, font: 8, line: 10, pad: 3, maxLines: 40 } as const;
const HEADER_FILL = 235;
const RULE = 200;

/** Instants in reports: ISO without milliseconds, e.g. "2026-11-22 14:05:03Z". */
export function reportTime(date: Date): string {
  return date.toISOString().replace('T', ' ').replace(/\.\d{3}Z$/, 'Z');
}

/** A cell as report text: instants in UTC, local times with their offset. */
export function reportCell(value: Cell): string {
  if (value === null || value === undefined) return '';
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? '' : reportTime(value);
  if (isLocalTime(value)) {
    const local = new Date(value.at + value.offset * 60_000);
    return Number.isNaN(local.getTime()) ? '' : `${local.toISOString().slice(0, 19).replace('T', ' ')} ${offsetText(value.offset)}`;
  }
  // Control characters have no glyph: dropped; a tab is a space.
  return String(value).replace(/\t/g, ' ').replace(/[\0-\x08\x0b\x0c\x0e-\x1f\x7f]/g, '');
}

/** A landscape A4 document with the fonts the given texts need. */
export async function newPdf(texts: Iterable<string>, compress = true): Promise<{ doc: JsPdf; text: ReportText }> {
  const { jsPDF } = await import('jspdf');
  const doc = new jsPDF({ orientation: 'landscape', unit: 'pt', format: 'a4', compress });
  await addFonts(doc, facesFor(texts));
  return { doc, text: new ReportText(doc, PAGE.font) };
}

/** The texts of a heading, for choosing fonts. */
const headingTexts = (meta: ReportMeta) => [meta.title, meta.filters, ...Object.values(labelsOf(meta))];

/** The report heading every PDF shares: title, then one line each for filters, time, rows. */
export function writeHeading(text: ReportText, meta: ReportMeta, left: number, top: number, zone?: string): number {
  text.setSize(16).draw(meta.title, left, top);
  text.setSize(9);
  const label = labelsOf(meta);
  const lines = [
    `${label['export.file.filters']}: ${meta.filters || label['export.file.none']}`,
    `${label['export.file.exported']}: ${reportTime(meta.exportedAt)}`,
    ...(zone ? [`${label['export.file.local-times']}: ${zone}`] : []),
    `${label['export.file.rows']}: ${meta.rowCount}`,
  ];
  lines.forEach((line, i) => text.draw(line, left, top + 16 + i * 12));
  return top + 16 + lines.length * 12 + 6;
}

/** "Page 3 of 12" on every page (written last, when the count is known). */
export function writePageNumbers(doc: JsPdf, text: ReportText, meta: ReportMeta): void {
  const pageOf = labelsOf(meta)['export.file.page'];
  const pages = doc.getNumberOfPages();
  const { width, height } = doc.internal.pageSize;
  text.setSize(8);
  for (let page = 1; page <= pages; page++) {
    doc.setPage(page);
    text.draw(meta.title, PAGE.margin, height - PAGE.margin / 2);
    text.draw(pageOf.replace('{page}', String(page)).replace('{pages}', String(pages)), width - PAGE.margin, height - PAGE.margin / 2, 'right');
  }
}

/** Each chart under its title, scaled to the page, starting at y (a new page when it does not fit). */
export function writeCharts(doc: JsPdf, text: ReportText, charts: readonly ReportChart[], y: number): number {
  const { width, height } = doc.internal.pageSize;
  const usable = width - 2 * PAGE.margin;
  for (const chart of charts) {
    const scale = Math.min(usable / chart.width, (height - 2 * PAGE.margin - 24) / chart.height);
    const w = chart.width * scale;
    const h = chart.height * scale;
    if (y + 16 + h > height - PAGE.margin) {
      doc.addPage();
      y = PAGE.margin + 8;
    }
    text.setSize(11).draw(chart.title, PAGE.margin, y);
    doc.addImage(chart.png, 'PNG', PAGE.margin, y + 6, w, h);
    y += 16 + h + 12;
  }
  return y;
}

/**
 * Column widths in points: each column gets room for its longest word (so no word is broken
 * where it can be helped), the rest of the page shared by how much more its cells would take.
 */
function columnWidths(text: ReportText, headers: string[], rows: string[][], available: number): number[] {
  const sample = rows.slice(0, 200);
  const pad = 2 * PAGE.pad;
  const longestWord = (s: string) => Math.max(0, ...s.split(/\s+/).map((w) => text.width(w)));
  const min = headers.map((h, c) => Math.min(Math.max(longestWord(h), ...sample.map((r) => longestWord(r[c]))) + pad, available / 4));
  const natural = headers.map((h, c) => Math.max(min[c], Math.min(Math.max(text.width(h), ...sample.map((r) => text.width(r[c]))) + pad, available / 2)));
  const floor = min.reduce((a, b) => a + b, 0);
  if (floor >= available) return min.map((w) => (w / floor) * available);
  const extra = natural.map((n, c) => n - min[c]);
  const wanted = extra.reduce((a, b) => a + b, 0);
  const spare = available - floor;
  // Everything fits: the spare room goes to every column alike; otherwise by how much each wants.
  if (wanted <= spare) return natural.map((n) => n + (spare - wanted) / headers.length);
  return min.map((m, c) => m + (extra[c] / wanted) * spare);
}

export interface TableJob {
  headers: string[];
  meta: ReportMeta;
  charts?: readonly ReportChart[];
  /** Zone the local times are in, named in the heading. */
  zone?: string;
  compress?: boolean;
}

export async function buildPdf(job: TableJob, cells: Cell[][], onProgress: (fraction: number) => void = () => {}): Promise<ArrayBuffer> {
  const rows = cells.map((row) => row.map(reportCell));
  const zone = job.zone ?? zoneOf(cells);
  const { doc, text } = await newPdf([...job.headers, ...headingTexts(job.meta), ...(job.charts ?? []).map((c) => c.title), ...rows.flat()], job.compress ?? true);
  const { width, height } = doc.internal.pageSize;
  const left = PAGE.margin;
  const bottom = height - PAGE.margin;
  text.setSize(PAGE.font);
  const widths = columnWidths(text, job.headers, rows, width - 2 * left);

  const drawRow = (lines: string[][], y: number, fill?: number) => {
    const h = Math.max(1, ...lines.map((l) => l.length)) * PAGE.line + PAGE.pad;
    if (fill !== undefined) doc.setFillColor(fill, fill, fill).rect(left, y - PAGE.line + 1, width - 2 * left, h, 'F');
    let x = left;
    lines.forEach((cell, c) => {
      cell.forEach((line, i) => text.draw(line, x + PAGE.pad, y + i * PAGE.line));
      x += widths[c];
    });
    doc.setDrawColor(RULE, RULE, RULE).setLineWidth(0.4).line(left, y - PAGE.line + 1 + h, width - left, y - PAGE.line + 1 + h);
    return y + h;
  };
  const wrapRow = (row: string[]) => row.map((value, c) => text.wrap(value, widths[c] - 2 * PAGE.pad, PAGE.maxLines));
  const headerLines = wrapRow(job.headers);
  const drawHeader = (y: number) => {
    text.setSize(PAGE.font); // the heading and page numbers leave their own size
    return drawRow(headerLines, y, HEADER_FILL);
  };

  let y = drawHeader(writeHeading(text, job.meta, left, PAGE.margin + 8, zone) + PAGE.line);
  const step = Math.max(1, Math.floor(rows.length / 50));
  rows.forEach((row, r) => {
    const lines = wrapRow(row);
    const h = Math.max(1, ...lines.map((l) => l.length)) * PAGE.line + PAGE.pad;
    if (y - PAGE.line + h > bottom) {
      doc.addPage();
      y = drawHeader(PAGE.margin + PAGE.line);
    }
    y = drawRow(lines, y);
    if (r % step === 0) onProgress((r / rows.length) * 0.9);
  });
  if (job.charts?.length) writeCharts(doc, text, job.charts, y + 24);
  writePageNumbers(doc, text, job.meta);
  const bytes = doc.output('arraybuffer');
  onProgress(1);
  return bytes;
}

/** The zone of the first local time among the cells, with its offset, e.g. "Asia/Tokyo (UTC+09:00)". */
function zoneOf(cells: Cell[][]): string | undefined {
  for (const row of cells.slice(0, 50)) {
    for (const cell of row) if (isLocalTime(cell)) return `${cell.zone} (UTC${offsetText(cell.offset)})`;
  }
  return undefined;
}
