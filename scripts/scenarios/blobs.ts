// Blobs: each iteration takes the next size class of BLOB_SIZES, uploads it
// to a fresh record (with MD5 and CRC32C over gRPC), downloads it and checks every
// byte, deletes it; then, over gRPC, a chunked upload (create, chunks, commit), a
// chunk read, chunk URLs and an aborted upload. The AWS port has no chunked
// blobs: over HTTP those are skipped and counted.
import exec from 'k6/execution';
import { config } from '../lib/config/runtime.js';
import { buildOptions } from '../profiles/index.js';
import { planTransport, setupOnTransport, teardownOnTransport } from '../lib/workload/transport-plan.js';
import { buildSummary, type SummaryData } from '../lib/summary/summary.js';
import { recordKeyFor } from '../lib/lifecycle/vu-keys.js';
import { iterationSeed } from '../lib/run/vu-seed.js';
import { makePayload } from '../lib/model/payloads.js';
import { transport } from '../lib/transport/transport.js';
import { skip } from '../lib/metrics/skips.js';
import { createRecord, deleteRecord } from '../lib/flows/records.js';
import { abortedUpload, CHUNK_OPS, chunkUrls, deleteBlob, readBlob, readChunk, uploadBlob, uploadChunked } from '../lib/flows/blobs.js';
import { CHUNK_BYTES, CHUNKED_UPLOAD_CHUNKS, type RunData } from '../lib/run/run-data.js';

const plan = planTransport(['CreateRecord', 'CreateBlob', 'GetBlob', 'DeleteBlob', ...CHUNK_OPS, 'DeleteRecord']);

export const options = buildOptions(config, { ops: plan.ops, thresholds: plan.thresholds });

// Made once per VU here in the init context, never per iteration.
const payloads = config.blobSizes.map(makePayload);
const chunk = makePayload(CHUNK_BYTES);
const chunked = transport.offers('CreateChunkedBlob');

export function setup(): Promise<RunData> {
  plan.announce();
  return setupOnTransport({});
}

export default async function blobs(data: RunData): Promise<void> {
  const store = data.stores[0] as string;
  const payload = payloads[exec.scenario.iterationInTest % payloads.length];
  if (!payload) return;
  const record = { store, key: recordKeyFor(data, `blob-${payload.label}`, store), seed: iterationSeed() };
  if (createRecord(record)) {
    if (await uploadBlob(record, payload)) {
      await readBlob(record, payload, { skipCache: true });
      await deleteBlob(record);
    }
    deleteRecord(record);
  }

  if (!chunked) {
    for (const op of CHUNK_OPS) skip(op);
    return;
  }
  const chunkedRecord = { store, key: recordKeyFor(data, 'chunked', store), seed: iterationSeed(1) };
  if (createRecord(chunkedRecord)) {
    if (await uploadChunked(chunkedRecord, chunk, CHUNKED_UPLOAD_CHUNKS)) {
      await readChunk(chunkedRecord, chunk, exec.scenario.iterationInTest % CHUNKED_UPLOAD_CHUNKS);
      chunkUrls(chunkedRecord, CHUNKED_UPLOAD_CHUNKS);
    }
    await abortedUpload(chunkedRecord, chunk);
    deleteRecord(chunkedRecord);
  }
}

export function teardown(data: RunData): void {
  teardownOnTransport(data);
}

export function handleSummary(data: SummaryData): Record<string, string> {
  return buildSummary('blobs', config, data);
}
