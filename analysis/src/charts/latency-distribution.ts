// Response-time distribution: share of each operation's requests per latency bin (log-spaced).
import type { AnalysisResult } from '../analyze.js';
import { formatMs } from '../format.js';
import { baseOptions, type ChartSpec } from './chart-spec.js';
import { seriesColour, seriesDash } from './palette.js';

export function latencyDistributionChart(result: AnalysisResult): ChartSpec {
  const { distribution } = result;
  const title = 'Response-time distribution';
  return {
    id: 'latency-distribution',
    title,
    config: {
      type: 'line',
      data: {
        labels: distribution.upperMs.map((ms) => `≤${formatMs(ms)}`),
        datasets: Object.entries(distribution.percent).map(([op, percent], i) => ({
          label: op,
          data: percent,
          borderColor: seriesColour(i),
          backgroundColor: seriesColour(i),
          borderDash: seriesDash(i),
          pointRadius: 0,
          borderWidth: 2,
          tension: 0.2,
        })),
      },
      options: baseOptions(title, '% of requests', 'latency bin (ms)'),
    },
  };
}
