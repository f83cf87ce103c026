/**
 * English texts of the export menu, its progress and its outcome: export-button/menu.ts adds them
 * (../l10n.ts: addStrings) when it loads, on the first intent to export.
 */
export const exportMenuStrings = {
  'export.menu': 'Export format',
  'export.format.csv': 'CSV',
  'export.format.xlsx': 'Excel (.xlsx)',
  'export.format.json': 'JSON',
  'export.format.pdf': 'PDF report',
  'export.chart-png': '{title} chart (PNG)',
  'export.chart-svg': '{title} chart (SVG)',
  'export.charts-pdf': 'Charts (PDF)',
  'export.exporting': 'Exporting {format}… {percent}%',
  'export.cancel': 'Cancel export',
  'export.done': 'Exported {rows} rows to {file}.',
  'export.cancelled': 'Export cancelled.',
  'export.failed': 'Export failed: {message}',
  'export.collecting': 'Collecting events… {rows}',
  'export.too-many': 'More than {max} events match these filters, the most one export takes. Narrow them (a shorter date range, fewer types) and export again.',
} as const;
