// `npm run analyze -- s3://bucket/prefix/`: a run's runner files read from a real S3-compatible server on 127.0.0.1
// (versitygw, tools/s3-server) through the SDK give the report the same files give from disk; each bad S3 input is
// one line and exit 2, with nothing reported; each runner is in the answer.
import { copyFileSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { steadyMixedRun, writeSyntheticFile, type SyntheticRun } from '../../../bench/analysis/analysis-synthetic.js';
import { operationViews } from '../../../analysis/src/aggregate/operations.js';
import { openInputs, planRanges } from '../../../analysis/src/input/plan.js';
import { scanInputs } from '../../../analysis/src/input/scan.js';
import type { Summary } from '../../../analysis/src/summary.js';
import { cli, removeTempDirs, tempDir } from './helpers.js';
import { startLocalS3, withEnv, type LocalS3 } from './s3-server.js';

const BUCKET = 'k6-results';
let s3: LocalS3;
/** three runners' files on disk, also uploaded under s3://k6-results/run-1/ */
let local: string;
const RUNNER_FILES = ['runner-1.json', 'runner-2.json', 'runner-3.json.gz'];

beforeAll(async () => {
  s3 = await startLocalS3();
  await s3.createBucket(BUCKET);
  local = tempDir();
  const start = new Date('2026-03-01T10:00:00Z');
  writeSyntheticFile(join(local, 'runner-1.json'), { ...steadyMixedRun(60, 40, 11), startTime: start });
  writeSyntheticFile(join(local, 'runner-2.json'), { ...steadyMixedRun(60, 40, 12), startTime: start });
  const third = join(local, 'runner-3.json');
  writeSyntheticFile(third, { ...steadyMixedRun(60, 40, 13), startTime: start });
  writeFileSync(join(local, 'runner-3.json.gz'), gzipSync(readFileSync(third)));
  for (const name of RUNNER_FILES) await s3.put(BUCKET, `run-1/${name}`, readFileSync(join(local, name)));
  // A run whose id starts like run-1's: listing s3://k6-results/run-1 must not take it.
  await s3.put(BUCKET, 'run-10/runner-1.json', readFileSync(join(local, 'runner-1.json')));
});

afterAll(async () => {
  await s3?.stop();
  removeTempDirs();
});

const analyse = (args: string[], env: Record<string, string | undefined> = {}) => withEnv({ ...s3.env, ...env }, () => cli(args));

function readSummary(dir: string): Summary {
  return JSON.parse(readFileSync(join(dir, 'summary.json'), 'utf8')) as Summary;
}

describe('s3://bucket/prefix/ as input', () => {
  it('gives the summary.json the same files give from disk: counts, percentiles, runners, time buckets', async () => {
    // Arrange
    const fromDisk = tempDir();
    const fromS3 = tempDir();

    // Act
    const disk = await analyse([...RUNNER_FILES.map((f) => join(local, f)), '--out-dir', fromDisk, '--format', 'json']);
    const remote = await analyse([`s3://${BUCKET}/run-1/`, '--out-dir', fromS3, '--format', 'json']);

    // Assert
    expect(remote.stderr).not.toMatch(/^(error|warning):/m);
    expect(remote.exitCode).toBe(disk.exitCode);
    const a = readSummary(fromDisk);
    const b = readSummary(fromS3);
    expect(b.inputs.map((i) => i.path)).toEqual(RUNNER_FILES.map((f) => `s3://${BUCKET}/run-1/${f}`));
    expect(b.inputs.map((i) => [i.instance, i.bytes])).toEqual(a.inputs.map((i) => [i.instance, i.bytes]));
    expect(b.totals.requests).toBeGreaterThan(7000);
    expect(b.totals).toEqual(a.totals);
    expect(b.bucketSec).toBe(1); // read from the plain objects' first and last bytes, as from the files'
    for (const [op, o] of Object.entries(a.operations)) {
      expect(b.operations[op]!.count).toBe(o.count);
      expect(b.operations[op]!.errors).toBe(o.errors);
      expect(b.operations[op]!.latencyMs).toEqual(o.latencyMs);
    }
    expect(Object.keys(b.instances)).toEqual(['runner-1', 'runner-2', 'runner-3']);
    // Everything else too, once the paths are set aside.
    const withoutPaths = (s: Summary) => ({ ...s, inputs: s.inputs.map(({ instance, bytes }) => ({ instance, bytes })) });
    expect(withoutPaths(b)).toEqual(withoutPaths(a));
  });

  it('reads plain objects in byte ranges cut at line starts on two worker threads, as it reads files', async () => {
    // Arrange
    const url = `s3://${BUCKET}/run-1/`;
    const rangeBytes = 256 * 1024;

    // Act
    const tasks = await withEnv(s3.env, async () => planRanges(await openInputs([url]), rangeBytes));
    const remote = await withEnv(s3.env, () => scanInputs([url], { bucketMs: 10_000, lenient: false, workers: 2, rangeBytes }));
    const disk = await scanInputs(RUNNER_FILES.map((f) => join(local, f)), { bucketMs: 10_000, lenient: false, workers: 0 });

    // Assert: runner-1.json alone is several ranges, each starting just after a newline.
    const plain = tasks.filter((t) => t.file.endsWith('runner-1.json'));
    expect(plain.length).toBeGreaterThan(3);
    const bytes = readFileSync(join(local, 'runner-1.json'));
    for (const task of plain.slice(1)) expect(bytes[task.start - 1]).toBe(10);
    const byOp = (aggregate: typeof disk.aggregate) =>
      Object.fromEntries([...operationViews(aggregate)].map(([op, v]) => [op, [v.stats.effectiveCount, v.stats.latency.percentileMs(50), v.stats.latency.percentileMs(99)]]));
    expect(byOp(remote.aggregate)).toEqual(byOp(disk.aggregate));
    expect(remote.aggregate.input.lines).toBe(disk.aggregate.input.lines);
  });

  it('takes s3://bucket/run-1 as the folder run-1/, not run-10/', async () => {
    const files = await withEnv(s3.env, () => openInputs([`s3://${BUCKET}/run-1`]));
    expect(files.map((f) => f.path)).toEqual(RUNNER_FILES.map((f) => `s3://${BUCKET}/run-1/${f}`));
  });
});

describe('bad S3 input: one line, exit 2, no report', () => {
  async function expectOneLine(args: string[], pattern: RegExp, env: Record<string, string | undefined> = {}): Promise<void> {
    const out = tempDir();
    const run = await analyse([...args, '--out-dir', out], env);
    expect(run.exitCode, run.stderr).toBe(2);
    const lines = run.stderr.trimEnd().split('\n');
    expect(lines, run.stderr).toHaveLength(1);
    expect(lines[0]).toMatch(pattern);
    expect(existsSync(join(out, 'summary.json'))).toBe(false);
  }

  it('no such bucket', async () => {
    await expectOneLine(['s3://no-such-bucket/run-1/'], /^error: s3:\/\/no-such-bucket\/run-1\/: no such bucket `no-such-bucket` at http:\/\/127\.0\.0\.1:\d+ \(NoSuchBucket\)$/);
  });

  it('access denied: credentials the server does not accept', async () => {
    await expectOneLine([`s3://${BUCKET}/run-1/`], /^error: s3:\/\/k6-results\/run-1\/: access denied \(SignatureDoesNotMatch: .*\); the credentials .* need s3:ListBucket on bucket `k6-results` and s3:GetObject/, {
      AWS_SECRET_ACCESS_KEY: 'not-the-secret',
    });
  });

  it('an empty prefix', async () => {
    await expectOneLine([`s3://${BUCKET}/no-run-here/`], /^error: s3:\/\/k6-results\/no-run-here\/: no objects under this prefix of bucket `k6-results`; expected the k6 output files/);
  });

  it('one corrupt object among many, named with its line, on one thread and over ranges on two', async () => {
    // Arrange: runner-2's line 5,000 is cut in half, as a disk-full write would leave it.
    const lines = readFileSync(join(local, 'runner-2.json'), 'utf8').split('\n');
    lines[4999] = lines[4999]!.slice(0, 40);
    await s3.put(BUCKET, 'corrupt/runner-1.json', readFileSync(join(local, 'runner-1.json')));
    await s3.put(BUCKET, 'corrupt/runner-2.json', lines.join('\n'));
    await s3.put(BUCKET, 'corrupt/runner-3.json.gz', readFileSync(join(local, 'runner-3.json.gz')));

    // Act + Assert
    await expectOneLine([`s3://${BUCKET}/corrupt/`], /^error: s3:\/\/k6-results\/corrupt\/runner-2\.json line 5000: /);
    const error = await withEnv(s3.env, () =>
      scanInputs([`s3://${BUCKET}/corrupt/`], { bucketMs: 10_000, lenient: false, workers: 2, rangeBytes: 64 * 1024 }).catch((e: unknown) => e),
    );
    expect((error as Error).message).toMatch(/^s3:\/\/k6-results\/corrupt\/runner-2\.json line 5000: /);
  });

  it('an empty object, and a .gz object without a gzip header', async () => {
    await s3.put(BUCKET, 'empty/runner-1.json', Buffer.alloc(0));
    await expectOneLine([`s3://${BUCKET}/empty/`], /^error: s3:\/\/k6-results\/empty\/runner-1\.json: the object is empty; expected k6 output/);
    await s3.put(BUCKET, 'not-gzip/runner-1.json.gz', readFileSync(join(local, 'runner-1.json')));
    await expectOneLine([`s3://${BUCKET}/not-gzip/`], /^error: s3:\/\/k6-results\/not-gzip\/runner-1\.json\.gz: not a valid gzip file \(no gzip header\)$/);
  });

  it('S3 not reachable at AWS_ENDPOINT_URL_S3', async () => {
    await expectOneLine([`s3://${BUCKET}/run-1/`], /^error: s3:\/\/k6-results\/run-1\/: S3 cannot be reached \(ECONNREFUSED at http:\/\/127\.0\.0\.1:9, from AWS_ENDPOINT_URL_S3\)$/, {
      AWS_ENDPOINT_URL_S3: 'http://127.0.0.1:9',
    });
  });
});

describe('runners in the answer', () => {
  // A step run (three plateaus: the analysis treats it as a capacity run and sizes the components) on three runners;
  // runner-2 cannot start 30 % of its iterations on the last step.
  const stepped = (seed: number, dropped: number): SyntheticRun => ({
    ...steadyMixedRun(10, 20, seed),
    startTime: new Date('2026-03-02T10:00:00Z'),
    steps: [
      { rate: 10, durationSec: 20 },
      { rate: 20, durationSec: 20 },
      { rate: 30, durationSec: 20, droppedShare: dropped },
    ],
  });

  it('each runner has its rates and dropped iterations; the one that fell behind is named as why the rate was not reached', async () => {
    // Arrange
    const dir = tempDir();
    for (const [n, dropped] of [[1, 0], [2, 0.3], [3, 0]] as const) {
      const path = join(dir, `runner-${n}.json`);
      writeSyntheticFile(path, stepped(20 + n, dropped));
      await s3.put(BUCKET, `stepped/runner-${n}.json`, readFileSync(path));
    }
    const out = tempDir();

    // Act
    const run = await analyse([`s3://${BUCKET}/stepped/`, '--out-dir', out, '--format', 'json,md']);

    // Assert
    const summary = readSummary(out);
    const { 'runner-1': one, 'runner-2': two, 'runner-3': three } = summary.instances;
    expect(one!.fellBehind).toBeNull();
    expect(three!.fellBehind).toBeNull();
    expect(one!.droppedIterations).toBe(0);
    // 9 dropped every second of the last step's 20 s
    expect(two!.droppedIterations).toBe(180);
    expect(two!.iterations).toBe(one!.iterations - 180);
    expect(two!.fellBehind).not.toBeNull();
    expect(two!.fellBehind!.offeredRate).toBeCloseTo(30, 0);
    expect(two!.fellBehind!.achievedRate).toBeCloseTo(21, 0);
    expect(Date.parse(two!.fellBehind!.time) - Date.parse('2026-03-02T10:00:40Z')).toBeLessThanOrEqual(1000);
    expect(one!.achievedRate).toBeCloseTo(one!.offeredRate!, 5);
    expect(two!.achievedRate!).toBeLessThan(two!.offeredRate! * 0.9);

    const runners = summary.scaling!.components.find((c) => c.name === 'k6 runners')!;
    // The run offered 3 × 30 = 90 iterations/s when runner-2 fell behind.
    expect(runners.saturatedAtRate).toBeCloseTo(90, -1);
    expect(runners.evidence[0]!.metric).toBe('k6 dropped_iterations of runner runner-2 (per second)');
    expect(runners.recommendation).toMatch(/this run: 3 runners at /);
    expect(run.stderr).toMatch(/[Rr]unner runner-2 fell behind/);
    const report = readFileSync(join(out, 'report.md'), 'utf8');
    expect(report).toMatch(/3 k6 runners: runner-1 [\d.]+ of [\d.]+ iterations\/s offered, 0 dropped; runner-2 [\d.]+ of [\d.]+ iterations\/s offered, 180 dropped; runner-3/);
    expect(report).toMatch(/Runner runner-2 fell behind 40(\.\d+)? s into the run \(.*\), so the run did not reach the rate it offered \(9\d(\.\d+)? iterations\/s then\), because of that runner: give it more VUs/);
    expect(report).toMatch(/\| runner-2 \| [\d,]+ \| \d+ \| [\d.]+% \| [\d,]+ \| [\d.]+ \| [\d.]+ \| 180 \| FAIL: fell behind at 10:00:4\d/);
    expect(report).toMatch(/\| runner-1 \| [\d,]+ \| \d+ \| [\d.]+% \| [\d,]+ \| [\d.]+ \| [\d.]+ \| 0 \| PASS \|/);
  });
});
