/**
 * What <export-button> runs once a format is picked: the row → file code and the chart exports.
 * The button imports this on first use, so none of it weighs on a page that never exports.
 */
export { createExport } from './export.ts';
export { canvasToPng, chartsToPdf } from './images.ts';
