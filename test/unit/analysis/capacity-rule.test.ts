// One capacity rule on both sides: the capacity scenario's per-step objectives (scripts/lib/workload/
// capacity-objectives.ts) against the analysis's reading of the same data/slo.json with the run's overrides, and the
// analysis judging a step as k6 judges the scenario's thresholds (k6's percentile, failed status checks).
import { describe, expect, it } from 'vitest';
import { objectivesFor } from '../../../scripts/lib/workload/capacity-objectives.js';
import { RPC_NAMES } from '../../../proto/operations.js';
import { DEFAULT_SLO_PATH } from '../../../analysis/src/config/args.js';
import { limitsFor, loadSlo, withRunOverrides } from '../../../analysis/src/verdicts/slo.js';
import { Aggregate } from '../../../analysis/src/aggregate/aggregate.js';
import { LatencyHistogram } from '../../../analysis/src/aggregate/histogram.js';
import { PointFields } from '../../../analysis/src/aggregate/point.js';
import { buildTimeSeries } from '../../../analysis/src/aggregate/timeseries.js';
import { analyseCapacity } from '../../../analysis/src/verdicts/capacity.js';

const OVERRIDES = [
  {},
  { sloP95Ms: 600000, sloP99Ms: 600000 },
  { sloP95Ms: 300 },
  { sloP95Ms: 20 },
  { sloP99Ms: 1000 },
  { sloErrorRate: 0.05 },
  { sloErrorRate: 0 },
] as const;

describe("the scenario's and the analysis's objectives", () => {
  const slo = loadSlo(DEFAULT_SLO_PATH);

  it.each(OVERRIDES)('are the same for every operation with %o', (overrides) => {
    const config = { sloP95Ms: undefined, sloP99Ms: undefined, sloErrorRate: undefined, ...overrides };
    // What the scenario's summary file records: only the variables that were set.
    const runConfig = Object.fromEntries(Object.entries(overrides));
    const analysis = withRunOverrides(slo, runConfig);
    for (const op of [...RPC_NAMES, 'GET /health', 'NotAnOperation']) {
      expect(objectivesFor(op, config), op).toEqual(limitsFor(analysis, op));
    }
  });

  it('name the overrides the analysis judged by', () => {
    expect(withRunOverrides(slo, { sloP95Ms: 300, sloErrorRate: 0.05, rate: 10 }).source).toBe(`${DEFAULT_SLO_PATH} with the run's SLO_P95_MS=300, SLO_ERROR_RATE=0.05`);
    expect(withRunOverrides(slo, { rate: 10 })).toBe(slo);
    expect(withRunOverrides(slo, null)).toBe(slo);
  });
});

/** k6's trend percentile: linear between the samples around p × (n − 1) (lib/metrics/sink.go). */
function k6Percentile(sorted: readonly number[], percentile: number): number {
  if (sorted.length === 1) return sorted[0]!;
  const rank = (percentile / 100) * (sorted.length - 1);
  const low = sorted[Math.floor(rank)]!;
  return low + (sorted[Math.ceil(rank)]! - low) * (rank - Math.floor(rank));
}

describe("a step's percentile", () => {
  it("is k6's, within the histogram's 0.1 %, for few samples as for many", () => {
    let seed = 7;
    const random = () => ((seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31);
    for (const n of [1, 2, 3, 10, 20, 37, 1000]) {
      const samples = Array.from({ length: n }, () => 0.3 + random() ** 3 * 3000);
      const histogram = new LatencyHistogram();
      for (const ms of samples) histogram.record(ms);
      const sorted = [...samples].sort((a, b) => a - b);
      for (const p of [0, 50, 90, 95, 99, 99.9, 100]) {
        const exact = k6Percentile(sorted, p);
        expect(Math.abs(histogram.interpolatedPercentileMs(p)! - exact) / exact, `n=${n} p=${p}`).toBeLessThanOrEqual(0.001);
      }
    }
  });
});

const T0 = Date.UTC(2026, 0, 1, 12, 0, 0);

/** One call of `op` in `step` at `timeMs`, with its status check (failed when `ok` is false). */
function call(aggregate: Aggregate, step: string, timeMs: number, ms: number, ok = true, op = 'GetRecord'): void {
  const tags = { step, op, scenario: 'main', group: '', status: '200', expectedResponse: 'true', kind: 'status' };
  aggregate.add(Object.assign(new PointFields(), { metric: 'http_req_duration', timeMs, value: ms, ...tags }), 'runner');
  aggregate.add(Object.assign(new PointFields(), { metric: 'checks', timeMs, value: ok ? 1 : 0, check: 'status', ...tags }), 'runner');
}

describe('a capacity step', () => {
  const slo = loadSlo(DEFAULT_SLO_PATH);

  it("holds when k6's p95 is within the objective, though the nearest-rank p95 is not", () => {
    const aggregate = new Aggregate(1000);
    // 10 GetRecord calls (p95 objective 100 ms): k6's p95 is 60 + 0.55 × (130 − 60) = 98.5 ms; the 10th sample is 130.
    [10, 10, 10, 10, 10, 10, 10, 10, 60, 130].forEach((ms, i) => call(aggregate, '1', T0 + i * 200, ms));
    for (let i = 0; i < 10; i++) call(aggregate, '2', T0 + 3_000 + i * 200, 500);
    const capacity = analyseCapacity(buildTimeSeries(aggregate), slo, aggregate.steps, aggregate.startMs!)!;
    expect(capacity.steps[0]!.pass).toBe(true);
    expect(capacity.steps[0]!.p95Ms.GetRecord).toBeCloseTo(98.5, 1);
    expect(capacity.lastHeldStep).toBe('1');
    expect(capacity.steps[1]!.violations.map((v) => v.criterion)).toEqual(['p95Ms', 'p99Ms']);
  });

  it('breaks on its failed status checks (a read back that differs), whatever the status codes say', () => {
    const aggregate = new Aggregate(1000);
    for (let i = 0; i < 100; i++) call(aggregate, '1', T0 + i * 20, 5);
    // 2 of 100 checks failed with status 200 and nothing in opensaves_errors: 2 % > the 1 % budget.
    for (let i = 0; i < 100; i++) call(aggregate, '2', T0 + 3_000 + i * 20, 5, i % 50 !== 0);
    const capacity = analyseCapacity(buildTimeSeries(aggregate), slo, aggregate.steps, aggregate.startMs!)!;
    expect(capacity.steps.map((s) => s.pass)).toEqual([true, false]);
    expect(capacity.steps[1]!.violations).toEqual([{ op: 'GetRecord', criterion: 'errorRate', limit: 0.01, observed: 0.02 }]);
    expect(capacity.lastHeldStep).toBe('1');
    expect(capacity.firstFailingStep).toBe(1);
  });

  it('names no step when the first one broke', () => {
    const aggregate = new Aggregate(1000);
    for (let i = 0; i < 10; i++) call(aggregate, '1', T0 + i * 200, 400);
    for (let i = 0; i < 10; i++) call(aggregate, '2', T0 + 3_000 + i * 200, 5);
    const capacity = analyseCapacity(buildTimeSeries(aggregate), slo, aggregate.steps, aggregate.startMs!)!;
    expect(capacity.lastHeldStep).toBeNull();
    expect(capacity.maxRateHoldingSlo).toBeNull();
  });
});
