// Queries over the seeded records: owner, tags AND/OR, property filters, sort
// orders, limit and offset, keys_only, across stores, and GetRecords batches.
// Each result is checked against the content setup() wrote.
import exec from 'k6/execution';
import { config } from '../lib/runtime.js';
import { requireGrpc } from '../lib/grpc-only.js';
import { buildOptions } from '../profiles/index.js';
import { setupRun, teardownRun } from '../lib/lifecycle.js';
import { buildSummary, type SummaryData } from '../lib/summary.js';
import { iterationKey } from '../lib/keys.js';
import { pick, pickSome } from '../lib/random.js';
import { QUERY_KINDS, runQuery } from '../lib/flows/queries.js';
import { readRecordBatch } from '../lib/flows/records.js';
import type { RunData } from '../lib/run-data.js';

requireGrpc(config, 'queries');

export const options = buildOptions(config, { ops: ['QueryRecords', 'GetRecords'] });

const BATCH_SIZE = 5;

export function setup(): Promise<RunData> {
  return setupRun({ seeds: true });
}

export default function queries(data: RunData): void {
  const seed = pick(data.seeds);
  runQuery(QUERY_KINDS[exec.scenario.iterationInTest % QUERY_KINDS.length] ?? 'owner', data, seed);
  readRecordBatch(pickSome(data.seeds, BATCH_SIZE), iterationKey(data.runId, 'missing'));
}

export function teardown(data: RunData): void {
  teardownRun(data);
}

export function handleSummary(data: SummaryData): Record<string, string> {
  return buildSummary('queries', config, data);
}
