import type { ComponentProps } from 'react';
import { GlobalFilters as GlobalFiltersElement } from '../global-filters/define.ts';
import { wrap, type TagProps, type Wrapper } from './wrap.ts';

const events = { onFilterChange: 'lw-filter-change' } as const;

/** `<global-filters>` for React (registers the tag). */
export const GlobalFilters: Wrapper<GlobalFiltersElement, typeof events> = wrap('global-filters', GlobalFiltersElement, events, 'GlobalFilters');
export type GlobalFiltersProps = ComponentProps<typeof GlobalFilters>;

declare module 'react' {
  namespace JSX {
    interface IntrinsicElements {
      'global-filters': TagProps<GlobalFiltersElement, typeof events>;
    }
  }
}
