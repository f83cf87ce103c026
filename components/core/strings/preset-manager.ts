/**
 * English texts of the saved-filter manager: global-filters/preset-manager.ts adds them
 * (../l10n.ts: addStrings) when it loads, so the core bytes carry only what the closed
 * disclosure says.
 */
export const presetManagerStrings = {
  'filters.presets.empty': 'No saved filters yet.',
  'filters.presets.name': 'Name for the current filters',
  'filters.presets.save': 'Save',
  'filters.presets.apply': 'Apply {name}',
  'filters.presets.default': 'Default',
  'filters.presets.make-default': 'Make {name} the default',
  'filters.presets.rename': 'Rename',
  'filters.presets.rename-label': 'Rename {name}',
  'filters.presets.new-name': 'New name for {name}',
  'filters.presets.delete': 'Delete',
  'filters.presets.delete-label': 'Delete {name}',
} as const;
