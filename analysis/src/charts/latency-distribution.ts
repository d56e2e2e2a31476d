// Response-time distribution: share of each operation's requests per latency bin (log-spaced), one panel per
// operation class.
import type { AnalysisResult } from '../analyze.js';
import { formatMs } from '../format.js';
import type { ChartSpec } from './chart-spec.js';
import { classPanels } from './operation-classes.js';

export function latencyDistributionChart(result: AnalysisResult): ChartSpec {
  const { distribution, summary } = result;
  const title = 'Response-time distribution';
  const lines = Object.entries(distribution.percent).map(([op, percent]) => ({ op, data: percent, rank: summary.operations[op]?.latencyMs.p95 ?? 0 }));
  return {
    id: 'latency-distribution',
    title,
    panels: classPanels(lines, {
      what: 'response times',
      yQuantity: 'share of requests',
      yUnit: '%',
      xTitle: 'latency bin (ms)',
      labels: distribution.upperMs.map((ms) => `≤${formatMs(ms)}`),
      // The folded operations' average shape: a sum or maximum of shares is no distribution.
      fold: 'mean',
      logWhenWide: false,
    }),
  };
}
