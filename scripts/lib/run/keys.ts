// The run/ folder: the run's bookkeeping as pure data: keys and key slots, what setup() hands on, what a run may leave.
//
// Keys of everything a run creates. They start with the run id and the
// instance's segment label (so parallel k6 instances never collide), and the
// keys a VU makes during iterations carry its id within the instance, a role and
// a slot from a small ring per role: every key of a run is enumerable from the
// run id, the segment and bounded numbers (cleanup-keys.ts), which is how
// dist/cleanup.js finds a dead run's data again without listing.
import exec from 'k6/execution';
import { manifestStoreKeyOf, roleSlots, seedKeyOf, storeKeyOf, vuKeyOf, type KeyRole } from './cleanup-keys.js';
import { ownsKey } from './vu-state.js';

export type { KeyRole } from './cleanup-keys.js';

/** A fresh random run id: 12 lower-case base-36 characters. */
export function randomRunId(): string {
  let id = '';
  while (id.length < 12) id += Math.floor(Math.random() * 36).toString(36);
  return id;
}

// k6 builds exec.test.options anew on every read; the label never changes within a run.
let segment: string | undefined;

/**
 * The instance's share of the test, e.g. `0-1_2` for `--execution-segment 0:1/2`,
 * so stores made by setup() in different instances have different keys.
 */
export function segmentLabel(): string {
  if (segment === undefined) {
    const option = exec.test.options.executionSegment;
    segment = option ? String(option).replace(/[:/]/g, (char) => (char === ':' ? '-' : '_')) : 'all';
  }
  return segment;
}

export function storeKey(runId: string, name: string): string {
  return storeKeyOf(runId, segmentLabel(), name);
}

export function manifestStoreKey(runId: string): string {
  return manifestStoreKeyOf(runId, segmentLabel());
}

// The next slot of each role, per VU.
const nextSlots = new Map<KeyRole, number>();
// k6 builds exec.vu anew on every read; a VU's id never changes.
let vuId: number | undefined;

/** A key a VU takes for what it makes now, with its slot in the role's ring. */
export interface IterationSlot {
  readonly key: string;
  readonly slot: number;
}

/**
 * A key for a record (or store) this VU makes now; `role` tells what it is for.
 * Slots are taken in turn, skipping any whose record the VU still owns, so a
 * key is reused only after the record that had it was deleted. Keys the VU writes
 * are taken through lifecycle/vu-keys.ts, which names them in the VU's marker first.
 */
export function iterationSlot(runId: string, role: KeyRole): IterationSlot {
  const slots = roleSlots(role);
  const vu = (vuId ??= exec.vu.idInInstance);
  let slot = nextSlots.get(role) ?? 0;
  for (let tried = 0; tried < slots; tried++) {
    const taken = slot;
    const key = vuKeyOf(runId, segmentLabel(), vu, role, taken);
    slot = (slot + 1) % slots;
    if (!ownsKey(key)) {
      nextSlots.set(role, slot);
      return { key, slot: taken };
    }
  }
  // A kit defect, not a user error: vu-state.ts keeps more records than KEY_ROLE_SLOTS allows.
  exec.test.abort(`keys: all ${slots} slots of role ${role} are owned by VU ${vu}; raise KEY_ROLE_SLOTS.${role} in scripts/lib/run/cleanup-keys.ts`);
  throw new Error('unreachable');
}

/** A key of a role never written (the key a batch read asks for and never finds): no marker names it. */
export function unwrittenKey(runId: string, role: 'missing'): string {
  return iterationSlot(runId, role).key;
}

/** This VU's id within the instance, as its keys carry it. */
export function keyVu(): number {
  return (vuId ??= exec.vu.idInInstance);
}

/** The key of the n-th record that setup() seeds in a store. */
export function seedKey(store: string, index: number): string {
  return seedKeyOf(store, index);
}
