/**
 * A drawn Chart.js line chart as an SVG document: the same layout the canvas shows (chart.js's
 * own scales and point positions), but vector: one path per series, the axes with their tick
 * labels, a legend and the title as text. Structural types only, so no chart.js import here.
 */

interface Point {
  x: number;
  y: number;
  skip?: boolean;
}

interface Scale {
  axis?: string;
  left: number;
  right: number;
  top: number;
  bottom: number;
  ticks: Array<{ label?: string | string[] | number }>;
  getPixelForTick(index: number): number;
}

/** What of a Chart.js chart the SVG needs. */
export interface SvgChartSource {
  width: number;
  height: number;
  chartArea: { left: number; right: number; top: number; bottom: number };
  data: { datasets: Array<{ label?: string; borderColor?: unknown; borderDash?: number[]; borderWidth?: number }> };
  scales: Record<string, Scale>;
  getDatasetMeta(index: number): { hidden?: boolean | null; data: Point[] };
  isDatasetVisible?(index: number): boolean;
}

const escapeXml = (text: string) => text.replace(/[<>&"']/g, (ch) => `&#${ch.charCodeAt(0)};`);
const n = (value: number) => (Math.round(value * 100) / 100).toString();
const FONT = 'font-family="system-ui, sans-serif" font-size="11"';

/** The chart as a standalone SVG document (UTF-8 text). */
export function chartSvg(chart: SvgChartSource, title: string, textColor = '#333', gridColor = '#ccc'): string {
  const { width, height, chartArea: area } = chart;
  const parts: string[] = [];
  parts.push(`<title>${escapeXml(title)}</title>`);
  parts.push(`<rect width="${n(width)}" height="${n(height)}" fill="#fff"/>`);
  for (const scale of Object.values(chart.scales)) {
    const horizontal = scale.axis === 'x';
    parts.push(`<g class="axis axis-${horizontal ? 'x' : 'y'}" fill="${textColor}" ${FONT}>`);
    scale.ticks.forEach((tick, i) => {
      const label = Array.isArray(tick.label) ? tick.label.join(' ') : String(tick.label ?? '');
      const at = scale.getPixelForTick(i);
      if (!Number.isFinite(at)) return;
      if (horizontal) {
        parts.push(`<text x="${n(at)}" y="${n(scale.top + 14)}" text-anchor="middle">${escapeXml(label)}</text>`);
      } else {
        parts.push(`<line x1="${n(area.left)}" x2="${n(area.right)}" y1="${n(at)}" y2="${n(at)}" stroke="${gridColor}" stroke-width="0.5"/>`);
        parts.push(`<text x="${n(scale.right - 4)}" y="${n(at + 4)}" text-anchor="end">${escapeXml(label)}</text>`);
      }
    });
    parts.push('</g>');
  }
  parts.push(
    `<path class="frame" d="M${n(area.left)} ${n(area.top)}V${n(area.bottom)}H${n(area.right)}" fill="none" stroke="${gridColor}"/>`,
  );
  const legend: string[] = [];
  chart.data.datasets.forEach((dataset, i) => {
    if (chart.isDatasetVisible && !chart.isDatasetVisible(i)) return;
    const color = typeof dataset.borderColor === 'string' ? dataset.borderColor : textColor;
    let d = '';
    let pen = false;
    for (const point of chart.getDatasetMeta(i).data) {
      if (point.skip || !Number.isFinite(point.x) || !Number.isFinite(point.y)) {
        pen = false; // a gap in the series stays a gap
        continue;
      }
      d += `${pen ? 'L' : 'M'}${n(point.x)} ${n(point.y)}`;
      pen = true;
    }
    const dash = dataset.borderDash?.length ? ` stroke-dasharray="${dataset.borderDash.join(' ')}"` : '';
    const label = escapeXml(dataset.label ?? `Series ${i + 1}`);
    parts.push(`<path class="series" data-label="${label}" d="${d}" fill="none" stroke="${color}" stroke-width="${dataset.borderWidth ?? 2}"${dash}><title>${label}</title></path>`);
    const x = area.left + legend.length * 110;
    legend.push(`<rect x="${n(x)}" y="4" width="12" height="3" fill="${color}"/><text x="${n(x + 16)}" y="10">${label}</text>`);
  });
  parts.push(`<g class="legend" fill="${textColor}" ${FONT}>${legend.join('')}</g>`);
  return `<?xml version="1.0" encoding="UTF-8"?>\n<svg xmlns="http://www.w3.org/2000/svg" width="${n(width)}" height="${n(height)}" viewBox="0 0 ${n(width)} ${n(height)}">${parts.join('')}</svg>\n`;
}
