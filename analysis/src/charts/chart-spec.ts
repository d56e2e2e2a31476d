// What every chart module returns: a file name, a title and a Chart.js configuration made of plain data (no
// functions), so the same configuration renders to PNG in Node and, serialised, in report.html.
import type { ChartConfiguration } from 'chart.js';

export interface ChartSpec {
  /** file name without extension, e.g. latency-p95 */
  id: string;
  title: string;
  config: ChartConfiguration;
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
