// The client side of the join: the offered and achieved rates k6 saw, looked up over any server-metrics period,
// the run's peak offered rate (the default goal) and the capacity knee (where the SLO broke first).
import type { Capacity } from '../verdicts/capacity.js';
import type { TimeSeries } from '../aggregate/timeseries.js';
import { firstFellBehind } from './runner-rates.js';

export interface SloKnee {
  /** epoch ms at which the first failing step began */
  timeMs: number;
  /** epoch ms at which that step ended */
  endMs: number;
  offeredRate: number;
  step: string;
  /** "GetRecord p95 latency" */
  brokenBy: string[];
}

export interface ClientLoad {
  startMs: number;
  endMs: number;
  /** offered iterations/s (requests/s for runs without iterations) over [fromMs, fromMs + periodMs); null outside the run */
  offeredAt(fromMs: number, periodMs: number): number | null;
  /** achieved requests/s of the workload over the same window */
  requestsAt(fromMs: number, periodMs: number): number | null;
  /** requests/s of setup(), teardown() and dist/cleanup.js over the same window */
  housekeepingAt(fromMs: number, periodMs: number): number | null;
  /** achieved iterations/s over the same window */
  iterationsAt(fromMs: number, periodMs: number): number | null;
  /** requests per iteration while iterations ran (setup() and teardown() calls left out); 1 without iterations */
  requestsPerIteration: number;
  peakOfferedRate: number;
  /** whether rates are iterations (arrival-rate executors) or requests */
  unit: 'iterations' | 'requests';
  knee: SloKnee | null;
  /** the first bucket where k6 fell behind what it offered (dropped iterations or achieved < 95 % of offered) */
  fellBehind: { timeMs: number; offered: number; achieved: number; dropped: number } | null;
}

export function clientLoad(series: TimeSeries, capacity: Capacity | null, startMs: number, endMs: number, fellBehindShare: number): ClientLoad {
  const useIterations = series.offeredIterationsPerSec.some((rate) => rate > 0);
  const offered = useIterations ? series.offeredIterationsPerSec : series.requestsPerSec;
  const achieved = useIterations ? series.iterationsPerSec : series.requestsPerSec;
  const bucketMs = series.bucketSec * 1000;

  // Buckets are contiguous and clock-aligned, so the ones a window overlaps follow from its bounds: a long history
  // of 1 s points is joined without scanning every bucket for each point.
  const firstStart = series.startsMs[0] ?? 0;
  const meanOver = (values: readonly number[], fromMs: number, periodMs: number): number | null => {
    let weighted = 0;
    let covered = 0;
    const first = Math.max(0, Math.floor((fromMs - firstStart) / bucketMs));
    const last = Math.min(series.startsMs.length - 1, Math.floor((fromMs + periodMs - firstStart) / bucketMs));
    for (let i = first; i <= last; i++) {
      const bucketStart = series.startsMs[i]!;
      const overlap = Math.min(bucketStart + bucketMs, fromMs + periodMs, endMs + 1) - Math.max(bucketStart, fromMs, startMs);
      if (overlap > 0) {
        weighted += values[i]! * overlap;
        covered += overlap;
      }
    }
    return covered === 0 ? null : weighted / covered;
  };

  let requests = 0;
  let iterations = 0;
  series.iterationsPerSec.forEach((rate, i) => {
    if (rate > 0) {
      iterations += rate * series.coveredSec[i]!;
      requests += series.requestsPerSec[i]! * series.coveredSec[i]!;
    }
  });

  // The peak of a step run is its highest step; otherwise the highest full bucket (edges are partial).
  const inner = offered.length > 2 ? offered.slice(1, -1) : offered;
  const peakOfferedRate = capacity !== null && capacity.steps.length > 0 ? Math.max(...capacity.steps.map((s) => s.offeredPerSec)) : Math.max(0, ...inner);

  let knee: SloKnee | null = null;
  if (capacity !== null && capacity.firstFailingStep !== null) {
    const step = capacity.steps[capacity.firstFailingStep]!;
    knee = {
      timeMs: startMs + step.startSec * 1000,
      endMs: startMs + (step.startSec + step.durationSec) * 1000,
      offeredRate: step.offeredPerSec,
      step: step.name,
      brokenBy: step.violations.map((v) => `${v.op} ${v.criterion}`),
    };
  }

  // The run as a whole; each runner on its own is in runner-rates.ts.
  const fellBehind = useIterations ? firstFellBehind(offered, achieved, series.droppedPerSec, series.startsMs, series.bucketSec, fellBehindShare) : null;

  return {
    startMs,
    endMs,
    offeredAt: (fromMs, periodMs) => meanOver(offered, fromMs, periodMs),
    requestsAt: (fromMs, periodMs) => meanOver(series.requestsPerSec, fromMs, periodMs),
    housekeepingAt: (fromMs, periodMs) => meanOver(series.housekeepingPerSec, fromMs, periodMs),
    iterationsAt: (fromMs, periodMs) => meanOver(achieved, fromMs, periodMs),
    requestsPerIteration: useIterations && iterations > 0 ? requests / iterations : 1,
    peakOfferedRate,
    unit: useIterations ? 'iterations' : 'requests',
    knee,
    fellBehind,
  };
}
