import { define } from '../core/define.ts';
import { ActivityFeed } from './activity-feed.ts';

define('activity-feed', ActivityFeed);
export { ActivityFeed };
export type { NewEventDetail, StatusChangeDetail } from './events.ts';
export type { LatencyLevel } from './activity-feed.ts';
export type { StreamEvent } from '../../protocol/index.ts';
