/**
 * English texts of the filter bar: global-filters/bar.ts adds them (../l10n.ts: addStrings)
 * when it loads, so the core bytes do not carry them.
 */
export const filterBarStrings = {
  'filters.add': 'Add filter',
  'filters.remove': 'Remove the {field} filter',
  'filters.done': 'Done',
} as const;
