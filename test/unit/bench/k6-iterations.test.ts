// Counting a k6 run's own iterations over its REST API, so two k6 runs of a
// benchmark pair can share one emulator: the parse, and a real k6 run read live.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freeLoopbackPort, iterationsFromApi, k6IterationCounter } from '../../../bench/lib/generators/k6-iterations.js';
import { readSummaryExport } from '../../../bench/lib/cost.js';
import { runK6 } from '../../helpers/k6.js';
import { startEmulatorProcess, type EmulatorProcess } from '../../helpers/emulator-process.js';

const scratch = mkdtempSync(join(tmpdir(), 'k6-iterations-test-'));
let emulator: EmulatorProcess;

beforeAll(async () => {
  emulator = await startEmulatorProcess();
});
afterAll(async () => {
  await emulator?.stop();
  rmSync(scratch, { recursive: true, force: true });
});

describe('iterationsFromApi', () => {
  it('reads the count of the iterations counter', () => {
    const body = { data: { type: 'metrics', id: 'iterations', attributes: { type: 'counter', sample: { count: 33, rate: 10.2 } } } };
    expect(iterationsFromApi(body)).toBe(33);
  });

  it('names the field it expected when the answer has no count', () => {
    expect(() => iterationsFromApi({ data: { attributes: { sample: { rate: 1 } } } })).toThrow(
      'k6 REST API: expected data.attributes.sample.count to be a number, got undefined',
    );
  });
});

describe('k6IterationCounter', () => {
  it('reads 0 while no k6 listens at the address', async () => {
    const address = `127.0.0.1:${await freeLoopbackPort()}`;
    expect(await k6IterationCounter(address)()).toBe(0);
  });

  it("follows a running k6's iterations up to the count its summary reports", async () => {
    // Arrange
    const address = `127.0.0.1:${await freeLoopbackPort()}`;
    const exportPath = join(scratch, 'export.json');
    const count = k6IterationCounter(address);
    const readings: number[] = [];

    // Act: read while the run lasts.
    const running = runK6('bench/k6/minimal-grpc.js', {
      env: { OPEN_SAVES_ADDR: emulator.grpcAddress, RPC: 'Ping', RATE: '20', VUS: '2', DURATION: '3s' },
      args: ['--address', address, '--summary-export', exportPath],
      timeoutMs: 60_000,
    });
    let done = false;
    void running.then(() => (done = true));
    while (!done) {
      readings.push(await count());
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    const run = await running;

    // Assert: the readings rise while k6 runs and never pass what it reports at the end.
    expect(run.exitCode, run.stderr + run.stdout).toBe(0);
    const total = readSummaryExport(exportPath)!.iterations;
    expect(total).toBeGreaterThanOrEqual(55);
    const seen = readings.filter((reading) => reading > 0);
    expect(seen.length).toBeGreaterThan(3);
    expect(seen).toEqual([...seen].sort((a, b) => a - b));
    expect(Math.max(...seen)).toBeLessThanOrEqual(total);
    expect(Math.max(...seen)).toBeGreaterThan(total / 2);
  });
});
