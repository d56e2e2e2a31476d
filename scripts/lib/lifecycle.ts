// setup() and teardown() over gRPC: create the run's stores and the records
// every VU reads, and afterwards delete everything the run created (blobs go
// with their records), unless KEEP_DATA is set.
import { retryUnavailable, unary } from './grpc-client.js';
import { config } from './runtime.js';
import { createStore } from './flows/stores.js';
import { createRecord } from './flows/records.js';
import { uploadBlob, uploadChunked } from './flows/blobs.js';
import { counterProperties } from './flows/atomic.js';
import { makePayload } from './payloads.js';
import { CHUNK_BYTES, CHUNKED_UPLOAD_CHUNKS, COLD_COUNTERS, type BlobRecord, type RunData, type SeedRecord } from './run-data.js';
import { createRunLayout, type LayoutWriter } from './run-layout.js';
import type { QueryRecordsResponse } from './messages.js';
import type { SetupNeeds } from './setup-needs.js';

const LIFECYCLE_RETRIES = 5;

const GRPC_WRITER: LayoutWriter = {
  endpoint: config.addr,
  createStore: (key, name, tags) => createStore({ key, name, tags: [...tags] }),
  createRecord: (seed) => createRecord(seed) !== null,
  uploadBlob: (ref, payload) => uploadBlob(ref, payload),
};

/** Throws when the run cannot start: the stores every iteration uses must exist. */
export async function setupRun(needs: SetupNeeds): Promise<RunData> {
  retryUnavailable(LIFECYCLE_RETRIES);
  const layout = await createRunLayout(GRPC_WRITER, needs);
  const { stores } = layout;
  const firstStore = stores[0] as string;
  const chunked: BlobRecord[] = [];
  if (needs.chunked) {
    const key = `${firstStore}-chunked`;
    if (createRecord({ store: firstStore, key, seed: 0 }) && (await uploadChunked({ store: firstStore, key }, makePayload(CHUNK_BYTES), CHUNKED_UPLOAD_CHUNKS))) {
      chunked.push({ store: firstStore, key, size: CHUNK_BYTES * CHUNKED_UPLOAD_CHUNKS });
    }
  }
  const counters: SeedRecord[] = [];
  if (needs.counters) {
    for (const store of stores) {
      const key = `${store}-counters`;
      const created = unary('CreateRecord', { storeKey: store, record: { key, ownerId: 'counters', properties: counterProperties(COLD_COUNTERS) } });
      if (created.ok) counters.push({ store, key, seed: 0 });
    }
  }
  retryUnavailable(0);
  return { ...layout, chunked, counters };
}

// Enough passes to empty a store even if a record reappears while deleting.
const MAX_CLEANUP_PASSES = 5;

export function teardownRun(data: RunData | undefined): void {
  if (!data) return;
  if (config.keepData) {
    console.log(`KEEP_DATA is set: the run's stores are kept: ${data.stores.join(', ')}`);
    return;
  }
  retryUnavailable(LIFECYCLE_RETRIES);
  for (const store of data.stores) {
    for (let pass = 0; pass < MAX_CLEANUP_PASSES; pass++) {
      const listed = unary<QueryRecordsResponse>('QueryRecords', { storeKey: store, keysOnly: true }, { tags: { phase: 'teardown' } });
      if (!listed.message) continue;
      const keys = listed.message.records.map((record) => record.key);
      if (keys.length === 0) break;
      for (const key of keys) unary('DeleteRecord', { storeKey: store, key }, { tags: { phase: 'teardown' } });
    }
    const deleted = unary('DeleteStore', { key: store }, { tags: { phase: 'teardown' } });
    if (!deleted.ok) console.error(`teardown: store ${store} was not deleted (${deleted.status} ${deleted.error})`);
  }
}
