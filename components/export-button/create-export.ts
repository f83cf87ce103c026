/**
 * One export, start to finish: rows → cells (sliced, yielding) → file bytes. CSV and JSON are
 * written on the page in slices; XLSX and PDF are built in a module worker (start-worker.ts)
 * fed in slices, and on the page only when no worker can start (a CSP without worker-src, a CDN
 * without CORS; the console says which, once): slower for huge exports, and not cancellable
 * mid-build, but never broken.
 */
import { addStrings, msg } from '../core/l10n.ts';
import { exportFileStrings, type ReportLabels } from '../core/strings/export-file.ts';
import { build, type BuildJob, type ReportMeta } from './heavy-formats.ts';
import { defaultColumns, isLocalTime, localIso, reportColumns, rowReader, type Cell, type Column } from './columns.ts';
import { chartImages, type ChartImage } from './images.ts';
import { abortError, cleanText, inSlices, neutralise, type RunOptions as SliceOptions } from './tabulate.ts';
import type { Filter } from '../../protocol/index.ts';
import { startWorker } from './start-worker.ts';
import type { FromWorker, ToWorker } from './worker-loop.ts';
import type { ExportFormat } from './formats.ts';

export { EXPORT_FORMATS, type ExportFormat } from './formats.ts';

const MIME_TYPES: Readonly<Record<ExportFormat, string>> = {
  csv: 'text/csv;charset=utf-8',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  json: 'application/json',
  pdf: 'application/pdf',
};

export interface ExportRequest {
  format: ExportFormat;
  /** Events (flattened) or plain row objects. */
  rows: readonly unknown[];
  /** Defaults to defaultColumns(rows). */
  columns?: readonly Column[];
  title?: string;
  /** Filter summary line carried by the file ('' = none). */
  filters?: string;
  /** JSON only: the filter model behind the summary, carried beside it. */
  filter?: Filter;
  exportedAt?: Date;
  /** Neutralise spreadsheet formulas in CSV and XLSX text cells (default true). */
  protect?: boolean;
  /** JSON only: write the source rows as they are instead of one object per row. */
  raw?: boolean;
  /** XLSX/PDF: build in a worker (default true; false builds on the page, in slices). */
  worker?: boolean;
  /** PDF stream compression (default true). */
  compress?: boolean;
  /** PDF: charts of the source, drawn in the same report after the table. */
  charts?: readonly ChartImage[];
}

export interface ExportProgressDetail {
  /** 0..1 over the whole export. */
  fraction: number;
  /** Rows prepared so far, of `total`. */
  rows: number;
  total: number;
}

export interface ExportOptions {
  signal?: AbortSignal;
  onProgress?: (progress: ExportProgressDetail) => void;
  /** XLSX/PDF: told where the file is built, once the worker started or could not. */
  onBuilder?: (where: 'worker' | 'page') => void;
}


/** Builds the file; resolves with its Blob, rejects with an AbortError when cancelled. */
export async function createExport(request: ExportRequest, options: ExportOptions = {}): Promise<Blob> {
  const { format } = request;
  // A PDF is read by a person: of the default columns, those a person reads (all stay in the others).
  const columns = request.columns ?? (format === 'pdf' ? reportColumns(defaultColumns(request.rows)) : defaultColumns(request.rows));
  const protect = request.protect !== false;
  if (format === 'csv') return new Blob(await csvParts(request.rows, columns, protect, slices(options)), { type: MIME_TYPES.csv });
  if (format === 'json') return new Blob(await jsonParts(request, columns, slices(options)), { type: MIME_TYPES.json });
  // XLSX cells besides the data (headers, title, filter summary) may come from the page or from
  // typed search text: protected like the data cells. PDF shows text, it runs nothing.
  const text = (value: string) => (format !== 'xlsx' ? value : protect ? neutralise(cleanText(value, true)) : cleanText(value, true));
  const meta = reportMeta(request);
  const job: BuildJob = {
    format,
    headers: columns.map((c) => text(c.header)),
    meta: { ...meta, title: text(meta.title), filters: text(meta.filters) },
    compress: request.compress,
    charts: format === 'pdf' && request.charts?.length ? chartImages(request.charts) : undefined,
  };
  const bytes = await buildHeavy(job, request, columns, protect, options);
  return new Blob([bytes], { type: MIME_TYPES[format] });
}

addStrings(exportFileStrings);

/** The texts an exported file carries beside its rows, as the page has them now. */
export function reportLabels(): ReportLabels {
  const keys = Object.keys(exportFileStrings) as Array<keyof ReportLabels>;
  return Object.fromEntries(keys.map((key) => [key, msg(key)])) as ReportLabels;
}

function reportMeta(request: Pick<ExportRequest, 'title' | 'filters' | 'exportedAt' | 'rows'>): ReportMeta {
  return {
    labels: reportLabels(),
    title: request.title ?? 'Leadwire activity',
    filters: request.filters ?? '',
    exportedAt: request.exportedAt ?? new Date(),
    rowCount: request.rows.length,
  };
}

/** Slice options whose progress covers [from, from + span] of the whole export. */
function slices({ signal, onProgress }: ExportOptions, from = 0, span = 1): SliceOptions {
  return {
    signal,
    onProgress: onProgress && (({ done, total }) => onProgress({ fraction: from + span * (total ? done / total : 1), rows: done, total })),
  };
}

/**
 * A slice's text as UTF-8 bytes at once: the encoding then happens slice by slice, inside the
 * time budget, instead of all at the end in one `new Blob(parts)` — a long task of over 100 ms
 * for the 20 MB of a 100,000-row CSV. TextEncoder rather than a Blob per slice: each Blob is
 * handed to the browser's blob registry on its own, which cost more than the encoding.
 */
const utf8 = new TextEncoder();
const encoded = (text: string) => utf8.encode(text) as Uint8Array<ArrayBuffer>;

// ---- CSV (RFC 4180) -----------------------------------------------------------------------

/** Where a field must be quoted: it holds a quote, a comma or a line break. */
const NEEDS_QUOTES = /[",\r\n]/;

/**
 * ISO text of an instant, as `toISOString()`. Rows of an export are mostly close in time, so the
 * text up to the minute is made once per minute and the seconds and milliseconds filled in.
 */
function isoText(): (ms: number) => string {
  let minute = NaN;
  let prefix = '';
  return (ms) => {
    const m = Math.floor(ms / 60_000);
    if (m !== minute) {
      minute = m;
      // Years outside 0000–9999 are spelled differently (±YYYYYY): left to the Date itself.
      prefix = ms >= 0 && ms < 253402300800000 ? new Date(m * 60_000).toISOString().slice(0, 17) : '';
    }
    if (!prefix) return new Date(ms).toISOString();
    const rest = ms - m * 60_000;
    const seconds = Math.floor(rest / 1000);
    const millis = rest - seconds * 1000;
    return `${prefix}${seconds < 10 ? '0' : ''}${seconds}.${millis < 10 ? '00' : millis < 100 ? '0' : ''}${millis}Z`;
  };
}

/** One CSV line writer for an export: a row's cells → fields joined by commas. */
function csvLine(protect: boolean): (cells: readonly Cell[]) => string {
  const iso = isoText();
  const field = (cell: Cell): string => {
    let text: string;
    // Text first: most cells are.
    if (typeof cell === 'string') text = protect ? neutralise(cleanText(cell)) : cleanText(cell);
    else if (typeof cell === 'number') return Number.isFinite(cell) ? String(cell) : '';
    else if (cell === null || cell === undefined) return '';
    else if (cell instanceof Date) {
      const ms = cell.getTime();
      return Number.isNaN(ms) ? '' : iso(ms);
    } else if (isLocalTime(cell)) return localIso(cell);
    else text = String(cell);
    return NEEDS_QUOTES.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
  };
  return (cells) => {
    let line = cells.length > 0 ? field(cells[0]) : '';
    for (let i = 1; i < cells.length; i++) line += ',' + field(cells[i]);
    return line;
  };
}

async function csvParts(rows: readonly unknown[], columns: readonly Column[], protect: boolean, options: SliceOptions): Promise<BlobPart[]> {
  const line = csvLine(protect);
  // The BOM makes Excel read the file as UTF-8 (accents intact); lines end in CRLF per RFC 4180.
  const parts: BlobPart[] = ['\uFEFF', line(columns.map((c) => c.header)) + '\r\n'];
  const cells = rowReader(columns);
  await inSlices(rows, (row) => line(cells(row)), (batch) => void parts.push(encoded(batch.join('\r\n') + '\r\n')), options);
  return parts;
}

// ---- JSON ---------------------------------------------------------------------------------

/**
 * One object: what the file is (title, export time, the filters as a summary line and as the
 * filter model, the row count), then `rows`, one object per row keyed by column (or the source
 * rows as they are, with `raw`).
 */
async function jsonParts(request: ExportRequest, columns: readonly Column[], options: SliceOptions): Promise<BlobPart[]> {
  const cells = rowReader(columns);
  const toObject = (row: unknown) => {
    if (request.raw) return row;
    const values = cells(row);
    const object: Record<string, Cell | null> = {};
    for (let i = 0; i < columns.length; i++) {
      const value = values[i];
      object[columns[i].key] = isLocalTime(value) ? localIso(value) : (value ?? null);
    }
    return object;
  };
  const meta = reportMeta(request);
  const head = {
    title: meta.title,
    exportedAt: meta.exportedAt.toISOString(),
    filterSummary: meta.filters,
    filter: request.filter ?? {},
    rowCount: meta.rowCount,
  };
  const parts: BlobPart[] = [`${JSON.stringify(head, null, 2).slice(0, -2)},\n  "rows": [`];
  let first = true;
  await inSlices(
    request.rows,
    (row) => JSON.stringify(toObject(row)),
    (batch) => {
      parts.push(encoded((first ? '\n    ' : ',\n    ') + batch.join(',\n    ')));
      first = false;
    },
    options,
  );
  parts.push(first ? ']\n}\n' : '\n  ]\n}\n');
  return parts;
}

// ---- XLSX and PDF: worker, or the page when none starts -----------------------------------

async function buildHeavy(
  job: BuildJob,
  request: ExportRequest,
  columns: readonly Column[],
  protect: boolean,
  options: ExportOptions,
): Promise<ArrayBuffer> {
  const { signal, onProgress } = options;
  const protectText = protect && job.format === 'xlsx';
  const readCells = rowReader(columns);
  const prepare = (row: unknown) => {
    const cells = readCells(row);
    if (job.format !== 'xlsx') return cells;
    return cells.map((cell) => (typeof cell !== 'string' ? cell : protectText ? neutralise(cleanText(cell, true)) : cleanText(cell, true)));
  };
  const built = (fraction: number) => onProgress?.({ fraction: 0.5 + fraction / 2, rows: request.rows.length, total: request.rows.length });

  const worker = request.worker === false ? undefined : await startWorker(job.format);
  if (signal?.aborted) {
    worker?.terminate();
    throw abortError(signal);
  }
  const builder = worker ? 'worker' : 'page';
  options.onBuilder?.(builder);
  // Where the file is built, for the browser's performance panel (and tests of a whole page).
  performance.mark('leadwire:export-builder', { detail: { format: job.format, builder } });
  if (!worker) {
    const cells: Cell[][] = [];
    await inSlices(request.rows, prepare, (batch) => void batch.forEach((row) => cells.push(row)), slices(options, 0, 0.5));
    return build(job, cells, built);
  }

  const post = (message: ToWorker) => worker.postMessage(message);
  const result = new Promise<ArrayBuffer>((resolve, reject) => {
    worker.onmessage = ({ data }: MessageEvent<FromWorker>) => {
      if (data.type === 'progress') built(data.fraction);
      else if (data.type === 'done') resolve(data.bytes);
      else if (data.type === 'error') reject(new Error(`${job.format} export failed: ${data.message}`));
    };
    worker.onerror = (event) => {
      event.preventDefault();
      reject(new Error(`${job.format} export failed: ${event.message || 'worker error'}`));
    };
    signal?.addEventListener('abort', () => reject(abortError(signal)), { once: true });
  });
  result.catch(() => {}); // observed below; avoids an unhandled rejection while rows are posted
  try {
    post({ type: 'begin', job });
    await inSlices(request.rows, prepare, (rows) => post({ type: 'rows', rows }), slices(options, 0, 0.5));
    post({ type: 'end' });
    return await result;
  } finally {
    worker.terminate();
  }
}
