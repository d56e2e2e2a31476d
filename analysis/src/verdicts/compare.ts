// Compares a run with a baseline per operation: deltas, significance tests and the regression gate.
import { LatencyHistogram } from '../aggregate/histogram.js';
import { mannWhitney, twoProportion, type TestResult } from '../aggregate/stats.js';

/** What the comparison needs of one operation, from a live aggregate or a stored summary.json. */
export interface ComparableOperation {
  count: number;
  errors: number;
  latency: LatencyHistogram | null;
  /** percentiles when there is no histogram (a summary without one) */
  latencyMs: { p50: number | null; p95: number | null; p99: number | null; mean: number | null };
}

// Below this many requests on either side an operation is listed but never fails the gate.
const MIN_COUNT_FOR_GATE = 30;
// Significance level of both tests.
export const SIGNIFICANCE = 0.01;
// An error-rate increase below this (absolute, 0.5 percentage points) is not a regression, however significant.
export const MAX_ERROR_RATE_INCREASE = 0.005;

export interface OperationComparison {
  op: string;
  baseline: { count: number; errorRate: number; p50: number | null; p95: number | null; p99: number | null; mean: number | null };
  candidate: { count: number; errorRate: number; p50: number | null; p95: number | null; p99: number | null; mean: number | null };
  /** relative change in percent, candidate vs baseline */
  deltaPct: { p50: number | null; p95: number | null; p99: number | null; mean: number | null };
  errorRateDelta: number;
  latencyTest: TestResult | null;
  errorTest: TestResult;
  regression: boolean;
  reasons: string[];
}

export interface Comparison {
  baseline: string;
  maxRegressionPct: number;
  significance: number;
  pass: boolean;
  operations: OperationComparison[];
  /** operations present on one side only */
  onlyInBaseline: string[];
  onlyInCandidate: string[];
}

export function compareRuns(
  candidate: ReadonlyMap<string, ComparableOperation>,
  baseline: ReadonlyMap<string, ComparableOperation>,
  baselineName: string,
  maxRegressionPct: number,
): Comparison {
  const operations: OperationComparison[] = [];
  for (const [op, now] of candidate) {
    const before = baseline.get(op);
    if (before !== undefined) operations.push(compareOperation(op, now, before, maxRegressionPct));
  }
  return {
    baseline: baselineName,
    maxRegressionPct,
    significance: SIGNIFICANCE,
    pass: operations.every((o) => !o.regression),
    operations,
    onlyInBaseline: [...baseline.keys()].filter((op) => !candidate.has(op)),
    onlyInCandidate: [...candidate.keys()].filter((op) => !baseline.has(op)),
  };
}

function figures(o: ComparableOperation): OperationComparison['baseline'] {
  const errorRate = o.count === 0 ? 0 : o.errors / o.count;
  if (o.latency === null) return { count: o.count, errorRate, ...o.latencyMs };
  return {
    count: o.count,
    errorRate,
    p50: o.latency.percentileMs(50),
    p95: o.latency.percentileMs(95),
    p99: o.latency.percentileMs(99),
    mean: o.latency.meanMs,
  };
}

function deltaPct(now: number | null, before: number | null): number | null {
  return now === null || before === null || before === 0 ? null : ((now - before) / before) * 100;
}

function compareOperation(op: string, now: ComparableOperation, before: ComparableOperation, maxRegressionPct: number): OperationComparison {
  const candidate = figures(now);
  const baseline = figures(before);
  const delta = {
    p50: deltaPct(candidate.p50, baseline.p50),
    p95: deltaPct(candidate.p95, baseline.p95),
    p99: deltaPct(candidate.p99, baseline.p99),
    mean: deltaPct(candidate.mean, baseline.mean),
  };
  const latencyTest =
    now.latency !== null && before.latency !== null && now.latency.count > 0 && before.latency.count > 0
      ? mannWhitney([...now.latency.entries()], [...before.latency.entries()])
      : null;
  const errorTest = twoProportion(now.errors, now.count, before.errors, before.count);
  const reasons: string[] = [];
  const enough = now.count >= MIN_COUNT_FOR_GATE && before.count >= MIN_COUNT_FOR_GATE;
  // Without histograms there is no test; the percentage threshold alone decides.
  const latencySignificant = latencyTest === null || (latencyTest.pValue < SIGNIFICANCE && latencyTest.z > 0);
  if (enough && latencySignificant) {
    for (const key of ['p50', 'p95'] as const) {
      const d = delta[key];
      if (d !== null && d > maxRegressionPct) reasons.push(`${key} ${d.toFixed(1)}% slower (limit ${maxRegressionPct}%)`);
    }
  }
  const errorRateDelta = candidate.errorRate - baseline.errorRate;
  if (enough && errorTest.pValue < SIGNIFICANCE && errorRateDelta > MAX_ERROR_RATE_INCREASE) {
    reasons.push(`error rate up ${(errorRateDelta * 100).toFixed(2)} points`);
  }
  return { op, baseline, candidate, deltaPct: delta, errorRateDelta, latencyTest, errorTest, regression: reasons.length > 0, reasons };
}
