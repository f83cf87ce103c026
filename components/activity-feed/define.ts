import { define } from '../core/define.ts';
import { ActivityFeed } from './activity-feed.ts';

define('activity-feed', ActivityFeed);
export { ActivityFeed };
