// What every chart module returns: a file name, a title and one or more Chart.js configurations made of plain data
// (no functions), so the same configurations render to PNG in Node and, serialised, in report.html.
import type { ChartConfiguration } from 'chart.js';

/** One box of a chart: a chart with many series is split into small multiples, one panel per operation class. */
export interface ChartPanel {
  /** unique within its chart, e.g. records */
  id: string;
  title: string;
  config: ChartConfiguration;
}

export interface ChartSpec {
  /** file name without extension, e.g. latency-p95 */
  id: string;
  title: string;
  panels: ChartPanel[];
}

/** A chart that is not split: one panel, with the chart's own id and title. */
export function singleChart(id: string, title: string, config: ChartConfiguration): ChartSpec {
  return { id, title, panels: [{ id, title, config }] };
}

/** Columns of the panel grid: two panels side by side, more in rows of three. */
export function gridColumns(panels: number): number {
  return panels <= 1 ? 1 : panels <= 4 ? 2 : 3;
}

/** "45s" for runs under a minute, else "m:ss" ("h:mm:ss" past an hour), so no two buckets share a label. */
export function timeLabels(offsetsSec: readonly number[]): string[] {
  const longest = offsetsSec[offsetsSec.length - 1] ?? 0;
  const two = (n: number): string => String(n).padStart(2, '0');
  return offsetsSec.map((offset) => {
    const s = Math.round(offset);
    if (longest < 60) return `${s}s`;
    if (longest < 3600) return `${Math.floor(s / 60)}:${two(s % 60)}`;
    return `${Math.floor(s / 3600)}:${two(Math.floor((s % 3600) / 60))}:${two(s % 60)}`;
  });
}

/** The time axis's title, with the unit its labels are in. */
export function timeAxisTitle(offsetsSec: readonly number[]): string {
  const longest = offsetsSec[offsetsSec.length - 1] ?? 0;
  return `time since start (${longest < 60 ? 's' : longest < 3600 ? 'm:ss' : 'h:mm:ss'})`;
}

/** Axis titles end in their unit in brackets, e.g. "p95 latency (ms)". */
export function baseOptions(title: string, yTitle: string, xTitle: string): NonNullable<ChartConfiguration['options']> {
  return {
    animation: false,
    plugins: { title: { display: true, text: title, font: { size: 16 } }, legend: { position: 'bottom' } },
    scales: {
      x: { title: { display: true, text: xTitle } },
      y: { title: { display: true, text: yTitle }, beginAtZero: true },
    },
  };
}
