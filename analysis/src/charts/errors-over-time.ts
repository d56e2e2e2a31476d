// Error rate over time, stacked by status code: each bar is the share of the bucket's requests that failed.
import type { AnalysisResult } from '../analyze.js';
import { statusLabel } from '../format.js';
import { baseOptions, timeLabels, type ChartSpec } from './chart-spec.js';
import { seriesColour } from './palette.js';

export function errorsOverTimeChart(result: AnalysisResult): ChartSpec {
  const { series } = result;
  const title = 'Error rate by status';
  const options = baseOptions(title, '% of requests');
  options.scales = { x: { ...options.scales?.x, stacked: true }, y: { ...options.scales?.y, stacked: true } };
  return {
    id: 'errors',
    title,
    config: {
      type: 'bar',
      data: {
        labels: timeLabels(series.offsetsSec),
        datasets: Object.entries(series.errorsByStatus).map(([status, perSec], i) => ({
          label: statusLabel(status, 'unknown', true),
          data: perSec.map((errors, bucket) => (series.requestsPerSec[bucket]! > 0 ? (100 * errors) / series.requestsPerSec[bucket]! : 0)),
          backgroundColor: seriesColour(i + 3),
        })),
      },
      options,
    },
  };
}
