// Key markers. Before a VU first writes a key of its own (a slot of a role, in
// one of the run's stores; or a store slot), it names that key in its marker: one
// record per VU in the run's manifest store, whose tags are the keys it named
// (`own.3@1`: slot 3 of role own in the run's second store; `store.0`: store
// slot 0). A teardown or dist/cleanup.js lists the manifest store and looks up
// only the keys the markers name, so what it costs follows what the run wrote,
// and a VU that died mid-write is found all the same (its marker came first).
// Pure: no k6 imports, so the rules are unit-tested.
import { isStoreRole, markerKeyOf, roleSlots, vuKeyOf, writtenRoles, type KeyRole } from './cleanup-keys.js';
import type { RecordRef, RunKeys } from './cleanup-plan.js';

export { markerKeyOf } from './cleanup-keys.js';

/** One VU's marker as read back: its VU id within the instance and the keys it named. */
export interface Marker {
  readonly vu: number;
  readonly tags: readonly string[];
}

/** The keys markers name: records (each in the store it was written to) and stores. */
export interface MarkedKeys {
  readonly records: RecordRef[];
  readonly stores: string[];
}

/** The tag naming slot `slot` of `role`: for a record role, in the run's store number `storeIndex`. */
export function markerTag(role: KeyRole, slot: number, storeIndex?: number): string {
  return storeIndex === undefined ? `${role}.${slot}` : `${role}.${slot}@${storeIndex}`;
}

const TAG = /^(.+)\.(\d+)(?:@(\d+))?$/;

/** The VU whose marker has this record key, when it is a marker of the manifest's run and segment. */
export function markerVuOf(manifest: Pick<RunKeys, 'runId' | 'segment'>, key: string): number | undefined {
  const prefix = `${manifest.runId}-${manifest.segment}-v`;
  if (!key.startsWith(prefix)) return undefined;
  const vu = Number(key.slice(prefix.length, key.length - '-marker'.length));
  return Number.isSafeInteger(vu) && vu >= 1 && markerKeyOf(manifest.runId, manifest.segment, vu) === key ? vu : undefined;
}

/**
 * The keys a marker names, as the manifest's layout allows them: a tag of a role the run
 * does not write, a slot past the role's ring or a store the run does not have names nothing.
 */
export function markedKeys(manifest: RunKeys, marker: Marker): MarkedKeys {
  const roles = new Set<string>(writtenRoles(manifest.blobLabels));
  const records: RecordRef[] = [];
  const stores: string[] = [];
  const seen = new Set<string>();
  for (const tag of marker.tags) {
    const match = TAG.exec(tag);
    if (match === null || seen.has(tag)) continue;
    seen.add(tag);
    const role = match[1] as KeyRole;
    const slot = Number(match[2]);
    if (!roles.has(role) || slot >= roleSlots(role)) continue;
    const key = vuKeyOf(manifest.runId, manifest.segment, marker.vu, role, slot);
    if (isStoreRole(role)) {
      if (match[3] === undefined) stores.push(key);
      continue;
    }
    const store = match[3] === undefined ? undefined : manifest.stores[Number(match[3])];
    if (store !== undefined) records.push({ store, key });
  }
  return { records, stores };
}

/** The keys all of `markers` name. */
export function allMarkedKeys(manifest: RunKeys, markers: readonly Marker[]): MarkedKeys {
  const records: RecordRef[] = [];
  const stores: string[] = [];
  for (const marker of markers) {
    const keys = markedKeys(manifest, marker);
    records.push(...keys.records);
    stores.push(...keys.stores);
  }
  return { records, stores };
}
