/**
 * Type test for React 19 users (checked by `npm run typecheck`, never run): the wrappers' props
 * and typed `on…` event props, and the bare tags in JSX with React 19's property and
 * `on<event-name>` semantics. Each `@ts-expect-error` line must stay an error: if the typings
 * loosen (any-typed events, unknown props accepted), the check fails.
 */
import type { ReactElement } from 'react';
import type { Filter } from '../../protocol/index.ts';
import { ActivityFeed, ExportButton, GlobalFilters, HealthPanel, ThemeToggle } from './index.ts';

const filter: Filter = { temperatures: ['hot'] };

export const wrappers = (): ReactElement => (
  <>
    <ActivityFeed group="sales" gateway="https://gw.example" onNewEvent={(e) => e.detail.events.map((event) => event.cursor)} />
    <GlobalFilters group="sales" value={filter} syncUrl onFilterChange={(e) => e.detail.summary.toUpperCase()} />
    <ExportButton group="sales" rows={[{ a: 1 }]} onExportComplete={(e) => e.detail.bytes.toFixed(0)} onExportError={(e) => e.detail.cancelled} />
    <HealthPanel group="sales" onHealthAlert={(e) => e.detail} />
    <ThemeToggle group="sales" onThemeChange={(e) => e.detail.theme} />
  </>
);

// @ts-expect-error — the detail of filter-change has no `bytes`
export const wrongDetail = <GlobalFilters onFilterChange={(e) => e.detail.bytes} />;
// @ts-expect-error — `value` is a Filter, not a string
export const wrongProperty = <GlobalFilters value="hot" />;
// @ts-expect-error — no such event prop
export const unknownEvent = <ExportButton onExportDone={() => {}} />;

export const tags = (): ReactElement => (
  <>
    <activity-feed group="sales" onlw-new-event={(e) => e.detail.events.length} />
    <global-filters group="sales" value={filter} onlw-filter-change={(e) => e.detail.filter.temperatures} />
    <export-button group="sales" formats="csv,xlsx" onlw-export-complete={(e) => e.detail.blob.size} />
    <health-panel group="sales" />
    <theme-toggle group="sales" />
  </>
);

// @ts-expect-error — a tag's event prop is typed too
export const wrongTagDetail = <export-button onlw-export-complete={(e) => e.detail.summary} />;
