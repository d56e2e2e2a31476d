// The mixed scenario against the local emulator: over the REST API, with the
// read ratio asked for, with a mix of one operation, and under injected faults
// where the SLOs must fail.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { LATENCY_NOT_JUDGED, runK6 } from '../../helpers/k6.js';
import { startEmulatorProcess, type EmulatorProcess } from '../../helpers/emulator-process.js';
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

describe('the mixed scenario', () => {
  it('drives the REST API with TRANSPORT=http, with gRPC operation names, skipping what it lacks', async () => {
    // Arrange: a write-heavy mix, so operations the REST API lacks (atomics, chunks) come up.
    emulator = await startEmulatorProcess();
    const summaryPath = join(bundles.root, 'mixed-http.json');

    // Act
    const run = await runK6(bundles.path('mixed'), {
      env: {
        TRANSPORT: 'http',
        OPEN_SAVES_HTTP_URL: emulator.httpUrl,
        OPEN_SAVES_ADDR: '127.0.0.1:1',
        RATE: '10',
        RAMP: '1s',
        HOLD: '3s',
        READ_RATIO: '0.3',
        BLOB_SIZES: '1KB,100KB',
        SUMMARY_PATH: summaryPath,
        ...LATENCY_NOT_JUDGED,
      },
      args: K6_TEST_ARGS,
      timeoutMs: 120_000,
    });

    // Assert
    expect(run.exitCode, run.stdout + run.stderr).toBe(0);
    const summary = readSummary(summaryPath);
    expect(summary.metrics.checks?.values.fails).toBe(0);
    expect(count(summary, 'opensaves_verify_failures')).toBe(0);
    expect(count(summary, 'http_req_duration{op:CreateRecord,scenario:main}')).toBeGreaterThan(0);
    expect(count(summary, 'http_req_duration{op:GetRecord,scenario:main}')).toBeGreaterThan(0);
    expect(count(summary, 'opensaves_skipped_operations')).toBeGreaterThan(0);
    // The deliberate "is it gone?" probes answer 404 and are declared expected: no false error rate.
    expect(summary.metrics.http_req_failed?.values.rate, JSON.stringify(summary.metrics.http_req_failed)).toBe(0);
    // The lacking operations are announced once, not per iteration.
    expect(run.stderr.match(/the AWS port has no /g)).toHaveLength(1);
    const metrics = await fetchMetrics(emulator.httpUrl);
    expect(sumWhere(metrics, 'opensaves_http_requests_total', {})).toBeGreaterThanOrEqual(count(summary, 'http_reqs'));
    expect(sumWhere(metrics, 'opensaves_rpc_total', {})).toBe(0);
    expect(sample(metrics, 'opensaves_stores')).toBe(0);
  });

  it('honours READ_RATIO within 2 percentage points of iterations', async () => {
    // Arrange
    emulator = await startEmulatorProcess();
    const summaryPath = join(bundles.root, 'mixed-ratio.json');

    // Act
    const run = await runK6(bundles.path('mixed'), {
      env: {
        OPEN_SAVES_ADDR: emulator.grpcAddress,
        RATE: '40',
        RAMP: '1s',
        HOLD: '3s',
        READ_RATIO: '0.7',
        BLOB_SIZES: '1KB,100KB',
        SUMMARY_PATH: summaryPath,
        ...LATENCY_NOT_JUDGED,
      },
      args: K6_TEST_ARGS,
      timeoutMs: 120_000,
    });

    // Assert
    expect(run.exitCode, run.stdout + run.stderr).toBe(0);
    const summary = readSummary(summaryPath);
    const reads = count(summary, 'iterations{class:read}');
    const writes = count(summary, 'iterations{class:write}');
    expect(reads + writes).toBe(count(summary, 'iterations'));
    expect(reads + writes).toBeGreaterThan(100);
    expect(Math.abs(reads / (reads + writes) - 0.7)).toBeLessThanOrEqual(0.02);
  });

  it('makes the one operation of a single-operation mix on every iteration, without a read/write split', async () => {
    // Arrange: a zero weight does not count as an operation of the mix.
    emulator = await startEmulatorProcess();
    const summaryPath = join(bundles.root, 'mixed-sole.json');
    const mixPath = join(bundles.root, 'ping-alone.json');
    writeFileSync(mixPath, JSON.stringify({ read: { Ping: 1, GetRecord: 0 }, write: { Ping: 2 } }));

    // Act
    const run = await runK6(bundles.path('mixed'), {
      env: { OPEN_SAVES_ADDR: emulator.grpcAddress, RATE: '20', RAMP: '1s', HOLD: '2s', MIX: mixPath, SUMMARY_PATH: summaryPath, ...LATENCY_NOT_JUDGED },
      args: K6_TEST_ARGS,
      timeoutMs: 120_000,
    });

    // Assert
    expect(run.exitCode, run.stdout + run.stderr).toBe(0);
    const summary = readSummary(summaryPath);
    expect(count(summary, 'iterations')).toBeGreaterThan(30);
    expect(count(summary, 'grpc_req_duration{op:Ping,scenario:main}')).toBe(count(summary, 'iterations'));
    expect(count(summary, 'grpc_req_duration{op:GetRecord,scenario:main}')).toBe(0);
    expect(summary.metrics['iterations{class:read}']).toBeUndefined();
    expect(summary.metrics.checks?.values.fails).toBe(0);
    expect(run.stdout).toContain('every iteration: Ping (the mix weighs one operation; READ_RATIO 0.8 does not apply)');
  });

  it('fails its SLO thresholds and exits 99 when the emulator fails 20 % of calls', async () => {
    // Arrange
    emulator = await startEmulatorProcess(['--error-rate', '0.2']);
    const summaryPath = join(bundles.root, 'mixed-faults.json');

    // Act
    const run = await runK6(bundles.path('mixed'), {
      env: {
        OPEN_SAVES_ADDR: emulator.grpcAddress,
        PROFILE: 'load',
        RATE: '10',
        RAMP: '1s',
        HOLD: '3s',
        BLOB_SIZES: '1KB,100KB',
        SUMMARY_PATH: summaryPath,
      },
      args: K6_TEST_ARGS,
      timeoutMs: 120_000,
    });

    // Assert
    expect(run.exitCode, run.stdout + run.stderr).toBe(99);
    const summary = readSummary(summaryPath);
    const failed = failedThresholds(summary);
    expect(failed.some((threshold) => /^checks\{op:[A-Za-z]+,kind:status,scenario:main\} rate>=0\.99$/.test(threshold))).toBe(true);
    expect(count(summary, 'opensaves_errors')).toBeGreaterThan(0);
    expect(run.stdout).toContain('RESULT: some thresholds failed');
    // setup() and teardown() retry UNAVAILABLE, so even this run cleans up after itself.
    expect(sample(await fetchMetrics(emulator.httpUrl), 'opensaves_stores')).toBe(0);
  });
});
