/** The feed's history (pages, merge, the footer below the list): loaded when the first feed connects. */
import { addStrings } from '../core/l10n.ts';
import { feedHistoryStrings } from '../core/strings/feed-history.ts';

addStrings(feedHistoryStrings);

export { FeedHistory } from './feed-history.ts';
