// --read-lag-ms: the AWS port reads DynamoDB without ConsistentRead, so a read may see an
// item as it was a moment ago. Here each read of each item picks its own moment, uniform in
// the last N ms, and sees the state the item had then: a just-created item may be missing,
// a just-updated one may show its old values, a just-deleted one may still be found.
//
// Only what a read can still see is kept: per item, the states that ended within the last
// N ms (the live state is the entity itself). A queue of those end times lets every call
// drop what has aged out, so memory is bounded by the write rate times N, whatever the
// number of items.
import { performance } from 'node:perf_hooks';

interface EndedState<V> {
  /** The item's state until `until`; undefined: it did not exist. */
  readonly value: V | undefined;
  readonly until: number;
}

interface Expiry {
  readonly group: string;
  readonly key: string;
  readonly until: number;
}

/** The recent past of a set of items, in groups (e.g. records by store), keyed by name. */
export class LaggedHistory<V> {
  /** Group → key → ended states, oldest first. */
  private readonly ended = new Map<string, Map<string, EndedState<V>[]>>();
  private readonly expiries: Expiry[] = [];
  private expiryHead = 0;
  /** Reads answered with an earlier state than the live one. */
  staleReads = 0;

  /** Milliseconds, never decreasing; and the source of each read's lag. Tests replace both. */
  now: () => number = () => performance.now();
  random: () => number = Math.random;

  constructor(readonly lagMs: number) {}

  /** Call just before the item changes: `previous` is its state until now (undefined: absent). */
  changing(group: string, key: string, previous: V | undefined): void {
    const until = this.now();
    this.prune(until);
    let byKey = this.ended.get(group);
    if (!byKey) {
      byKey = new Map();
      this.ended.set(group, byKey);
    }
    let states = byKey.get(key);
    if (!states) {
      states = [];
      byKey.set(key, states);
    }
    states.push({ value: previous, until });
    this.expiries.push({ group, key, until });
  }

  /** What one read of the item sees: its state at a random moment of the last lagMs. */
  read(group: string, key: string, live: V | undefined): V | undefined {
    const now = this.now();
    this.prune(now);
    const states = this.ended.get(group)?.get(key);
    if (!states) return live;
    const moment = now - this.random() * this.lagMs;
    for (const state of states) {
      if (state.until > moment) {
        this.staleReads++;
        return state.value;
      }
    }
    return live;
  }

  /** Keys of the group with a recent past (so a list can include what was deleted a moment ago). */
  recentKeys(group: string): Iterable<string> {
    this.prune(this.now());
    return this.ended.get(group)?.keys() ?? [];
  }

  /** Ended states held, for tests and /metrics. */
  get size(): number {
    return this.expiries.length - this.expiryHead;
  }

  /** Drops every state that ended lagMs or more ago: no read can reach it any more. */
  private prune(now: number): void {
    const cutoff = now - this.lagMs;
    while (this.expiryHead < this.expiries.length && this.expiries[this.expiryHead]!.until <= cutoff) {
      const { group, key } = this.expiries[this.expiryHead++]!;
      const byKey = this.ended.get(group);
      const states = byKey?.get(key);
      if (!byKey || !states) continue;
      // States end in order, so the aged ones are at the front.
      let drop = 0;
      while (drop < states.length && states[drop]!.until <= cutoff) drop++;
      if (drop === states.length) {
        byKey.delete(key);
        if (byKey.size === 0) this.ended.delete(group);
      } else if (drop > 0) states.splice(0, drop);
    }
    // Compact the queue once its consumed head dominates it.
    if (this.expiryHead > 1024 && this.expiryHead * 2 > this.expiries.length) {
      this.expiries.splice(0, this.expiryHead);
      this.expiryHead = 0;
    }
  }
}
