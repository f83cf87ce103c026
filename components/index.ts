/** ESM entry: the whole suite, registered. Per-widget entries: components/<widget>/define.ts. */
export * from './core/index.ts';
export { ActivityFeed } from './activity-feed/define.ts';
export type { LatencyLevel } from './activity-feed/activity-feed.ts';
export type { NewEventDetail, StatusChangeDetail } from './activity-feed/events.ts';
export { GlobalFilters } from './global-filters/define.ts';
export type { FilterChangeDetail } from './global-filters/events.ts';
export { ThemeToggle } from './theme-toggle/define.ts';
export type { ThemeChangeDetail } from './theme-toggle/events.ts';
export { ExportButton } from './export-button/define.ts';
export type { ExportCompleteDetail, ExportErrorDetail, ExportKind, ExportProgressEventDetail, ExportStartDetail } from './export-button/events.ts';
export type { ExportSource } from './export-button/host.ts';
export * from './health-panel/define.ts';
