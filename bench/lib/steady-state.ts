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
  /** requests per second the target counted in the window */
  achievedRate: number;
}

export interface SteadyStateOptions {
  /** samples skipped after the first request, and before the last one */
  trimSamples: number;
  /** samples skipped after the first request instead, when warm-up lasts longer than shut-down */
  warmUpSamples?: number;
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
  const from = samples[firstActive + (options.warmUpSamples ?? options.trimSamples)];
  const to = samples[lastActive - options.trimSamples];
  if (!from || !to || to.elapsedMs <= from.elapsedMs || to.requests <= from.requests) return null;
  const seconds = (to.elapsedMs - from.elapsedMs) / 1000;
  const requests = to.requests - from.requests;
  const cpuSeconds = to.cpuSeconds - from.cpuSeconds;
  return { seconds, requests, cpuSeconds, cpuSecondsPer10k: (cpuSeconds / requests) * 10_000, achievedRate: requests / seconds };
}
