import type { ComponentProps } from 'react';
import { HealthPanel as HealthPanelElement } from '../health-panel/define.ts';
import { wrap, type TagProps, type Wrapper } from './wrap.ts';

const events = { onHealthAlert: 'lw-health-alert' } as const;

/** `<health-panel>` for React (registers the tag). */
export const HealthPanel: Wrapper<HealthPanelElement, typeof events> = wrap('health-panel', HealthPanelElement, events, 'HealthPanel');
export type HealthPanelProps = ComponentProps<typeof HealthPanel>;

declare module 'react' {
  namespace JSX {
    interface IntrinsicElements {
      'health-panel': TagProps<HealthPanelElement, typeof events>;
    }
  }
}
