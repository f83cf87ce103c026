/** History pages' bounds, shared by the frames (browser-safe) and the schemas (zod). */
export const HISTORY_DEFAULT_LIMIT = 100;
export const HISTORY_MAX_LIMIT = 1_000;
/**
 * Why a page has nothing older: `since` (its lower bound), `range` (the filter's `from`),
 * `start` (the log's beginning: nothing was ever removed), `expired` (retention removed the rest).
 */
export type HistoryEnd = 'since' | 'range' | 'start' | 'expired';
/**
 * How far ahead of the gateway a publisher's clock may run. Entries appended before
 * `filter.from - HISTORY_CLOCK_SLACK_MS` cannot carry a `ts` at or after `from`, so a history
 * scan with a `from` stops there (end `range`) instead of reading the rest of the log.
 */
export const HISTORY_CLOCK_SLACK_MS = 5 * 60_000;
