// Smoke: one pass over all 27 RPCs, a functional check of a deployment.
// Under the smoke profile it runs exactly one iteration; every call must
// succeed and every read-back must match. Over HTTP it passes over the AWS
// port's routes; what the port lacks (Ping, GetRecords, chunked blobs, atomics)
// is skipped and counted.
import { RPC_NAMES, INLINE_BLOB_MAX_BYTES } from '../lib/config/constants.js';
import { config } from '../lib/config/runtime.js';
import { buildOptions } from '../profiles/index.js';
import { planTransport, setupOnTransport, teardownOnTransport } from '../lib/workload/transport-plan.js';
import { buildSummary, type SummaryData } from '../lib/summary/summary.js';
import { unwrittenKey } from '../lib/run/keys.js';
import { recordKeyFor, storeKeyFor } from '../lib/lifecycle/vu-keys.js';
import { iterationSeed } from '../lib/run/vu-seed.js';
import { makePayload } from '../lib/model/payloads.js';
import { unary } from '../lib/transport/grpc-client.js';
import { verify } from '../lib/verify/checks.js';
import { transport } from '../lib/transport/transport.js';
import { skip } from '../lib/metrics/skips.js';
import { createStore, deleteStore, findStoreByName, readStore } from '../lib/flows/stores.js';
import { createRecord, deleteRecord, readRecord, readRecordBatch, updateRecord } from '../lib/flows/records.js';
import { abortedUpload, CHUNK_OPS, chunkUrls, deleteBlob, readBlob, readChunk, uploadBlob, uploadChunked } from '../lib/flows/blobs.js';
import { atomicSequence } from '../lib/flows/atomic.js';
import { runQuery } from '../lib/flows/queries.js';
import type { RunData } from '../lib/run/run-data.js';

const plan = planTransport(RPC_NAMES);

export const options = buildOptions(config, { ops: plan.ops, thresholds: plan.thresholds, singlePassInSmoke: true });

// One inline and one external blob: the smallest size class on each side of the 64 KiB line.
const inlineSize = config.blobSizes.find((size) => size <= INLINE_BLOB_MAX_BYTES) ?? 1024;
const externalSize = config.blobSizes.find((size) => size > INLINE_BLOB_MAX_BYTES) ?? 100 * 1024;
const inlinePayload = makePayload(inlineSize);
const externalPayload = makePayload(externalSize);
const chunkPayload = makePayload(16_384);
const CHUNKS = 2;

export function setup(): Promise<RunData> {
  plan.announce();
  return setupOnTransport({});
}

export default async function smoke(data: RunData): Promise<void> {
  const store = data.stores[0] as string;

  if (transport.offers('Ping')) {
    const pong = unary<{ pong: string }>('Ping', { ping: 'smoke' });
    if (pong.message) verify('Ping', 'Ping echoes its text', pong.message.pong === 'smoke');
  } else {
    skip('Ping');
  }

  // A store of its own, made and removed within the pass.
  const spareKey = storeKeyFor(data);
  const spare = { key: spareKey, name: `smoke ${spareKey}`, tags: ['kind:smoke'] };
  if (createStore(spare)) {
    readStore(spare);
    findStoreByName(spare);
    deleteStore(spare.key);
  }

  const seed = iterationSeed();
  const record = { store, key: recordKeyFor(data, 'save', store), seed };
  const other = { store, key: recordKeyFor(data, 'save2', store), seed: iterationSeed(1) };
  if (!createRecord(record) || !createRecord(other)) return;
  readRecord(record, 0, { skipCache: true });
  readRecordBatch([record, other], unwrittenKey(data.runId, 'missing'));
  runQuery('owner', { ...data, seeds: [record, other] }, record);
  updateRecord(record, 1);
  readRecord(record, 1);

  let previous: typeof inlinePayload | undefined;
  for (const payload of [inlinePayload, externalPayload]) {
    if (await uploadBlob(record, payload)) await readBlob(record, payload, { skipCache: true }, previous);
    previous = payload;
  }
  await deleteBlob(record);

  if (transport.offers('CreateChunkedBlob')) {
    if (await uploadChunked(other, chunkPayload, CHUNKS)) {
      await readChunk(other, chunkPayload, CHUNKS - 1);
      chunkUrls(other, CHUNKS);
    }
    await abortedUpload(other, chunkPayload);
  } else {
    for (const op of CHUNK_OPS) skip(op);
  }

  // Over HTTP atomicSequence only counts the atomics as skipped, and writes nothing a marker would name.
  atomicSequence(store, transport.offers('AtomicAddInt') ? recordKeyFor(data, 'atomic', store) : '');

  deleteRecord(record);
  deleteRecord(other);
}

export function teardown(data: RunData): void {
  teardownOnTransport(data);
}

export function handleSummary(data: SummaryData): Record<string, string> {
  return buildSummary('smoke', config, data);
}
