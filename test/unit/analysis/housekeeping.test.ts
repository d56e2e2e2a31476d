// The aggregate's split of the workload from housekeeping (setup(), teardown(), dist/cleanup.js): which samples are
// which, that housekeeping reaches no workload figure, that worker aggregates merge to the same split, and the
// whole-metric thresholds that can be judged on the workload alone.
import { describe, expect, it } from 'vitest';
import { Aggregate } from '../../../analysis/src/aggregate/aggregate.js';
import { housekeepingPhaseOf } from '../../../analysis/src/aggregate/housekeeping.js';
import { PointFields } from '../../../analysis/src/aggregate/point.js';
import { operationViews } from '../../../analysis/src/aggregate/operations.js';
import { buildTimeSeries } from '../../../analysis/src/aggregate/timeseries.js';
import { evaluateThresholds } from '../../../analysis/src/verdicts/thresholds.js';
import { housekeepingOf, workloadSecOf } from '../../../analysis/src/summary.js';

const T0 = Date.UTC(2026, 0, 1, 12, 0, 0);

function point(fields: Partial<PointFields>): PointFields {
  return Object.assign(new PointFields(), fields);
}

/** A request and, when `checked`, the scenario's status check of it (kind=status, one per call). */
function request(timeMs: number, ms: number, tags: Partial<PointFields>, checked: boolean | null = null): PointFields[] {
  const points = [point({ metric: 'http_req_duration', timeMs, value: ms, expectedResponse: 'true', status: '200', ...tags })];
  if (checked !== null) {
    points.push(point({ metric: 'checks', timeMs, value: checked ? 1 : 0, kind: 'status', check: `the ${tags.op} call ends with an expected status`, ...tags }));
  }
  return points;
}

const WORKLOAD = { group: '', scenario: 'main' };
const SETUP = { group: '::setup' };
const TEARDOWN = { group: '::teardown' };
const CLEANUP = { group: '', scenario: 'cleanup' };

/** A small run: setup (a preflight without an op, a store), 3 iterations, a teardown that looks blobs up, a cleanup. */
function run(): PointFields[] {
  return [
    ...request(T0 + 10, 2, { ...SETUP, name: 'GET /health' }),
    ...request(T0 + 20, 3, { ...SETUP, op: 'CreateStore', status: '201' }, true),
    // A failed setup call the scenario did not judge: failed by its status.
    ...request(T0 + 30, 4, { ...SETUP, op: 'CreateRecord', status: '503', expectedResponse: 'false' }),
    ...request(T0 + 1_000, 5, { ...WORKLOAD, op: 'GetRecord' }, true),
    ...request(T0 + 1_500, 7, { ...WORKLOAD, op: 'GetRecord' }, false),
    ...request(T0 + 2_000, 9, { ...WORKLOAD, op: 'CreateRecord', status: '201' }, true),
    point({ metric: 'iterations', timeMs: T0 + 2_010, value: 1, ...WORKLOAD }),
    // Teardown's 404 lookups are expected: its status checks pass, so they are no errors.
    ...request(T0 + 5_000, 1, { ...TEARDOWN, op: 'GetBlob', status: '404' }, true),
    ...request(T0 + 5_100, 1, { ...TEARDOWN, op: 'GetBlob', status: '404' }, true),
    ...request(T0 + 5_200, 2, { ...TEARDOWN, op: 'DeleteStore', status: '204' }, true),
    point({ metric: 'opensaves_errors', timeMs: T0 + 5_300, value: 1, op: 'DeleteStore', status: '500', ...TEARDOWN }),
    ...request(T0 + 8_000, 3, { ...CLEANUP, op: 'GetBlob', status: '404' }, true),
    point({ metric: 'iterations', timeMs: T0 + 8_010, value: 1, ...CLEANUP }),
  ];
}

function aggregateOf(points: readonly PointFields[]): Aggregate {
  const aggregate = new Aggregate(1000);
  aggregate.declare({ name: 'http_reqs', type: 'counter', contains: 'default', thresholds: ['count<=3', 'rate<1'] });
  aggregate.declare({ name: 'http_req_failed', type: 'rate', contains: 'default', thresholds: ['rate<0.5'] });
  aggregate.declare({ name: 'http_req_duration', type: 'trend', contains: 'time', thresholds: ['max<10', 'avg<10'] });
  aggregate.declare({ name: 'checks', type: 'rate', contains: 'default', thresholds: ['rate>0.5'] });
  for (const p of points) aggregate.add(p, 'runner-1');
  return aggregate;
}

describe('which samples are housekeeping', () => {
  it('knows setup() and teardown() by their group without a scenario, and dist/cleanup.js by its scenario', () => {
    expect(housekeepingPhaseOf('::setup', '')).toBe('setup');
    expect(housekeepingPhaseOf('::setup::seed stores', '')).toBe('setup');
    expect(housekeepingPhaseOf('::teardown', '')).toBe('teardown');
    expect(housekeepingPhaseOf('', 'cleanup')).toBe('cleanup');
    expect(housekeepingPhaseOf('', 'main')).toBeNull();
    expect(housekeepingPhaseOf('', '')).toBeNull();
  });

  it("leaves a script's own group called setup, and groups that only start alike, to the workload", () => {
    // Inside an iteration a group("setup") is tagged ::setup too, but with its scenario.
    expect(housekeepingPhaseOf('::setup', 'main')).toBeNull();
    expect(housekeepingPhaseOf('::setupish', '')).toBeNull();
    expect(housekeepingPhaseOf('::teardown_all', '')).toBeNull();
  });
});

describe('the aggregate', () => {
  it('counts only the workload in operations, checks, instances, time buckets and metric totals', () => {
    const aggregate = aggregateOf(run());
    const views = operationViews(aggregate);
    expect([...views.keys()]).toEqual(['CreateRecord', 'GetRecord']);
    expect(views.get('GetRecord')!.stats.effectiveCount).toBe(2);
    expect(views.get('CreateRecord')!.stats.effectiveCount).toBe(1);
    expect([...aggregate.checks.values()].reduce((sum, c) => sum + c.passes + c.fails, 0)).toBe(3);
    expect(aggregate.metrics.get('http_req_duration')!.count).toBe(3);
    expect(aggregate.metrics.get('checks')!.count).toBe(3);
    expect(aggregate.metrics.get('iterations')!.sum).toBe(1);
    expect(aggregate.instances.get('runner-1')!.effectiveCount).toBe(3);
    const series = buildTimeSeries(aggregate);
    expect(series.requestsPerSec.reduce((a, b) => a + b, 0)).toBe(3);
    expect(series.housekeepingPerSec.reduce((a, b) => a + b, 0)).toBe(7);
    expect(series.iterationsPerSec.reduce((a, b) => a + b, 0)).toBe(1);
  });

  it('keeps each phase apart: requests per operation, errors as the scenario judged them, time in requests and span', () => {
    const summary = housekeepingOf(aggregateOf(run()));
    expect(summary.requests).toBe(7);
    expect(summary.phases.setup).toEqual({
      requests: 3,
      errors: 1,
      requestTimeSec: 0.009,
      // from the preflight's start (10 ms - 2 ms) to CreateRecord's end (30 ms)
      wallTimeSec: 0.022,
      operations: { CreateRecord: { requests: 1, errors: 1 }, CreateStore: { requests: 1, errors: 0 }, 'GET /health': { requests: 1, errors: 0 } },
    });
    // 404 lookups passed their checks; the DeleteStore error is the one the scenario counted.
    expect(summary.phases.teardown!.requests).toBe(3);
    expect(summary.phases.teardown!.errors).toBe(1);
    expect(summary.phases.teardown!.operations).toEqual({ DeleteStore: { requests: 1, errors: 1 }, GetBlob: { requests: 2, errors: 0 } });
    expect(summary.phases.cleanup).toMatchObject({ requests: 1, errors: 0, operations: { GetBlob: { requests: 1, errors: 0 } } });
    expect(summary.errors).toBe(2);
  });

  it("measures rates over the workload's span, not setup's and teardown's", () => {
    const aggregate = aggregateOf(run());
    // GetRecord started at 1,000 - 5 ms; the iteration ended at 2,010 ms.
    expect(workloadSecOf(aggregate)).toBeCloseTo(1.015, 9);
    // The output as a whole spans from the preflight's sample to the cleanup's iteration.
    expect(aggregate.endMs! - aggregate.startMs!).toBe(8_010 - 10);
  });

  it('merges worker aggregates to the same split', () => {
    const points = run();
    const whole = aggregateOf(points);
    const merged = new Aggregate(1000);
    for (const part of [points.slice(0, 5), points.slice(5, 11), points.slice(11)]) merged.merge(aggregateOf(part).toJSON());
    expect(housekeepingOf(merged)).toEqual(housekeepingOf(whole));
    expect(workloadSecOf(merged)).toBe(workloadSecOf(whole));
    expect([...operationViews(merged)].map(([op, v]) => [op, v.stats.effectiveCount, v.stats.effectiveErrors])).toEqual(
      [...operationViews(whole)].map(([op, v]) => [op, v.stats.effectiveCount, v.stats.effectiveErrors]),
    );
    expect(buildTimeSeries(merged).housekeepingPerSec).toEqual(buildTimeSeries(whole).housekeepingPerSec);
  });

  it('re-evaluates whole-metric thresholds on the workload: http_reqs and http_req_failed from its request points', () => {
    const aggregate = aggregateOf(run());
    const results = evaluateThresholds(aggregate, workloadSecOf(aggregate));
    const observed = Object.fromEntries(results.map((t) => [`${t.metric} ${t.expression}`, t.observed]));
    // 3 workload requests of 10 in the output, none failed by status (teardown's 404s and setup's 503 are left out).
    expect(observed['http_reqs count<=3']).toBe(3);
    expect(observed['http_reqs rate<1']).toBeCloseTo(3 / 1.015, 9);
    expect(observed['http_req_failed rate<0.5']).toBe(0);
    expect(observed['http_req_duration max<10']).toBe(9);
    expect(observed['http_req_duration avg<10']).toBe(7);
    expect(observed['checks rate>0.5']).toBeCloseTo(2 / 3, 12);
  });
});
