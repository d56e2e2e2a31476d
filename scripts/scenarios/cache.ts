// Cache: repeated reads of seeded records with the cache (default hints) and
// without it (skip_cache), tagged cache=use / cache=skip so their latencies are
// compared in the summary; then update-then-read on a private record, with and
// without do_not_cache, where the read must never return the stale version. The
// AWS port has no hints (and never reads its cache): over HTTP the same reads go
// out without them, and an older version read back is eventual consistency, read
// again within the retry budget (consistency.ts).
import { config } from '../lib/config/runtime.js';
import { buildOptions, latencyMetric, workloadMetric } from '../profiles/index.js';
import { planTransport, setupOnTransport, teardownOnTransport } from '../lib/workload/transport-plan.js';
import { buildSummary, type SummaryData } from '../lib/summary/summary.js';
import { recordKeyFor } from '../lib/lifecycle/vu-keys.js';
import { iterationSeed } from '../lib/run/vu-seed.js';
import { pick } from '../lib/run/random.js';
import { createRecord, deleteRecord, readRecord, updateRecord } from '../lib/flows/records.js';
import type { RunData } from '../lib/run/run-data.js';

const CACHED = { tags: { cache: 'use' } };
const UNCACHED = { tags: { cache: 'skip' } };
const REPEATED_READS = 3;
const CACHED_READS = workloadMetric(latencyMetric(config), 'op:GetRecord,cache:use');
const UNCACHED_READS = workloadMetric(latencyMetric(config), 'op:GetRecord,cache:skip');

const plan = planTransport(['CreateRecord', 'GetRecord', 'UpdateRecord', 'DeleteRecord']);

export const options = buildOptions(config, {
  ops: plan.ops,
  // Listed so the summary shows both sub-metrics side by side.
  thresholds: { ...plan.thresholds, [CACHED_READS]: ['p(95)>=0'], [UNCACHED_READS]: ['p(95)>=0'] },
});

export function setup(): Promise<RunData> {
  plan.announce();
  return setupOnTransport({ seeds: true });
}

export default function cache(data: RunData): void {
  const seed = pick(data.seeds);
  for (let i = 0; i < REPEATED_READS; i++) readRecord(seed, 0, undefined, CACHED);
  readRecord(seed, 0, { skipCache: true }, UNCACHED);

  const own = { store: seed.store, key: recordKeyFor(data, 'cached', seed.store), seed: iterationSeed() };
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
  teardownOnTransport(data);
}

export function handleSummary(data: SummaryData): Record<string, string> {
  return buildSummary('cache', config, data, (summary) => {
    const line = (label: string, name: string) => {
      const values = summary.metrics[name]?.values;
      return values ? `${label}: avg ${values.avg?.toFixed(2)}ms, p95 ${values['p(95)']?.toFixed(2)}ms over ${values.count} reads` : `${label}: no data`;
    };
    const lines = [line('GetRecord through the cache', CACHED_READS), line('GetRecord with skip_cache', UNCACHED_READS)];
    if (config.transport === 'http') lines.push('the AWS port has no hints (and never reads its cache): both kinds are the same plain read');
    return lines;
  });
}
