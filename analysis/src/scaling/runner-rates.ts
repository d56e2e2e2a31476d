// Each runner of a run (the `instance` tag, else its output file's name): the rate it offered and achieved, the
// iterations it dropped and whether it fell behind. A run spread over N runners reaches its rate only when every
// runner keeps up with its share; one runner short of CPU or VUs caps the whole run.
import type { Aggregate } from '../aggregate/aggregate.js';
import type { TimeSeries } from '../aggregate/timeseries.js';

/** Behind for a moment happens while k6 starts VUs; behind for this long running is a finding. */
export const FELL_BEHIND_SECONDS = 3;

export interface FellBehind {
  /** epoch ms of the first bucket of the run of buckets that were behind */
  timeMs: number;
  offered: number;
  achieved: number;
  dropped: number;
}

/**
 * The first bucket from which k6 was behind for FELL_BEHIND_SECONDS in a row: achieved below `share` of offered, or
 * dropped iterations above 1 - share of it. The run's first and last buckets (partial) are left out.
 */
export function firstFellBehind(
  offered: readonly number[],
  achieved: readonly number[],
  dropped: readonly number[],
  startsMs: readonly number[],
  bucketSec: number,
  share: number,
): FellBehind | null {
  const needed = Math.max(1, Math.ceil(FELL_BEHIND_SECONDS / bucketSec));
  let runStart = -1;
  for (let i = 1; i < offered.length - 1; i++) {
    const behind = offered[i]! > 0 && (achieved[i]! < share * offered[i]! || dropped[i]! > (1 - share) * offered[i]!);
    if (!behind) {
      runStart = -1;
      continue;
    }
    if (runStart === -1) runStart = i;
    if (i - runStart + 1 >= needed) return { timeMs: startsMs[runStart]!, offered: offered[runStart]!, achieved: achieved[runStart]!, dropped: dropped[runStart]! };
  }
  return null;
}

export interface RunnerRates {
  name: string;
  requests: number;
  errors: number;
  iterations: number;
  droppedIterations: number;
  /** iterations/s started plus dropped, and started, over the full buckets in which the runner offered load; null without iterations */
  offeredRate: number | null;
  achievedRate: number | null;
  fellBehind: FellBehind | null;
}

/** Every runner's rates, by name; the buckets are those of the run's time series. */
export function runnerRates(aggregate: Aggregate, series: TimeSeries, share: number): RunnerRates[] {
  const names = new Set([...aggregate.instances.keys(), ...aggregate.runnerLoads.runners.keys()]);
  const bucketMs = series.bucketSec * 1000;
  return [...names].sort().map((name) => {
    const counts = aggregate.instances.get(name);
    const buckets = aggregate.runnerLoads.runners.get(name) ?? new Map<number, [number, number]>();
    const achieved: number[] = [];
    const dropped: number[] = [];
    const offered: number[] = [];
    let iterations = 0;
    let droppedIterations = 0;
    series.startsMs.forEach((startMs, i) => {
      const [started, missed] = buckets.get(Math.round(startMs / bucketMs)) ?? [0, 0];
      const covered = series.coveredSec[i]!;
      achieved.push(started / covered);
      dropped.push(missed / covered);
      offered.push((started + missed) / covered);
    });
    for (const [started, missed] of buckets.values()) {
      iterations += started;
      droppedIterations += missed;
    }
    // The mean over the buckets in which it offered load, the run's partial first and last left out when there are more.
    const loaded = offered.map((rate, i) => (rate > 0 ? i : -1)).filter((i) => i >= 0);
    const inner = loaded.filter((i) => i > 0 && i < offered.length - 1);
    const used = inner.length > 0 ? inner : loaded;
    const seconds = used.reduce((sum, i) => sum + series.coveredSec[i]!, 0);
    const mean = (rates: number[]): number | null => (seconds === 0 ? null : used.reduce((sum, i) => sum + rates[i]! * series.coveredSec[i]!, 0) / seconds);
    return {
      name,
      requests: counts?.effectiveCount ?? 0,
      errors: counts?.effectiveErrors ?? 0,
      iterations,
      droppedIterations,
      offeredRate: mean(offered),
      achievedRate: mean(achieved),
      fellBehind: firstFellBehind(offered, achieved, dropped, series.startsMs, series.bucketSec, share),
    };
  });
}
