/** Browser-safe protocol surface: catalog, cursors, frames, filters. No zod here. */
export * from './catalog.ts';
export * from './cursor.ts';
export * from './frames.ts';
export * from './filter.ts';
export * from './history.ts';
export type { Envelope, PayloadOf } from './schemas.ts';
export type { MetricsSummary } from './metrics.ts';
