// Queries over the seeded records: owner, tags AND/OR, property filters, sort
// orders, limit and offset, keys_only, across stores, and GetRecords batches.
// Each result is checked against the content setup() wrote. Over HTTP the AWS
// port queries by owner only and has no GetRecords: an iteration whose kind it
// lacks counts that kind as skipped and runs a kind it has instead.
import exec from 'k6/execution';
import { config } from '../lib/config/runtime.js';
import { buildOptions } from '../profiles/index.js';
import { planTransport, setupOnTransport, teardownOnTransport } from '../lib/workload/transport-plan.js';
import { buildSummary, type SummaryData } from '../lib/summary/summary.js';
import { unwrittenKey } from '../lib/run/keys.js';
import { pick, pickSome } from '../lib/run/random.js';
import { QUERY_KINDS, queryOffered, runQuery } from '../lib/flows/queries.js';
import { skipQuery } from '../lib/metrics/skips.js';
import { readRecordBatch } from '../lib/flows/records.js';
import type { RunData } from '../lib/run/run-data.js';

const plan = planTransport(['QueryRecords', 'GetRecords'], QUERY_KINDS);
const OFFERED_KINDS = QUERY_KINDS.filter(queryOffered);

export const options = buildOptions(config, { ops: plan.ops, thresholds: plan.thresholds });

const BATCH_SIZE = 5;

export function setup(): Promise<RunData> {
  plan.announce();
  return setupOnTransport({ seeds: true });
}

export default function queries(data: RunData): void {
  const seed = pick(data.seeds);
  const kind = QUERY_KINDS[exec.scenario.iterationInTest % QUERY_KINDS.length] ?? 'owner';
  if (queryOffered(kind)) {
    runQuery(kind, data, seed);
  } else {
    skipQuery(kind);
    if (OFFERED_KINDS.length > 0) runQuery(OFFERED_KINDS[exec.scenario.iterationInTest % OFFERED_KINDS.length] as (typeof QUERY_KINDS)[number], data, seed);
  }
  readRecordBatch(pickSome(data.seeds, BATCH_SIZE), unwrittenKey(data.runId, 'missing'));
}

export function teardown(data: RunData): void {
  teardownOnTransport(data);
}

export function handleSummary(data: SummaryData): Record<string, string> {
  return buildSummary('queries', config, data);
}
