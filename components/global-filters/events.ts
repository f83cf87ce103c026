/** The public events of <global-filters> and their details. */
import type { Filter } from '../../protocol/index.ts';

export interface FilterChangeDetail {
  /** The new filter (normalized; a relative date preset resolved to its start, `from`, with no `to`). */
  filter: Filter;
  /** The one-line summary of it, as the widget shows it. */
  summary: string;
}

declare global {
  interface HTMLElementEventMap {
    'lw-filter-change': CustomEvent<FilterChangeDetail>;
  }
}
