// Atomic operations. Even iterations walk a private record through every
// atomic RPC and check each reported value (cold keys, no contention); odd
// iterations hit shared counters, the hot one that every VU increments and
// spread-out cold ones, where ABORTED is contention, reported as its own rate.
import exec from 'k6/execution';
import { config } from '../lib/runtime.js';
import { requireGrpc } from '../lib/grpc-only.js';
import { buildOptions } from '../profiles/index.js';
import { setupRun, teardownRun } from '../lib/lifecycle.js';
import { buildSummary, type SummaryData } from '../lib/summary.js';
import { iterationKey } from '../lib/keys.js';
import { pick } from '../lib/random.js';
import { atomicSequence, contend } from '../lib/flows/atomic.js';
import { COLD_COUNTERS, HOT_COUNTER, type RunData } from '../lib/run-data.js';
import { ATOMIC_RPCS } from '../lib/constants.js';


requireGrpc(config, 'atomic');

export const options = buildOptions(config, {
  ops: ['CreateRecord', 'GetRecord', 'DeleteRecord', ...ATOMIC_RPCS],
  thresholds: { opensaves_atomic_contention: ['rate<0.5'] },
});

export function setup(): Promise<RunData> {
  return setupRun({ counters: true });
}

export default function atomic(data: RunData): void {
  const iteration = exec.scenario.iterationInTest;
  if (iteration % 2 === 0) {
    atomicSequence(data.stores[0] as string, iterationKey(data.runId, 'atomic'));
    return;
  }
  const counters = pick(data.counters);
  contend(counters.store, counters.key, HOT_COUNTER, iteration % 4 === 1 ? 'AtomicInc' : 'AtomicDec');
  contend(counters.store, counters.key, `cold${Math.floor(Math.random() * COLD_COUNTERS)}`, pick(ATOMIC_RPCS));
}

export function teardown(data: RunData): void {
  teardownRun(data);
}

export function handleSummary(data: SummaryData): Record<string, string> {
  return buildSummary('atomic', config, data, (summary) => {
    const contention = summary.metrics.opensaves_atomic_contention?.values.rate;
    return [`ABORTED share of atomic calls (contention): ${contention === undefined ? 'no data' : `${(contention * 100).toFixed(2)}%`}`];
  });
}
