// What a teardown or cleanup did to each kind of item: deleted, already gone, or
// left (with the reason printed for the first few), and its one-line account.
import { config } from '../config/runtime.js';
import { wafBlockedThisVu } from '../transport/http-client.js';

/**
 * Items a cleanup deletes. Metadata items (the AWS port's store_stats and store_info)
 * are only ever counted as left: the port answers 204 to deleting one whether or not it existed.
 */
export type ItemKind = 'store' | 'record' | 'blob' | 'metadata';

export const ITEM_KINDS: readonly ItemKind[] = ['store', 'record', 'blob', 'metadata'];

export interface Tally {
  readonly deleted: Record<ItemKind, number>;
  readonly gone: Record<ItemKind, number>;
  readonly left: Record<ItemKind, number>;
  /** record keys a teardown had no time left to look up (they may hold data) */
  unchecked: number;
}

const none = (): Record<ItemKind, number> => ({ store: 0, record: 0, blob: 0, metadata: 0 });

export function newTally(): Tally {
  return { deleted: none(), gone: none(), left: none(), unchecked: 0 };
}

export function leftCount(tally: Tally): number {
  return ITEM_KINDS.reduce((sum, kind) => sum + tally.left[kind], tally.unchecked);
}

// A few items left are named; the rest only counted, so a broken target cannot flood the log.
const LEFT_PRINTED = 10;
let leftPrinted = 0;

export function leave(tally: Tally, kind: ItemKind, what: string, why: string): void {
  tally.left[kind]++;
  if (leftPrinted++ < LEFT_PRINTED) console.error(`cleanup: ${kind} ${what} is left: ${why}`);
}

/** Adds what `pass` deleted and found gone to `total`; what it left only when `withLeft` (the last pass's leftovers are the ones that stay). */
export function addTally(total: Tally, pass: Tally, withLeft: boolean): void {
  for (const kind of ITEM_KINDS) {
    total.deleted[kind] += pass.deleted[kind];
    total.gone[kind] += pass.gone[kind];
    if (withLeft) total.left[kind] += pass.left[kind];
  }
}

/** One line of what a tally holds, e.g. `deleted 3 stores, 41 records, 2 blobs; already gone: 5 records`. */
export function describeTally(tally: Tally): string {
  const part = (counts: Record<ItemKind, number>) =>
    ITEM_KINDS.filter((kind) => counts[kind] > 0)
      .map((kind) => `${counts[kind]} ${kind === 'metadata' ? `metadata item${counts[kind] === 1 ? '' : 's'}` : `${kind}${counts[kind] === 1 ? '' : 's'}`}`)
      .join(', ') || 'nothing';
  const gone = part(tally.gone);
  const left = part(tally.left);
  const why = config.transport === 'http' && wafBlockedThisVu() ? "CloudFront's WAF blocked this runner" : 'out of time';
  const unchecked = tally.unchecked > 0 ? `; not looked up (${why}): ${tally.unchecked} record keys` : '';
  return `deleted ${part(tally.deleted)}${gone === 'nothing' ? '' : `; already gone: ${gone}`}${left === 'nothing' ? '' : `; left: ${left}`}${unchecked}`;
}
