// Latency percentile by operation over time: one panel per operation class, one line per operation.
import type { AnalysisResult } from '../analyze.js';
import { timeAxisTitle, timeLabels, type ChartSpec } from './chart-spec.js';
import { classPanels } from './operation-classes.js';

export function latencyOverTimeChart(result: AnalysisResult, percentile: 'p50' | 'p95' | 'p99'): ChartSpec {
  const { series, summary } = result;
  const title = `${percentile} latency by operation`;
  const lines = Object.entries(series.operations).map(([op, line]) => ({
    op,
    data: line[percentile],
    // Ranked by the whole run's p95 in every percentile's chart, so the p95 and p99 panels show the same operations.
    rank: summary.operations[op]?.latencyMs.p95 ?? 0,
  }));
  return {
    id: `latency-${percentile}`,
    title,
    panels: classPanels(lines, {
      what: `${percentile} latency`,
      yQuantity: `${percentile} latency`,
      yUnit: 'ms',
      xTitle: timeAxisTitle(series.offsetsSec),
      labels: timeLabels(series.offsetsSec),
      // The worst of the folded operations, so a slow one still shows.
      fold: 'max',
    }),
  };
}
