// One bundle split over two k6 processes with execution segments, as
// k6-operator runs it: both halves share a RUN_ID, yet create no colliding
// keys, and together they reach the configured rate.
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LATENCY_NOT_JUDGED, runK6 } from '../../helpers/k6.js';
import { startEmulatorProcess, type EmulatorProcess } from '../../helpers/emulator-process.js';
import { bundleScenarios, K6_TEST_ARGS, type Bundles } from './bundles.js';
import { count, readSummary } from './summary-file.js';
import { fetchMetrics, sample, sumWhere } from './emulator-metrics.js';

let bundles: Bundles;
let emulator: EmulatorProcess;

beforeAll(async () => {
  bundles = bundleScenarios();
  emulator = await startEmulatorProcess();
});

afterAll(async () => {
  await emulator?.stop();
});

const RATE = 10;
const RAMP_S = 1;
const HOLD_S = 4;
// Ramping from 0 to RATE over RAMP_S, then RATE for HOLD_S.
const EXPECTED_ITERATIONS = (RATE * RAMP_S) / 2 + RATE * HOLD_S;

describe('two k6 instances on execution segments 0:1/2 and 1/2:1', () => {
  it('create no colliding keys and together reach the rate', async () => {
    // Arrange
    const segments = ['0:1/2', '1/2:1'];
    const env = { OPEN_SAVES_ADDR: emulator.grpcAddress, RUN_ID: 'segmented', RATE: String(RATE), RAMP: `${RAMP_S}s`, HOLD: `${HOLD_S}s`, PROFILE: 'load', ...LATENCY_NOT_JUDGED };

    // Act: both halves at once, as two pods would.
    const runs = await Promise.all(
      segments.map((segment, index) =>
        runK6(bundles.path('crud'), {
          env: { ...env, SUMMARY_PATH: join(bundles.root, `segment-${index}.json`) },
          args: [...K6_TEST_ARGS, '--execution-segment', segment, '--execution-segment-sequence', '0,1/2,1'],
          timeoutMs: 120_000,
        }),
      ),
    );

    // Assert
    for (const run of runs) expect(run.exitCode, run.stdout + run.stderr).toBe(0);
    const summaries = segments.map((_, index) => readSummary(join(bundles.root, `segment-${index}.json`)));
    const iterations = summaries.map((summary) => count(summary, 'iterations'));
    expect(iterations[0]).toBeGreaterThan(0);
    expect(iterations[1]).toBeGreaterThan(0);
    const total = (iterations[0] ?? 0) + (iterations[1] ?? 0);
    expect(total).toBeGreaterThanOrEqual(EXPECTED_ITERATIONS * 0.85);
    expect(total).toBeLessThanOrEqual(EXPECTED_ITERATIONS * 1.15);
    for (const summary of summaries) expect(count(summary, 'opensaves_errors')).toBe(0);

    const metrics = await fetchMetrics(emulator.httpUrl);
    expect(sumWhere(metrics, 'opensaves_rpc_total', { code: 'ALREADY_EXISTS' })).toBe(0);
    // Every iteration created its own record (and every 20th a store): all of them succeeded.
    expect(sumWhere(metrics, 'opensaves_rpc_total', { method: 'CreateRecord', code: 'OK' })).toBeGreaterThanOrEqual(total);
    expect(sample(metrics, 'opensaves_stores')).toBe(0);
  });
});
