// Real k6 runs over HTTP against the local emulator, analysed end to end: the analysis counts as workload exactly the
// request samples k6 tagged inside the scenario's iterations, and its housekeeping accounts for the rest (setup()
// with the preflight, teardown(), and every request of dist/cleanup.js), counted here from the raw JSON by their tags.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmulatorProcess, type EmulatorProcess } from '../../helpers/emulator-process.js';
import { LATENCY_NOT_JUDGED, runK6 } from '../../helpers/k6.js';
import { bundleScenarios, K6_TEST_ARGS, type Bundles } from '../scenarios/bundles.js';
import { cli, removeTempDirs, tempDir } from './helpers.js';

interface RawCounts {
  /** http_req_duration samples by where k6 says they were made */
  inIterations: number;
  setup: number;
  teardown: number;
  cleanup: number;
  total: number;
  /** inside the iterations, per op tag */
  ops: Map<string, number>;
}

/** Request samples of a k6 JSON output by their group and scenario tags, with JSON.parse and nothing of the analysis. */
function countRaw(path: string): RawCounts {
  const counts: RawCounts = { inIterations: 0, setup: 0, teardown: 0, cleanup: 0, total: 0, ops: new Map() };
  for (const line of readFileSync(path, 'utf8').split('\n')) {
    if (line === '') continue;
    const entry = JSON.parse(line) as { type: string; metric: string; data: { tags?: Record<string, string> | null } };
    if (entry.type !== 'Point' || entry.metric !== 'http_req_duration') continue;
    const tags = entry.data.tags ?? {};
    counts.total++;
    if (tags.group === '::setup') counts.setup++;
    else if (tags.group === '::teardown') counts.teardown++;
    else if (tags.scenario === 'cleanup') counts.cleanup++;
    else if (tags.group === '' && tags.scenario === 'main') {
      counts.inIterations++;
      counts.ops.set(tags.op ?? '', (counts.ops.get(tags.op ?? '') ?? 0) + 1);
    }
  }
  return counts;
}

interface AnalysisSummary {
  totals: { requests: number };
  operations: Record<string, { count: number }>;
  housekeeping: { requests: number; phases: Record<string, { requests: number; wallTimeSec: number } | undefined> };
}

async function analyse(k6Json: string, dir: string): Promise<{ summary: AnalysisSummary; report: string; stderr: string }> {
  const out = join(dir, 'report');
  const run = await cli([k6Json, '--format', 'json,md', '--out-dir', out]);
  expect(run.stderr).not.toMatch(/^error/m);
  return { summary: JSON.parse(readFileSync(join(out, 'summary.json'), 'utf8')), report: readFileSync(join(out, 'report.md'), 'utf8'), stderr: run.stderr };
}

let bundles: Bundles;
let emulator: EmulatorProcess;

beforeAll(async () => {
  bundles = bundleScenarios();
  emulator = await startEmulatorProcess();
}, 120_000);

afterAll(async () => {
  await emulator?.stop();
  removeTempDirs();
});

describe('a mixed run over HTTP', () => {
  it("counts as requests only the samples inside the scenario's iterations; housekeeping holds setup's and teardown's", async () => {
    const dir = tempDir();
    const k6Json = join(dir, 'k6.json');
    const run = await runK6(bundles.path('mixed'), {
      env: {
        ...LATENCY_NOT_JUDGED,
        TRANSPORT: 'http',
        OPEN_SAVES_HTTP_URL: emulator.httpUrl,
        OPEN_SAVES_ADDR: emulator.grpcAddress,
        RATE: '5',
        RAMP: '1s',
        HOLD: '3s',
        BLOB_SIZES: '1KB',
        SUMMARY_PATH: join(dir, 'k6-summary.json'),
      },
      args: ['--out', `json=${k6Json}`, ...K6_TEST_ARGS],
    });
    expect(run.exitCode, run.stderr).toBe(0);

    const raw = countRaw(k6Json);
    expect(raw.inIterations).toBeGreaterThan(0);
    expect(raw.setup).toBeGreaterThan(0);
    expect(raw.teardown).toBeGreaterThan(0);
    expect(raw.inIterations + raw.setup + raw.teardown).toBe(raw.total);

    const { summary, report, stderr } = await analyse(k6Json, dir);
    expect(summary.totals.requests).toBe(raw.inIterations);
    expect(Object.values(summary.operations).reduce((sum, o) => sum + o.count, 0)).toBe(raw.inIterations);
    for (const [op, n] of raw.ops) expect(summary.operations[op]?.count, op).toBe(n);
    // The preflight's GET /health and its read of a store no run makes are in no operation.
    expect(Object.keys(summary.operations).filter((op) => op.startsWith('GET '))).toEqual([]);
    expect(summary.housekeeping.requests).toBe(raw.total - raw.inIterations);
    expect(summary.housekeeping.phases.setup?.requests).toBe(raw.setup);
    expect(summary.housekeeping.phases.teardown?.requests).toBe(raw.teardown);
    expect(summary.housekeeping.phases.cleanup).toBeUndefined();
    expect(summary.housekeeping.phases.teardown!.wallTimeSec).toBeGreaterThan(0);
    expect(report).toMatch(/## Housekeeping/);
    expect(report).toMatch(new RegExp(`\\| teardown\\(\\) \\| ${raw.teardown.toLocaleString('en-US')} \\|`));
    expect(stderr.match(/housekeeping/gi)?.length ?? 0).toBeLessThanOrEqual(1);
  }, 180_000);
});

describe('dist/cleanup.js', () => {
  it('is housekeeping from start to end: no workload request, every request in a phase', async () => {
    const dir = tempDir();
    const k6Json = join(dir, 'k6.json');
    // A run id nothing was made under: cleanup looks every key up and finds nothing.
    const run = await runK6(bundles.path('cleanup'), {
      env: { RUN_ID: 'hk-split-test', TRANSPORT: 'http', OPEN_SAVES_HTTP_URL: emulator.httpUrl, MAX_VUS: '2' },
      args: ['--out', `json=${k6Json}`, ...K6_TEST_ARGS],
    });
    expect(run.exitCode, run.stderr).toBe(0);

    const raw = countRaw(k6Json);
    expect(raw.cleanup).toBeGreaterThan(0);
    expect(raw.inIterations).toBe(0);
    const { summary } = await analyse(k6Json, dir);
    expect(summary.totals.requests).toBe(0);
    expect(summary.operations).toEqual({});
    expect(summary.housekeeping.phases.cleanup?.requests).toBe(raw.cleanup);
    expect(summary.housekeeping.phases.setup?.requests).toBe(raw.setup);
    expect(summary.housekeeping.phases.teardown?.requests ?? 0).toBe(raw.teardown);
    expect(summary.housekeeping.requests).toBe(raw.total);
  }, 180_000);
});
