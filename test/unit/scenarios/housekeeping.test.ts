// Workload and housekeeping apart, and a teardown in proportion to what the run
// made: a mixed run over HTTP with the real k6 against the emulator, its k6 JSON
// output read by k6's own tags (setup() and teardown() samples carry the group
// ::setup / ::teardown and no scenario). Its thresholds and per-operation figures
// hold the iterations' requests alone, the summary counts the rest in one line,
// and its teardown makes at most 2 requests per store, record and blob the run
// made, plus 50, and leaves nothing on the emulator.
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { K6_BINARY, LATENCY_NOT_JUDGED, runK6, type K6Run } from '../../helpers/k6.js';
import { startEmulatorProcess, type EmulatorProcess } from '../../helpers/emulator-process.js';
import { bundleScenarios, K6_TEST_ARGS, type Bundles } from './bundles.js';
import { count, readSummary, type SummaryFile } from './summary-file.js';
import { leftOnEmulator, NOTHING_LEFT, type LeftOnEmulator } from './emulator-metrics.js';
import { countByPhase, itemsCreated, phaseOf, requestSamples, type RequestSample } from './k6-output.js';

let bundles: Bundles;
let emulator: EmulatorProcess;
let run: K6Run;
let summary: SummaryFile;
let samples: RequestSample[];
let left: LeftOnEmulator;

beforeAll(async () => {
  bundles = bundleScenarios();
  emulator = await startEmulatorProcess();
  const summaryPath = join(bundles.root, 'housekeeping.json');
  const outputPath = join(bundles.root, 'housekeeping-k6.json');
  // The load profile at 10 iterations/s, as a user would start it, shortened.
  run = await runK6(bundles.path('mixed'), {
    env: { TRANSPORT: 'http', OPEN_SAVES_HTTP_URL: emulator.httpUrl, PROFILE: 'load', RATE: '10', RAMP: '2s', HOLD: '8s', SUMMARY_PATH: summaryPath, ...LATENCY_NOT_JUDGED },
    args: [...K6_TEST_ARGS, '--out', `json=${outputPath}`],
    timeoutMs: 120_000,
  });
  summary = readSummary(summaryPath);
  samples = requestSamples(outputPath);
  left = await leftOnEmulator(emulator.httpUrl);
}, 180_000);

afterAll(async () => {
  await emulator?.stop();
});

// The metrics whose samples setup() and teardown() emit too: every threshold on them must select the workload's.
const SHARED_METRICS = /^(http_req_duration|grpc_req_duration|http_reqs|checks|opensaves_errors|opensaves_waf_blocked|opensaves_verify_failures)(\{|$)/;
// Tags only the iterations' samples carry: the scenario's name, and the capacity scenario's step.
const WORKLOAD_ONLY = /[{,](scenario:main|step:\d+)[,}]/;

/** The thresholds a bundle exports, as k6 itself reads them (`k6 inspect`). */
function exportedThresholds(scenario: string, env: Record<string, string>): string[] {
  const args = ['inspect', ...Object.entries(env).flatMap(([name, value]) => ['-e', `${name}=${value}`]), bundles.path(scenario)];
  const inspected = spawnSync(K6_BINARY, args, { encoding: 'utf8', timeout: 60_000 });
  if (inspected.status !== 0) throw new Error(`k6 inspect ${scenario} exited ${inspected.status}: ${inspected.stderr}`);
  return Object.keys((JSON.parse(inspected.stdout) as { thresholds?: Record<string, unknown> }).thresholds ?? {});
}

describe('the thresholds every scenario exports', () => {
  const SCENARIOS = ['smoke', 'crud', 'blobs', 'queries', 'atomic', 'cache', 'mixed', 'capacity'];
  const TRANSPORTS: Record<string, Record<string, string>> = { grpc: {}, http: { TRANSPORT: 'http' } };

  it.each(Object.keys(TRANSPORTS))('select only the iterations’ samples on metrics setup and teardown emit too (%s)', (transport) => {
    for (const scenario of SCENARIOS) {
      const thresholds = exportedThresholds(scenario, { PROFILE: 'load', ...TRANSPORTS[transport] });
      // atomic over HTTP runs nothing, so it judges nothing.
      if (!(scenario === 'atomic' && transport === 'http')) expect(thresholds.length, scenario).toBeGreaterThan(3);
      const shared = thresholds.filter((name) => SHARED_METRICS.test(name));
      expect(shared.filter((name) => !WORKLOAD_ONLY.test(name)), scenario).toEqual([]);
    }
  });
});

describe('a mixed run over HTTP against the emulator', () => {
  it('passes, with requests in setup, the iterations and teardown', () => {
    expect(run.exitCode, run.stdout + run.stderr).toBe(0);
    const phases = countByPhase(samples);
    expect(phases.setup).toBeGreaterThan(0);
    expect(phases.workload).toBeGreaterThan(50);
    expect(phases.teardown).toBeGreaterThan(0);
    // Every request is in one of the three.
    expect(phases.setup + phases.workload + phases.teardown).toBe(samples.length);
  });

  it('has thresholds only on sub-metrics of the scenario, never on what setup or teardown emit', () => {
    const judged = Object.entries(summary.metrics).filter(([, metric]) => metric.thresholds !== undefined).map(([name]) => name);
    expect(judged.length).toBeGreaterThan(20);
    for (const name of judged.filter((name) => SHARED_METRICS.test(name))) expect(name).toContain('scenario:main');
  });

  it('counts in each operation’s sub-metric exactly the iterations’ requests of that operation, not teardown’s', () => {
    const workloadOps = new Map<string, number>();
    const teardownOps = new Map<string, number>();
    for (const sample of samples) {
      const phase = phaseOf(sample);
      const op = sample.tags.op;
      if (op === undefined) continue;
      if (phase === 'workload') workloadOps.set(op, (workloadOps.get(op) ?? 0) + 1);
      if (phase === 'teardown') teardownOps.set(op, (teardownOps.get(op) ?? 0) + 1);
    }
    // Teardown deleted records; the DeleteRecord sub-metric holds the iterations' deletes alone.
    expect(teardownOps.get('DeleteRecord') ?? 0).toBeGreaterThan(0);
    for (const [op, calls] of workloadOps) {
      expect(count(summary, `http_req_duration{op:${op},scenario:main}`), op).toBe(calls);
      const checks = summary.metrics[`checks{op:${op},kind:status,scenario:main}`]?.values ?? {};
      expect((checks.passes ?? 0) + (checks.fails ?? 0), `${op} status checks`).toBe(calls);
    }
    // Preflight's requests carry no op tag: an operation of none.
    const preflight = samples.filter((sample) => sample.tags.phase === 'preflight');
    expect(preflight.map((sample) => sample.tags.name)).toEqual(['GET /health', 'GET /api/stores/{store_id}']);
    expect(preflight.every((sample) => sample.tags.op === undefined && phaseOf(sample) === 'setup')).toBe(true);
  });

  it('shows housekeeping in one line of its own: requests, errors and time', () => {
    const phases = countByPhase(samples);
    expect(run.stdout).toMatch(
      new RegExp(`\\nhousekeeping \\(preflight, setup, teardown; in no threshold or figure below by operation\\): ${phases.setup + phases.teardown} requests, 0 errors, \\d+\\.\\d\\d s in requests\\n`),
    );
  });

  it('tears down with at most 2 requests per item the run made plus 50, and leaves nothing', () => {
    const teardown = countByPhase(samples).teardown;
    const items = itemsCreated(samples);
    expect(items).toBeGreaterThan(40);
    expect(teardown, `teardown made ${teardown} requests for ${items} items`).toBeLessThanOrEqual(2 * items + 50);
    expect(run.stderr).toMatch(/teardown: deleted 3 stores, \d+ records, \d+ blobs"/);
    // Among them the port's metadata items of each store (its store delete leaves store_stats).
    expect(samples.filter((sample) => phaseOf(sample) === 'teardown' && sample.tags.op === 'DeleteMetadata')).toHaveLength(6);
    expect(left).toEqual(NOTHING_LEFT);
  });
});
