/**
 * Chart exports for sources that draw charts (the health panel): one canvas as PNG, or a PDF
 * report with every chart. Chart images are few and small, so this runs on the page; jsPDF is
 * still imported only on first use.
 */
import { newPdf, writeHeading, writePageNumbers, type ReportMeta } from './heavy-formats.ts';

/** A chart a source offers for export. */
export interface ChartImage {
  title: string;
  canvas: HTMLCanvasElement;
}

export function canvasToPng(canvas: HTMLCanvasElement): Promise<Blob> {
  return new Promise((resolve, reject) =>
    canvas.toBlob((blob) => (blob ? resolve(blob) : reject(new Error('the chart canvas could not be encoded'))), 'image/png'),
  );
}

/** A PDF with the report heading, then each chart under its title, scaled to the page width. */
export async function chartsToPdf(charts: readonly ChartImage[], meta: ReportMeta, compress = true): Promise<Blob> {
  const doc = await newPdf(compress);
  const margin = 36;
  const { width, height } = doc.internal.pageSize;
  const usable = width - 2 * margin;
  let y = writeHeading(doc, meta, margin, margin + 8) + 8;
  for (const chart of charts) {
    const scale = Math.min(usable / chart.canvas.width, (height - 2 * margin - 24) / chart.canvas.height);
    const w = chart.canvas.width * scale;
    const h = chart.canvas.height * scale;
    if (y + 16 + h > height - margin) {
      doc.addPage();
      y = margin + 8;
    }
    doc.setFont('helvetica', 'bold').setFontSize(11).text(chart.title, margin, y);
    doc.addImage(chart.canvas.toDataURL('image/png'), 'PNG', margin, y + 6, w, h);
    y += 16 + h + 12;
  }
  writePageNumbers(doc, meta);
  return doc.output('blob');
}
