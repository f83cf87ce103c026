/**
 * English texts written into exported files (the XLSX sheets, the PDF headings and page
 * numbers): export-button/create-export.ts adds them (../l10n.ts: addStrings) when the export
 * code loads, and hands them to the builder, which may run in a worker without the page's texts.
 */
export const exportFileStrings = {
  'export.file.data-sheet': 'Export',
  'export.file.filters-sheet': 'Filters',
  'export.file.report': 'Report',
  'export.file.filters': 'Filters',
  'export.file.none': 'None',
  'export.file.exported-at': 'Exported at (UTC)',
  'export.file.exported': 'Exported',
  'export.file.rows': 'Rows',
  'export.file.local-times': 'Local times',
  'export.file.charts': 'Charts',
  'export.file.page': 'Page {page} of {pages}',
} as const;

export type ReportLabels = Record<keyof typeof exportFileStrings, string>;
