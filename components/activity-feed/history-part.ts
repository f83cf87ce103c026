/** The feed's history (pages, merge, the footer below the list): loaded when the first feed connects. */
import { addStrings } from '../core/l10n.ts';
import { feedHistoryStrings } from '../core/strings/feed-history.ts';

addStrings(feedHistoryStrings);

export { FeedHistory, mergeRows } from './feed-history.ts';
export { renderHistoryFooter } from './history-footer.ts';
