// What every chart module returns: a file name, a title and a Chart.js configuration made of plain data (no
// functions), so the same configuration renders to PNG in Node and, serialised, in report.html.
import type { ChartConfiguration } from 'chart.js';

export interface ChartSpec {
  /** file name without extension, e.g. latency-p95 */
  id: string;
  title: string;
  config: ChartConfiguration;
}

export function timeLabels(offsetsSec: readonly number[]): string[] {
  return offsetsSec.map((s) => (s >= 120 ? `${(s / 60).toFixed(s % 60 === 0 ? 0 : 1)}m` : `${Math.round(s)}s`));
}

export function baseOptions(title: string, yTitle: string, xTitle = 'time since start'): NonNullable<ChartConfiguration['options']> {
  return {
    animation: false,
    plugins: { title: { display: true, text: title, font: { size: 16 } }, legend: { position: 'bottom' } },
    scales: {
      x: { title: { display: true, text: xTitle } },
      y: { title: { display: true, text: yTitle }, beginAtZero: true },
    },
  };
}
