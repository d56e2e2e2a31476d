// The lifecycle/ folder: setup(), teardown() and dist/cleanup.js: making a run's data and deleting it.
//
// setup() and teardown() over gRPC. setup() probes the target first
// (preflight.ts), then creates the run's stores and the records every VU reads;
// teardown() deletes everything the run created, each blob before its record
// and each record before its store, unless KEEP_DATA is set, and says what it
// deleted and what it could not (with the command that removes the rest).
import { retryUnavailable, unary } from '../transport/grpc-client.js';
import { config } from '../config/runtime.js';
import { createStore } from '../flows/stores.js';
import { createRecord } from '../flows/records.js';
import { uploadBlob, uploadChunked } from '../flows/blobs.js';
import { counterProperties } from '../flows/atomic.js';
import { makePayload } from '../model/payloads.js';
import { CHUNK_BYTES, CHUNKED_UPLOAD_CHUNKS, COLD_COUNTERS, type BlobRecord, type RunData, type SeedRecord } from '../run/run-data.js';
import { createRunLayout, stopSetup, type LayoutWriter } from './run-layout.js';
import { preflight } from '../preflight/preflight.js';
import { chunkedKeyOf, countersKeyOf } from '../run/cleanup-keys.js';
import { removeRunData, reportKeptData, reportTeardown } from './teardown.js';
import type { SetupNeeds } from '../run/setup-needs.js';

const LIFECYCLE_RETRIES = 5;

const GRPC_WRITER: LayoutWriter = {
  endpoint: config.addr,
  createStore: (key, name, tags) => createStore({ key, name, tags: [...tags] }),
  createRecord: (seed) => createRecord(seed) !== null,
  uploadBlob: (ref, payload) => uploadBlob(ref, payload),
};

/** Stops the test with one line when the target cannot serve it or the stores every iteration uses cannot be made. */
export async function setupRun(needs: Required<SetupNeeds>): Promise<RunData> {
  preflight();
  retryUnavailable(LIFECYCLE_RETRIES);
  try {
    const layout = await createRunLayout(GRPC_WRITER, needs);
    const { stores } = layout;
    const firstStore = stores[0] as string;
    const chunked: BlobRecord[] = [];
    if (needs.chunked) {
      const key = chunkedKeyOf(firstStore);
      if (createRecord({ store: firstStore, key, seed: 0 }) && (await uploadChunked({ store: firstStore, key }, makePayload(CHUNK_BYTES), CHUNKED_UPLOAD_CHUNKS))) {
        chunked.push({ store: firstStore, key, size: CHUNK_BYTES * CHUNKED_UPLOAD_CHUNKS });
      }
    }
    const counters: SeedRecord[] = [];
    if (needs.counters) {
      for (const store of stores) {
        const key = countersKeyOf(store);
        const created = unary('CreateRecord', { storeKey: store, record: { key, ownerId: 'counters', properties: counterProperties(COLD_COUNTERS) } });
        if (created.ok) counters.push({ store, key, seed: 0 });
      }
    }
    return { ...layout, chunked, counters };
  } catch (error) {
    return stopSetup(error);
  } finally {
    retryUnavailable(0);
  }
}

export function teardownRun(data: RunData | undefined): void {
  if (!data) return;
  if (config.keepData) {
    reportKeptData(data.runId, data.stores);
    return;
  }
  retryUnavailable(LIFECYCLE_RETRIES);
  const tally = removeRunData(data);
  retryUnavailable(0);
  reportTeardown(data.runId, tally);
}
