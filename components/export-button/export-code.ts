/**
 * The export code, one chunk: what <export-button> runs once a format is picked — rows → a file
 * (create-export.ts, which hands XLSX and PDF to heavy-formats.ts in the worker) and the chart
 * exports (images.ts). The menu imports it on first use, so none of it weighs on a page that
 * never exports.
 */
export { createExport, reportLabels } from './create-export.ts';
export { canvasToPng, chartToSvg, chartsToPdf } from './images.ts';
