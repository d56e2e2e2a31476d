// Re-evaluates the k6 thresholds declared in the output (Metric lines carry them) against the aggregates, so the
// report shows each one as pass or fail. k6 does not write thresholds of sub-metrics (`metric{tag:value}`) into its
// JSON output, so only thresholds on whole metrics can appear here; k6-summary.ts reads all of them, with k6's own
// verdicts, from the scenario's handleSummary file.
//
// Housekeeping (setup(), teardown(), dist/cleanup.js) is left out where the analysis can tell it apart: request
// durations, checks, iterations and the scenarios' counters, whose tags it reads, and http_reqs and http_req_failed,
// which are judged on the request-duration points (one per request). Other built-ins (http_req_waiting, data_sent,
// iteration_duration, ...) are read without their tags and include it.
import type { Aggregate } from '../aggregate/aggregate.js';
import { LatencyHistogram } from '../aggregate/histogram.js';
import { REQUEST_DURATION_METRICS } from '../config/constants.js';

export interface ThresholdResult {
  metric: string;
  expression: string;
  /** null when the expression uses an aggregation this tool cannot compute */
  pass: boolean | null;
  observed: number | null;
  /** 'k6-summary': k6's own verdict from the scenario's summary file; 'reevaluated': computed here from the output */
  source: 'k6-summary' | 'reevaluated';
}

export interface ThresholdExpression {
  /** the aggregation as k6 names it in a summary's `values`: avg, min, max, med, count, rate, value or p(N) */
  aggregation: string;
  percentile: number | null;
  operator: string;
  limit: number;
}

const EXPRESSION = /^\s*(avg|min|max|med|count|rate|value|p\((\d+(?:\.\d+)?)\))\s*(<=|>=|===|==|!=|<|>)\s*(-?\d+(?:\.\d+)?(?:e[+-]?\d+)?)\s*$/;

export function parseThresholdExpression(expression: string): ThresholdExpression | null {
  const match = EXPRESSION.exec(expression);
  if (match === null) return null;
  return { aggregation: match[1]!, percentile: match[2] === undefined ? null : Number(match[2]), operator: match[3]!, limit: Number(match[4]) };
}

/** Failed thresholds fail the run, as they make k6 itself exit non-zero. */
export function thresholdsPass(thresholds: readonly ThresholdResult[]): boolean {
  return thresholds.every((t) => t.pass !== false);
}

export function evaluateThresholds(aggregate: Aggregate, durationSec: number): ThresholdResult[] {
  const results: ThresholdResult[] = [];
  for (const declaration of [...aggregate.declarations.values()].sort((a, b) => a.name.localeCompare(b.name))) {
    for (const expression of declaration.thresholds) {
      const parsed = parseThresholdExpression(expression);
      const observed = parsed === null ? null : observe(aggregate, declaration.name, declaration.type, parsed.aggregation, parsed.percentile, durationSec);
      const pass = observed === null || parsed === null ? null : compare(observed, parsed.operator, parsed.limit);
      results.push({ metric: declaration.name, expression, pass, observed, source: 'reevaluated' });
    }
  }
  return results;
}

function observe(
  aggregate: Aggregate,
  metric: string,
  type: string,
  aggregation: string,
  percentile: number | null,
  durationSec: number,
): number | null {
  const fromRequests = requestDerived(aggregate, metric, aggregation, durationSec);
  if (fromRequests !== undefined) return fromRequests;
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
        return percentile === null ? null : at(percentile);
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

/**
 * http_reqs and http_req_failed from the workload's http_req_duration points, which carry the same requests with
 * the tags that tell housekeeping apart; undefined for any other metric.
 */
function requestDerived(aggregate: Aggregate, metric: string, aggregation: string, durationSec: number): number | null | undefined {
  if (metric !== 'http_reqs' && metric !== 'http_req_failed') return undefined;
  let requests = 0;
  let failed = 0;
  for (const byMetric of aggregate.operations.values()) {
    const stats = byMetric.get('http_req_duration');
    if (stats === undefined) continue;
    requests += stats.count;
    failed += stats.errors;
  }
  if (requests === 0) return null;
  if (metric === 'http_req_failed') return aggregation === 'rate' ? failed / requests : null;
  if (aggregation === 'count') return requests;
  return aggregation === 'rate' && durationSec > 0 ? requests / durationSec : null;
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
