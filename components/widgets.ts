/** The five widgets by tag: what the script-tag embed registers, under a prefix when asked. */
import { ActivityFeed } from './activity-feed/activity-feed.ts';
import { define, type DefineOptions } from './core/define.ts';
import { ExportButton } from './export-button/export-button.ts';
import { GlobalFilters } from './global-filters/global-filters.ts';
import { HealthPanel } from './health-panel/health-panel.ts';
import { ThemeToggle } from './theme-toggle/theme-toggle.ts';

export const WIDGETS: Readonly<Record<string, CustomElementConstructor>> = {
  'activity-feed': ActivityFeed,
  'global-filters': GlobalFilters,
  'export-button': ExportButton,
  'theme-toggle': ThemeToggle,
  'health-panel': HealthPanel,
};

/** Registers every widget (`<prefix>-<tag>` with a prefix); a tag already taken is warned about. */
export function defineWidgets(options?: DefineOptions): void {
  for (const [tag, ctor] of Object.entries(WIDGETS)) define(tag, ctor, options);
}
