import { describe, expect, it } from 'vitest';
import { measureRun, signalRunningGenerators } from '../../../bench/lib/measure/measured-run.js';

// A child that burns 0.6 s of CPU (counted in CPU time, so a busy machine only
// makes it slower) and holds about 64 MB, then exits.
const BURN = [
  '-e',
  'const keep = Buffer.alloc(64 * 1024 * 1024, 1); while (process.cpuUsage().user < 600_000) Math.sqrt(Math.random()); console.log(keep[7]);',
];

describe('measureRun', () => {
  it('reports the CPU time and peak memory of the child, and samples it while it runs', async () => {
    let counter = 0;
    const run = await measureRun({
      label: 'burn',
      command: process.execPath,
      args: BURN,
      cpuList: '0-1',
      timeoutMs: 20_000,
      sampleIntervalMs: 100,
      countRequests: async () => ++counter,
    });
    expect(run.exitCode).toBe(0);
    expect(run.timedOut).toBe(false);
    expect(run.stdout.trim()).toBe('1');
    expect(run.totals.cpuSeconds).toBeGreaterThan(0.55);
    expect(run.totals.peakRssKb).toBeGreaterThan(64 * 1024);
    expect(run.samples.length).toBeGreaterThanOrEqual(3);
    const last = run.samples.at(-1)!;
    expect(last.cpuSeconds).toBeLessThanOrEqual(run.totals.cpuSeconds + 0.02);
    expect(run.samples.map((sample) => sample.requests)).toEqual(run.samples.map((_, index) => index + 1));
  });

  it('kills a run that outlives its time limit and says so', async () => {
    const run = await measureRun({ label: 'sleeper', command: 'sleep', args: ['30'], timeoutMs: 700, sampleIntervalMs: 100 });
    expect(run.timedOut).toBe(true);
    expect(run.totals.wallSeconds).toBeLessThan(5);
  });

  it('stops the generators still running when told to, so an interrupted benchmark leaves none behind', async () => {
    // Arrange: a generator that would run for 30 s.
    const running = measureRun({ label: 'sleeper', command: 'sleep', args: ['30'], timeoutMs: 20_000, sampleIntervalMs: 100 });
    await new Promise((resolve) => setTimeout(resolve, 300));

    // Act
    const signalled = signalRunningGenerators('SIGTERM');
    const run = await running;

    // Assert: it ended on the signal, long before its time, and is no longer listed.
    expect(signalled).toBe(1);
    expect(run.timedOut).toBe(false);
    expect(run.totals.wallSeconds).toBeLessThan(5);
    expect(signalRunningGenerators('SIGTERM')).toBe(0);
  });
});
