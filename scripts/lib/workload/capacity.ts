// Capacity search: the rate climbs in steps; every request carries the tag
// step=<n> of the step it ran in, each step has its own SLO thresholds that
// abort the run once broken, and the summary names the last step that held.
//
// The rule is the analysis's (analysis/src/verdicts/capacity.ts), so both name
// the same last step: a step holds when every operation that ran in it meets
// every objective of data/slo.json (defaults, then the operation's own entry,
// then SLO_P95_MS / SLO_P99_MS / SLO_ERROR_RATE as every scenario applies them)
// on the step's own calls: its latency percentiles, and its error rate as the
// share of its status checks (one per call) that failed.
import exec from 'k6/execution';
import type { Options } from 'k6/options';
import type { Config, Stage } from '../config/config.js';
import { capacityStages, durationMs, latencyMetric, resolveShape, CAPACITY_STEPS } from '../../profiles/index.js';
import type { SummaryData } from '../summary/summary.js';
import { LATENCY_CRITERIA, TREND_AGGREGATION, objectivesFor, type Criterion, type Objectives } from './capacity-objectives.js';

export interface CapacityPlan {
  readonly stages: readonly Stage[];
  /** end of each step, in ms from the scenario start */
  readonly stepEnds: readonly number[];
  /** target rate of each step, iterations per second */
  readonly stepRates: readonly number[];
  /** each operation the workload issues, with the objectives every step judges it by */
  readonly objectives: ReadonlyMap<string, Objectives>;
}

export function planCapacity(config: Config, ops: readonly string[]): CapacityPlan {
  const shape = resolveShape(config);
  // STAGES makes every stage a step; otherwise each step is a ramp followed by a plateau.
  const stages = config.stages ?? capacityStages(Math.max(shape.rate, CAPACITY_STEPS), shape.ramp, shape.hold);
  const perStep = config.stages ? 1 : 2;
  const stepEnds: number[] = [];
  const stepRates: number[] = [];
  let elapsed = 0;
  stages.forEach((stage, index) => {
    elapsed += durationMs(stage.duration);
    if ((index + 1) % perStep === 0) {
      stepEnds.push(elapsed);
      stepRates.push(stage.target);
    }
  });
  return { stages, stepEnds, stepRates, objectives: new Map(ops.map((op) => [op, objectivesFor(op, config)])) };
}

/** The k6 expression of one objective: `p(95)<=250` on the latency metric, `rate>=0.99` on the status checks. */
function expression(criterion: Criterion, limit: number): string {
  return criterion === 'errorRate' ? `rate>=${Math.round((1 - limit) * 10_000) / 10_000}` : `${TREND_AGGREGATION[criterion]}<=${limit}`;
}

function latencyKey(config: Config, step: number, op: string): string {
  return `${latencyMetric(config)}{step:${step},op:${op}}`;
}

function checksKey(step: number, op: string): string {
  return `checks{step:${step},op:${op},kind:status}`;
}

export function stepThresholds(plan: CapacityPlan, config: Config): NonNullable<Options['thresholds']> {
  const thresholds: NonNullable<Options['thresholds']> = {};
  // Give each step a few seconds of samples before a breach may stop the run.
  const aborting = (threshold: string) => ({ threshold, abortOnFail: true, delayAbortEval: '5s' });
  plan.stepEnds.forEach((_, index) => {
    const step = index + 1;
    for (const [op, limits] of plan.objectives) {
      const latency = LATENCY_CRITERIA.filter((c) => limits[c] !== undefined).map((c) => aborting(expression(c, limits[c]!)));
      if (latency.length > 0) thresholds[latencyKey(config, step, op)] = latency;
      if (limits.errorRate !== undefined) thresholds[checksKey(step, op)] = [aborting(expression('errorRate', limits.errorRate))];
    }
    thresholds[`iterations{step:${step}}`] = ['count>=0'];
  });
  return thresholds;
}

/** Tags everything this VU emits from now on with the step the scenario is in. */
export function tagCurrentStep(plan: CapacityPlan): void {
  const elapsed = Date.now() - exec.scenario.startTime;
  const index = plan.stepEnds.findIndex((end) => elapsed < end);
  exec.vu.metrics.tags.step = String(index === -1 ? plan.stepEnds.length : index + 1);
}

/** What broke in one step, as `GetRecord p(95)<=100 (observed 131.2ms)`; empty when the step held. */
function brokenIn(plan: CapacityPlan, config: Config, summary: SummaryData, step: number): string[] {
  const broken: string[] = [];
  for (const op of plan.objectives.keys()) {
    for (const key of [latencyKey(config, step, op), checksKey(step, op)]) {
      const metric = summary.metrics[key];
      for (const [threshold, outcome] of Object.entries(metric?.thresholds ?? {})) {
        if (outcome.ok) continue;
        const aggregation = threshold.slice(0, threshold.search(/[<>=]/));
        const observed = metric!.values[aggregation];
        const shown = observed === undefined ? '' : aggregation === 'rate' ? ` (observed ${(observed * 100).toFixed(2)}% ok)` : ` (observed ${observed.toFixed(1)}ms)`;
        broken.push(`${op} ${aggregation === 'rate' ? 'calls ok ' : ''}${threshold}${shown}`);
      }
    }
  }
  return broken;
}

/**
 * One line per step and the verdict: the last step that held with every step before it holding. k6 judged each
 * objective (its per-step thresholds); a step no iteration ran in was not reached.
 */
export function capacityLines(plan: CapacityPlan, config: Config, summary: SummaryData): string[] {
  const lines: string[] = [];
  let held = 0;
  let broken = false;
  plan.stepRates.forEach((rate, index) => {
    const step = index + 1;
    const iterations = summary.metrics[`iterations{step:${step}}`]?.values.count ?? 0;
    const ran = iterations > 0;
    const failures = ran ? brokenIn(plan, config, summary, step) : [];
    const ok = ran && failures.length === 0;
    if (ok && !broken) held = step;
    if (ran && !ok) broken = true;
    const verdict = !ran ? 'not reached' : ok ? 'held' : `broke the SLO: ${shortList(failures)}`;
    lines.push(`step ${step}: target ${rate} it/s, ${iterations} iterations: ${verdict}`);
  });
  const rule = "every operation within data/slo.json's objectives" + overridesText(config);
  const verdict = held === 0 ? `no step held the SLO (${rule})` : `last step that held: ${held} at ${plan.stepRates[held - 1]} iterations/s (${rule})`;
  return [...lines, verdict];
}

// A step that breaks under overload breaks every operation's objectives: the first few say what happened.
const LISTED_FAILURES = 3;

function shortList(failures: readonly string[]): string {
  const listed = failures.slice(0, LISTED_FAILURES).join('; ');
  return failures.length > LISTED_FAILURES ? `${listed} and ${failures.length - LISTED_FAILURES} more` : listed;
}

function overridesText(config: Config): string {
  const overrides = [
    config.sloP95Ms === undefined ? null : `SLO_P95_MS=${config.sloP95Ms}`,
    config.sloP99Ms === undefined ? null : `SLO_P99_MS=${config.sloP99Ms}`,
    config.sloErrorRate === undefined ? null : `SLO_ERROR_RATE=${config.sloErrorRate}`,
  ].filter((text) => text !== null);
  return overrides.length === 0 ? '' : ` with ${overrides.join(', ')}`;
}
