// The actions/ folder: the mixed workload's operations, one action per entry of the mix.
//
// The mixed workload's operations, written once against the transport-neutral
// flows. Reads go to what setup() seeded (content known, so verified, the hottest
// ones on one read in VERIFY_EVERY); writes go to records this VU owns
// (vu-state.ts), so VUs never race on each other's records, except the shared
// counters of atomic ops. An operation the transport lacks has no entry: the
// workload skips and counts it.
import { oneReadIn, verifiedRead } from '../transport/grpc-client.js';
import { config } from '../config/runtime.js';
import { transport } from '../transport/transport.js';
import { NO_DIFFERENCES } from '../model/records.js';
import { unwrittenKey } from '../run/keys.js';
import { recordKeyFor } from '../lifecycle/vu-keys.js';
import { iterationSeed } from '../run/vu-seed.js';
import { makePayload, type Payload } from '../model/payloads.js';
import { pick, pickSome } from '../run/random.js';
import { anyOwned, forget, remember, type OwnRecord } from '../run/vu-state.js';
import { createRecord, deleteRecord, dropRecord, readRecord, readRecordBatch, readSeed, updateRecord } from '../flows/records.js';
import { findStoreByName, readStoreKey } from '../flows/stores.js';
import {
  abortedUpload,
  chunkUrls,
  deleteBlob,
  readBlob,
  readBlobUncompared,
  readChunk,
  readChunkUncompared,
  uploadBlob,
  uploadChunked,
  uploadConfirmed,
} from '../flows/blobs.js';
import { contend } from '../flows/atomic.js';
import { queryOffered, runQuery, type QueryKind } from '../flows/queries.js';
import { CHUNK_BYTES, CHUNKED_UPLOAD_CHUNKS, COLD_COUNTERS, HOT_COUNTER } from '../run/run-data.js';
import type { RpcName } from '../config/constants.js';
import type { ActionContext, ActionTable } from './types.js';

// Paging is left out: concurrent creates may shift a page between its two queries.
// Over HTTP only the kinds the port can ask remain (by owner).
const MIXED_QUERIES: readonly QueryKind[] = (['owner', 'tagsAnd', 'tagsOr', 'filter', 'sorted', 'keysOnly', 'allStores'] as const).filter(queryOffered);
const chunk = makePayload(CHUNK_BYTES);
// The payload each own record's blob was last uploaded with.
const lastUploaded = new WeakMap<OwnRecord, Payload>();

// Ping is gRPC's alone: prepared once per VU with one check for its status and
// read-back (grpc-client.ts), verified on one call in VERIFY_EVERY.
const PING_TEXT = 'mixed';
const PING_REQUEST = { ping: PING_TEXT };
const pingEchoes = transport.offers('Ping')
  ? verifiedRead<{ pong: string }, string>(
      'Ping',
      'Ping echoes its text',
      (message, text) => (message.pong === text ? NO_DIFFERENCES : [`pong ${message.pong} != ${text}`]),
      oneReadIn(config.verifyEvery),
    )
  : undefined;

// Reads of the blobs and chunks setup() seeded: one in VERIFY_EVERY per VU compares every
// byte; the others check the status and that the blob arrived whole, without k6 turning the
// bytes into JavaScript (flows/blobs.ts). Reads of the VU's own uploads always compare.
const blobReadCompares = oneReadIn(config.verifyEvery);
const chunkReadCompares = oneReadIn(config.verifyEvery);

function createOwn(context: ActionContext): OwnRecord | undefined {
  const store = pick(context.data.stores);
  const own: OwnRecord = { store, key: recordKeyFor(context.data, 'own', store), seed: iterationSeed(), version: 0, hasBlob: false };
  if (!createRecord(own)) return undefined;
  const evicted = remember(own);
  if (evicted) dropRecord(evicted);
  return own;
}

function contendOn(context: ActionContext, op: Parameters<typeof contend>[3]): void {
  if (context.data.counters.length === 0) return;
  const counters = pick(context.data.counters);
  // One call in ten goes to the hot counter every VU shares; the rest spread over cold ones.
  const property = Math.random() < 0.1 && op !== 'CompareAndSwap' ? HOT_COUNTER : `cold${Math.floor(Math.random() * COLD_COUNTERS)}`;
  contend(counters.store, counters.key, property, op);
}

const ALL_ACTIONS: ActionTable = {
  Ping: () => {
    pingEchoes?.(PING_REQUEST, PING_TEXT);
  },
  GetStore: ({ data }) => readStoreKey(pick(data.stores)),
  ListStores: ({ data }) => {
    const index = Math.floor(Math.random() * data.stores.length);
    findStoreByName({ key: data.stores[index] as string, name: data.storeNames[index] as string, tags: [] });
  },
  GetRecord: ({ data }) => {
    readSeed(pick(data.seeds));
  },
  GetRecords: ({ data }) => {
    readRecordBatch(pickSome(data.seeds, 4), unwrittenKey(data.runId, 'missing'));
  },
  QueryRecords: ({ data }) => runQuery(pick(MIXED_QUERIES), data, pick(data.seeds)),
  GetBlob: async ({ data, payloads }) => {
    if (data.blobs.length === 0) return;
    const blob = pick(data.blobs);
    const payload = payloads.find((candidate) => candidate.size === blob.size);
    if (!payload) return;
    await (blobReadCompares(blob) ? readBlob(blob, payload) : readBlobUncompared(blob, payload));
  },
  // setup() may have failed to make the chunked record under injected faults; then there is nothing to read.
  GetBlobChunk: async ({ data }) => {
    if (data.chunked.length === 0) return;
    const target = pick(data.chunked);
    const number = Math.floor(Math.random() * CHUNKED_UPLOAD_CHUNKS);
    await (chunkReadCompares(target) ? readChunk(target, chunk, number) : readChunkUncompared(target, chunk, number));
  },
  CreateChunkUrls: ({ data }) => (data.chunked.length === 0 ? undefined : chunkUrls(pick(data.chunked), CHUNKED_UPLOAD_CHUNKS)),

  CreateRecord: (context) => {
    createOwn(context);
  },
  UpdateRecord: (context) => {
    const own = anyOwned() ?? createOwn(context);
    if (!own) return;
    if (updateRecord(own, own.version + 1)) {
      own.version++;
      readRecord(own, own.version, { skipCache: true });
    }
  },
  DeleteRecord: (context) => {
    const own = anyOwned() ?? createOwn(context);
    if (!own) return;
    forget(own);
    deleteRecord(own);
  },
  CreateBlob: async (context) => {
    const own = anyOwned() ?? createOwn(context);
    const payload = pick(context.payloads);
    if (!own) return;
    // Over HTTP the upload's answer is empty: it is read back, and the blob it replaced is what a lagging read may return.
    if (await uploadConfirmed(own, payload, own.hasBlob ? lastUploaded.get(own) : undefined)) {
      own.hasBlob = true;
      lastUploaded.set(own, payload);
    }
  },
  DeleteBlob: async (context) => {
    const own = anyOwned() ?? createOwn(context);
    if (!own) return;
    if (!own.hasBlob && !(await uploadBlob(own, context.payloads[0] ?? chunk))) return;
    await deleteBlob(own);
    own.hasBlob = false;
  },
  CreateChunkedBlob: async (context) => {
    const own = anyOwned() ?? createOwn(context);
    if (own && (await uploadChunked(own, chunk, CHUNKED_UPLOAD_CHUNKS))) {
      own.hasBlob = true;
      await readChunk(own, chunk, CHUNKED_UPLOAD_CHUNKS - 1);
    }
  },
  AbortChunkedUpload: async (context) => {
    const own = anyOwned() ?? createOwn(context);
    if (own) await abortedUpload(own, chunk);
  },
  CompareAndSwap: (context) => contendOn(context, 'CompareAndSwap'),
  CompareAndSwapGreaterInt: (context) => contendOn(context, 'CompareAndSwapGreaterInt'),
  CompareAndSwapLessInt: (context) => contendOn(context, 'CompareAndSwapLessInt'),
  AtomicAddInt: (context) => contendOn(context, 'AtomicAddInt'),
  AtomicSubInt: (context) => contendOn(context, 'AtomicSubInt'),
  AtomicInc: (context) => contendOn(context, 'AtomicInc'),
  AtomicDec: (context) => contendOn(context, 'AtomicDec'),
};

/** The mix's actions this transport can run; the others are absent, so the workload skips them. */
export const MIXED_ACTIONS: ActionTable = Object.fromEntries(Object.entries(ALL_ACTIONS).filter(([op]) => transport.offers(op as RpcName)));
