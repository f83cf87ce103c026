/**
 * Chart exports for sources that draw charts (the health panel): one chart as PNG or as SVG, or a
 * PDF report with every chart. Chart images are few and small, so this runs on the page; jsPDF is
 * still imported only on first use.
 */
import { newPdf, writeCharts, writeHeading, writePageNumbers, type ReportChart, type ReportMeta } from './pdf-report.ts';

/** A chart a source offers for export. */
export interface ChartImage {
  title: string;
  canvas: HTMLCanvasElement;
  /** The chart as an SVG document (vector: paths and text), when the source can draw one. */
  svg?: () => string;
}

export function canvasToPng(canvas: HTMLCanvasElement): Promise<Blob> {
  return new Promise((resolve, reject) =>
    canvas.toBlob((blob) => (blob ? resolve(blob) : reject(new Error('the chart canvas could not be encoded'))), 'image/png'),
  );
}

/** The chart's SVG document as a file. */
export function chartToSvg(chart: ChartImage): Blob {
  if (!chart.svg) throw new Error(`the ${chart.title} chart cannot be drawn as SVG`);
  return new Blob([chart.svg()], { type: 'image/svg+xml' });
}

/** Charts as the report draws them: PNGs sized in CSS pixels (the canvas may be drawn at 2×). */
export function chartImages(charts: readonly ChartImage[]): ReportChart[] {
  return charts.map(({ title, canvas }) => ({
    title,
    png: canvas.toDataURL('image/png'),
    width: canvas.clientWidth || canvas.width,
    height: canvas.clientHeight || canvas.height,
  }));
}

/** A PDF with the report heading, then each chart under its title, scaled to the page width. */
export async function chartsToPdf(charts: readonly ChartImage[], meta: ReportMeta, compress = true): Promise<Blob> {
  const images = chartImages(charts);
  const { doc, text } = await newPdf([meta.title, meta.filters, ...Object.values(meta.labels ?? {}), ...images.map((c) => c.title)], compress);
  const margin = 36;
  writeCharts(doc, text, images, writeHeading(text, meta, margin, margin + 8) + 8);
  writePageNumbers(doc, text, meta);
  return doc.output('blob');
}
