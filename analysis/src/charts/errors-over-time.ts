// Errors per second over time, stacked by status code.
import type { AnalysisResult } from '../analyze.js';
import { statusLabel } from '../format.js';
import { baseOptions, timeLabels, type ChartSpec } from './chart-spec.js';
import { seriesColour } from './palette.js';

export function errorsOverTimeChart(result: AnalysisResult): ChartSpec {
  const { series } = result;
  const title = 'Errors per second by status';
  const options = baseOptions(title, 'errors/s');
  options.scales = { x: { ...options.scales?.x, stacked: true }, y: { ...options.scales?.y, stacked: true } };
  return {
    id: 'errors',
    title,
    config: {
      type: 'bar',
      data: {
        labels: timeLabels(series.offsetsSec),
        datasets: Object.entries(series.errorsByStatus).map(([status, perSec], i) => ({
          label: statusLabel(status),
          data: perSec,
          backgroundColor: seriesColour(i + 3),
        })),
      },
      options,
    },
  };
}
