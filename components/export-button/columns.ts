/**
 * Columns of an export: what each column is called and how a row becomes a cell. Events are
 * flattened into plain records first (lead fields, budget, free text, time as a Date and as
 * local text), so every format reads the same flat shape. Pure: no DOM, no formats.
 */
import { familyOf, type StreamEvent } from '../../protocol/index.ts';

/**
 * A local wall-clock time with its zone: ISO 8601 with its UTC offset in CSV and JSON, a date cell
 * in XLSX, text with the offset in PDF. A plain object (not a class) so it crosses to the worker.
 */
export interface LocalTime {
  /** The instant, ms since the epoch. */
  readonly at: number;
  /** Minutes east of UTC at that instant. */
  readonly offset: number;
  /** IANA zone name, e.g. "America/New_York". */
  readonly zone: string;
}

/** A cell as the formats understand it; Dates become date cells (XLSX) or ISO text (CSV). */
export type Cell = string | number | boolean | Date | LocalTime | null | undefined;
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

export function isLocalTime(cell: unknown): cell is LocalTime {
  return typeof cell === 'object' && cell !== null && !(cell instanceof Date) && typeof (cell as LocalTime).offset === 'number';
}

/** The zone of this browser (what local times are in). */
export const localZone = (): string => Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';

/** "+05:30", "-04:00", "+00:00" */
export function offsetText(minutes: number): string {
  const abs = Math.abs(minutes);
  return `${minutes < 0 ? '-' : '+'}${String(Math.floor(abs / 60)).padStart(2, '0')}:${String(abs % 60).padStart(2, '0')}`;
}

/** ISO 8601 local time with its offset, e.g. "2026-11-22T09:05:03.000-05:00". */
export function localIso({ at, offset }: LocalTime): string {
  const shifted = new Date(at + offset * 60_000);
  if (Number.isNaN(shifted.getTime())) return '';
  return shifted.toISOString().replace(/Z$/, offsetText(offset));
}

/** The local time of an instant in this browser's zone. */
function localTimeOf(zone: string): (ts: number) => LocalTime {
  return (at) => ({ at, offset: -new Date(at).getTimezoneOffset(), zone });
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

const sharedLocalTime = localTimeOf(localZone());

/** One event as a flat record: envelope fields, lead fields, budget split, time twice. */
export function flattenEvent(event: StreamEvent): ExportRow {
  return flatten(event, sharedLocalTime);
}

function flatten(event: StreamEvent, local: (ts: number) => LocalTime): ExportRow {
  const data = (event.data ?? {}) as Data;
  const budget = data.budget && typeof data.budget === 'object' ? data.budget : undefined;
  return {
    ...data,
    time: new Date(event.ts),
    timeLocal: local(event.ts),
    timeZone: local(event.ts).zone,
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

const HEAD = [col('time', 'Time (UTC)'), col('timeLocal', 'Local time'), col('timeZone', 'Time zone'), col('type', 'Type'), col('priority', 'Priority')];
const TAIL = [col('text', 'Message'), col('tenant', 'Tenant'), col('cursor', 'Cursor')];

/** The columns a person reads in a PDF report, in order; every column stays in the other formats. */
const LEAD_REPORT = ['timeLocal', 'type', 'name', 'email', 'phone', 'stage', 'temperature', 'score', 'text'];
const OTHER_REPORT = ['timeLocal', 'type', 'service', 'severity', 'title', 'namespace', 'key', 'latencyMs', 'subject', 'format', 'rows', 'text'];

/** Of these (default) columns, those of a report people read: time, type, who, where they stand, what was said. */
export function reportColumns(columns: readonly Column[]): Column[] {
  const byKey = new Map(columns.map((c) => [c.key, c]));
  const keys = byKey.has('name') ? LEAD_REPORT : OTHER_REPORT;
  const picked = keys.flatMap((key) => byKey.get(key) ?? []);
  return picked.length > 1 ? picked : [...columns];
}

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
  if (typeof value === 'object' && !(value instanceof Date) && !isLocalTime(value)) return JSON.stringify(value);
  return value as Cell;
}

/** The cell a column gives for a record (formatter applied, nested objects as JSON text). */
export function cellOf(column: Column, record: ExportRow): Cell {
  const value = record[column.key];
  return column.formatter ? column.formatter(value, record) : asCell(value);
}

type Reader = (event: StreamEvent, data: Data) => unknown;

/** What flattenEvent puts under each key it derives; any other key is read from the payload. */
function readerOf(key: string, local: (ts: number) => LocalTime): Reader {
  const budget = (data: Data) => (data.budget && typeof data.budget === 'object' ? data.budget : undefined);
  switch (key) {
    case 'time': return (e) => new Date(e.ts);
    case 'timeLocal': return (e) => local(e.ts);
    case 'timeZone': return (e) => local(e.ts).zone;
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
  const local = localTimeOf(localZone());
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
