/** Every widget as a React component (each module registers its tag). */
export { ActivityFeed, type ActivityFeedProps } from './activity-feed.ts';
export { ExportButton, type ExportButtonProps } from './export-button.ts';
export { GlobalFilters, type GlobalFiltersProps } from './global-filters.ts';
export { HealthPanel, type HealthPanelProps } from './health-panel.ts';
export { ThemeToggle, type ThemeToggleProps } from './theme-toggle.ts';
export type { EventProps, TagProps, Wrapper } from './wrap.ts';
