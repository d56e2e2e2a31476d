import { describe, expect, it } from 'vitest';
import type { RunSample } from '../../../bench/lib/measure/measured-run.js';
import { commonSpan, steadyState } from '../../../bench/lib/measure/steady-state.js';

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
    samples.push({ atMs: 5000 + seconds * 1000, elapsedMs: seconds * 1000, cpuSeconds: cpu, peakRssKb: 1000, requests });
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

  it('keeps inside a span of time when given one, and says which samples bound it', () => {
    // The run's samples are taken from 5 s on (atMs); its load lasts from 7 s to 17 s.
    const whole = steadyState(syntheticRun(), { trimSamples: 0 })!;
    expect([whole.fromMs, whole.toMs]).toEqual([7500, 16500]);
    const within = steadyState(syntheticRun(), { trimSamples: 0, within: { fromMs: 9200, toMs: 12100 } })!;
    expect([within.fromMs, within.toMs]).toEqual([9500, 12000]);
    expect(within.seconds).toBeCloseTo(2.5, 6);
    expect(within.cpuSecondsPer10k).toBeCloseTo(2.5, 6);
  });

  it('returns null when the span leaves it no window', () => {
    expect(steadyState(syntheticRun(), { trimSamples: 0, within: { fromMs: 20_000, toMs: 30_000 } })).toBeNull();
  });
});

describe('commonSpan', () => {
  it('is the overlap of two windows, or null when they do not overlap', () => {
    expect(commonSpan({ fromMs: 1000, toMs: 9000 }, { fromMs: 3000, toMs: 12_000 })).toEqual({ fromMs: 3000, toMs: 9000 });
    expect(commonSpan({ fromMs: 1000, toMs: 2000 }, { fromMs: 3000, toMs: 4000 })).toBeNull();
  });
});
