// Cache: repeated reads of seeded records with the cache (default hints) and
// without it (skip_cache), tagged cache=use / cache=skip so their latencies are
// compared in the summary; then update-then-read on a private record, with and
// without do_not_cache, where the read must never return the stale version.
import { config } from '../lib/runtime.js';
import { requireGrpc } from '../lib/grpc-only.js';
import { buildOptions } from '../profiles/index.js';
import { setupRun, teardownRun } from '../lib/lifecycle.js';
import { buildSummary, type SummaryData } from '../lib/summary.js';
import { iterationKey } from '../lib/keys.js';
import { iterationSeed } from '../lib/vu-seed.js';
import { pick } from '../lib/random.js';
import { createRecord, deleteRecord, readRecord, updateRecord } from '../lib/flows/records.js';
import type { RunData } from '../lib/run-data.js';

const CACHED = { tags: { cache: 'use' } };
const UNCACHED = { tags: { cache: 'skip' } };
const REPEATED_READS = 3;

requireGrpc(config, 'cache');

export const options = buildOptions(config, {
  ops: ['CreateRecord', 'GetRecord', 'UpdateRecord', 'DeleteRecord'],
  // Listed so the summary shows both sub-metrics side by side.
  thresholds: {
    'grpc_req_duration{op:GetRecord,cache:use}': ['p(95)>=0'],
    'grpc_req_duration{op:GetRecord,cache:skip}': ['p(95)>=0'],
  },
});

export function setup(): Promise<RunData> {
  return setupRun({ seeds: true });
}

export default function cache(data: RunData): void {
  const seed = pick(data.seeds);
  for (let i = 0; i < REPEATED_READS; i++) readRecord(seed, 0, undefined, CACHED);
  readRecord(seed, 0, { skipCache: true }, UNCACHED);

  const own = { store: seed.store, key: iterationKey(data.runId, 'cached'), seed: iterationSeed() };
  if (!createRecord(own)) return;
  readRecord(own, 0, undefined, CACHED);
  // The cached copy must be replaced (or dropped) by the update: a read right after sees version 1.
  updateRecord(own, 1);
  readRecord(own, 1, undefined, CACHED);
  updateRecord(own, 2, { doNotCache: true });
  readRecord(own, 2, undefined, CACHED);
  readRecord(own, 2, { skipCache: true }, UNCACHED);
  deleteRecord(own);
}

export function teardown(data: RunData): void {
  teardownRun(data);
}

export function handleSummary(data: SummaryData): Record<string, string> {
  return buildSummary('cache', config, data, (summary) => {
    const line = (label: string, name: string) => {
      const values = summary.metrics[name]?.values;
      return values ? `${label}: avg ${values.avg?.toFixed(2)}ms, p95 ${values['p(95)']?.toFixed(2)}ms over ${values.count} reads` : `${label}: no data`;
    };
    return [
      line('GetRecord through the cache', 'grpc_req_duration{op:GetRecord,cache:use}'),
      line('GetRecord with skip_cache', 'grpc_req_duration{op:GetRecord,cache:skip}'),
    ];
  });
}
