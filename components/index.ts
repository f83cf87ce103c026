/** ESM entry: the whole suite, registered. Per-widget entries: components/<widget>/define.ts. */
export * from './core/index.ts';
export { ActivityFeed } from './activity-feed/define.ts';
export type { LatencyLevel, NewEventDetail, StatusChangeDetail } from './activity-feed/activity-feed.ts';
export { GlobalFilters } from './global-filters/define.ts';
export type { FilterChangeDetail } from './global-filters/global-filters.ts';
export { ThemeToggle } from './theme-toggle/define.ts';
export type { ThemeChangeDetail } from './theme-toggle/theme-toggle.ts';
export { ExportButton } from './export-button/define.ts';
export type {
  ExportCompleteDetail,
  ExportErrorDetail,
  ExportKind,
  ExportProgressEventDetail,
  ExportSource,
  ExportStartDetail,
} from './export-button/export-button.ts';
export * from './health-panel/define.ts';
