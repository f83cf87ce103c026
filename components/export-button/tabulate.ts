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
