// Re-evaluates the k6 thresholds declared in the output (Metric lines carry them) against the aggregates, so the
// report shows each one as pass or fail. k6 does not write thresholds of sub-metrics (`metric{tag:value}`) into its
// JSON output, so only thresholds on whole metrics can appear here.
import type { Aggregate } from './aggregate.js';
import { LatencyHistogram } from './histogram.js';
import { REQUEST_DURATION_METRICS } from './constants.js';

export interface ThresholdResult {
  metric: string;
  expression: string;
  /** null when the expression uses an aggregation this tool cannot compute */
  pass: boolean | null;
  observed: number | null;
}

const EXPRESSION = /^\s*(avg|min|max|med|count|rate|value|p\((\d+(?:\.\d+)?)\))\s*(<=|>=|===|==|!=|<|>)\s*(-?\d+(?:\.\d+)?(?:e[+-]?\d+)?)\s*$/;

export function evaluateThresholds(aggregate: Aggregate, durationSec: number): ThresholdResult[] {
  const results: ThresholdResult[] = [];
  for (const declaration of [...aggregate.declarations.values()].sort((a, b) => a.name.localeCompare(b.name))) {
    for (const expression of declaration.thresholds) {
      const match = EXPRESSION.exec(expression);
      const observed = match === null ? null : observe(aggregate, declaration.name, declaration.type, match[1]!, match[2], durationSec);
      const pass = observed === null || match === null ? null : compare(observed, match[3]!, Number(match[4]));
      results.push({ metric: declaration.name, expression, pass, observed });
    }
  }
  return results;
}

function observe(
  aggregate: Aggregate,
  metric: string,
  type: string,
  aggregation: string,
  percentile: string | undefined,
  durationSec: number,
): number | null {
  const stats = aggregate.metrics.get(metric);
  if (stats === undefined || stats.count === 0) return null;
  if (type === 'trend') {
    const latency = REQUEST_DURATION_METRICS.has(metric) ? requestLatency(aggregate, metric) : null;
    const at = (p: number): number | null => latency?.percentileMs(p) ?? stats.histogram?.percentileMs(p) ?? null;
    switch (aggregation) {
      case 'avg':
        return stats.sum / stats.count;
      case 'min':
        return stats.min;
      case 'max':
        return stats.max;
      case 'med':
        return at(50);
      default:
        return percentile === undefined ? null : at(Number(percentile));
    }
  }
  if (type === 'counter') {
    if (aggregation === 'count') return stats.sum;
    if (aggregation === 'rate') return durationSec > 0 ? stats.sum / durationSec : null;
    return null;
  }
  if (type === 'rate') return aggregation === 'rate' ? stats.nonZero / stats.count : null;
  if (type === 'gauge') return aggregation === 'value' ? stats.lastValue : aggregation === 'min' ? stats.min : aggregation === 'max' ? stats.max : null;
  return null;
}

/** The exact HDR latency of all operations timed by one request metric. */
function requestLatency(aggregate: Aggregate, metric: string): LatencyHistogram {
  const merged = new LatencyHistogram();
  for (const byMetric of aggregate.operations.values()) {
    const stats = byMetric.get(metric);
    if (stats !== undefined) merged.add(stats.latency);
  }
  return merged;
}

function compare(observed: number, operator: string, limit: number): boolean {
  switch (operator) {
    case '<':
      return observed < limit;
    case '<=':
      return observed <= limit;
    case '>':
      return observed > limit;
    case '>=':
      return observed >= limit;
    case '!=':
      return observed !== limit;
    default:
      return observed === limit;
  }
}
