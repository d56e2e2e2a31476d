// setup() and teardown() over the REST API (TRANSPORT=http): the same run
// layout as over gRPC, minus what the API cannot hold (chunked blobs, typed
// counters).
import { config } from './runtime.js';
import { createRecord, createStore, emptyAndDeleteStore, payloadBytes, uploadBlob } from './flows/http.js';
import type { RunData } from './run-data.js';
import { createRunLayout, type LayoutWriter } from './run-layout.js';

const HTTP_WRITER: LayoutWriter = {
  endpoint: config.httpUrl,
  // The REST API keeps no store tags.
  createStore: (key, name) => createStore(key, name),
  createRecord: (seed) => createRecord(seed),
  uploadBlob: (ref, payload) => uploadBlob(ref, payloadBytes(payload)),
};

export async function setupHttpRun(needs: { seeds?: boolean; blobs?: boolean }): Promise<RunData> {
  return { ...(await createRunLayout(HTTP_WRITER, needs)), chunked: [], counters: [] };
}

export function teardownHttpRun(data: RunData | undefined): void {
  if (!data) return;
  if (config.keepData) {
    console.log(`KEEP_DATA is set: the run's stores are kept: ${data.stores.join(', ')}`);
    return;
  }
  for (const store of data.stores) emptyAndDeleteStore(store);
}
