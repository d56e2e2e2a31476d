// Every scenario bundle runs with the real k6 against the local emulator in the
// smoke profile (shortened): all checks pass, nothing read back differs from
// what was written, no call fails, and the run leaves no store or record behind.
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LATENCY_NOT_JUDGED, runK6 } from '../../helpers/k6.js';
import { startEmulatorProcess, type EmulatorProcess } from '../../helpers/emulator-process.js';
import { bundleScenarios, K6_TEST_ARGS, type Bundles } from './bundles.js';
import { count, readSummary } from './summary-file.js';
import { fetchMetrics, sample } from './emulator-metrics.js';

// Short plateaus keep each run to a few seconds on a shared two-core machine.
const SCENARIOS: { name: string; env: Record<string, string> }[] = [
  { name: 'smoke', env: {} },
  { name: 'crud', env: { RAMP: '1s', HOLD: '3s' } },
  { name: 'blobs', env: { RAMP: '1s', HOLD: '3s' } },
  { name: 'queries', env: { RAMP: '1s', HOLD: '3s' } },
  { name: 'atomic', env: { RAMP: '1s', HOLD: '3s' } },
  { name: 'cache', env: { RAMP: '1s', HOLD: '3s' } },
  { name: 'mixed', env: { RAMP: '1s', HOLD: '3s' } },
  { name: 'capacity', env: { RAMP: '1s', HOLD: '1s' } },
];

let bundles: Bundles;
let emulator: EmulatorProcess;

beforeAll(async () => {
  bundles = bundleScenarios();
  emulator = await startEmulatorProcess();
});

afterAll(async () => {
  await emulator?.stop();
});

describe('each scenario bundle in the smoke profile', () => {
  it.each(SCENARIOS)('$name passes every check and leaves nothing behind', async ({ name, env }) => {
    // Arrange: the emulator is shared by the scenarios, so each compares with what it found.
    const summaryPath = join(bundles.root, `${name}-summary.json`);
    const before = await fetchMetrics(emulator.httpUrl);

    // Act
    const run = await runK6(bundles.path(name), {
      env: { OPEN_SAVES_ADDR: emulator.grpcAddress, PROFILE: 'smoke', SUMMARY_PATH: summaryPath, ...LATENCY_NOT_JUDGED, ...env },
      args: K6_TEST_ARGS,
      timeoutMs: 120_000,
    });

    // Assert
    expect(run.exitCode, run.stdout + run.stderr).toBe(0);
    const summary = readSummary(summaryPath);
    expect(summary.scenario).toBe(name);
    expect(summary.metrics.checks?.values.fails).toBe(0);
    expect(summary.metrics.checks?.values.passes).toBeGreaterThan(0);
    expect(count(summary, 'opensaves_verify_failures')).toBe(0);
    expect(count(summary, 'opensaves_errors')).toBe(0);
    expect(count(summary, 'grpc_req_duration')).toBeGreaterThan(0);
    // Requests are counted from k6's duration samples, not by a counter sample per call.
    expect(summary.metrics.opensaves_requests).toBeUndefined();
    // One status check per call, a verified read's included: the error-rate thresholds count calls.
    for (const [metric, values] of Object.entries(summary.metrics)) {
      const op = /^grpc_req_duration\{op:(\w+),scenario:main\}$/.exec(metric)?.[1];
      const statusChecks = summary.metrics[`checks{op:${op},kind:status,scenario:main}`]?.values;
      if (op) expect((statusChecks?.passes ?? 0) + (statusChecks?.fails ?? 0), `status checks of ${op}`).toBe(values.values.count);
    }
    // The text summary states the effective configuration.
    expect(run.stdout).toContain('effective configuration:');
    expect(run.stdout).toMatch(new RegExp(`\\n  addr +"${emulator.grpcAddress}"\\n`));
    const after = await fetchMetrics(emulator.httpUrl);
    for (const gauge of ['opensaves_stores', 'opensaves_records']) {
      expect(sample(after, gauge), `${gauge} after the run\n${run.stdout}${run.stderr}`).toBe(sample(before, gauge));
    }
  });
});
