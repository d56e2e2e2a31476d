// setup() and teardown() over the REST API (TRANSPORT=http): the same run
// layout as over gRPC, minus what the API cannot hold (chunked blobs, typed
// counters).
import templates from '../../data/save-templates.json';
import { config } from './runtime.js';
import { randomRunId, seedKey, storeKey } from './keys.js';
import { makePayload } from './payloads.js';
import { createRecord, createStore, emptyAndDeleteStore, payloadBytes, uploadBlob } from './flows/http.js';
import type { BlobRecord, RunData, SeedRecord } from './run-data.js';

const SEEDS_PER_STORE = 1_000_000;

export function setupHttpRun(needs: { seeds?: boolean; blobs?: boolean }): RunData {
  const runId = config.runId ?? randomRunId();
  const stores: string[] = [];
  const storeNames: string[] = [];
  for (const template of templates.stores) {
    const key = storeKey(runId, template.name);
    const name = `${template.name} ${key}`;
    if (!createStore(key, name)) throw new Error(`setup: cannot create store ${key} at ${config.httpUrl}; see the errors above`);
    stores.push(key);
    storeNames.push(name);
  }
  const seeds: SeedRecord[] = [];
  if (needs.seeds) {
    stores.forEach((store, storeIndex) => {
      for (let i = 0; i < config.recordsPerStore; i++) {
        const seed = { store, key: seedKey(store, i), seed: storeIndex * SEEDS_PER_STORE + i };
        if (createRecord(seed)) seeds.push(seed);
      }
    });
  }
  const blobs: BlobRecord[] = [];
  const firstStore = stores[0] as string;
  if (needs.blobs) {
    for (const size of config.blobSizes) {
      const payload = makePayload(size);
      const key = `${firstStore}-blob-${payload.label}`;
      if (createRecord({ store: firstStore, key, seed: 0 }) && uploadBlob({ store: firstStore, key }, payloadBytes(payload))) {
        blobs.push({ store: firstStore, key, size });
      }
    }
  }
  return { runId, stores, storeNames, seeds, blobs, chunked: [], counters: [] };
}

export function teardownHttpRun(data: RunData | undefined): void {
  if (!data) return;
  if (config.keepData) {
    console.log(`KEEP_DATA is set: the run's stores are kept: ${data.stores.join(', ')}`);
    return;
  }
  for (const store of data.stores) emptyAndDeleteStore(store);
}
