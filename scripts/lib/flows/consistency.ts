// Read-your-writes under eventual consistency. The AWS port reads DynamoDB without
// ConsistentRead, so a read right after the run's own write may see the state
// before it (and a write whose own lookup of a record or store just made answers
// 404). Such a call is tried again, READ_RETRY_TRIES times in all within
// READ_RETRY_BUDGET_MS, and every stale answer is counted in opensaves_stale_reads
// (tagged op); one still stale on its last try is the caller's failure.
// Over gRPC (Open Saves reads its own writes) there is one try only.
import { sleep } from 'k6';
import type { RpcName } from '../config/constants.js';
import { memoized } from '../config/memo.js';
import { staleReads } from '../metrics/metrics.js';
import { config } from '../config/runtime.js';
import { transport } from '../transport/transport.js';
import { retryPausesMs } from './retry-pauses.js';

// Over a transport that reads its own writes, the first try is the last.
const pauses = transport.readsMayLag ? retryPausesMs(config.readRetryTries, config.readRetryBudgetMs) : [];
const staleTags = memoized((op: RpcName): Readonly<Record<string, string>> => ({ op }));

/** What a try returns when it found an older state: another try follows (the caller has settled the try's checks). */
export const STALE = Symbol('stale');

/**
 * Runs `attempt` until it returns something other than STALE, at most READ_RETRY_TRIES
 * times. `attempt` is told whether it is the last try: then it must settle (verify)
 * whatever it found. Each STALE is counted as a stale read of `op`.
 */
export function untilFresh<T>(op: RpcName, attempt: (lastTry: boolean) => T | typeof STALE): T | undefined {
  for (let index = 0; ; index++) {
    const lastTry = index >= pauses.length;
    const result = attempt(lastTry);
    if (result !== STALE) return result;
    staleReads.add(1, staleTags(op));
    if (lastTry) return undefined;
    sleep((pauses[index] as number) / 1000);
  }
}

/** untilFresh for tries that stream (blob reads). */
export async function untilFreshAsync<T>(op: RpcName, attempt: (lastTry: boolean) => Promise<T | typeof STALE>): Promise<T | undefined> {
  for (let index = 0; ; index++) {
    const lastTry = index >= pauses.length;
    const result = await attempt(lastTry);
    if (result !== STALE) return result;
    staleReads.add(1, staleTags(op));
    if (lastTry) return undefined;
    sleep((pauses[index] as number) / 1000);
  }
}
