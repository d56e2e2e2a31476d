// Atomic operations. Even iterations walk a private record through every
// atomic RPC and check each reported value (cold keys, no contention); odd
// iterations hit shared counters, the hot one that every VU increments and
// spread-out cold ones, where ABORTED is contention, reported as its own rate.
// The AWS port has no atomic routes: over HTTP the scenario probes the target
// as every scenario does (preflight), then says so once and runs nothing (one
// iteration that makes no call), and exits 0.
import exec from 'k6/execution';
import type { Options } from 'k6/options';
import { config } from '../lib/config/runtime.js';
import { buildOptions } from '../profiles/index.js';
import { setupOnTransport, teardownOnTransport } from '../lib/workload/transport-plan.js';
import { buildSummary, type SummaryData } from '../lib/summary/summary.js';
import { recordKeyFor } from '../lib/lifecycle/vu-keys.js';
import { pick } from '../lib/run/random.js';
import { transport } from '../lib/transport/transport.js';
import { atomicSequence, contend } from '../lib/flows/atomic.js';
import { COLD_COUNTERS, HOT_COUNTER, type RunData } from '../lib/run/run-data.js';
import { ATOMIC_RPCS } from '../lib/config/constants.js';
import { preflight } from '../lib/preflight/preflight.js';

const ATOMICS_OFFERED = ATOMIC_RPCS.every((op) => transport.offers(op));
const NOTHING_TO_RUN = `TRANSPORT=${config.transport}: the AWS port has no atomic routes (${ATOMIC_RPCS.join(', ')}); the atomic scenario runs nothing over it`;

// Nothing to run: one iteration by one VU that makes no call, so k6 ends at once.
const NOTHING: Options = { scenarios: { main: { executor: 'shared-iterations', vus: 1, iterations: 1, maxDuration: '10s' } } };

export const options: Options = ATOMICS_OFFERED
  ? buildOptions(config, {
      ops: ['CreateRecord', 'GetRecord', 'DeleteRecord', ...ATOMIC_RPCS],
      thresholds: { opensaves_atomic_contention: ['rate<0.5'] },
    })
  : NOTHING;

const EMPTY_RUN: RunData = { runId: '', stores: [], storeNames: [], seeds: [], blobs: [], chunked: [], counters: [] };

export function setup(): Promise<RunData> {
  if (!ATOMICS_OFFERED) {
    // A target that cannot serve a run stops it here (exit 108), as in every other scenario.
    preflight();
    console.warn(NOTHING_TO_RUN);
    return Promise.resolve(EMPTY_RUN);
  }
  return setupOnTransport({ counters: true });
}

export default function atomic(data: RunData): void {
  if (!ATOMICS_OFFERED) return;
  const iteration = exec.scenario.iterationInTest;
  if (iteration % 2 === 0) {
    const store = data.stores[0] as string;
    atomicSequence(store, recordKeyFor(data, 'atomic', store));
    return;
  }
  const counters = pick(data.counters);
  contend(counters.store, counters.key, HOT_COUNTER, iteration % 4 === 1 ? 'AtomicInc' : 'AtomicDec');
  contend(counters.store, counters.key, `cold${Math.floor(Math.random() * COLD_COUNTERS)}`, pick(ATOMIC_RPCS));
}

export function teardown(data: RunData): void {
  if (ATOMICS_OFFERED) teardownOnTransport(data);
}

export function handleSummary(data: SummaryData): Record<string, string> {
  return buildSummary('atomic', config, data, (summary) => {
    if (!ATOMICS_OFFERED) return ['nothing run: the AWS port has no atomic routes'];
    const contention = summary.metrics.opensaves_atomic_contention?.values.rate;
    return [`ABORTED share of atomic calls (contention): ${contention === undefined ? 'no data' : `${(contention * 100).toFixed(2)}%`}`];
  });
}
