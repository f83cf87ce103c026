import { define } from '../core/define.ts';
import { GlobalFilters } from './global-filters.ts';

define('global-filters', GlobalFilters);
export { GlobalFilters };
export type { FilterChangeDetail } from './events.ts';
export type { StreamEvent } from '../../protocol/index.ts';
