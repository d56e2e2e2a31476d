// Cuts the steady part out of a sampled run: after the generator has started
// sending and before it stops. Start-up (k6 initialising VUs, Python importing
// Locust) and shut-down are fixed costs that would otherwise dominate a short
// run and hide the per-request cost the benchmark compares.
import type { RunSample } from './measured-run.js';

export interface SteadyState {
  seconds: number;
  requests: number;
  cpuSeconds: number;
  /** CPU seconds the generator spent per 10,000 requests */
  cpuSecondsPer10k: number;
  /** requests per second the emulator counted in the window */
  achievedRate: number;
  /** bytes the generator moved in the window; null when they were not counted */
  bytes: number | null;
  /** the window's first and last sample (RunSample.atMs) */
  fromMs: number;
  toMs: number;
}

/** A span of time (RunSample.atMs) a window must keep within. */
export interface TimeSpan {
  fromMs: number;
  toMs: number;
}

export interface SteadyStateOptions {
  /** samples skipped after the first request, and before the last one */
  trimSamples: number;
  /** samples skipped after the first request instead, when warm-up lasts longer than shut-down */
  warmUpSamples?: number;
  /** keep the window inside this span as well (the part of a pair's windows common to both runs) */
  within?: TimeSpan;
}

/** Null when the run is too short to leave a window of at least two samples. */
export function steadyState(samples: readonly RunSample[], options: SteadyStateOptions): SteadyState | null {
  const firstActive = samples.findIndex((sample, index) => index > 0 && sample.requests > (samples[0]?.requests ?? 0));
  let lastActive = -1;
  for (let index = samples.length - 1; index > 0; index--) {
    if (samples[index]!.requests > samples[index - 1]!.requests) {
      lastActive = index - 1;
      break;
    }
  }
  if (firstActive < 0 || lastActive < 0) return null;
  let fromIndex = firstActive + (options.warmUpSamples ?? options.trimSamples);
  let toIndex = lastActive - options.trimSamples;
  if (options.within) {
    while (fromIndex < samples.length && samples[fromIndex]!.atMs < options.within.fromMs) fromIndex++;
    while (toIndex >= 0 && samples[toIndex]!.atMs > options.within.toMs) toIndex--;
  }
  const from = samples[fromIndex];
  const to = samples[toIndex];
  if (!from || !to || to.elapsedMs <= from.elapsedMs || to.requests <= from.requests) return null;
  const seconds = (to.elapsedMs - from.elapsedMs) / 1000;
  const requests = to.requests - from.requests;
  const cpuSeconds = to.cpuSeconds - from.cpuSeconds;
  return {
    seconds,
    requests,
    cpuSeconds,
    cpuSecondsPer10k: (cpuSeconds / requests) * 10_000,
    achievedRate: requests / seconds,
    bytes: to.bytes !== undefined && from.bytes !== undefined && Number.isFinite(to.bytes - from.bytes) ? to.bytes - from.bytes : null,
    fromMs: from.atMs,
    toMs: to.atMs,
  };
}

/** The span both windows cover; null when they do not overlap. */
export function commonSpan(a: TimeSpan, b: TimeSpan): TimeSpan | null {
  const span = { fromMs: Math.max(a.fromMs, b.fromMs), toMs: Math.min(a.toMs, b.toMs) };
  return span.toMs > span.fromMs ? span : null;
}
