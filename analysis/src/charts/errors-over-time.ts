// Errors per second by operation over time: one panel per operation class, one line per operation that failed.
import type { AnalysisResult } from '../analyze.js';
import { timeAxisTitle, timeLabels, type ChartSpec } from './chart-spec.js';
import { classPanels, type OperationLine } from './operation-classes.js';

export function errorsOverTimeChart(result: AnalysisResult): ChartSpec {
  const { series } = result;
  const title = 'Errors by operation';
  const lines: OperationLine[] = [];
  for (const op of Object.keys(series.operations)) {
    const data = series.buckets.map((bucket, i) => (bucket.operations.get(op)?.effectiveErrors ?? 0) / series.coveredSec[i]!);
    const total = data.reduce((sum, v) => sum + v, 0);
    // Operations that never failed would only add flat lines at zero.
    if (total > 0) lines.push({ op, data, rank: total });
  }
  const options = {
    what: 'errors',
    yQuantity: 'errors',
    yUnit: 'errors/s',
    xTitle: timeAxisTitle(series.offsetsSec),
    labels: timeLabels(series.offsetsSec),
    // The folded operations' total, so the panel still accounts for every error of its class.
    fold: 'sum' as const,
  };
  const panels = classPanels(lines, options);
  if (panels.length === 0) {
    // A run without errors still gets its (flat) chart, so the report's layout does not depend on the run.
    const zero = series.offsetsSec.map(() => 0);
    panels.push(...classPanels([{ op: 'all operations', data: zero, rank: 0 }], { ...options, panelTitle: 'no errors in this run' }));
  }
  return { id: 'errors', title, panels };
}
