// One connection per VU that survives the server going away: when the emulator
// restarts mid-run on the same port, calls end UNAVAILABLE for a moment, the
// VUs dial again and the run carries on to its planned end.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { runK6 } from '../../helpers/k6.js';
import { startEmulatorProcess, type EmulatorProcess } from '../../helpers/emulator-process.js';
import { bundleScenarios, K6_TEST_ARGS, type Bundles } from './bundles.js';
import { count, readSummary } from './summary-file.js';
import { fetchMetrics, sumWhere } from './emulator-metrics.js';

let bundles: Bundles;
const emulators: EmulatorProcess[] = [];

beforeAll(() => {
  bundles = bundleScenarios();
});

afterEach(async () => {
  await Promise.all(emulators.splice(0).map((emulator) => emulator.stop()));
});

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('a VU connection', () => {
  it('is re-established after the emulator restarts, without ending the run', async () => {
    // Arrange: a Ping-only mix, which needs no state that the restart would lose.
    const scratch = mkdtempSync(join(tmpdir(), 'opensaves-reconnect-'));
    const mix = join(scratch, 'ping-only.json');
    writeFileSync(mix, JSON.stringify({ read: { Ping: 1 }, write: { Ping: 1 } }));
    const first = await startEmulatorProcess();
    emulators.push(first);
    const port = first.grpcAddress.split(':')[1] as string;
    const summaryPath = join(scratch, 'summary.json');

    // Act: restart the emulator on the same port while k6 runs.
    const running = runK6(bundles.path('mixed'), {
      env: { OPEN_SAVES_ADDR: first.grpcAddress, MIX: mix, PROFILE: 'load', RATE: '10', RAMP: '1s', HOLD: '7s', SUMMARY_PATH: summaryPath },
      args: K6_TEST_ARGS,
      timeoutMs: 120_000,
    });
    await sleep(3000);
    await first.stop();
    emulators.splice(0);
    const second = await startEmulatorProcess(['--grpc-port', port]);
    emulators.push(second);
    const run = await running;

    // Assert: the second emulator was reached by the same VUs' new connections, and the run went the distance.
    expect([0, 99], run.stdout + run.stderr).toContain(run.exitCode);
    expect(sumWhere(await fetchMetrics(second.httpUrl), 'opensaves_rpc_total', { method: 'Ping', code: 'OK' })).toBeGreaterThan(10);
    const summary = readSummary(summaryPath);
    expect(count(summary, 'iterations')).toBeGreaterThan(60);
  });
});
