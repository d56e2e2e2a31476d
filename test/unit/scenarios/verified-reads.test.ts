// The prepared reads (Ping, GetStore, plain GetRecord) run through real k6 against
// a emulator that fails half of each with UNAVAILABLE: an OK call and a failed one
// each record exactly one status check tagged with the operation, failures are
// counted, the connection is re-dialled after each failure, and every read that
// came back still verified.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LATENCY_NOT_JUDGED, runK6 } from '../../helpers/k6.js';
import { startEmulatorProcess, type EmulatorProcess } from '../../helpers/emulator-process.js';
import { bundleScenarios, K6_TEST_ARGS, type Bundles } from './bundles.js';
import { count, readSummary } from './summary-file.js';

const PREPARED_READS = ['Ping', 'GetStore', 'GetRecord'] as const;

let bundles: Bundles;
let emulator: EmulatorProcess;

beforeAll(async () => {
  bundles = bundleScenarios();
  emulator = await startEmulatorProcess(['--error-rate', PREPARED_READS.map((op) => `${op}=0.5`).join(',')]);
});

afterAll(async () => {
  await emulator?.stop();
});

describe('prepared verified reads against a emulator failing half of them', () => {
  it('record one status check per call, pass only the OK ones and count every failure', async () => {
    // Arrange: a mix of only the prepared reads, both classes alike.
    const dir = mkdtempSync(join(tmpdir(), 'opensaves-verified-reads-'));
    const weights = Object.fromEntries(PREPARED_READS.map((op) => [op, 1]));
    const mixPath = join(dir, 'mix.json');
    writeFileSync(mixPath, JSON.stringify({ read: weights, write: weights }));
    const summaryPath = join(dir, 'summary.json');

    // Act: setup retries UNAVAILABLE, so the seeded stores and records exist.
    const run = await runK6(bundles.path('mixed'), {
      env: { OPEN_SAVES_ADDR: emulator.grpcAddress, PROFILE: 'load', RATE: '60', RAMP: '1s', HOLD: '3s', MIX: mixPath, SUMMARY_PATH: summaryPath },
      args: K6_TEST_ARGS,
      timeoutMs: 120_000,
    });

    // Assert: the error-rate thresholds fail (k6 exits 99), and every number adds up.
    expect(run.exitCode, run.stdout + run.stderr).toBe(99);
    const summary = readSummary(summaryPath);
    for (const op of PREPARED_READS) {
      const calls = count(summary, `grpc_req_duration{op:${op},scenario:main}`);
      const status = summary.metrics[`checks{op:${op},kind:status,scenario:main}`]?.values ?? {};
      expect(calls, `${op} calls`).toBeGreaterThan(10);
      expect((status.passes ?? 0) + (status.fails ?? 0), `${op} status checks`).toBe(calls);
      expect(status.passes, `${op} passed`).toBeGreaterThan(0);
      expect(status.fails, `${op} failed`).toBeGreaterThan(0);
    }
    const failedChecks = PREPARED_READS.reduce((sum, op) => sum + (summary.metrics[`checks{op:${op},kind:status,scenario:main}`]?.values.fails ?? 0), 0);
    expect(count(summary, 'opensaves_errors{scenario:main}')).toBe(failedChecks);
    expect(count(summary, 'opensaves_verify_failures')).toBe(0);
    expect(run.stdout).toContain('✓ the Ping call ends with an expected status and Ping echoes its text');
    expect(run.stdout).toContain('✗ the GetRecord call ends with an expected status');
  });
});

describe('prepared verified reads against a healthy emulator', () => {
  it('verify one read in VERIFY_EVERY and check the status alone of the others', async () => {
    // Arrange
    const healthy = await startEmulatorProcess();
    const dir = mkdtempSync(join(tmpdir(), 'opensaves-sampled-reads-'));
    const weights = Object.fromEntries(PREPARED_READS.map((op) => [op, 1]));
    const mixPath = join(dir, 'mix.json');
    writeFileSync(mixPath, JSON.stringify({ read: weights, write: weights }));
    const verifyEvery = 4;

    try {
      // Act
      const run = await runK6(bundles.path('mixed'), {
        env: {
          OPEN_SAVES_ADDR: healthy.grpcAddress,
          PROFILE: 'load',
          RATE: '60',
          RAMP: '1s',
          HOLD: '4s',
          MIX: mixPath,
          VERIFY_EVERY: String(verifyEvery),
          SUMMARY_PATH: join(dir, 'summary.json'),
          ...LATENCY_NOT_JUDGED,
        },
        args: K6_TEST_ARGS,
        timeoutMs: 120_000,
      });

      // Assert: every check passed; per operation, the verified reads are about a quarter of the calls.
      expect(run.exitCode, run.stdout + run.stderr).toBe(0);
      const summary = readSummary(join(dir, 'summary.json'));
      const passes = (name: string) =>
        [...run.stdout.matchAll(new RegExp(`✓ ${name} \\((\\d+)/\\1\\)`, 'g'))].reduce((sum, match) => sum + Number(match[1]), 0);
      const vus = summary.metrics['vus_max']?.values.max ?? 0;
      for (const [op, sentence] of [
        ['Ping', 'Ping echoes its text'],
        ['GetStore', 'a store reads back with its key'],
        ['GetRecord', 'a record reads back as last written'],
      ] as const) {
        const calls = count(summary, `grpc_req_duration{op:${op},scenario:main}`);
        const verified = passes(`the ${op} call ends with an expected status and ${sentence}`);
        const statusOnly = passes(`the ${op} call ends with an expected status`);
        expect(verified + statusOnly, `${op}: every call has one check`).toBe(calls);
        expect(verified, `${op} verified`).toBeGreaterThanOrEqual(Math.floor(calls / verifyEvery) - vus);
        // Each VU verifies its first Ping and GetStore; a seed's first verified read comes within its first VERIFY_EVERY.
        expect(verified, `${op} verified`).toBeLessThanOrEqual(Math.ceil(calls / verifyEvery) + 2 * vus);
      }
      expect(count(summary, 'opensaves_verify_failures')).toBe(0);
    } finally {
      await healthy.stop();
    }
  });
});
