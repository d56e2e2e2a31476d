import { describe, expect, it } from 'vitest';
import type { RunSample } from '../../../bench/lib/measured-run.js';
import { steadyState } from '../../../bench/lib/steady-state.js';

// One sample every 500 ms: 2 s of start-up costing 1 CPU second, then 1,000
// requests per second at 0.25 CPU seconds per second, then 1 s of shut-down.
function syntheticRun(): RunSample[] {
  const samples: RunSample[] = [];
  let cpu = 0;
  let requests = 40; // counted before this run (another tool's setup calls)
  for (let index = 0; index <= 30; index++) {
    const seconds = index / 2;
    if (seconds <= 2) cpu = seconds * 0.5;
    else if (seconds <= 12) {
      cpu += 0.125;
      requests += 500;
    } else cpu += 0.2;
    samples.push({ elapsedMs: seconds * 1000, cpuSeconds: cpu, peakRssKb: 1000, requests });
  }
  return samples;
}

describe('steadyState', () => {
  it('measures CPU per request inside the window where the counter grows', () => {
    const window = steadyState(syntheticRun(), { trimSamples: 0 });
    expect(window).not.toBeNull();
    expect(window!.cpuSecondsPer10k).toBeCloseTo(2.5, 6);
    expect(window!.achievedRate).toBeCloseTo(1000, 6);
  });

  it('leaves out start-up and shut-down costs', () => {
    const samples = syntheticRun();
    const whole = (samples.at(-1)!.cpuSeconds / (samples.at(-1)!.requests - 40)) * 10_000;
    expect(whole).toBeGreaterThan(3);
    expect(steadyState(samples, { trimSamples: 2 })!.cpuSecondsPer10k).toBeCloseTo(2.5, 6);
  });

  it('narrows the window by the trimmed samples on each side', () => {
    const wide = steadyState(syntheticRun(), { trimSamples: 0 })!;
    const narrow = steadyState(syntheticRun(), { trimSamples: 2 })!;
    expect(wide.seconds - narrow.seconds).toBeCloseTo(2, 6);
  });

  it('skips a longer warm-up than shut-down when asked to', () => {
    const trimmed = steadyState(syntheticRun(), { trimSamples: 2 })!;
    const warmedUp = steadyState(syntheticRun(), { trimSamples: 2, warmUpSamples: 4 })!;
    expect(trimmed.seconds - warmedUp.seconds).toBeCloseTo(1, 6);
    expect(warmedUp.cpuSecondsPer10k).toBeCloseTo(2.5, 6);
  });

  it('returns null when the counter never moves', () => {
    const idle = syntheticRun().map((sample) => ({ ...sample, requests: 40 }));
    expect(steadyState(idle, { trimSamples: 0 })).toBeNull();
  });

  it('returns null when trimming leaves no window', () => {
    expect(steadyState(syntheticRun().slice(0, 8), { trimSamples: 3 })).toBeNull();
  });
});
