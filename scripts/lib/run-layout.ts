// The data every run starts with, the same on both transports: one store per
// template, RECORDS_PER_STORE seeded records per store, and one record per
// BLOB_SIZES class holding a blob of that size. Each transport supplies the writes.
import templates from '../../data/save-templates.json';
import { config } from './runtime.js';
import { randomRunId, seedKey, storeKey } from './keys.js';
import { makePayload, type Payload } from './payloads.js';
import type { BlobRecord, RunData, SeedRecord } from './run-data.js';

// Seeds of different stores must differ so their content (owner, tags, properties) differs too.
const SEEDS_PER_STORE = 1_000_000;

export interface LayoutWriter {
  /** where the writes go, for the error that stops setup */
  readonly endpoint: string;
  createStore(key: string, name: string, tags: readonly string[]): boolean;
  createRecord(seed: SeedRecord): boolean;
  uploadBlob(ref: { store: string; key: string }, payload: Payload): boolean | Promise<boolean>;
}

export type RunLayout = Pick<RunData, 'runId' | 'stores' | 'storeNames' | 'seeds' | 'blobs'>;

/** Throws when the run cannot start: the stores every iteration uses must exist. */
export async function createRunLayout(writer: LayoutWriter, needs: { seeds?: boolean; blobs?: boolean }): Promise<RunLayout> {
  const runId = config.runId ?? randomRunId();
  const stores: string[] = [];
  const storeNames: string[] = [];
  for (const template of templates.stores) {
    const key = storeKey(runId, template.name);
    const name = `${template.name} ${key}`;
    if (!writer.createStore(key, name, template.tags)) {
      throw new Error(`setup: cannot create store ${key} at ${writer.endpoint}; see the errors above`);
    }
    stores.push(key);
    storeNames.push(name);
  }
  const seeds: SeedRecord[] = [];
  if (needs.seeds) {
    stores.forEach((store, storeIndex) => {
      for (let i = 0; i < config.recordsPerStore; i++) {
        const seed: SeedRecord = { store, key: seedKey(store, i), seed: storeIndex * SEEDS_PER_STORE + i };
        if (writer.createRecord(seed)) seeds.push(seed);
      }
    });
  }
  const blobs: BlobRecord[] = [];
  if (needs.blobs) {
    const firstStore = stores[0] as string;
    for (const size of config.blobSizes) {
      const payload = makePayload(size);
      const key = `${firstStore}-blob-${payload.label}`;
      if (writer.createRecord({ store: firstStore, key, seed: 0 }) && (await writer.uploadBlob({ store: firstStore, key }, payload))) {
        blobs.push({ store: firstStore, key, size });
      }
    }
  }
  return { runId, stores, storeNames, seeds, blobs };
}
