/**
 * Cursors are Redis Stream entry ids, `<ms>-<seq>`; the in-memory log mints the same shape.
 * Compared numerically (string order is wrong once the digit count differs).
 */
export type Cursor = string;

const CURSOR = /^(\d{1,20})-(\d{1,20})$/;

export function isCursor(value: unknown): value is Cursor {
  return typeof value === 'string' && CURSOR.test(value);
}

export function parseCursor(cursor: Cursor): [ms: bigint, seq: bigint] {
  const match = CURSOR.exec(cursor);
  if (!match) throw new TypeError(`not a cursor: ${JSON.stringify(cursor)}`);
  return [BigInt(match[1]), BigInt(match[2])];
}

/** Negative when a < b, zero when equal, positive when a > b. */
export function compareCursors(a: Cursor, b: Cursor): number {
  if (a === b) return 0;
  const [am, as] = parseCursor(a);
  const [bm, bs] = parseCursor(b);
  if (am !== bm) return am < bm ? -1 : 1;
  return as === bs ? 0 : as < bs ? -1 : 1;
}

export const CURSOR_ZERO: Cursor = '0-0';

/** Index of the first of `items[from…]` whose cursor is after `after`; items in cursor order. */
export function indexAfter<T>(items: readonly T[], cursorOf: (item: T) => Cursor, after: Cursor, from = 0): number {
  let low = from;
  let high = items.length;
  while (low < high) {
    const mid = (low + high) >>> 1;
    if (compareCursors(cursorOf(items[mid]), after) <= 0) low = mid + 1;
    else high = mid;
  }
  return low;
}
