// Capacity search: the rate climbs in steps; every request carries the tag
// step=<n> of the step it ran in, each step has its own SLO thresholds that
// abort the run once broken, and the summary names the last step that held.
import exec from 'k6/execution';
import type { Options } from 'k6/options';
import type { Config, Stage } from '../config/config.js';
import { capacityStages, durationMs, resolveShape, CAPACITY_STEPS, SLO_DEFAULTS } from '../../profiles/index.js';
import type { SummaryData } from '../summary/summary.js';

export interface CapacityPlan {
  readonly stages: readonly Stage[];
  /** end of each step, in ms from the scenario start */
  readonly stepEnds: readonly number[];
  /** target rate of each step, iterations per second */
  readonly stepRates: readonly number[];
  readonly p95Ms: number;
  readonly errorRate: number;
}

// The blended workload is read-heavy, so its p95 budget is that of queries (the slowest frequent read).
const DEFAULT_CAPACITY_P95_MS = SLO_DEFAULTS.query.p95Ms;
const DEFAULT_CAPACITY_ERROR_RATE = 0.01;

export function planCapacity(config: Config): CapacityPlan {
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
  return {
    stages,
    stepEnds,
    stepRates,
    p95Ms: config.sloP95Ms ?? DEFAULT_CAPACITY_P95_MS,
    errorRate: config.sloErrorRate ?? DEFAULT_CAPACITY_ERROR_RATE,
  };
}

export function stepThresholds(plan: CapacityPlan, config: Config): NonNullable<Options['thresholds']> {
  const latency = config.transport === 'http' ? 'http_req_duration' : 'grpc_req_duration';
  const thresholds: NonNullable<Options['thresholds']> = {};
  plan.stepEnds.forEach((_, index) => {
    const step = index + 1;
    // Give each step a few seconds of samples before a breach may stop the run.
    thresholds[`${latency}{step:${step}}`] = [{ threshold: `p(95)<${plan.p95Ms}`, abortOnFail: true, delayAbortEval: '5s' }];
    thresholds[`checks{step:${step},kind:status}`] = [{ threshold: `rate>=${1 - plan.errorRate}`, abortOnFail: true, delayAbortEval: '5s' }];
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

/** One line per step and the verdict: the last step whose thresholds all held. */
export function capacityLines(plan: CapacityPlan, config: Config, summary: SummaryData): string[] {
  const latency = config.transport === 'http' ? 'http_req_duration' : 'grpc_req_duration';
  const lines: string[] = [];
  let held = 0;
  let broken = false;
  plan.stepRates.forEach((rate, index) => {
    const step = index + 1;
    const latencyMetric = summary.metrics[`${latency}{step:${step}}`];
    const statusMetric = summary.metrics[`checks{step:${step},kind:status}`];
    const iterations = summary.metrics[`iterations{step:${step}}`]?.values.count ?? 0;
    const ran = iterations > 0;
    const ok = ran && [latencyMetric, statusMetric].every((metric) => Object.values(metric?.thresholds ?? {}).every((t) => t.ok));
    if (ok && !broken) held = step;
    if (!ok) broken = true;
    const p95 = latencyMetric?.values['p(95)'];
    const success = statusMetric?.values.rate;
    lines.push(
      `step ${step}: target ${rate} it/s, ${iterations} iterations, p95 ${p95 === undefined ? 'n/a' : `${p95.toFixed(1)}ms`}, ` +
        `calls ok ${success === undefined ? 'n/a' : `${(success * 100).toFixed(2)}%`}: ${ran ? (ok ? 'held' : 'broke the SLO') : 'not reached'}`,
    );
  });
  const verdict =
    held === 0 ? 'no step held the SLO' : `last step that held: ${held} at ${plan.stepRates[held - 1]} iterations/s (p95 < ${plan.p95Ms}ms, errors <= ${plan.errorRate * 100}%)`;
  return [...lines, verdict];
}
