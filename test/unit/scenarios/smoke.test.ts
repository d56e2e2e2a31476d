// The smoke scenario bundled and run with the real k6 against the local emulator
// on random ports: one pass over all 27 RPCs that passes only if every check
// passes, and fails (exit 99) as soon as one RPC misbehaves.
import { join } from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { LATENCY_NOT_JUDGED, runK6 } from '../../helpers/k6.js';
import { startEmulatorProcess, type EmulatorProcess } from '../../helpers/emulator-process.js';
import { RPC_NAMES } from '../../../scripts/lib/config/constants.js';
import { bundleScenarios, K6_TEST_ARGS, type Bundles } from './bundles.js';
import { count, failedThresholds, readSummary } from './summary-file.js';
import { fetchMetrics, sample, sumWhere } from './emulator-metrics.js';

let bundles: Bundles;
let emulator: EmulatorProcess | undefined;

beforeAll(() => {
  bundles = bundleScenarios();
});

afterEach(async () => {
  await emulator?.stop();
  emulator = undefined;
});

describe('the smoke scenario against the local emulator', () => {
  it('calls every RPC once or more, passes every check and leaves nothing behind', async () => {
    // Arrange
    emulator = await startEmulatorProcess();
    const summaryPath = join(bundles.root, 'smoke-summary.json');

    // Act
    const run = await runK6(bundles.path('smoke'), {
      env: { OPEN_SAVES_ADDR: emulator.grpcAddress, SUMMARY_PATH: summaryPath, ...LATENCY_NOT_JUDGED },
      args: K6_TEST_ARGS,
      timeoutMs: 90_000,
    });

    // Assert
    expect(run.exitCode, run.stdout + run.stderr).toBe(0);
    const summary = readSummary(summaryPath);
    expect(summary.metrics.checks?.values.fails).toBe(0);
    expect(summary.metrics.checks?.values.passes).toBeGreaterThan(50);
    expect(count(summary, 'opensaves_verify_failures')).toBe(0);
    const metrics = await fetchMetrics(emulator.httpUrl);
    const uncalled = RPC_NAMES.filter((rpc) => sumWhere(metrics, 'opensaves_rpc_total', { method: rpc }) === 0);
    expect(uncalled).toEqual([]);
    expect(sample(metrics, 'opensaves_stores')).toBe(0);
    expect(sample(metrics, 'opensaves_records')).toBe(0);
  });

  it('exits 99 with the failing check named when one RPC keeps failing', async () => {
    // Arrange: the emulator fails every Ping with UNAVAILABLE.
    emulator = await startEmulatorProcess(['--error-rate', 'Ping=1']);
    const summaryPath = join(bundles.root, 'smoke-failing-summary.json');

    // Act
    const run = await runK6(bundles.path('smoke'), {
      env: { OPEN_SAVES_ADDR: emulator.grpcAddress, SUMMARY_PATH: summaryPath },
      args: K6_TEST_ARGS,
      timeoutMs: 90_000,
    });

    // Assert
    expect(run.exitCode).toBe(99);
    expect(run.stdout).toContain('✗ the Ping call ends with an expected status');
    const summary = readSummary(summaryPath);
    expect(failedThresholds(summary)).toEqual(expect.arrayContaining(['checks{scenario:main} rate==1', 'checks{op:Ping,kind:status,scenario:main} rate==1']));
    expect(sample(await fetchMetrics(emulator.httpUrl), 'opensaves_stores')).toBe(0);
  });
});
