// Mixed: a realistic mix of every operation from data/mix.json (or MIX), with
// READ_RATIO of the iterations reading. Runs over gRPC or, with TRANSPORT=http,
// over the AWS port's REST API.
import { config } from '../lib/config/runtime.js';
import { buildOptions } from '../profiles/index.js';
import { buildSummary, type SummaryData } from '../lib/summary/summary.js';
import { createWorkload } from '../lib/workload/workload.js';
import { readShareLines } from '../lib/summary/read-share.js';
import type { RunData } from '../lib/run/run-data.js';

const workload = createWorkload(config);

export const options = buildOptions(config, { ops: workload.ops, thresholds: workload.thresholds });

export function setup(): Promise<RunData> {
  return workload.setup();
}

export default function mixed(data: RunData): void | Promise<void> {
  return workload.iterate(data);
}

export function teardown(data: RunData): void {
  workload.teardown(data);
}

export function handleSummary(data: SummaryData): Record<string, string> {
  return buildSummary('mixed', config, data, (summary) => readShareLines(summary, config.readRatio, workload.sole));
}
