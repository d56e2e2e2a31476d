// Records one VU created and still owns, with the version last written, so
// later iterations of the same VU can update, read back and delete them.
// Bounded: past the cap the oldest record is handed back for deletion.

export interface OwnRecord {
  readonly store: string;
  readonly key: string;
  readonly seed: number;
  version: number;
  hasBlob: boolean;
}

const OWN_RECORD_CAP = 16;
const owned: OwnRecord[] = [];

/** Remembers a record; returns the record that fell out of the window, if any. */
export function remember(record: OwnRecord): OwnRecord | undefined {
  owned.push(record);
  return owned.length > OWN_RECORD_CAP ? owned.shift() : undefined;
}

export function anyOwned(): OwnRecord | undefined {
  return owned.length === 0 ? undefined : owned[Math.floor(Math.random() * owned.length)];
}

export function forget(record: OwnRecord): void {
  const index = owned.indexOf(record);
  if (index >= 0) owned.splice(index, 1);
}

/** Whether the VU still owns a record of this key (keys.ts skips such slots). */
export function ownsKey(key: string): boolean {
  for (let i = 0; i < owned.length; i++) if ((owned[i] as OwnRecord).key === key) return true;
  return false;
}
