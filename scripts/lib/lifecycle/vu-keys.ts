// The keys a VU writes during iterations. Each is named in the VU's marker
// (run/markers.ts: one record per VU in the run's manifest store) before it is
// handed out, so teardown() and dist/cleanup.js look up only the keys a VU named,
// and find what a VU that died mid-write left. The marker is written when the VU
// first takes a key it has not named (a new slot, or a slot in another store): a
// VU's ring of slots is small, so after its first few dozen writes it names nothing new.
import { transport } from '../transport/transport.js';
import { STALE, untilFresh } from '../flows/consistency.js';
import { iterationSlot, keyVu, manifestStoreKey, segmentLabel, type KeyRole } from '../run/keys.js';
import { markerKeyOf, markerTag } from '../run/markers.js';
import type { CallOptions, Outcome } from '../transport/transport-types.js';
import type { RecordMessage } from '../model/messages.js';
import type { RunData } from '../run/run-data.js';

// Marker writes are tagged phase=marker, so k6's output tells them from the workload's own writes.
const MARKER_OPTIONS: CallOptions = { tags: { phase: 'marker' }, allowMissing: transport.readsMayLag };

const named = new Set<string>();
// Whether the target holds every tag of `named`; false after a failed write, so the next key writes it again.
let current = true;
let made = false;
let createFailed = false;

/** A key for a record this VU is about to write in `store` (one of the run's stores). */
export function recordKeyFor(data: RunData, role: KeyRole, store: string): string {
  const storeIndex = data.stores.indexOf(store);
  // A kit defect: VUs write only to the run's stores.
  if (storeIndex < 0) throw new Error(`vu-keys: ${store} is not one of the run's stores`);
  const { key, slot } = iterationSlot(data.runId, role);
  name(data.runId, markerTag(role, slot, storeIndex));
  return key;
}

/** A key for a store this VU is about to create. */
export function storeKeyFor(data: RunData): string {
  const { key, slot } = iterationSlot(data.runId, 'store');
  name(data.runId, markerTag('store', slot));
  return key;
}

function name(runId: string, tag: string): void {
  if (named.has(tag) && current) return;
  named.add(tag);
  current = writeMarker(runId);
}

// Over HTTP a write of the port looks the store (create) or the record (update) up first, and a
// lagging lookup answers 404 without writing: tried again within the read-retry budget.
function send(write: () => Outcome<RecordMessage>, op: 'CreateRecord' | 'UpdateRecord'): boolean {
  const result = untilFresh(op, (lastTry) => {
    const outcome = write();
    return outcome.ok && outcome.missing && !lastTry ? STALE : outcome;
  });
  return result !== undefined && result.ok && !result.missing;
}

function writeMarker(runId: string): boolean {
  const store = manifestStoreKey(runId);
  const record: RecordMessage = { key: markerKeyOf(runId, segmentLabel(), keyVu()), ownerId: '', tags: [...named].sort(), properties: {} };
  // After a create that failed (it may have been made all the same), an update is tried first.
  if (made || createFailed) {
    if (send(() => transport.updateRecord(store, record, MARKER_OPTIONS), 'UpdateRecord')) {
      made = true;
      createFailed = false;
      return true;
    }
    if (made) return false;
  }
  made = send(() => transport.createRecord(store, record, MARKER_OPTIONS), 'CreateRecord');
  createFailed = !made;
  return made;
}
