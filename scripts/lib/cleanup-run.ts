// Deleting a run's data, shared by teardown() and dist/cleanup.js: a record's
// blobs go first (the AWS port's record delete leaves them in S3, where nothing
// reaches them once the record is gone), then the record, then its store. Every
// outcome is tallied: deleted, already gone, or left (with the reason printed).
import exec from 'k6/execution';
import { unary, type CallResult } from './grpc-client.js';
import { httpCall, parseJson } from './http-client.js';
import { blobPath, HTTP_ROUTES, recordPath, storePath } from './http-transport.js';
import { config } from './runtime.js';
import { cleanupCommand, type RecordRef } from './cleanup-plan.js';
import type { HttpRecord } from './http-records.js';
import type { GetRecordsResult, QueryRecordsResponse, RecordMessage, StoreMessage } from './messages.js';

export type ItemKind = 'store' | 'record' | 'blob';

export interface Tally {
  readonly deleted: Record<ItemKind, number>;
  readonly gone: Record<ItemKind, number>;
  readonly left: Record<ItemKind, number>;
}

export function newTally(): Tally {
  return { deleted: { store: 0, record: 0, blob: 0 }, gone: { store: 0, record: 0, blob: 0 }, left: { store: 0, record: 0, blob: 0 } };
}

export function leftCount(tally: Tally): number {
  return tally.left.store + tally.left.record + tally.left.blob;
}

// A few items left are named; the rest only counted, so a broken target cannot flood the log.
const LEFT_PRINTED = 10;
let leftPrinted = 0;

function leave(tally: Tally, kind: ItemKind, what: string, why: string): void {
  tally.left[kind]++;
  if (leftPrinted++ < LEFT_PRINTED) console.error(`cleanup: ${kind} ${what} is left: ${why}`);
}

const GRPC_OPTIONS = { tags: { phase: 'cleanup' } };
const BATCH_READ_KEYS = 200;

function why(result: CallResult<unknown>): string {
  return `${result.status}${result.error ? ` ${result.error}` : ''}`;
}

/** Deletes those of `refs` that exist over gRPC, found with batched GetRecords (a missing key costs no call of its own). */
export function deleteGrpcRecords(refs: readonly RecordRef[], tally: Tally): void {
  for (let start = 0; start < refs.length; start += BATCH_READ_KEYS) {
    const batch = refs.slice(start, start + BATCH_READ_KEYS);
    const read = unary<{ results: GetRecordsResult[] }>(
      'GetRecords',
      { storeKeys: batch.map((ref) => ref.store), keys: batch.map((ref) => ref.key) },
      GRPC_OPTIONS,
    );
    batch.forEach((ref, index) => {
      const result = read.message?.results[index];
      const code = result ? Number(result.status?.code ?? 0) : undefined;
      if (code === 5) tally.gone.record++;
      // Unknown (the batch read failed): delete it anyway, blob first.
      else deleteGrpcRecord(ref, code === 0 ? (result?.record ?? undefined) : undefined, tally);
    });
  }
}

function deleteGrpcRecord(ref: RecordRef, record: RecordMessage | undefined, tally: Tally): void {
  const request = { storeKey: ref.store, recordKey: ref.key };
  if (record === undefined || Number(record.blobSize ?? 0) > 0 || record.chunked === true) {
    const blob = unary('DeleteBlob', request, { ...GRPC_OPTIONS, expect: ['OK', 'NOT_FOUND', 'FAILED_PRECONDITION'] });
    if (!blob.ok) return leave(tally, 'blob', `of ${ref.store}/${ref.key}`, why(blob));
    if (blob.status === 'OK') tally.deleted.blob++;
  }
  const deleted = unary('DeleteRecord', { storeKey: ref.store, key: ref.key }, { ...GRPC_OPTIONS, expect: ['OK', 'NOT_FOUND'] });
  if (deleted.status === 'OK') tally.deleted.record++;
  else if (deleted.status === 'NOT_FOUND') tally.gone.record++;
  else leave(tally, 'record', `${ref.store}/${ref.key}`, why(deleted));
}

/**
 * Deletes a store over gRPC; one that `mayNotExist` is read first, since deleting a
 * store that does not exist answers OK. (Upstream's store cache may still return a deleted store for a
 * while; such a store counts as deleted again.)
 */
export function deleteGrpcStore(key: string, tally: Tally, mayNotExist = true): void {
  if (mayNotExist && grpcStoreName(key) === null) {
    tally.gone.store++;
    return;
  }
  const deleted = unary('DeleteStore', { key }, { ...GRPC_OPTIONS, expect: ['OK', 'NOT_FOUND'] });
  if (deleted.status === 'OK') tally.deleted.store++;
  else if (deleted.status === 'NOT_FOUND') tally.gone.store++;
  else leave(tally, 'store', key, why(deleted));
}

/** Keys of the records a store lists now (the emulator and upstream list in full); undefined when the query failed. */
export function listGrpcRecordKeys(store: string): string[] | undefined {
  const listed = unary<QueryRecordsResponse>('QueryRecords', { storeKey: store, keysOnly: true }, { ...GRPC_OPTIONS, expect: ['OK', 'NOT_FOUND'] });
  if (listed.status === 'NOT_FOUND') return [];
  return listed.message ? listed.message.records.map((record) => record.key) : undefined;
}

/** The name of a store over gRPC; null when it does not exist, undefined when the read failed. */
export function grpcStoreName(key: string): string | null | undefined {
  const read = unary<StoreMessage>('GetStore', { key }, { ...GRPC_OPTIONS, expect: ['OK', 'NOT_FOUND'] });
  if (read.status === 'NOT_FOUND') return null;
  return read.message ? read.message.name : undefined;
}

const ROUTES = HTTP_ROUTES;
const recordPathOf = (ref: RecordRef) => recordPath(ref.store, ref.key);

/**
 * Deletes a record over HTTP, each of its blobs first. `blobKeys` as a list
 * reported them; without it the record's blob list is read, whose 404 says the
 * record is gone. A blob that cannot be deleted keeps its record, which is the
 * only way left to reach it.
 */
export function deleteHttpRecord(ref: RecordRef, tally: Tally, blobKeys?: readonly string[]): void {
  let blobs = blobKeys;
  if (blobs === undefined) {
    const listed = httpCall('GetBlob', 'GET', `${recordPathOf(ref)}/blobs`, null, { route: `GET ${ROUTES.blobs}`, expect: [200, 404] });
    if (listed.status === 404) {
      tally.gone.record++;
      return;
    }
    if (!listed.ok) return leave(tally, 'record', `${ref.store}/${ref.key}`, `its blob list answered ${listed.status}`);
    blobs = parseJson<string[] | null>(listed) ?? [];
  }
  for (const blob of blobs) {
    const deleted = httpCall('DeleteBlob', 'DELETE', blobPath(ref.store, ref.key, blob), null, { route: `DELETE ${ROUTES.blob}`, expect: [200, 204, 404] });
    if (!deleted.ok) return leave(tally, 'blob', `${blob} of ${ref.store}/${ref.key}`, `DELETE answered ${deleted.status}`);
    if (deleted.status === 404) tally.gone.blob++;
    else tally.deleted.blob++;
  }
  const deleted = httpCall('DeleteRecord', 'DELETE', recordPathOf(ref), null, { route: `DELETE ${ROUTES.record}`, expect: [200, 204, 404] });
  if (!deleted.ok) leave(tally, 'record', `${ref.store}/${ref.key}`, `DELETE answered ${deleted.status}`);
  else if (deleted.status === 404) tally.gone.record++;
  else tally.deleted.record++;
}

/** The records a store lists now with their blob keys (the AWS port: its first page only); undefined when the list failed. */
export function listHttpRecords(store: string): HttpRecord[] | undefined {
  const listed = httpCall('QueryRecords', 'GET', `${storePath(store)}/records`, null, { route: `GET ${ROUTES.records}`, expect: [200, 404] });
  if (listed.status === 404) return [];
  return parseJson<{ records: HttpRecord[] }>(listed)?.records;
}

/** The name of a store over HTTP; null when it does not exist, undefined when the read failed. */
export function httpStoreName(key: string): string | null | undefined {
  const read = httpCall('GetStore', 'GET', storePath(key), null, { route: `GET ${ROUTES.store}`, expect: [200, 404] });
  if (read.status === 404) return null;
  return parseJson<{ name?: string }>(read)?.name ?? (read.ok ? '' : undefined);
}

/** Deletes a store over HTTP; one that `mayNotExist` is read first, since the port answers 204 to deleting a store that does not exist. */
export function deleteHttpStore(key: string, tally: Tally, mayNotExist = true): void {
  if (mayNotExist && httpStoreName(key) === null) {
    tally.gone.store++;
    return;
  }
  const deleted = httpCall('DeleteStore', 'DELETE', storePath(key), null, { route: `DELETE ${ROUTES.store}`, expect: [200, 204, 404] });
  if (!deleted.ok) leave(tally, 'store', key, `DELETE answered ${deleted.status}`);
  else tally.deleted.store++;
}

/** The command that removes this run's data later, for the run's own configuration. */
export function cleanupCommandFor(runId: string): string {
  const options = exec.test.options as { executionSegment?: unknown; executionSegmentSequence?: unknown };
  return cleanupCommand({
    runId,
    transport: config.transport,
    addr: config.addr,
    httpUrl: config.httpUrl,
    tls: config.tls,
    caCertPath: config.caCertPath,
    tokenSet: config.authToken !== undefined,
    executionSegment: options.executionSegment ? String(options.executionSegment) : undefined,
    executionSegmentSequence: options.executionSegmentSequence ? String(options.executionSegmentSequence) : undefined,
  });
}

/** Adds what `pass` deleted and found gone to `total`; what it left only when `withLeft` (the last pass's leftovers are the ones that stay). */
export function addTally(total: Tally, pass: Tally, withLeft: boolean): void {
  for (const kind of ['store', 'record', 'blob'] as const) {
    total.deleted[kind] += pass.deleted[kind];
    total.gone[kind] += pass.gone[kind];
    if (withLeft) total.left[kind] += pass.left[kind];
  }
}

// Passes over a store's records: a record may reappear while deleting, and the AWS port lists a page at a time.
const MAX_SWEEP_PASSES = 50;

/**
 * Deletes what the run's stores still hold, then the stores, then the manifest
 * store (last, and only when nothing is left: while something is, dist/cleanup.js
 * finds the run through it). `mayNotExist`: whether the stores are to be read first
 * (a cleanup's; a teardown knows its run made them). Lists are used here because a run's stores hold
 * only the run's records; dist/cleanup.js also looks up every derived key, which
 * a paging list could miss.
 */
export function sweepStores(stores: readonly string[], manifestStore: string, tally: Tally, mayNotExist: boolean): void {
  const http = config.transport === 'http';
  for (const store of stores) {
    for (let pass = 0; pass < MAX_SWEEP_PASSES; pass++) {
      const passTally = newTally();
      if (http) {
        const records = listHttpRecords(store);
        if (records === undefined || records.length === 0) break;
        for (const record of records) deleteHttpRecord({ store, key: record.record_id }, passTally, record.blob_keys ?? []);
      } else {
        const keys = listGrpcRecordKeys(store);
        if (keys === undefined || keys.length === 0) break;
        deleteGrpcRecords(keys.map((key) => ({ store, key })), passTally);
      }
      const progress = passTally.deleted.record + passTally.gone.record > 0;
      addTally(tally, passTally, !progress || pass === MAX_SWEEP_PASSES - 1);
      if (!progress) break;
    }
    // Over HTTP a store whose records could not all go keeps them: the port's store delete would orphan their blobs.
    if (!http) deleteGrpcStore(store, tally, mayNotExist);
    else if (leftCount(tally) === 0) deleteHttpStore(store, tally, mayNotExist);
  }
  if (leftCount(tally) > 0) return;
  if (http) deleteHttpStore(manifestStore, tally, mayNotExist);
  else deleteGrpcStore(manifestStore, tally, mayNotExist);
}

/** teardown()'s last line: what it deleted, and the command for what it could not. */
export function reportTeardown(runId: string, tally: Tally): void {
  if (leftCount(tally) === 0) console.log(`teardown: ${describeTally(tally)}`);
  else console.error(`teardown: ${describeTally(tally)}; remove what is left with: ${cleanupCommandFor(runId)}`);
}

export function reportKeptData(runId: string, stores: readonly string[]): void {
  console.log(`KEEP_DATA is set: the run's data is kept (stores ${stores.join(', ')}); remove it with: ${cleanupCommandFor(runId)}`);
}

/** One line of what a tally holds, e.g. `deleted 3 stores, 41 records, 2 blobs; already gone: 5 records`. */
export function describeTally(tally: Tally): string {
  const part = (counts: Record<ItemKind, number>) =>
    (['store', 'record', 'blob'] as const)
      .filter((kind) => counts[kind] > 0)
      .map((kind) => `${counts[kind]} ${kind}${counts[kind] === 1 ? '' : 's'}`)
      .join(', ') || 'nothing';
  const gone = part(tally.gone);
  const left = part(tally.left);
  return `deleted ${part(tally.deleted)}${gone === 'nothing' ? '' : `; already gone: ${gone}`}${left === 'nothing' ? '' : `; left: ${left}`}`;
}
