/** The data formats an export can produce: a module of its own so the button can list them without loading the export code. */
export type ExportFormat = 'csv' | 'xlsx' | 'json' | 'pdf';
export const EXPORT_FORMATS: readonly ExportFormat[] = ['csv', 'xlsx', 'json', 'pdf'];
