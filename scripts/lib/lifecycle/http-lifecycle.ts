// setup() and teardown() over the REST API (TRANSPORT=http): the same preflight
// and run layout as over gRPC, minus what the API cannot hold (chunked blobs,
// typed counters). teardown() deletes each record's blobs before the record (the
// AWS port's record delete leaves them in S3) and each store's records before
// the store, and says what it deleted and what it could not.
import { config } from '../config/runtime.js';
import { createStore } from '../flows/stores.js';
import { createRecord } from '../flows/records.js';
import { uploadBlob } from '../flows/blobs.js';
import type { RunData } from '../run/run-data.js';
import { createRunLayout, stopSetup, type LayoutWriter } from './run-layout.js';
import { preflight } from '../preflight/preflight.js';
import { removeRunData, reportKeptData, reportTeardown } from './teardown.js';

const HTTP_WRITER: LayoutWriter = {
  endpoint: config.httpUrl,
  // The same transport-neutral flows as over gRPC (they allow for the port's lagging lookups); the REST API keeps no store tags.
  createStore: (key, name) => createStore({ key, name, tags: [] }),
  createRecord: (seed) => createRecord(seed) !== null,
  uploadBlob: (ref, payload) => uploadBlob(ref, payload),
};

export async function setupHttpRun(needs: { seeds: boolean; blobs: boolean }): Promise<RunData> {
  preflight();
  try {
    // The REST API holds no chunked blobs or typed counters: the manifest records that none were made.
    return { ...(await createRunLayout(HTTP_WRITER, { ...needs, chunked: false, counters: false })), chunked: [], counters: [] };
  } catch (error) {
    return stopSetup(error);
  }
}

export function teardownHttpRun(data: RunData | undefined): void {
  if (!data) return;
  if (config.keepData) {
    reportKeptData(data.runId, data.stores);
    return;
  }
  reportTeardown(data.runId, removeRunData(data));
}
