// What a scenario does on the run's transport: the operations it issues (each gets
// thresholds), those the transport lacks (skipped and counted, said once at setup),
// the summary's sub-metrics for them, and setup/teardown on that transport.
import type { RpcName } from '../config/constants.js';
import { config } from '../config/runtime.js';
import { transport } from '../transport/transport.js';
import { queryOffered, type QueryKind } from '../flows/queries.js';
import { setupRun, teardownRun } from '../lifecycle/lifecycle.js';
import { setupHttpRun, teardownHttpRun } from '../lifecycle/http-lifecycle.js';
import type { RunData } from '../run/run-data.js';
import type { SetupNeeds } from '../run/setup-needs.js';
import { workloadMetric } from '../../profiles/index.js';

/** The WAF blocks of the workload's requests (the summary explains every block, teardown's included). */
export const WAF_BLOCKED_IN_WORKLOAD = workloadMetric('opensaves_waf_blocked');

export interface TransportPlan {
  /** the scenario's operations this transport offers */
  readonly ops: readonly RpcName[];
  /** sub-metrics of the skipped operations (so the summary counts them) and, over HTTP, the WAF's */
  readonly thresholds: Record<string, string[]>;
  /** one line at setup naming what this transport lacks, when it lacks anything */
  announce(): void;
}

export function planTransport(ops: readonly RpcName[], queryKinds: readonly QueryKind[] = []): TransportPlan {
  const skipped = ops.filter((op) => !transport.offers(op));
  const skippedQueries = transport.offers('QueryRecords') ? queryKinds.filter((kind) => !queryOffered(kind)) : [];
  const thresholds: Record<string, string[]> = {};
  for (const op of skipped) thresholds[`opensaves_skipped_operations{op:${op}}`] = ['count>=0'];
  for (const kind of skippedQueries) thresholds[`opensaves_skipped_operations{op:QueryRecords,query:${kind}}`] = ['count>=0'];
  // A WAF block of the workload fails the run: it measured the WAF, not the API (waf.ts explains it in the
  // summary). One of teardown's requests leaves data behind, which teardown says, and measured nothing.
  if (transport.name === 'http') thresholds[WAF_BLOCKED_IN_WORKLOAD] = ['count==0'];
  const lacking = [...skipped, ...skippedQueries.map((kind) => `QueryRecords (${kind})`)];
  return {
    ops: ops.filter((op) => transport.offers(op)),
    thresholds,
    announce() {
      if (lacking.length === 0) return;
      console.warn(`TRANSPORT=${transport.name}: the AWS port has no ${lacking.join(', ')}; the scenario skips these and counts them in opensaves_skipped_operations`);
    },
  };
}

/** setup() on the run's transport: the parts of the run layout `needs` asks for that it can hold. */
export function setupOnTransport(needs: SetupNeeds): Promise<RunData> {
  const parts = { seeds: needs.seeds ?? false, blobs: needs.blobs ?? false, chunked: needs.chunked ?? false, counters: needs.counters ?? false };
  return config.transport === 'http' ? setupHttpRun({ seeds: parts.seeds, blobs: parts.blobs }) : setupRun(parts);
}

export function teardownOnTransport(data: RunData): void {
  if (config.transport === 'http') teardownHttpRun(data);
  else teardownRun(data);
}
