import { afterAll, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { writeSyntheticFile, writeSyntheticGzip, type SyntheticRequest, type SyntheticRun } from '../../../bench/analysis/analysis-synthetic.js';
import { scanInputs } from '../../../analysis/src/input/scan.js';
import { operationViews } from '../../../analysis/src/aggregate/operations.js';
import { buildTimeSeries } from '../../../analysis/src/aggregate/timeseries.js';
import { exactPercentile, removeTempDirs, tempDir } from './helpers.js';

afterAll(removeTempDirs);

const RUN: SyntheticRun = {
  seed: 3,
  operations: [
    { op: 'GetRecord', weight: 6, medianMs: 2, sigma: 0.5 },
    { op: 'CreateRecord', weight: 3, medianMs: 8, sigma: 0.8, errorRate: 0.05 },
    { op: 'QueryRecords', weight: 1, medianMs: 20, sigma: 1 },
  ],
  steps: [{ rate: 400, durationSec: 30 }],
};

function record(path: string, run: SyntheticRun): SyntheticRequest[] {
  const requests: SyntheticRequest[] = [];
  writeSyntheticFile(path, run, (r) => requests.push(r));
  return requests;
}

describe('scanInputs on synthetic output with known distributions', () => {
  const dir = tempDir();
  const path = join(dir, 'run.json');
  const requests = record(path, RUN);

  it('counts requests and errors per operation exactly and keeps percentiles within 0.1%', async () => {
    const { aggregate } = await scanInputs([path], { bucketMs: 10_000, lenient: false, workers: 0 });
    const views = operationViews(aggregate);
    expect(new Set(views.keys())).toEqual(new Set(['GetRecord', 'CreateRecord', 'QueryRecords']));
    for (const [op, view] of views) {
      const mine = requests.filter((r) => r.op === op);
      expect(view.stats.effectiveCount).toBe(mine.length);
      expect(view.stats.effectiveErrors).toBe(mine.filter((r) => r.status !== '0').length);
      const sorted = mine.map((r) => r.latencyMs).sort((a, b) => a - b);
      for (const p of [50, 90, 95, 99, 99.9]) {
        const exact = exactPercentile(sorted, p);
        expect(Math.abs(view.stats.latency.percentileMs(p)! - exact) / exact, `${op} p${p}`).toBeLessThanOrEqual(0.001);
      }
    }
  });

  it('puts each request in its time bucket', async () => {
    const { aggregate } = await scanInputs([path], { bucketMs: 5_000, lenient: false, workers: 0 });
    const series = buildTimeSeries(aggregate);
    const start = requests[0]!.timeMs;
    const expected = new Array<number>(series.offsetsSec.length).fill(0);
    for (const r of requests) expected[Math.floor(r.timeMs / 5000) - Math.floor(start / 5000)]! += 1;
    expect(series.requestsPerSec.map((rate, i) => Math.round(rate * series.coveredSec[i]!))).toEqual(expected);
    expect(series.offsetsSec.length).toBe(6);
  });

  it('gives the same result on two worker threads over byte ranges as on one thread', async () => {
    const single = await scanInputs([path], { bucketMs: 10_000, lenient: false, workers: 0 });
    const parallel = await scanInputs([path], { bucketMs: 10_000, lenient: false, workers: 2, rangeBytes: 256 * 1024 });
    const summarise = (views: ReturnType<typeof operationViews>): unknown =>
      [...views].map(([op, v]) => [op, v.stats.effectiveCount, v.stats.effectiveErrors, v.stats.latency.percentileMs(99), v.stats.latency.maxMs]);
    expect(summarise(operationViews(parallel.aggregate))).toEqual(summarise(operationViews(single.aggregate)));
    expect(parallel.aggregate.input.lines).toBe(single.aggregate.input.lines);
    expect(parallel.aggregate.buckets.size).toBe(single.aggregate.buckets.size);
  });

  it('reads gzip input like plain input', async () => {
    const gz = join(dir, 'run.json.gz');
    await writeSyntheticGzip(gz, RUN);
    const plain = await scanInputs([path], { bucketMs: 10_000, lenient: false, workers: 0 });
    const gzipped = await scanInputs([gz], { bucketMs: 10_000, lenient: false, workers: 0 });
    expect(gzipped.aggregate.input.points).toBe(plain.aggregate.input.points);
    expect(operationViews(gzipped.aggregate).get('QueryRecords')!.stats.latency.percentileMs(95)).toBe(
      operationViews(plain.aggregate).get('QueryRecords')!.stats.latency.percentileMs(95),
    );
  });

  it('merges several files and keeps each runner apart by its instance tag', async () => {
    const a = join(dir, 'runner-a.json');
    const b = join(dir, 'runner-b.json');
    const fromA = record(a, { ...RUN, seed: 5, instance: 'runner-a' });
    const fromB = record(b, { ...RUN, seed: 6, instance: 'runner-b', steps: [{ rate: 100, durationSec: 30 }] });
    const { aggregate } = await scanInputs([a, b], { bucketMs: 10_000, lenient: false, workers: 0 });
    const total = [...operationViews(aggregate).values()].reduce((sum, v) => sum + v.stats.effectiveCount, 0);
    expect(total).toBe(fromA.length + fromB.length);
    expect(aggregate.instances.get('runner-a')!.effectiveCount).toBe(fromA.length);
    expect(aggregate.instances.get('runner-b')!.effectiveCount).toBe(fromB.length);
  });
});

describe('--bucket auto', () => {
  it('picks the finest bucket that keeps the run under 150 buckets, from the file head and tail', async () => {
    const { chooseBucketMs } = await import('../../../analysis/src/input/bucket.js');
    const { inspectInput } = await import('../../../analysis/src/input/plan.js');
    const dir = tempDir();
    const short = join(dir, 'short.json');
    const long = join(dir, 'long.json');
    writeSyntheticFile(short, { ...RUN, steps: [{ rate: 50, durationSec: 30 }] });
    writeSyntheticFile(long, { ...RUN, steps: [{ rate: 5, durationSec: 1000 }] });
    expect(chooseBucketMs([inspectInput(short)])).toBe(1000);
    expect(chooseBucketMs([inspectInput(long)])).toBe(10_000);
    // Gzip cannot be read from its end: the 10 s default.
    const gz = join(dir, 'short.json.gz');
    await writeSyntheticGzip(gz, { ...RUN, steps: [{ rate: 50, durationSec: 30 }] });
    expect(chooseBucketMs([inspectInput(gz)])).toBe(10_000);
  });
});

describe("the scenarios' status checks", () => {
  // A GetRecord that expects NOT_FOUND (a read after a delete) and one injected UNAVAILABLE: the scenario judged
  // the calls with one kind=status check each and counted only the UNAVAILABLE in opensaves_errors.
  const point = (metric: string, value: number, tags: Record<string, string>) =>
    JSON.stringify({ metric, type: 'Point', data: { time: '2026-12-01T10:00:00.5Z', value, tags } });
  const lines = [
    point('grpc_req_duration', 2, { op: 'GetRecord', status: '0' }),
    point('checks', 1, { op: 'GetRecord', kind: 'status', check: 'the GetRecord call ends with an expected status' }),
    point('grpc_req_duration', 2, { op: 'GetRecord', status: '5' }),
    point('checks', 1, { op: 'GetRecord', kind: 'status', check: 'the GetRecord call ends with an expected status' }),
    point('checks', 1, { op: 'GetRecord', kind: 'verify', check: 'a deleted record is no longer found' }),
    point('grpc_req_duration', 2, { op: 'GetRecord', status: '14' }),
    point('checks', 0, { op: 'GetRecord', kind: 'status', check: 'the GetRecord call ends with an expected status' }),
    point('opensaves_errors', 1, { op: 'GetRecord', status: 'UNAVAILABLE' }),
  ];

  async function getRecordStats(kept: (line: string) => boolean) {
    const dir = tempDir();
    const path = join(dir, 'run.json');
    const { writeFileSync } = await import('node:fs');
    writeFileSync(path, `${lines.filter(kept).join('\n')}\n`);
    const { aggregate } = await scanInputs([path], { bucketMs: 1_000, lenient: false, workers: 0 });
    return operationViews(aggregate).get('GetRecord')!.stats;
  }

  it('make the scenario the judge of failure, so an expected NOT_FOUND is no error', async () => {
    const stats = await getRecordStats(() => true);
    expect(stats.effectiveCount).toBe(3);
    expect(stats.effectiveErrors).toBe(1);
    expect([...stats.effectiveErrorsByStatus]).toEqual([['14', 1]]);
  });

  it('leave other scripts judged by status: without them every non-OK call is an error', async () => {
    const stats = await getRecordStats((line) => !line.includes('"checks"') && !line.includes('opensaves_errors'));
    expect(stats.effectiveCount).toBe(3);
    expect(stats.effectiveErrors).toBe(2);
  });
});

describe('scanInputs on tag values that are not ASCII', () => {
  it('decodes UTF-8 check names on lines of any chunk, ASCII-only chunks before and after included', async () => {
    const { writeFileSync } = await import('node:fs');
    const path = join(tempDir(), 'utf8.json');
    const check = (name: string, second: number) =>
      `{"metric":"checks","type":"Point","data":{"time":"2026-11-28T03:01:${String(second).padStart(2, '0')}Z","value":1,"tags":{"check":"${name}","group":""}}}`;
    // Enough ASCII lines on both sides that the UTF-8 one sits in a read chunk of its own neighbours.
    const filler = Array.from({ length: 3000 }, (_, i) => check('plain ascii check', i % 60));
    writeFileSync(path, `${[...filler, check('héllo — wörld', 30), ...filler].join('\n')}\n`);
    const { aggregate } = await scanInputs([path], { bucketMs: 10_000, lenient: false, workers: 0 });
    expect(aggregate.checks.get('héllo — wörld')).toEqual({ passes: 1, fails: 0 });
    expect(aggregate.checks.get('plain ascii check')).toEqual({ passes: 6000, fails: 0 });
  });
});

describe('the bundled worker kept between runs', () => {
  it('is used while every file it was built from is unchanged, and not once one has changed', async () => {
    const { writeFileSync, statSync, utimesSync } = await import('node:fs');
    const { readCachedWorker } = await import('../../../analysis/src/input/scan.js');
    const dir = tempDir();
    const input = join(dir, 'reader.ts');
    writeFileSync(input, 'export const a = 1;\n');
    const stats = statSync(input);
    const cachePath = join(dir, 'worker.json');
    writeFileSync(cachePath, JSON.stringify({ inputs: [[input, stats.mtimeMs, stats.size]], code: 'bundled code' }));
    expect(readCachedWorker(cachePath)).toBe('bundled code');

    utimesSync(input, new Date(), new Date(stats.mtimeMs + 5_000));
    expect(readCachedWorker(cachePath)).toBeNull();
    writeFileSync(cachePath, '{"inputs": [["/no/such/file", 1, 1]], "code": "x"}');
    expect(readCachedWorker(cachePath)).toBeNull();
    writeFileSync(cachePath, 'not json');
    expect(readCachedWorker(cachePath)).toBeNull();
  });
});

describe('balancedRangeBytes', () => {
  it('cuts as many ranges as a multiple of the workers, none over the target', async () => {
    const { balancedRangeBytes } = await import('../../../analysis/src/input/scan.js');
    const mb = 1024 * 1024;
    // 1.1 GB over 2 workers with a 256 MB target: 6 ranges of 190 MB (not 5, which left the fifth to one worker).
    expect(Math.ceil(1137e6 / balancedRangeBytes(1137e6, 2, 256 * mb))).toBe(6);
    expect(balancedRangeBytes(1137e6, 2, 256 * mb)).toBeLessThanOrEqual(256 * mb);
    // Smaller than the target: one range per worker; no workers: the whole input in one range.
    expect(balancedRangeBytes(100e6, 2, 256 * mb)).toBe(50e6);
    expect(balancedRangeBytes(100e6, 0, 256 * mb)).toBe(100e6);
  });
});
