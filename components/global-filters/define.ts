import { define } from '../core/define.ts';
import { GlobalFilters } from './global-filters.ts';

define('global-filters', GlobalFilters);
export { GlobalFilters };
