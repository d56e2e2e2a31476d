// Output of real k6 runs against the local emulator (test/fixtures/analysis, recorded by record-fixtures.ts; the
// emulator injected 5% UNAVAILABLE on GetRecord, and the scenarios expect some NOT_FOUND).
import { describe, expect, it } from 'vitest';
import { scanInputs } from '../../../analysis/src/input/scan.js';
import { operationViews } from '../../../analysis/src/aggregate/operations.js';
import { evaluateThresholds } from '../../../analysis/src/verdicts/thresholds.js';
import { analyseCapacity } from '../../../analysis/src/verdicts/capacity.js';
import { buildTimeSeries } from '../../../analysis/src/aggregate/timeseries.js';
import { loadSlo } from '../../../analysis/src/verdicts/slo.js';
import { DEFAULT_SLO_PATH } from '../../../analysis/src/config/args.js';
import { durationSecOf } from '../../../analysis/src/summary.js';
import { join } from 'node:path';
import { steadyMixedRun, writeSyntheticFile, type SyntheticRequest } from '../../../bench/analysis/analysis-synthetic.js';
import { exactPercentile, fixture, removeTempDirs, tempDir } from './helpers.js';

const scan = (name: string) => scanInputs([fixture(name)], { bucketMs: 1000, lenient: false, workers: 0 });

/** k6 tags what setup() and teardown() emit with group ::setup / ::teardown and no scenario. */
const isHousekeeping = (tags: Record<string, string> | null): boolean => tags?.scenario === undefined && /^::(setup|teardown)/.test(tags?.group ?? '');

/**
 * Workload counts straight from the file with JSON.parse, to check the fast path against; setup() and teardown()
 * calls are housekeeping, counted apart.
 */
async function reference(name: string, housekeeping = false): Promise<Map<string, { calls: number; counterErrors: number }>> {
  const { readFileSync } = await import('node:fs');
  const ops = new Map<string, { calls: number; counterErrors: number }>();
  for (const line of readFileSync(fixture(name), 'utf8').split('\n')) {
    if (!line) continue;
    const o = JSON.parse(line);
    if (o.type !== 'Point' || isHousekeeping(o.data.tags) !== housekeeping) continue;
    const op = o.data.tags?.op;
    if (!op) continue;
    const entry = ops.get(op) ?? { calls: 0, counterErrors: 0 };
    if (o.metric === 'grpc_req_duration' || o.metric === 'http_req_duration') entry.calls++;
    if (o.metric === 'opensaves_errors') entry.counterErrors += o.data.value;
    ops.set(op, entry);
  }
  return ops;
}

describe('real k6 output', () => {
  it('groups the gRPC smoke run by the op tag, all 27 RPCs, with the exact call counts', async () => {
    const { aggregate } = await scan('smoke.json');
    const views = operationViews(aggregate);
    expect(views.size).toBe(27);
    const expected = await reference('smoke.json');
    for (const [op, { calls }] of expected) expect(views.get(op)?.stats.effectiveCount, op).toBe(calls);
  });

  it("counts setup()'s and teardown()'s calls as housekeeping, in no operation", async () => {
    const { aggregate } = await scan('smoke.json');
    const housekeeping = [...aggregate.housekeeping.values()].flatMap((phase) => [...phase.operations]);
    const calls = (op: string) => housekeeping.filter(([name]) => name === op).reduce((sum, [, c]) => sum + c.count, 0);
    const expected = await reference('smoke.json', true);
    expect(expected.size).toBeGreaterThan(0);
    for (const [op, reference] of expected) expect(calls(op), op).toBe(reference.calls);
    expect([...aggregate.housekeeping.keys()].sort()).toEqual(['setup', 'teardown']);
  });

  it("takes errors from the scenario's opensaves_errors: an expected NOT_FOUND is not an error, UNAVAILABLE is", async () => {
    const { aggregate } = await scan('smoke.json');
    const getRecord = operationViews(aggregate).get('GetRecord')!.stats;
    const expected = (await reference('smoke.json')).get('GetRecord')!;
    expect(getRecord.statusCodes.get('5')).toBeGreaterThan(0);
    expect(getRecord.effectiveErrors).toBe(expected.counterErrors);
    expect([...getRecord.effectiveErrorsByStatus.keys()]).toEqual(['14']);
  });

  it('groups HTTP requests of the REST scenario by op and keeps HTTP status codes', async () => {
    const { aggregate } = await scan('mixed-http.json');
    const views = operationViews(aggregate);
    expect(views.has('GetRecord')).toBe(true);
    const statuses = [...views.get('CreateRecord')!.stats.statusCodes.keys()];
    expect(statuses.every((s) => Number(s) >= 200)).toBe(true);
    expect(views.get('GetRecord')!.stats.effectiveErrorsByStatus.get('503')).toBeGreaterThan(0);
  });

  it('reads the gzip capacity run and its step tags', async () => {
    const { aggregate } = await scan('capacity.json.gz');
    expect([...aggregate.steps.keys()].sort()).toEqual(expect.arrayContaining(['1', '2']));
    const stepCalls = [...aggregate.steps.values()].reduce((sum, step) => sum + [...step.operations.values()].reduce((s, c) => s + c.count, 0), 0);
    const allCalls = [...operationViews(aggregate).values()].reduce((sum, v) => sum + v.stats.count, 0);
    // Every call of the workload ran in a step; setup()'s and teardown()'s, which carry no step, are housekeeping.
    expect(stepCalls).toBeGreaterThan(0);
    expect(stepCalls).toBe(allCalls);
    expect(aggregate.housekeeping.get('setup')!.operations.size).toBeGreaterThan(0);
  });

  it('judges the capacity run step by step from its step tags, leaving out a step cut short', async () => {
    const { aggregate } = await scan('capacity.json.gz');
    const capacity = analyseCapacity(buildTimeSeries(aggregate), loadSlo(DEFAULT_SLO_PATH), aggregate.steps, aggregate.startMs!)!;
    expect(capacity.steps.map((s) => s.name)).toEqual(['1', '2']);
    expect(capacity.steps[1]!.offeredPerSec).toBeGreaterThan(capacity.steps[0]!.offeredPerSec);
    // Only GetRecord has injected failures; the local emulator's latencies are far below the SLO.
    for (const violation of capacity.steps.flatMap((s) => s.violations)) expect(`${violation.op} ${violation.criterion}`).toBe('GetRecord errorRate');
    expect(capacity.findings.join(' ')).toMatch(/Step 3 ran for less than 1 s \(the run stopped\) and is left out\./);
  });

  it('has no whole-metric thresholds to re-evaluate: the scenarios put theirs on sub-metrics, which k6 does not write', async () => {
    const { aggregate } = await scan('mixed-grpc.json');
    expect(evaluateThresholds(aggregate, durationSecOf(aggregate))).toEqual([]);
  });
});

describe('k6 thresholds on whole metrics', () => {
  it('are re-evaluated from the aggregates: trend percentiles from HDR, rates from counts', async () => {
    const path = join(tempDir(), 'thresholds.json');
    const requests: SyntheticRequest[] = [];
    writeSyntheticFile(path, { ...steadyMixedRun(100, 10), seed: 2 }, (r) => requests.push(r));
    const { aggregate } = await scanInputs([path], { bucketMs: 1000, lenient: false, workers: 0 });
    const results = evaluateThresholds(aggregate, durationSecOf(aggregate));
    const sorted = requests.map((r) => r.latencyMs).sort((a, b) => a - b);
    const p95 = results.find((t) => t.expression === 'p(95)<500')!;
    expect(p95.metric).toBe('grpc_req_duration');
    expect(Math.abs(p95.observed! - exactPercentile(sorted, 95)) / exactPercentile(sorted, 95)).toBeLessThanOrEqual(0.001);
    expect(p95.pass).toBe(true);
    const checks = results.find((t) => t.metric === 'checks')!;
    expect(checks.observed).toBeCloseTo(requests.filter((r) => r.status === '0').length / requests.length, 12);
    removeTempDirs();
  });
});
