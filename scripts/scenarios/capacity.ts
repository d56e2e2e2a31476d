// Capacity: the mixed workload at a rate that climbs in steps until a step
// breaks the SLO (p95 latency or call failures), which stops the run; the
// summary records the last step that held.
import { config } from '../lib/config/runtime.js';
import { buildOptions } from '../profiles/index.js';
import { buildSummary, type SummaryData } from '../lib/summary/summary.js';
import { createWorkload } from '../lib/workload/workload.js';
import { capacityLines, planCapacity, stepThresholds, tagCurrentStep } from '../lib/workload/capacity.js';
import type { RunData } from '../lib/run/run-data.js';

const workload = createWorkload(config);
const plan = planCapacity(config, workload.ops);

export const options = buildOptions(config, {
  ops: workload.ops,
  stages: plan.stages,
  thresholds: { ...workload.thresholds, ...stepThresholds(plan, config) },
});

export function setup(): Promise<RunData> {
  return workload.setup();
}

export default function capacity(data: RunData): void | Promise<void> {
  tagCurrentStep(plan);
  return workload.iterate(data);
}

export function teardown(data: RunData): void {
  workload.teardown(data);
}

export function handleSummary(data: SummaryData): Record<string, string> {
  return buildSummary('capacity', config, data, (summary) => capacityLines(plan, config, summary));
}
