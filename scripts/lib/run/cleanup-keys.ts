// The key of everything a run can create, as pure functions of the run id, the
// instance's segment label and bounded numbers. keys.ts makes keys with these
// during a run, and dist/cleanup.js enumerates the same keys afterwards: the kit
// finds its data again without listing (the AWS port answers a list with its first
// page only). No k6 imports, so the plan can be unit-tested.

/**
 * Slots per role of the keys a VU makes during iterations. A VU reuses a role's
 * slots in turn, so a run's keys are bounded by maxVUs x slots. Every role a
 * scenario uses is listed here (keys.ts accepts no other), so cleanup knows them all.
 */
export const KEY_ROLE_SLOTS = {
  /** the mixed workload's records a VU owns: vu-state.ts keeps at most 16; slots in use are skipped */
  own: 20,
  /** records created and deleted within one iteration */
  save: 2,
  save2: 2,
  cached: 2,
  atomic: 2,
  chunked: 2,
  /** stores made and deleted within one iteration */
  store: 4,
  /** the key a batch read asks for and never finds: never created */
  missing: 1,
} as const;

/** Slots of each `blob-<size label>` role (one per BLOB_SIZES class). */
export const BLOB_ROLE_SLOTS = 2;

export type FixedKeyRole = keyof typeof KEY_ROLE_SLOTS;
export type KeyRole = FixedKeyRole | `blob-${string}`;

/** Roles whose keys are stores, and roles whose keys are never written. */
const STORE_ROLES: readonly KeyRole[] = ['store'];
const UNWRITTEN_ROLES: readonly KeyRole[] = ['missing'];

/** Whether a role's keys are stores (the others are records, each in one of the run's stores). */
export function isStoreRole(role: KeyRole): boolean {
  return STORE_ROLES.includes(role);
}

export function roleSlots(role: KeyRole): number {
  return role.startsWith('blob-') ? BLOB_ROLE_SLOTS : KEY_ROLE_SLOTS[role as FixedKeyRole];
}

export function storeKeyOf(runId: string, segment: string, name: string): string {
  return `${runId}-${segment}-${name}`;
}

/** The store whose name records the run's bounded parameters (run-manifest in cleanup-plan.ts). */
export function manifestStoreKeyOf(runId: string, segment: string): string {
  return storeKeyOf(runId, segment, 'manifest');
}

/** The n-th record that setup() seeds in a store. */
export function seedKeyOf(store: string, index: number): string {
  return `${store}-seed-${index}`;
}

/** The record setup() gives a blob of one BLOB_SIZES class. */
export function setupBlobKeyOf(store: string, label: string): string {
  return `${store}-blob-${label}`;
}

/** The record setup() gives a committed chunked blob. */
export function chunkedKeyOf(store: string): string {
  return `${store}-chunked`;
}

/** The record of shared counters setup() makes in each store. */
export function countersKeyOf(store: string): string {
  return `${store}-counters`;
}

/** A key a VU makes during iterations: VU id within the instance, role and slot. */
export function vuKeyOf(runId: string, segment: string, vu: number, role: KeyRole, slot: number): string {
  return `${runId}-${segment}-v${vu}-${role}-${slot}`;
}

/** The record (in the manifest store) where VU `vu` names the keys it writes before writing them (markers.ts). */
export function markerKeyOf(runId: string, segment: string, vu: number): string {
  return `${runId}-${segment}-v${vu}-marker`;
}

/** Every role a VU may write: the fixed ones and one per blob size class. */
export function writtenRoles(blobLabels: readonly string[]): KeyRole[] {
  const fixed = (Object.keys(KEY_ROLE_SLOTS) as FixedKeyRole[]).filter((role) => !UNWRITTEN_ROLES.includes(role));
  return [...fixed, ...blobLabels.map((label) => `blob-${label}` as const)];
}

/** Store keys one VU may have made. */
export function vuStoreKeys(runId: string, segment: string, vu: number): string[] {
  return STORE_ROLES.flatMap((role) => slotKeys(runId, segment, vu, role));
}

/** Record keys one VU may have made; each may be in any of the run's stores. */
export function vuRecordKeys(runId: string, segment: string, vu: number, blobLabels: readonly string[]): string[] {
  return writtenRoles(blobLabels)
    .filter((role) => !STORE_ROLES.includes(role))
    .flatMap((role) => slotKeys(runId, segment, vu, role));
}

function slotKeys(runId: string, segment: string, vu: number, role: KeyRole): string[] {
  return Array.from({ length: roleSlots(role) }, (_, slot) => vuKeyOf(runId, segment, vu, role, slot));
}
