import type { ComponentProps } from 'react';
import { ActivityFeed as ActivityFeedElement } from '../activity-feed/define.ts';
import { wrap, type TagProps, type Wrapper } from './wrap.ts';

const events = { onNewEvent: 'lw-new-event', onStatusChange: 'lw-status-change' } as const;

/** `<activity-feed>` for React (registers the tag). */
export const ActivityFeed: Wrapper<ActivityFeedElement, typeof events> = wrap('activity-feed', ActivityFeedElement, events, 'ActivityFeed');
export type ActivityFeedProps = ComponentProps<typeof ActivityFeed>;

declare module 'react' {
  namespace JSX {
    interface IntrinsicElements {
      'activity-feed': TagProps<ActivityFeedElement, typeof events>;
    }
  }
}
