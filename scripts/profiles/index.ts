// Builds a scenario's k6 options from the configuration: one open-model
// (ramping-arrival-rate) scenario shaped by the profile, plus its thresholds.
import type { Options, Scenario } from 'k6/options';
import type { Config, Stage } from '../lib/config/config.js';
import type { RpcName } from '../lib/config/constants.js';
import { buildStages, peakRate, resolveShape } from './stages.js';
import { baseThresholds, operationThresholds, workloadTotalThresholds, WORKLOAD_SCENARIO } from './thresholds.js';

export { buildStages, capacityStages, durationMs, resolveShape, CAPACITY_STEPS, PROFILE_DEFAULTS } from './stages.js';
export { OPERATION_CLASS, SLO_DEFAULTS, sloFor, latencyMetric, operationThresholds, workloadMetric, WORKLOAD_SCENARIO } from './thresholds.js';
export type { Thresholds } from './thresholds.js';

export interface ScenarioSpec {
  /** RPCs the scenario issues; each gets latency and error-rate thresholds */
  readonly ops: readonly RpcName[];
  /** the exported VU function to run; default `default` */
  readonly exec?: string;
  /** extra thresholds, e.g. per-step ones of the capacity scenario */
  readonly thresholds?: Options['thresholds'];
  /** replaces the profile's load shape (the capacity scenario's steps) */
  readonly stages?: readonly Stage[];
  /** one iteration by one VU when the profile is smoke and no rate was asked for */
  readonly singlePassInSmoke?: boolean;
}

const SETUP_TIMEOUT = '5m';
const TEARDOWN_TIMEOUT = '10m';

export function buildOptions(config: Config, spec: ScenarioSpec): Options {
  return {
    scenarios: { [WORKLOAD_SCENARIO]: buildScenario(config, spec) },
    thresholds: { ...baseThresholds(config), ...operationThresholds(spec.ops, config), ...workloadTotalThresholds(config), ...spec.thresholds },
    setupTimeout: SETUP_TIMEOUT,
    teardownTimeout: TEARDOWN_TIMEOUT,
    summaryTrendStats: ['avg', 'min', 'med', 'max', 'p(90)', 'p(95)', 'p(99)', 'count'],
    // Responses to gRPC calls are parsed by the scripts themselves; HTTP bodies are needed for verification.
    discardResponseBodies: false,
    tags: config.runId ? { testid: config.runId } : {},
  };
}

function buildScenario(config: Config, spec: ScenarioSpec): Scenario {
  const exec = spec.exec ?? 'default';
  const asksForRate = config.rate !== undefined || config.stages !== undefined;
  if (spec.singlePassInSmoke && config.profile === 'smoke' && !asksForRate) {
    return { executor: 'shared-iterations', vus: 1, iterations: 1, maxDuration: '2m', exec };
  }
  const stages = spec.stages ? [...spec.stages] : buildStages(config);
  const { maxVus } = resolveShape(config);
  return {
    executor: 'ramping-arrival-rate',
    exec,
    startRate: 0,
    timeUnit: '1s',
    stages,
    // Enough VUs for the peak at ~200 ms per iteration: initialising VUs mid-run drops iterations.
    // k6 adds more, up to maxVUs, if the target is slower.
    preAllocatedVUs: Math.min(maxVus, Math.max(2, Math.ceil(peakRate(stages) / 5))),
    maxVUs: maxVus,
    gracefulStop: '30s',
  };
}
