/**
 * English texts below the feed's list (how much it shows, Load older, where the history ends):
 * activity-feed/feed-history.ts adds them (../l10n.ts: addStrings) when it loads.
 */
export const feedHistoryStrings = {
  'feed.history-loading': 'Loading recent activity…',
  'feed.history-error': 'Older activity could not be loaded ({reason}).',
  'feed.history-retry': 'Try again',
  'feed.load-older': 'Load older',
  'feed.history-capped': 'Showing the newest {count}.',
  'feed.history-evicted': '{count} older left the list (at most {max} are kept).',
  'feed.history-end.today': 'Nothing older today.',
  'feed.history-end.7d': 'Nothing older in the last 7 days.',
  'feed.history-end.30d': 'Nothing older in the last 30 days.',
  'feed.history-end.range': 'Nothing older in the chosen dates.',
  'feed.history-end.expired': 'Older events have expired.',
  'feed.history-end.start': 'Nothing older.',
} as const;
