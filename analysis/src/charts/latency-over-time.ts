// Latency percentile by operation over time: one line per operation.
import type { AnalysisResult } from '../analyze.js';
import { baseOptions, timeLabels, type ChartSpec } from './chart-spec.js';
import { seriesColour, seriesDash } from './palette.js';

export function latencyOverTimeChart(result: AnalysisResult, percentile: 'p50' | 'p95' | 'p99'): ChartSpec {
  const { series } = result;
  const title = `${percentile} latency by operation`;
  return {
    id: `latency-${percentile}`,
    title,
    config: {
      type: 'line',
      data: {
        labels: timeLabels(series.offsetsSec),
        datasets: Object.entries(series.operations).map(([op, line], i) => ({
          label: op,
          data: line[percentile],
          borderColor: seriesColour(i),
          backgroundColor: seriesColour(i),
          borderDash: seriesDash(i),
          pointRadius: 0,
          borderWidth: 2,
          spanGaps: false,
        })),
      },
      options: baseOptions(title, 'ms'),
    },
  };
}
