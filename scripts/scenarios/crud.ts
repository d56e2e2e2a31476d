// CRUD: stores and records. Each iteration creates a record, reads it back,
// reads it in a GetRecords batch next to seeded records, updates it, reads the
// update back and deletes it; every 20th iteration also runs a store lifecycle.
// Over HTTP the AWS port has no GetRecords: the batch read is skipped and counted.
import exec from 'k6/execution';
import { config } from '../lib/config/runtime.js';
import { buildOptions } from '../profiles/index.js';
import { planTransport, setupOnTransport, teardownOnTransport } from '../lib/workload/transport-plan.js';
import { buildSummary, type SummaryData } from '../lib/summary/summary.js';
import { unwrittenKey } from '../lib/run/keys.js';
import { recordKeyFor, storeKeyFor } from '../lib/lifecycle/vu-keys.js';
import { iterationSeed } from '../lib/run/vu-seed.js';
import { pickSome } from '../lib/run/random.js';
import { createStore, deleteStore, readStore } from '../lib/flows/stores.js';
import { createRecord, deleteRecord, readRecord, readRecordBatch, updateRecord } from '../lib/flows/records.js';
import type { RunData } from '../lib/run/run-data.js';

const plan = planTransport(['CreateStore', 'GetStore', 'DeleteStore', 'CreateRecord', 'GetRecord', 'GetRecords', 'UpdateRecord', 'DeleteRecord']);

export const options = buildOptions(config, { ops: plan.ops, thresholds: plan.thresholds });

const STORE_LIFECYCLE_EVERY = 20;

export function setup(): Promise<RunData> {
  plan.announce();
  return setupOnTransport({ seeds: true });
}

export default function crud(data: RunData): void {
  if (exec.scenario.iterationInTest % STORE_LIFECYCLE_EVERY === 0) {
    const key = storeKeyFor(data);
    const spec = { key, name: `crud ${key}`, tags: ['kind:crud'] };
    if (createStore(spec)) {
      readStore(spec);
      deleteStore(key);
    }
  }
  const store = data.stores[exec.scenario.iterationInTest % data.stores.length] as string;
  const record = { store, key: recordKeyFor(data, 'save', store), seed: iterationSeed() };
  if (!createRecord(record)) return;
  readRecord(record, 0, { skipCache: true });
  const neighbours = pickSome(data.seeds.filter((seed) => seed.store === record.store), 3);
  readRecordBatch([record, ...neighbours], unwrittenKey(data.runId, 'missing'));
  updateRecord(record, 1);
  readRecord(record, 1, { skipCache: true });
  deleteRecord(record);
}

export function teardown(data: RunData): void {
  teardownOnTransport(data);
}

export function handleSummary(data: SummaryData): Record<string, string> {
  return buildSummary('crud', config, data);
}
