// SLO verdicts, the baseline comparison gate, the capacity knee and the cost arithmetic.
import { afterAll, describe, expect, it } from 'vitest';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { writeSyntheticFile, type SyntheticRun } from '../../../bench/analysis/analysis-synthetic.js';
import { evaluateSlo, type SloSpec } from '../../../analysis/src/verdicts/slo.js';
import { estimateCost, loadPriceTable, operationCost } from '../../../analysis/src/verdicts/cost.js';
import { mannWhitney, twoProportion } from '../../../analysis/src/aggregate/stats.js';
import { cli, removeTempDirs, tempDir } from './helpers.js';

afterAll(removeTempDirs);
const dir = tempDir();

function figures(count: number, errors: number, latencies: Record<number, number>) {
  return { count, errorRate: errors / count, latencyMs: (p: number) => latencies[p] ?? null };
}

describe('SLO verdicts', () => {
  const spec: SloSpec = { source: 'test', defaults: { p95Ms: 100, errorRate: 0.01 }, operations: { CreateBlob: { p95Ms: 400 } } };

  it('passes an operation within its limits and fails the one over, naming the criterion', () => {
    const verdict = evaluateSlo(
      spec,
      new Map([
        ['GetRecord', figures(1000, 5, { 95: 80 })],
        ['QueryRecords', figures(1000, 20, { 95: 150 })],
      ]),
    );
    expect(verdict.pass).toBe(false);
    expect(verdict.operations.GetRecord!.pass).toBe(true);
    expect(verdict.violations).toEqual([
      { op: 'QueryRecords', criterion: 'p95Ms', limit: 100, observed: 150 },
      { op: 'QueryRecords', criterion: 'errorRate', limit: 0.01, observed: 0.02 },
    ]);
  });

  it('applies per-operation overrides on top of the defaults', () => {
    const verdict = evaluateSlo(spec, new Map([['CreateBlob', figures(100, 0, { 95: 300 })]]));
    expect(verdict.pass).toBe(true);
    expect(verdict.operations.CreateBlob!.checked).toEqual(['p95Ms', 'errorRate']);
  });
});

describe('significance tests', () => {
  it('Mann-Whitney finds no difference between identical samples and a clear one after a shift', () => {
    const base: [number, number][] = Array.from({ length: 50 }, (_, i) => [i + 1, 20]);
    expect(mannWhitney(base, base).pValue).toBeCloseTo(1, 6);
    const slower = base.map(([v, n]) => [v * 1.2, n] as [number, number]);
    const test = mannWhitney(slower, base);
    expect(test.z).toBeGreaterThan(0);
    expect(test.pValue).toBeLessThan(0.01);
  });

  it('the two-proportion test separates 1% from 3% errors on 10,000 requests, not 1% from 1.1%', () => {
    expect(twoProportion(300, 10_000, 100, 10_000).pValue).toBeLessThan(0.001);
    expect(twoProportion(110, 10_000, 100, 10_000).pValue).toBeGreaterThan(0.05);
  });
});

const MIX: SyntheticRun['operations'] = [
  { op: 'GetRecord', weight: 5, medianMs: 3, sigma: 0.4 },
  { op: 'CreateRecord', weight: 3, medianMs: 6, sigma: 0.5 },
];

async function summaryOf(name: string, run: SyntheticRun, extra: string[] = []) {
  const input = join(dir, `${name}.json`);
  writeSyntheticFile(input, run);
  const out = join(dir, `${name}-report`);
  const result = await cli([input, '--out-dir', out, '--format', 'json,junit', ...extra]);
  return { result, out, input, summary: JSON.parse(readFileSync(join(out, 'summary.json'), 'utf8')) };
}

describe('comparison with a baseline', () => {
  const steady = (seed: number, factor = 1): SyntheticRun => ({
    seed,
    operations: MIX,
    steps: [{ rate: 200, durationSec: 20, latencyFactor: { GetRecord: factor, CreateRecord: 1 } }],
  });

  it('an identical candidate passes the gate (exit 0)', async () => {
    const base = await summaryOf('base', steady(1));
    const same = await summaryOf('same', steady(1), ['--baseline', join(base.out, 'summary.json')]);
    expect(same.result.exitCode).toBe(0);
    expect(same.summary.comparison.pass).toBe(true);
    expect(same.summary.comparison.operations.every((o: { deltaPct: { p95: number } }) => o.deltaPct.p95 === 0)).toBe(true);
  });

  it('a candidate 20% slower fails the gate (exit 1), against a summary.json or raw k6 output', async () => {
    const base = await summaryOf('base2', steady(1));
    for (const baseline of [join(base.out, 'summary.json'), base.input]) {
      const slow = await summaryOf(`slow-${baseline.length}`, steady(2, 1.2), ['--baseline', baseline]);
      expect(slow.result.exitCode).toBe(1);
      const getRecord = slow.summary.comparison.operations.find((o: { op: string }) => o.op === 'GetRecord');
      expect(getRecord.regression).toBe(true);
      expect(getRecord.deltaPct.p50).toBeGreaterThan(15);
      expect(getRecord.latencyTest.pValue).toBeLessThan(0.01);
      const createRecord = slow.summary.comparison.operations.find((o: { op: string }) => o.op === 'CreateRecord');
      expect(createRecord.regression).toBe(false);
      expect(readFileSync(join(slow.out, 'junit.xml'), 'utf8')).toMatch(/GetRecord is not slower than the baseline">\s*<failure message="p50 \d+\.\d% slower/);
    }
  });
});

describe('capacity', () => {
  it('finds the knee of a synthetic step run and the operation that broke first', async () => {
    const steps = [100, 200, 300, 400, 500].map((rate) => ({
      rate,
      durationSec: 30,
      // CreateRecord degrades from 400/s on (p95 over the default 250 ms), GetRecord only from 500/s.
      latencyFactor: { CreateRecord: rate >= 400 ? 40 : 1, GetRecord: rate >= 500 ? 100 : 1 },
      droppedShare: rate >= 500 ? 0.2 : 0,
    }));
    const { summary, result } = await summaryOf('steps', { seed: 9, operations: MIX, steps }, ['--bucket', '5s']);
    expect(result.exitCode).toBe(1);
    const capacity = summary.capacity;
    expect(capacity.steps).toHaveLength(5);
    expect(capacity.maxRateHoldingSlo).toBeGreaterThan(290);
    expect(capacity.maxRateHoldingSlo).toBeLessThan(310);
    expect(capacity.firstFailingStep).toBe(3);
    expect(capacity.brokeFirst.map((v: { op: string; criterion: string }) => `${v.op} ${v.criterion}`)).toContain('CreateRecord p95Ms');
    expect(capacity.brokeFirst.some((v: { op: string }) => v.op === 'GetRecord')).toBe(false);
    expect(capacity.findings[0]).toMatch(/The SLO held up to 300\/s/);
    expect(capacity.findings.join(' ')).toMatch(/At 400\/s it broke first: CreateRecord p95 latency/);
    expect(capacity.findings.join(' ')).toMatch(/dropped 100\/s iterations/);
  });

  it('is absent for a steady run', async () => {
    const { summary } = await summaryOf('flat', { seed: 4, operations: MIX, steps: [{ rate: 100, durationSec: 40 }] });
    expect(summary.capacity).toBeUndefined();
  });
});

describe('cost', () => {
  const path = join(dir, 'prices.json');
  writeFileSync(
    path,
    JSON.stringify({
      region: 'test-1',
      currency: 'USD',
      prices: { dynamodbReadRequestUnit: 0.25e-6, dynamodbWriteRequestUnit: 1.25e-6, s3PutRequest: 5e-6, s3GetRequest: 0.4e-6, dataTransferOutPerGB: 0.09 },
      operations: {
        GetRecord: { dynamodbReadUnits: 0.5, transferOutBytes: 1024 ** 3 / 1e6 },
        CreateBlob: { dynamodbReadUnits: 0.5, dynamodbWriteUnits: 3, s3Puts: 1 },
      },
    }),
  );
  const table = loadPriceTable(path);

  it('prices one operation from its units', () => {
    // 0.5 RRU + 1/1e6 GB out
    expect(operationCost(table, 'GetRecord')).toBeCloseTo(0.5 * 0.25e-6 + 0.09 / 1e6, 15);
    expect(operationCost(table, 'CreateBlob')).toBeCloseTo(0.5 * 0.25e-6 + 3 * 1.25e-6 + 5e-6, 15);
  });

  it('weights the mix by measured counts and lists unpriced operations', () => {
    const estimate = estimateCost(table, new Map([['GetRecord', 750], ['CreateBlob', 250], ['Ping', 10]]), 101);
    const get = 0.5 * 0.25e-6 + 0.09 / 1e6;
    const blob = 0.5 * 0.25e-6 + 3 * 1.25e-6 + 5e-6;
    expect(estimate.perMillionOperations).toBeCloseTo((0.75 * get + 0.25 * blob) * 1e6, 9);
    expect(estimate.runCost).toBeCloseTo(750 * get + 250 * blob, 12);
    // 101 req/s of which 100 are priced
    expect(estimate.perHourAtMeasuredRate).toBeCloseTo(100 * 3600 * (0.75 * get + 0.25 * blob), 9);
    expect(estimate.unpriced).toEqual(['Ping']);
  });
});
