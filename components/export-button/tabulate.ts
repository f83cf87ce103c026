/**
 * The shared front half of every export: records → cells, in chunks that yield to the page
 * every few milliseconds, with progress and cancel. Also the spreadsheet formula-injection
 * guard, which CSV and XLSX string cells share.
 */
import { yieldToPage } from '../core/yield.ts';

export interface ExportProgress {
  /** Rows processed so far. */
  done: number;
  total: number;
}

export interface RunOptions {
  signal?: AbortSignal;
  onProgress?: (progress: ExportProgress) => void;
}

/** A plain decimal number, which no spreadsheet runs as a formula: left as it is. */
const PLAIN_NUMBER = /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?$/;

/**
 * Prefixes `'` to text a spreadsheet would treat as a formula (OWASP CSV injection advice):
 * text starting with = + - @, a tab or a CR, unless it is a plain number. Runs for every text
 * cell of an export, so the common case is one character comparison.
 */
export function neutralise(text: string): string {
  const first = text.charCodeAt(0);
  // = + - @ \t \r
  if (first !== 61 && first !== 43 && first !== 45 && first !== 64 && first !== 9 && first !== 13) return text;
  return PLAIN_NUMBER.test(text) ? text : `'${text}`;
}

export function abortError(signal: AbortSignal | undefined): Error {
  const reason = signal?.reason;
  return reason instanceof Error ? reason : new DOMException('The export was cancelled.', 'AbortError');
}

/** Work budget per turn; small enough that no slice becomes a long task. */
const SLICE_MS = 8;

/**
 * Runs `work` over `items` in slices, yielding between slices; each slice's results go to
 * `sink`. Throws the abort reason as soon as the signal fires.
 */
export async function inSlices<T, R>(
  items: readonly T[],
  work: (item: T) => R,
  sink: (batch: R[]) => void | Promise<void>,
  { signal, onProgress }: RunOptions = {},
): Promise<void> {
  const total = items.length;
  let index = 0;
  onProgress?.({ done: 0, total });
  while (index < total) {
    if (signal?.aborted) throw abortError(signal);
    const batch: R[] = [];
    const start = performance.now();
    // Check the clock every 64 items: reading it per item would cost more than the work.
    do {
      const end = Math.min(total, index + 64);
      for (; index < end; index++) batch.push(work(items[index]));
    } while (index < total && performance.now() - start < SLICE_MS);
    await sink(batch);
    onProgress?.({ done: index, total });
    if (index < total) await yieldToPage();
  }
  if (signal?.aborted) throw abortError(signal);
}

/** Control characters no spreadsheet shows and XML 1.0 cannot hold (tab, LF and CR aside), and the two non-characters. */
const CONTROL = /[\0-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]/g;
const HAS_CONTROL = /[\0-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]/;
/** Excel's limit on the characters of one cell. */
export const XLSX_CELL_LIMIT = 32_767;

type WellFormed = { isWellFormed(): boolean; toWellFormed(): string };

/**
 * Text a CSV or XLSX cell can carry: control characters dropped (a raw NUL breaks readers; XLSX
 * would show `_x0000_`), a lone surrogate (half an emoji) replaced by U+FFFD. For XLSX also CR
 * LF → LF (SheetJS writes a CR as `_x000D_`) and at most 32,767 characters, Excel's limit, the
 * last one "…". Runs before the formula guard, so "\0=1+1" is caught as "=1+1". JSON keeps text
 * exactly as it is.
 */
export function cleanText(text: string, xlsx = false): string {
  let out = HAS_CONTROL.test(text) ? text.replace(CONTROL, '') : text;
  if (!(out as unknown as WellFormed).isWellFormed()) out = (out as unknown as WellFormed).toWellFormed();
  if (!xlsx) return out;
  if (out.includes('\r')) out = out.replace(/\r\n?/g, '\n');
  if (out.length > XLSX_CELL_LIMIT) {
    let end = XLSX_CELL_LIMIT - 1;
    if (/[\ud800-\udbff]/.test(out[end - 1])) end--; // never split a surrogate pair
    out = `${out.slice(0, end)}…`;
  }
  return out;
}
