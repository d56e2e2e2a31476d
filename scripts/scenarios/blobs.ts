// Blobs: each iteration takes the next size class of BLOB_SIZES, uploads it
// to a fresh record with MD5 and CRC32C, downloads it and checks every byte,
// deletes it; then a chunked upload (create, chunks, commit), a chunk read,
// chunk URLs and an aborted upload.
import exec from 'k6/execution';
import { config } from '../lib/runtime.js';
import { requireGrpc } from '../lib/grpc-only.js';
import { buildOptions } from '../profiles/index.js';
import { setupRun, teardownRun } from '../lib/lifecycle.js';
import { buildSummary, type SummaryData } from '../lib/summary.js';
import { iterationKey } from '../lib/keys.js';
import { iterationSeed } from '../lib/vu-seed.js';
import { makePayload } from '../lib/payloads.js';
import { createRecord, deleteRecord } from '../lib/flows/records.js';
import { abortedUpload, chunkUrls, deleteBlob, readBlob, readChunk, uploadBlob, uploadChunked } from '../lib/flows/blobs.js';
import { CHUNK_BYTES, CHUNKED_UPLOAD_CHUNKS, type RunData } from '../lib/run-data.js';

requireGrpc(config, 'blobs');

export const options = buildOptions(config, {
  ops: [
    'CreateRecord',
    'CreateBlob',
    'GetBlob',
    'DeleteBlob',
    'CreateChunkedBlob',
    'UploadChunk',
    'CommitChunkedUpload',
    'GetBlobChunk',
    'CreateChunkUrls',
    'AbortChunkedUpload',
    'DeleteRecord',
  ],
});

// Made once per VU here in the init context, never per iteration.
const payloads = config.blobSizes.map(makePayload);
const chunk = makePayload(CHUNK_BYTES);

export function setup(): Promise<RunData> {
  return setupRun({});
}

export default async function blobs(data: RunData): Promise<void> {
  const store = data.stores[0] as string;
  const payload = payloads[exec.scenario.iterationInTest % payloads.length];
  if (!payload) return;
  const record = { store, key: iterationKey(data.runId, `blob-${payload.label}`), seed: iterationSeed() };
  if (createRecord(record)) {
    if (await uploadBlob(record, payload)) {
      await readBlob(record, payload, { skipCache: true });
      await deleteBlob(record);
    }
    deleteRecord(record);
  }

  const chunked = { store, key: iterationKey(data.runId, 'chunked'), seed: iterationSeed(1) };
  if (createRecord(chunked)) {
    if (await uploadChunked(chunked, chunk, CHUNKED_UPLOAD_CHUNKS)) {
      await readChunk(chunked, chunk, exec.scenario.iterationInTest % CHUNKED_UPLOAD_CHUNKS);
      chunkUrls(chunked, CHUNKED_UPLOAD_CHUNKS);
    }
    await abortedUpload(chunked, chunk);
    deleteRecord(chunked);
  }
}

export function teardown(data: RunData): void {
  teardownRun(data);
}

export function handleSummary(data: SummaryData): Record<string, string> {
  return buildSummary('blobs', config, data);
}
