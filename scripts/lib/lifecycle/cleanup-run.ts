// Deleting a run's data, shared by teardown() and dist/cleanup.js, over either
// transport: a record's blobs go first (the AWS port's record delete leaves them
// in S3, where nothing reaches them once the record is gone), then the record,
// then its store, and over HTTP the store's metadata items (the port's store
// delete leaves store_stats). Records are found by key: setup's, and the keys the
// VUs named in their markers (run/markers.ts); a last sweep lists each store for
// anything no key named. Every outcome is tallied (tally.ts).
import { sleep } from 'k6';
import { unary, type CallResult } from '../transport/grpc-client.js';
import { parseJson, wafBlockedThisVu, type HttpResult } from '../transport/http-client.js';
import { BLOB_NAME, routeCall } from '../transport/http-transport.js';
import { config } from '../config/runtime.js';
import { STALE, untilFresh } from '../flows/consistency.js';
import { allMarkedKeys, markerVuOf, type Marker } from '../run/markers.js';
import { leave, leftCount, newTally, addTally, type Tally } from './tally.js';
import type { RecordRef, RunKeys } from '../run/cleanup-plan.js';
import type { HttpRecord } from '../transport/http-records.js';
import type { GetRecordsResult, QueryRecordsResponse, RecordMessage, StoreMessage } from '../model/messages.js';

const http = config.transport === 'http';
// Tagged phase=cleanup, as setup's preflight is phase=preflight: k6's output tells them from the workload's calls.
const CLEANUP_TAGS = { phase: 'cleanup' } as const;
const GRPC_OPTIONS = { tags: CLEANUP_TAGS };
const MAY_BE_MISSING = { allowMissing: true, tags: CLEANUP_TAGS } as const;
const DELETE_MAY_BE_MISSING = { alsoExpect: [200], allowMissing: true, tags: CLEANUP_TAGS } as const;
const BATCH_READ_KEYS = 200;
const WAF_BLOCK = "not looked up: CloudFront's WAF blocked this runner";

function why(result: CallResult<unknown>): string {
  return `${result.status}${result.error ? ` ${result.error}` : ''}`;
}

// ---- gRPC ----

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
 * The name of a store over gRPC; null when it does not exist, undefined when a read failed.
 * Upstream's GetStore answers from a cache its DeleteStore does not clear, so a store
 * it finds is confirmed with ListStores by that name (read from the database): a
 * deleted store is then neither deleted nor counted again, and a cleanup run twice
 * reads no manifest of a store already gone.
 */
export function grpcStoreName(key: string): string | null | undefined {
  const read = unary<StoreMessage>('GetStore', { key }, { ...GRPC_OPTIONS, expect: ['OK', 'NOT_FOUND'] });
  if (read.status === 'NOT_FOUND') return null;
  if (!read.message) return undefined;
  const listed = unary<{ stores: StoreMessage[] }>('ListStores', { name: read.message.name }, { ...GRPC_OPTIONS, expect: ['OK', 'NOT_FOUND'] });
  if (listed.status === 'NOT_FOUND') return null;
  if (!listed.message) return undefined;
  // The kit's store names carry their key, so no other store has this one's.
  return listed.message.stores.some((store) => store.key === key) ? read.message.name : null;
}

/** The records a store holds now, with their tags (the emulator and upstream list in full); undefined when the query failed. */
function listGrpcRecords(store: string, keysOnly: boolean): ListedRecord[] | undefined {
  const listed = unary<QueryRecordsResponse>('QueryRecords', { storeKey: store, keysOnly }, { ...GRPC_OPTIONS, expect: ['OK', 'NOT_FOUND'] });
  if (listed.status === 'NOT_FOUND') return [];
  return listed.message ? listed.message.records.map((record) => ({ key: record.key, tags: record.tags ?? [] })) : undefined;
}

// ---- HTTP ----

/**
 * Deletes a record over HTTP, each of its blobs first: the record's blob list is
 * read, whose 404 says the record is gone (once the reads have caught up with the
 * run's writes: waitOutReadLag). A blob that cannot be deleted keeps its record,
 * which is the only way left to reach it. True when the record was found.
 */
export function deleteHttpRecord(ref: RecordRef, tally: Tally): boolean {
  const listed = routeCall('ListBlobs', [ref.store, ref.key], null, MAY_BE_MISSING);
  if (listed.status === 404) {
    tally.gone.record++;
    return false;
  }
  if (!listed.ok) {
    leave(tally, 'record', `${ref.store}/${ref.key}`, `its blob list answered ${listed.status}`);
    return true;
  }
  for (const blob of parseJson<string[] | null>(listed) ?? []) {
    if (!deleteHttpBlob(ref, blob, tally)) return true;
  }
  deleteHttpRecordItself(ref, tally);
  return true;
}

/** False when the blob is left (and its record with it). */
function deleteHttpBlob(ref: RecordRef, blob: string, tally: Tally): boolean {
  // The record was just seen, so a 404 (record not found) is the port's lagging lookup: tried again;
  // one still 404 on the last try is taken as gone.
  const deleted = untilFresh('DeleteBlob', (lastTry) => {
    const result = routeCall('DeleteBlob', [ref.store, ref.key, blob], null, DELETE_MAY_BE_MISSING);
    return result.status === 404 && !lastTry ? STALE : result;
  }) as HttpResult;
  if (!deleted.ok) {
    leave(tally, 'blob', `${blob} of ${ref.store}/${ref.key}`, `DELETE answered ${deleted.status}`);
    return false;
  }
  if (deleted.status === 404) tally.gone.blob++;
  else tally.deleted.blob++;
  return true;
}

// The port's record delete answers 204 whether or not the record existed.
function deleteHttpRecordItself(ref: RecordRef, tally: Tally): void {
  const deleted = routeCall('DeleteRecord', [ref.store, ref.key], null, DELETE_MAY_BE_MISSING);
  if (!deleted.ok) leave(tally, 'record', `${ref.store}/${ref.key}`, `DELETE answered ${deleted.status}`);
  else if (deleted.status === 404) tally.gone.record++;
  else tally.deleted.record++;
}

/**
 * Deletes a record over HTTP that is known to exist, with the blob the kit gives it when
 * `withBlob` (the kit names every blob BLOB_NAME): no lookup first. A blob delete's 404
 * says the record is gone.
 */
export function deleteKnownHttpRecord(ref: RecordRef, withBlob: boolean, tally: Tally): void {
  if (withBlob) {
    const blob = routeCall('DeleteBlob', [ref.store, ref.key, BLOB_NAME], null, DELETE_MAY_BE_MISSING);
    if (blob.status === 404) {
      tally.gone.record++;
      return;
    }
    if (!blob.ok) return leave(tally, 'blob', `${BLOB_NAME} of ${ref.store}/${ref.key}`, `DELETE answered ${blob.status}`);
    tally.deleted.blob++;
  }
  deleteHttpRecordItself(ref, tally);
}

/** The records a store lists now with their blob keys (the AWS port: its first page only); undefined when the list failed. */
export function listHttpRecords(store: string): HttpRecord[] | undefined {
  const listed = routeCall('QueryRecords', [store], null, MAY_BE_MISSING);
  if (listed.status === 404) return [];
  return parseJson<{ records: HttpRecord[] }>(listed)?.records;
}

/** The name of a store over HTTP; null when it does not exist, undefined when the read failed. */
export function httpStoreName(key: string): string | null | undefined {
  const read = routeCall('GetStore', [key], null, MAY_BE_MISSING);
  if (read.status === 404) return null;
  return parseJson<{ name?: string }>(read)?.name ?? (read.ok ? '' : undefined);
}

// The metadata items the AWS port keeps per store: store_info (its store delete removes it) and
// store_stats (record counts, which its store delete leaves).
const STORE_METADATA = ['store_stats', 'store_info'] as const;

/** Over HTTP, deletes the port's metadata items of a store (the port answers 204 whether or not one existed). */
function deleteStoreMetadata(store: string, tally: Tally): void {
  if (!http) return;
  for (const type of STORE_METADATA) {
    const deleted = routeCall('DeleteMetadata', [type, store], null, DELETE_MAY_BE_MISSING);
    if (!deleted.ok) leave(tally, 'metadata', `${type}/${store}`, `DELETE answered ${deleted.status}`);
  }
}

// ---- either transport ----

/** A record as a list shows it: its key and tags (a marker's tags name keys). */
interface ListedRecord {
  readonly key: string;
  readonly tags: readonly string[];
}

function listRecords(store: string, keysOnly: boolean): ListedRecord[] | undefined {
  if (!http) return listGrpcRecords(store, keysOnly);
  return listHttpRecords(store)?.map((record) => ({ key: record.record_id, tags: record.tags ?? [] }));
}

/** The name of a store; null when it does not exist, undefined when the read failed. */
export function storeName(key: string): string | null | undefined {
  return http ? httpStoreName(key) : grpcStoreName(key);
}

/**
 * Deletes a store and, over HTTP, its metadata items. One that `mayNotExist` is read
 * first (deleting a store that does not exist answers OK / 204); its metadata items
 * are deleted even when it is gone when `metadataOfGone` (a run's own stores, whose
 * store_stats a teardown stopped midway may have left).
 */
export function deleteStore(key: string, tally: Tally, mayNotExist: boolean, metadataOfGone = false): void {
  if (http && wafBlockedThisVu()) return leave(tally, 'store', key, WAF_BLOCK);
  if (mayNotExist && storeName(key) === null) {
    tally.gone.store++;
    if (metadataOfGone) deleteStoreMetadata(key, tally);
    return;
  }
  if (http) {
    const deleted = routeCall('DeleteStore', [key], null, DELETE_MAY_BE_MISSING);
    if (!deleted.ok) return leave(tally, 'store', key, `DELETE answered ${deleted.status}`);
  } else {
    const deleted = unary('DeleteStore', { key }, { ...GRPC_OPTIONS, expect: ['OK', 'NOT_FOUND'] });
    if (deleted.status === 'NOT_FOUND') {
      tally.gone.store++;
      return;
    }
    if (!deleted.ok) return leave(tally, 'store', key, why(deleted));
  }
  tally.deleted.store++;
  deleteStoreMetadata(key, tally);
}

/** Deletes a record of the run: over HTTP the one way that finds its blobs, over gRPC by a batch read. */
function deleteRecord(ref: RecordRef, tally: Tally): void {
  if (http) deleteHttpRecord(ref, tally);
  else deleteGrpcRecords([ref], tally);
}

/** The markers of the run's VUs in its manifest store (one list); undefined when the list failed. */
export function readMarkers(run: RunKeys, manifestStore: string): Marker[] | undefined {
  const records = listRecords(manifestStore, false);
  if (records === undefined) return undefined;
  return records.flatMap((record) => {
    const vu = markerVuOf(run, record.key);
    return vu === undefined ? [] : [{ vu, tags: record.tags }];
  });
}

/**
 * Over HTTP, waits until the port's reads show the writes made so far (the kit's
 * READ_RETRY_BUDGET_MS, the bound it allows any read to lag): the VUs' last creates
 * and this cleanup's own deletes. Over gRPC reads are consistent and this returns at once.
 */
export function waitOutReadLag(): void {
  if (http && config.readRetryBudgetMs > 0) sleep(config.readRetryBudgetMs / 1000);
}

/**
 * Deletes the records of `refs` that exist, looked up by key (no list: the AWS port
 * lists a first page only, and lags). Returns those that were found. Stops at
 * `deadlineMs` (Date.now()), or over HTTP at a WAF block, counting the keys not looked up as unchecked.
 */
export function deleteRecordsByKey(refs: readonly RecordRef[], tally: Tally, deadlineMs = Infinity): RecordRef[] {
  const found: RecordRef[] = [];
  // gRPC looks keys up in batches, so the deadline is checked per batch there.
  const step = http ? 1 : BATCH_READ_KEYS;
  for (let start = 0; start < refs.length; start += step) {
    // Under a WAF block every lookup is blocked as well (a teardown made 9,775 of them): the rest is left for dist/cleanup.js.
    if (Date.now() > deadlineMs || (http && wafBlockedThisVu())) {
      tally.unchecked += refs.length - start;
      break;
    }
    const batch = refs.slice(start, start + step);
    if (http) {
      for (const ref of batch) {
        const leftBefore = leftCount(tally);
        // One that could not be deleted is left already, and not read again.
        if (deleteHttpRecord(ref, tally) && leftCount(tally) === leftBefore) found.push(ref);
      }
    } else {
      const before = tally.gone.record;
      deleteGrpcRecords(batch, tally);
      // Over gRPC a batch read is consistent: only what it found needs no second look.
      if (tally.gone.record - before < batch.length) found.push(...batch);
    }
  }
  return found;
}

/** Deletes what `markers` name: records by key, then stores (read first: a VU deletes its own). Returns the records found. */
export function deleteMarkedKeys(run: RunKeys, markers: readonly Marker[], tally: Tally, deadlineMs = Infinity): RecordRef[] {
  const keys = allMarkedKeys(run, markers);
  const found = deleteRecordsByKey(keys.records, tally, deadlineMs);
  for (const store of keys.stores) deleteStore(store, tally, true);
  return found;
}

// Passes of the list-based sweep over a store: each deletes a page of records.
const MAX_SWEEP_PASSES = 20;

/**
 * The last sweep of one store, by list: deletes what it lists, and over HTTP lists
 * again (after the reads caught up) until the store is seen empty; true when it is.
 * A record in `deleted` (deleted by key just before) that is listed again is deleted
 * again and counted once.
 */
function sweepRecords(store: string, deleted: Set<string>, tally: Tally): boolean {
  // Listed records whose delete left something: not tried again, and they keep the store.
  const stuck = new Set<string>();
  for (let pass = 0; pass < MAX_SWEEP_PASSES; pass++) {
    const keys = listRecords(store, true)?.map((record) => record.key);
    if (keys === undefined) {
      leave(tally, 'store', store, 'its record list failed, so what it still holds is unknown');
      return false;
    }
    const listed = keys.filter((key) => !stuck.has(key));
    if (listed.length === 0) return stuck.size === 0;
    if (pass === MAX_SWEEP_PASSES - 1) {
      for (const key of listed) leave(tally, 'record', `${store}/${key}`, `still listed after ${MAX_SWEEP_PASSES} passes`);
      return false;
    }
    for (const key of listed) {
      const again = deleted.has(key);
      const target = again ? newTally() : tally;
      const leftBefore = leftCount(target);
      deleteRecord({ store, key }, target);
      if (leftCount(target) > leftBefore) stuck.add(key);
      if (again) addLeft(tally, target);
      deleted.add(key);
    }
    // So the next list no longer shows what was just deleted: stale items could fill its first page.
    waitOutReadLag();
  }
  return false;
}

function addLeft(total: Tally, pass: Tally): void {
  addTally(total, { ...newTally(), left: pass.left }, true);
}

/**
 * The manifest store's sweep: its records are the VUs' markers. A marker not yet
 * processed (one past the first page a teardown read) has its keys deleted first;
 * a marker is deleted only once nothing it names is left, so the next cleanup still
 * finds what is. True when the store is then seen empty.
 */
function sweepManifestStore(run: RunKeys, manifestStore: string, tally: Tally, processed: Set<string>, deadlineMs: number): boolean {
  const stuck = new Set<string>();
  const deleted = new Set<string>();
  for (let pass = 0; pass < MAX_SWEEP_PASSES; pass++) {
    const records = listRecords(manifestStore, false);
    if (records === undefined) {
      leave(tally, 'store', manifestStore, 'its list of markers failed, so the keys the run wrote are unknown');
      return false;
    }
    const listed = records.filter((record) => !stuck.has(record.key));
    if (listed.length === 0) return stuck.size === 0;
    for (const record of listed) {
      const vu = markerVuOf(run, record.key);
      if (vu !== undefined && !processed.has(record.key)) {
        processed.add(record.key);
        const leftBefore = leftCount(tally);
        deleteMarkedKeys(run, [{ vu, tags: record.tags }], tally, deadlineMs);
        if (leftCount(tally) > leftBefore) {
          stuck.add(record.key);
          continue;
        }
      }
      const again = deleted.has(record.key);
      const target = again ? newTally() : tally;
      const leftBefore = leftCount(target);
      // A marker holds no blob: over HTTP one delete, no blob list first.
      if (http && vu !== undefined) deleteHttpRecordItself({ store: manifestStore, key: record.key }, target);
      else deleteRecord({ store: manifestStore, key: record.key }, target);
      if (leftCount(target) > leftBefore) stuck.add(record.key);
      if (again) addLeft(tally, target);
      deleted.add(record.key);
    }
    // Over gRPC the list was complete; over HTTP it was a first page, read again once the deletes show.
    if (!http) return stuck.size === 0;
    waitOutReadLag();
  }
  leave(tally, 'store', manifestStore, `still listed records after ${MAX_SWEEP_PASSES} passes`);
  return false;
}

export interface SweepOptions {
  /** whether the stores are to be read first (a cleanup's; a teardown knows its run made them) */
  readonly mayNotExist: boolean;
  /** records deleted by key before the sweep */
  readonly deleted: readonly RecordRef[];
  /** keys of the markers whose keys were already looked up */
  readonly processedMarkers: ReadonlySet<string>;
  readonly deadlineMs: number;
}

/**
 * What a teardown or cleanup deletes once the records have been deleted by key:
 * each store of the run is swept by list for records no key named, and deleted
 * only when seen empty (the port's store delete removes the first page of records
 * and orphans their blobs; upstream's refuses a store with records), then its
 * metadata items. The manifest store goes last, with the markers it holds, and only
 * when nothing is left: while something is, dist/cleanup.js finds the run through it.
 */
export function sweepStores(run: RunKeys, manifestStore: string, tally: Tally, options: SweepOptions): void {
  if (http && wafBlockedThisVu()) {
    // Every request would be blocked too, and count against the runner.
    for (const store of [...run.stores, manifestStore]) leave(tally, 'store', store, WAF_BLOCK);
    return;
  }
  // So the lists below no longer show what was deleted: stale items could fill their first page.
  waitOutReadLag();
  for (const store of run.stores) {
    const deleted = new Set(options.deleted.filter((ref) => ref.store === store).map((ref) => ref.key));
    // Only what this store keeps holds it back (a record left elsewhere is listed there, not here).
    if (sweepRecords(store, deleted, tally)) deleteStore(store, tally, options.mayNotExist, true);
  }
  if (leftCount(tally) > 0) return;
  if (!sweepManifestStore(run, manifestStore, tally, new Set(options.processedMarkers), options.deadlineMs)) return;
  if (leftCount(tally) === 0) deleteStore(manifestStore, tally, options.mayNotExist, true);
}
