/**
 * The panel's two charts. This module is imported dynamically on the first render of the full
 * mode, so chart.js (and only the parts registered here) never enters the core bundle.
 */
import {
  CategoryScale,
  Chart,
  Legend,
  LineController,
  LineElement,
  LinearScale,
  PointElement,
  Tooltip,
  type ChartDataset,
} from 'chart.js';
import { chartSvg, type SvgChartSource } from '../core/chart-svg.ts';
import { yieldToPage } from '../core/yield.ts';
import type { ChartSeries } from './history.ts';
import type { Limits } from './thresholds.ts';

Chart.register(LineController, LineElement, PointElement, LinearScale, CategoryScale, Legend, Tooltip);

/** Resolved colours (rgb()) read from the widget's tokens; they follow the theme. */
export interface ChartPalette {
  text: string;
  muted: string;
  grid: string;
  accent: string;
  success: string;
  warning: string;
  danger: string;
}

export interface ChartLabels {
  p50: string;
  p95: string;
  p99: string;
  warning: string;
  critical: string;
  eventsIn: string;
  eventsOut: string;
  latencyAxis: string;
  throughputAxis: string;
}

type Line = ChartDataset<'line', Array<number | null>>;

const line = (label: string, data: Array<number | null>, color: string, dash: number[] = [], width = 2): Line => ({
  label,
  data,
  borderColor: color,
  backgroundColor: color,
  borderDash: dash,
  borderWidth: width,
  pointRadius: 0,
  pointHitRadius: 6,
  spanGaps: false,
  tension: 0,
});

function options(palette: ChartPalette, axis: string) {
  const ticks = { color: palette.muted, maxRotation: 0, autoSkipPadding: 16, font: { size: 11 } };
  return {
    responsive: true,
    maintainAspectRatio: false,
    animation: false as const,
    interaction: { mode: 'index' as const, intersect: false },
    scales: {
      x: { ticks, grid: { color: palette.grid, lineWidth: 0.5 } },
      y: {
        beginAtZero: true,
        ticks,
        grid: { color: palette.grid, lineWidth: 0.5 },
        title: { display: true, text: axis, color: palette.muted, font: { size: 11 } },
      },
    },
    plugins: {
      legend: { labels: { color: palette.text, boxWidth: 12, boxHeight: 2, font: { size: 11 } } },
      tooltip: { enabled: true },
    },
  };
}

type LineChart = Chart<'line', Array<number | null>, string>;
type Drawing = Pick<LineChart['config'], 'data' | 'options'>;
const KINDS = ['latency', 'throughput'] as const;
type Kind = (typeof KINDS)[number];

/**
 * The two charts, each created on a turn of its own: creating and first drawing a chart runs
 * 20–50 ms of chart.js code not compiled yet, and both at once, right after the panel's first
 * full render, made a main-thread task of 70–250 ms on every page load.
 */
export class HealthCharts {
  private readonly charts: Partial<Record<Kind, LineChart>> = {};
  /** Settles once both charts are drawn (or the charts were destroyed first). */
  readonly ready: Promise<void>;
  /** The latest drawing of each chart: applied at once to a chart that exists, else at its creation. */
  private drawings: Record<Kind, Drawing> | undefined;
  private destroyed = false;

  constructor(private readonly canvases: Readonly<Record<Kind, HTMLCanvasElement>>) {
    this.ready = this.start();
  }

  /** Both canvases once both charts exist, else none. */
  get drawnCanvases(): HTMLCanvasElement[] {
    return KINDS.every((kind) => this.charts[kind]) ? KINDS.map((kind) => this.charts[kind]!.canvas) : [];
  }

  /** The drawn chart on this canvas as an SVG document (for the SVG export). */
  svg(canvas: HTMLCanvasElement, title: string): string {
    const chart = KINDS.map((kind) => this.charts[kind]).find((c) => c?.canvas === canvas);
    if (!chart) throw new Error(`the ${title} chart is not drawn`);
    return chartSvg(chart as unknown as SvgChartSource, title);
  }

  private async start(): Promise<void> {
    for (const kind of KINDS) {
      await yieldToPage();
      if (this.destroyed) return;
      const drawing = this.drawings?.[kind] ?? { data: { labels: [], datasets: [] } };
      this.charts[kind] = new Chart(this.canvases[kind], { type: 'line', ...drawing });
    }
  }

  /** Replaces data and colours and redraws at once (no animation). */
  update(series: ChartSeries, times: string[], limits: Limits, palette: ChartPalette, labels: ChartLabels): void {
    const flat = (value: number) => series.at.map(() => value);
    this.drawings = {
      latency: {
        data: {
          labels: times,
          datasets: [
            line(labels.p50, series.latency.p50, palette.success, [], 1.5),
            line(labels.p95, series.latency.p95, palette.accent, [], 2.5),
            line(labels.p99, series.latency.p99, palette.text, [2, 2], 1.5),
            line(labels.warning, flat(limits.warning), palette.warning, [6, 4], 1),
            line(labels.critical, flat(limits.critical), palette.danger, [6, 4], 1),
          ],
        },
        options: options(palette, labels.latencyAxis),
      },
      throughput: {
        data: {
          labels: times,
          datasets: [
            line(labels.eventsIn, series.throughput.in, palette.accent, [], 2),
            line(labels.eventsOut, series.throughput.out, palette.success, [4, 3], 2),
          ],
        },
        options: options(palette, labels.throughputAxis),
      },
    };
    for (const kind of KINDS) {
      const chart = this.charts[kind];
      if (!chart) continue;
      Object.assign(chart, this.drawings[kind]);
      chart.update('none');
    }
  }

  destroy(): void {
    this.destroyed = true;
    for (const chart of Object.values(this.charts)) chart.destroy();
  }
}
