// Capacity findings for step and capacity runs: finds the plateaus of offered load, checks each against the SLO and
// says in plain words how far the system went and what broke first.
//
// The rule, shared with the capacity scenario's own verdict (scripts/lib/workload/capacity.ts): a step holds when
// every operation that ran in it meets every objective of the SLO (data/slo.json: defaults and per-operation
// overrides) on the step's own calls. Latency percentiles are taken as k6 takes them (linear between the two nearest
// samples); the error rate is the share of the step's status checks that failed (the scenario's one check per call,
// what its checks{step,op,kind:status} thresholds judge), or of its calls that failed when there are no such checks.
// The last step that held is the highest one with every step up to it holding.
import { BucketOperationStats, type Counts, type StepStats } from '../aggregate/aggregate.js';
import type { OperationFigures } from '../aggregate/operations.js';
import { describeCriterion, evaluateSlo, type SloSpec, type SloViolation } from './slo.js';
import type { TimeSeries } from '../aggregate/timeseries.js';

// Consecutive buckets whose offered rate stays within this share of the step's first bucket form one step.
const STEP_TOLERANCE = 0.1;
// A step needs this many buckets; shorter stretches are ramps between steps.
const MIN_STEP_BUCKETS = 2;
// A tagged step shorter than this (a run stopped right after it began) has too few samples to judge.
const MIN_STEP_SECONDS = 1;
// Plateaus needed to call a run without step tags a capacity run.
const MIN_INFERRED_STEPS = 3;
// Achieved below this share of offered load means the generator or the target could not keep up.
const SATURATION_SHARE = 0.95;

export interface CapacityStep {
  index: number;
  /** the step tag's value, or the plateau's number */
  name: string;
  startSec: number;
  durationSec: number;
  /** what the executor was asked for: iterations started plus dropped, per second (requests/s without iterations) */
  offeredPerSec: number;
  /** iterations started per second (requests/s without iterations), comparable with offeredPerSec */
  achievedPerSec: number;
  requestsPerSec: number;
  droppedPerSec: number;
  errorRate: number;
  pass: boolean;
  violations: SloViolation[];
  /** p95 per operation in ms */
  p95Ms: Record<string, number | null>;
}

export interface Capacity {
  steps: CapacityStep[];
  /** offered rate of the highest step that held the SLO with every lower step also holding; null if none held */
  maxRateHoldingSlo: number | null;
  /** that step's name (the step tag's value: what the capacity scenario prints as "last step that held"); null if none held */
  lastHeldStep: string | null;
  firstFailingStep: number | null;
  /** operations that broke the SLO first, with the criterion */
  brokeFirst: SloViolation[];
  findings: string[];
}

/**
 * Steps come from the `step` tag when the run has it (the capacity scenario tags every sample), else from plateaus
 * of offered load. Returns null unless the run has at least two steps of clearly different load.
 */
export function analyseCapacity(series: TimeSeries, slo: SloSpec, taggedSteps: ReadonlyMap<string, StepStats>, startMs: number): Capacity | null {
  if (taggedSteps.size >= 2) {
    const long = new Map([...taggedSteps].filter(([, step]) => (step.endMs - step.startMs) / 1000 >= MIN_STEP_SECONDS));
    const skipped = [...taggedSteps.keys()].filter((name) => !long.has(name));
    if (long.size === 0) return null;
    const capacity = conclude(summariseTaggedSteps(series, slo, long, startMs));
    if (skipped.length > 0) capacity.findings.push(`Step ${skipped.join(', ')} ran for less than ${MIN_STEP_SECONDS} s (the run stopped) and is left out.`);
    return capacity;
  }
  const useIterations = series.offeredIterationsPerSec.some((rate) => rate > 0);
  const offered = useIterations ? series.offeredIterationsPerSec : series.requestsPerSec;
  const steps = findSteps(offered);
  const rates = steps.map(([from, to]) => mean(offered.slice(from, to)));
  // Without step tags, only a staircase counts as a capacity run: a ramp to one plateau (smoke, load) does not.
  const climbing = rates.every((rate, i) => i === 0 || rate > (1 + STEP_TOLERANCE) * rates[i - 1]!);
  if (steps.length < MIN_INFERRED_STEPS || !climbing) return null;
  const achieved = useIterations ? series.iterationsPerSec : series.requestsPerSec;

  return conclude(steps.map(([from, to], index) => summariseStep(series, slo, index, from, to, rates[index]!, achieved)));
}

function conclude(result: CapacityStep[]): Capacity {
  let maxRate: number | null = null;
  let lastHeld: string | null = null;
  let firstFailing: number | null = null;
  for (const step of result) {
    if (!step.pass) {
      firstFailing = step.index;
      break;
    }
    maxRate = Math.max(maxRate ?? 0, step.offeredPerSec);
    lastHeld = step.name;
  }
  const brokeFirst = firstFailing === null ? [] : result[firstFailing]!.violations;
  return {
    steps: result,
    maxRateHoldingSlo: maxRate,
    lastHeldStep: lastHeld,
    firstFailingStep: firstFailing,
    brokeFirst,
    findings: findings(result, maxRate, firstFailing),
  };
}

/** [from, to) bucket ranges of steady offered load; edge buckets (usually partial) are left out. */
function findSteps(offered: readonly number[]): [number, number][] {
  const steps: [number, number][] = [];
  let from = 1;
  for (let i = 2; i <= offered.length - 1; i++) {
    const reference = offered[from]!;
    const inside = i < offered.length - 1 && Math.abs(offered[i]! - reference) <= STEP_TOLERANCE * Math.max(reference, 1e-9);
    if (!inside) {
      if (i - from >= MIN_STEP_BUCKETS && reference > 0) steps.push([from, i]);
      from = i;
    }
  }
  return steps;
}

function summariseTaggedSteps(series: TimeSeries, slo: SloSpec, steps: ReadonlyMap<string, StepStats>, startMs: number): CapacityStep[] {
  const ordered = [...steps].sort(([a], [b]) => a.localeCompare(b, 'en', { numeric: true }));
  return ordered.map(([name, step], index) => {
    const durationSec = Math.max(0.001, (step.endMs - step.startMs) / 1000);
    // dropped_iterations carry no step tag: take those of the buckets that start inside the step.
    let dropped = 0;
    series.startsMs.forEach((bucketStart, i) => {
      if (bucketStart >= step.startMs && bucketStart < step.endMs) dropped += series.droppedPerSec[i]! * series.coveredSec[i]!;
    });
    const requests = [...step.operations.values()].reduce((sum, c) => sum + c.effectiveCount, 0);
    const iterations = step.iterations > 0;
    const cells = new Map(
      [...step.operations].map(([op, cell]): [string, StepCell] => [
        op,
        { counts: cell, latencyMs: (p) => (p >= 100 ? cell.latency.maxMs : cell.latency.interpolatedPercentileMs(p)) },
      ]),
    );
    return judgeStep(slo, cells, {
      index,
      name,
      startSec: (step.startMs - startMs) / 1000,
      durationSec,
      offeredPerSec: iterations ? (step.iterations + dropped) / durationSec : requests / durationSec,
      achievedPerSec: iterations ? step.iterations / durationSec : requests / durationSec,
      requestsPerSec: requests / durationSec,
      droppedPerSec: dropped / durationSec,
    });
  });
}

function summariseStep(
  series: TimeSeries,
  slo: SloSpec,
  index: number,
  from: number,
  to: number,
  offered: number,
  achieved: readonly number[],
): CapacityStep {
  const cells = new Map<string, BucketOperationStats>();
  for (const bucket of series.buckets.slice(from, to)) {
    for (const [op, cell] of bucket.operations) {
      let merged = cells.get(op);
      if (merged === undefined) cells.set(op, (merged = new BucketOperationStats()));
      merged.merge(cell.toJSON());
      merged.latency.add(cell.latency);
    }
  }
  const judged = new Map(
    [...cells].map(([op, cell]): [string, StepCell] => [op, { counts: cell, latencyMs: (p) => cell.latency.percentileMs(Math.min(p, 100)) }]),
  );
  return judgeStep(slo, judged, {
    index,
    name: String(index + 1),
    startSec: series.offsetsSec[from]!,
    durationSec: series.coveredSec.slice(from, to).reduce((a, b) => a + b, 0),
    offeredPerSec: offered,
    achievedPerSec: mean(achieved.slice(from, to)),
    requestsPerSec: mean(series.requestsPerSec.slice(from, to)),
    droppedPerSec: mean(series.droppedPerSec.slice(from, to)),
  });
}

type StepLoad = Pick<CapacityStep, 'index' | 'name' | 'startSec' | 'durationSec' | 'offeredPerSec' | 'achievedPerSec' | 'requestsPerSec' | 'droppedPerSec'>;

/** One operation's calls in a step, and how its latency percentiles are read. */
interface StepCell {
  counts: Counts;
  latencyMs: (percentile: number) => number | null;
}

/** Calls and failed calls as the step is judged: the status checks when the scenario made them, else the calls. */
function judgedCalls(counts: Counts): { calls: number; failed: number } {
  return counts.verdicts > 0 ? { calls: counts.verdicts, failed: counts.verdictFails } : { calls: counts.effectiveCount, failed: counts.effectiveErrors };
}

function judgeStep(slo: SloSpec, cells: ReadonlyMap<string, StepCell>, load: StepLoad): CapacityStep {
  const figures = new Map(
    [...cells].map(([op, cell]): [string, OperationFigures] => {
      const { calls, failed } = judgedCalls(cell.counts);
      return [op, { count: calls, errorRate: calls === 0 ? 0 : failed / calls, latencyMs: cell.latencyMs }];
    }),
  );
  const verdict = evaluateSlo(slo, figures);
  const calls = [...cells.values()].map((cell) => judgedCalls(cell.counts));
  const requests = calls.reduce((sum, c) => sum + c.calls, 0);
  const errors = calls.reduce((sum, c) => sum + c.failed, 0);
  return {
    ...load,
    errorRate: requests === 0 ? 0 : errors / requests,
    pass: verdict.pass,
    violations: verdict.violations,
    p95Ms: Object.fromEntries([...cells].map(([op, cell]) => [op, cell.latencyMs(95)])),
  };
}

function findings(steps: readonly CapacityStep[], maxRate: number | null, firstFailing: number | null): string[] {
  const out: string[] = [];
  const rate = (r: number): string => `${Math.round(r)}/s`;
  if (maxRate === null) out.push(`No step held the SLO; already the first step (${rate(steps[0]!.offeredPerSec)}) failed it.`);
  else if (firstFailing === null) out.push(`Every step held the SLO, up to ${rate(maxRate)}; the limit lies beyond the highest step.`);
  else out.push(`The SLO held up to ${rate(maxRate)} (step ${steps[firstFailing - 1]!.name} of ${steps.length}).`);
  if (firstFailing !== null) {
    const step = steps[firstFailing]!;
    const broken = step.violations
      .map((v) => `${v.op} ${describeCriterion(v.criterion)} ${formatObserved(v.criterion, v.observed)} (limit ${formatObserved(v.criterion, v.limit)})`)
      .join('; ');
    out.push(`At ${rate(step.offeredPerSec)} it broke first: ${broken}.`);
  }
  const saturated = steps.find((s) => s.achievedPerSec < SATURATION_SHARE * s.offeredPerSec || s.droppedPerSec > 0.01 * s.offeredPerSec);
  if (saturated !== undefined) {
    out.push(
      `From ${rate(saturated.offeredPerSec)} offered, only ${rate(saturated.achievedPerSec)} were achieved` +
        (saturated.droppedPerSec > 0 ? ` and k6 dropped ${rate(saturated.droppedPerSec)} iterations` : '') +
        ': the target (or the load generator) could not keep up, so latencies above this rate understate the wait users would see.',
    );
  }
  const first = steps[0]!;
  const last = steps[steps.length - 1]!;
  let worst: { op: string; factor: number } | null = null;
  for (const [op, p95] of Object.entries(last.p95Ms)) {
    const before = first.p95Ms[op];
    if (p95 === null || before === null || before === undefined || before <= 0) continue;
    const factor = p95 / before;
    if (worst === null || factor > worst.factor) worst = { op, factor };
  }
  if (worst !== null && worst.factor > 1.5) {
    out.push(
      `${worst.op} degrades most with load: its p95 grew ${worst.factor.toFixed(1)}x from ${rate(first.offeredPerSec)} to ${rate(last.offeredPerSec)}.`,
    );
  }
  return out;
}

function formatObserved(criterion: string, value: number): string {
  return criterion === 'errorRate' ? `${(value * 100).toFixed(2)}%` : `${value.toFixed(1)} ms`;
}

function mean(values: readonly number[]): number {
  return values.length === 0 ? 0 : values.reduce((a, b) => a + b, 0) / values.length;
}
