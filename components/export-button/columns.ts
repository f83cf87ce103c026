/**
 * Columns of an export: what each column is called and how a row becomes a cell. Events are
 * flattened into plain records first (lead fields, budget, free text, time as a Date and as
 * local text), so every format reads the same flat shape. Pure: no DOM, no formats.
 */
import { familyOf, type StreamEvent } from '../../protocol/index.ts';

/** A cell as the formats understand it; Dates become date cells (XLSX) or ISO text (CSV). */
export type Cell = string | number | boolean | Date | null | undefined;
export type ExportRow = Readonly<Record<string, unknown>>;

export interface Column<Row = ExportRow> {
  key: string;
  header: string;
  /** Turns the row's value (and the row, for derived columns) into the cell to write. */
  formatter?: (value: unknown, row: Row) => Cell;
}

type Data = Record<string, unknown> & {
  budget?: { min?: unknown; max?: unknown; currency?: unknown } | null;
  error?: { code?: unknown; message?: unknown } | null;
};

const localTime = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'medium' });

/**
 * Local time text, as `localTime.format(ts)`. Intl formatting is the costliest step of a large
 * export, and within one minute only the seconds change (zone offsets move on minute
 * boundaries at the finest), so each minute is formatted once and its seconds filled in.
 */
function localTimeText(): (ts: number) => string {
  let minute = NaN;
  let before = '';
  let after = '';
  let exact = false;
  return (ts) => {
    const m = Math.floor(ts / 60_000);
    if (m !== minute) {
      minute = m;
      const parts = localTime.formatToParts(ts);
      const at = parts.findIndex((p) => p.type === 'second');
      // Two-digit Latin seconds are what we know how to fill in; anything else is formatted whole.
      exact = at >= 0 && /^\d\d$/.test(parts[at].value);
      before = parts.slice(0, Math.max(at, 0)).map((p) => p.value).join('');
      after = parts.slice(at + 1).map((p) => p.value).join('');
    }
    if (!exact) return localTime.format(ts);
    const seconds = Math.floor((ts - m * 60_000) / 1000);
    return `${before}${seconds < 10 ? '0' : ''}${seconds}${after}`;
  };
}

/** Whether a row looks like a delivered event (and so gets flattened). */
export function isStreamEvent(row: unknown): row is StreamEvent {
  const r = row as Partial<StreamEvent> | null;
  return !!r && typeof r === 'object' && typeof r.type === 'string' && typeof r.ts === 'number' && typeof r.data === 'object';
}

/** The free text an event carries, whatever its type calls it. */
function textOf(data: Data): string | undefined {
  for (const value of [data.text, data.summary, data.message, data.error?.message, data.reason]) {
    if (typeof value === 'string') return value;
  }
  return undefined;
}

const sharedLocalTime = localTimeText();

/** One event as a flat record: envelope fields, lead fields, budget split, time twice. */
export function flattenEvent(event: StreamEvent): ExportRow {
  return flatten(event, sharedLocalTime);
}

function flatten(event: StreamEvent, local: (ts: number) => string): ExportRow {
  const data = (event.data ?? {}) as Data;
  const budget = data.budget && typeof data.budget === 'object' ? data.budget : undefined;
  return {
    ...data,
    time: new Date(event.ts),
    timeLocal: local(event.ts),
    id: event.id,
    type: event.type,
    tenant: event.tenant,
    priority: event.priority,
    cursor: event.cursor,
    budgetMin: budget?.min,
    budgetMax: budget?.max,
    budgetCurrency: budget?.currency,
    text: textOf(data),
    errorCode: data.error?.code ?? data.code,
    budget: undefined,
    error: undefined,
  };
}

const col = (key: string, header: string): Column => ({ key, header });

const LEAD = [
  col('leadId', 'Lead ID'),
  col('name', 'Name'),
  col('email', 'Email'),
  col('phone', 'Phone'),
  col('source', 'Source'),
  col('temperature', 'Temperature'),
  col('stage', 'Stage'),
  col('score', 'Score'),
  col('budgetMin', 'Budget min'),
  col('budgetMax', 'Budget max'),
  col('budgetCurrency', 'Currency'),
  col('timeline', 'Timeline'),
];

/** Columns each family adds after the common ones, in order of first appearance. */
const FAMILY_COLUMNS: Record<string, Column[]> = {
  lead: [...LEAD, col('channel', 'Channel')],
  ghl: [...LEAD, col('contactId', 'Contact ID'), col('channel', 'Channel'), col('status', 'HTTP status'), col('errorCode', 'Error code')],
  cache: [col('namespace', 'Namespace'), col('key', 'Key'), col('latencyMs', 'Latency (ms)')],
  system: [col('service', 'Service'), col('status', 'Status'), col('severity', 'Severity'), col('title', 'Title'), col('errorCode', 'Error code')],
  connection: [col('connectionId', 'Connection'), col('transport', 'Transport'), col('lagMs', 'Lag (ms)')],
  audit: [col('subject', 'Subject'), col('format', 'Format'), col('rows', 'Rows'), col('filters', 'Filters')],
};

const HEAD = [col('time', 'Time (UTC)'), col('timeLocal', 'Local time'), col('type', 'Type'), col('priority', 'Priority')];
const TAIL = [col('text', 'Message'), col('tenant', 'Tenant'), col('cursor', 'Cursor')];

/**
 * Sensible columns for these rows: for events, the common envelope columns plus those of each
 * family present (lead fields once even when lead and ghl events mix); for other rows, one
 * column per key seen in the first rows.
 */
export function defaultColumns(rows: readonly unknown[]): Column[] {
  if (rows.length > 0 && !isStreamEvent(rows[0])) {
    const keys = new Set<string>();
    for (const row of rows.slice(0, 100)) for (const key of Object.keys(row as object)) keys.add(key);
    return [...keys].map((key) => col(key, key));
  }
  // Types first (no string made per row), then their families.
  const types = new Set<string>();
  for (const row of rows) if (isStreamEvent(row)) types.add(row.type);
  const families = new Set([...types].map(familyOf));
  if (families.size === 0) families.add('lead');
  const seen = new Set<string>();
  const columns: Column[] = [];
  for (const column of [...HEAD, ...[...families].flatMap((f) => FAMILY_COLUMNS[f] ?? []), ...TAIL]) {
    if (!seen.has(column.key)) columns.push(column), seen.add(column.key);
  }
  return columns;
}

/** A value as a cell: nothing stays nothing, nested objects become JSON text. */
function asCell(value: unknown): Cell {
  if (value === null || value === undefined) return undefined;
  if (typeof value === 'object' && !(value instanceof Date)) return JSON.stringify(value);
  return value as Cell;
}

/** The cell a column gives for a record (formatter applied, nested objects as JSON text). */
export function cellOf(column: Column, record: ExportRow): Cell {
  const value = record[column.key];
  return column.formatter ? column.formatter(value, record) : asCell(value);
}

type Reader = (event: StreamEvent, data: Data) => unknown;

/** What flattenEvent puts under each key it derives; any other key is read from the payload. */
function readerOf(key: string, local: (ts: number) => string): Reader {
  const budget = (data: Data) => (data.budget && typeof data.budget === 'object' ? data.budget : undefined);
  switch (key) {
    case 'time': return (e) => new Date(e.ts);
    case 'timeLocal': return (e) => local(e.ts);
    case 'id': case 'type': case 'tenant': case 'priority': case 'cursor': return (e) => e[key];
    case 'budgetMin': return (_, d) => budget(d)?.min;
    case 'budgetMax': return (_, d) => budget(d)?.max;
    case 'budgetCurrency': return (_, d) => budget(d)?.currency;
    case 'text': return (_, d) => textOf(d);
    case 'errorCode': return (_, d) => d.error?.code ?? d.code;
    case 'budget': case 'error': return () => undefined;
    default: return (_, d) => d[key];
  }
}

/**
 * The rows → cells step of every export, compiled once for its columns: the cells of
 * `cellOf(column, flattenEvent(row))` for events (plain records as they are), but events are
 * read in place instead of being copied into a flat record per row — unless a column has a
 * formatter, which is promised the flat record.
 */
export function rowReader(columns: readonly Column[]): (row: unknown) => Cell[] {
  const local = localTimeText();
  const flat = columns.some((c) => c.formatter);
  const readers = columns.map((c) => readerOf(c.key, local));
  return (row) => {
    if (!isStreamEvent(row)) return columns.map((column) => cellOf(column, row as ExportRow));
    if (flat) {
      const record = flatten(row, local);
      return columns.map((column) => cellOf(column, record));
    }
    const data = (row.data ?? {}) as Data;
    const cells = new Array<Cell>(readers.length);
    for (let i = 0; i < readers.length; i++) cells[i] = asCell(readers[i](row, data));
    return cells;
  };
}
