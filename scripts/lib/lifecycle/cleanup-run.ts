// Deleting a run's data, shared by teardown() and dist/cleanup.js: a record's
// blobs go first (the AWS port's record delete leaves them in S3, where nothing
// reaches them once the record is gone), then the record, then its store. Every
// outcome is tallied: deleted, already gone, or left (with the reason printed).
import exec from 'k6/execution';
import { sleep } from 'k6';
import { unary, type CallResult } from '../transport/grpc-client.js';
import { parseJson, wafBlockedThisVu, type HttpResult } from '../transport/http-client.js';
import { routeCall } from '../transport/http-transport.js';
import { config } from '../config/runtime.js';
import { STALE, untilFresh } from '../flows/consistency.js';
import { cleanupCommand, setupRecords, vuRecords, type RecordRef, type RunManifest } from '../run/cleanup-plan.js';
import type { HttpRecord } from '../transport/http-records.js';
import type { GetRecordsResult, QueryRecordsResponse, RecordMessage, StoreMessage } from '../model/messages.js';

export type ItemKind = 'store' | 'record' | 'blob';

export interface Tally {
  readonly deleted: Record<ItemKind, number>;
  readonly gone: Record<ItemKind, number>;
  readonly left: Record<ItemKind, number>;
  /** record keys a teardown had no time left to look up (they may hold data) */
  unchecked: number;
}

export function newTally(): Tally {
  return { deleted: { store: 0, record: 0, blob: 0 }, gone: { store: 0, record: 0, blob: 0 }, left: { store: 0, record: 0, blob: 0 }, unchecked: 0 };
}

export function leftCount(tally: Tally): number {
  return tally.left.store + tally.left.record + tally.left.blob + tally.unchecked;
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


/**
 * Deletes a record over HTTP, each of its blobs first: the record's blob list is
 * read, whose 404 says the record is gone (once the reads have caught up with the
 * run's writes: waitOutReadLag). A blob that cannot be deleted keeps its record,
 * which is the only way left to reach it. True when the record was found.
 */
export function deleteHttpRecord(ref: RecordRef, tally: Tally): boolean {
  const listed = routeCall('ListBlobs', [ref.store, ref.key], null, { allowMissing: true });
  if (listed.status === 404) {
    tally.gone.record++;
    return false;
  }
  if (!listed.ok) {
    leave(tally, 'record', `${ref.store}/${ref.key}`, `its blob list answered ${listed.status}`);
    return true;
  }
  deleteListedHttpRecord(ref, parseJson<string[] | null>(listed) ?? [], tally);
  return true;
}

function deleteListedHttpRecord(ref: RecordRef, blobs: readonly string[], tally: Tally): void {
  for (const blob of blobs) {
    // The record was just seen, so a 404 (record not found) is the port's lagging lookup: tried again;
    // one still 404 on the last try is taken as gone.
    const deleted = untilFresh('DeleteBlob', (lastTry) => {
      const result = routeCall('DeleteBlob', [ref.store, ref.key, blob], null, { alsoExpect: [200], allowMissing: true });
      return result.status === 404 && !lastTry ? STALE : result;
    }) as HttpResult;
    if (!deleted.ok) return leave(tally, 'blob', `${blob} of ${ref.store}/${ref.key}`, `DELETE answered ${deleted.status}`);
    if (deleted.status === 404) tally.gone.blob++;
    else tally.deleted.blob++;
  }
  const deleted = routeCall('DeleteRecord', [ref.store, ref.key], null, { alsoExpect: [200], allowMissing: true });
  if (!deleted.ok) leave(tally, 'record', `${ref.store}/${ref.key}`, `DELETE answered ${deleted.status}`);
  else if (deleted.status === 404) tally.gone.record++;
  else tally.deleted.record++;
}

/** The records a store lists now with their blob keys (the AWS port: its first page only); undefined when the list failed. */
export function listHttpRecords(store: string): HttpRecord[] | undefined {
  const listed = routeCall('QueryRecords', [store], null, { allowMissing: true });
  if (listed.status === 404) return [];
  return parseJson<{ records: HttpRecord[] }>(listed)?.records;
}

/** The name of a store over HTTP; null when it does not exist, undefined when the read failed. */
export function httpStoreName(key: string): string | null | undefined {
  const read = routeCall('GetStore', [key], null, { allowMissing: true });
  if (read.status === 404) return null;
  return parseJson<{ name?: string }>(read)?.name ?? (read.ok ? '' : undefined);
}

/** Deletes a store over HTTP; one that `mayNotExist` is read first, since the port answers 204 to deleting a store that does not exist. */
export function deleteHttpStore(key: string, tally: Tally, mayNotExist = true): void {
  if (mayNotExist && httpStoreName(key) === null) {
    tally.gone.store++;
    return;
  }
  const deleted = routeCall('DeleteStore', [key], null, { alsoExpect: [200], allowMissing: true });
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

// Passes of the last, list-based sweep over a store: each deletes a page of records no derived key names.
const MAX_SWEEP_PASSES = 20;

/**
 * Over HTTP, waits until the port's reads show the writes made so far (the kit's
 * READ_RETRY_BUDGET_MS, the bound it allows any read to lag): the VUs' last creates
 * and this cleanup's own deletes. Over gRPC reads are consistent and this returns at once.
 */
export function waitOutReadLag(): void {
  if (config.transport === 'http' && config.readRetryBudgetMs > 0) sleep(config.readRetryBudgetMs / 1000);
}

/**
 * Deletes the records of `refs` that exist, looked up by key (no list: the AWS port
 * lists a first page only, and lags). Returns those that were found. Stops at
 * `deadlineMs` (Date.now()), counting the keys not looked up as unchecked.
 */
export function deleteRecordsByKey(refs: readonly RecordRef[], tally: Tally, deadlineMs = Infinity): RecordRef[] {
  const found: RecordRef[] = [];
  const http = config.transport === 'http';
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

/**
 * Over HTTP, reads each of `refs` (just deleted) again until it answers 404, deleting
 * it once more while it is still found; one found on the last try is left.
 */
function confirmHttpRecordsGone(refs: readonly RecordRef[], tally: Tally): void {
  for (const ref of refs) {
    const gone = untilFresh('GetRecord', (lastTry) => {
      const read = routeCall('GetRecord', [ref.store, ref.key], null, { allowMissing: true });
      if (read.status === 404) return true;
      if (!read.ok || lastTry) return false;
      // A stale read of the delete, or a delete that did not take: delete it again, uncounted.
      deleteHttpRecord(ref, newTally());
      return STALE;
    });
    if (gone !== true) leave(tally, 'record', `${ref.store}/${ref.key}`, 'still found after deleting it');
  }
}

/**
 * The last sweep of one store, by list: deletes the records it lists that no derived
 * key named (`known`, already deleted and confirmed gone); true when the store is
 * then seen empty. Over HTTP the list is read after the reads caught up (the deleted
 * records a lagging list still shows would fill its first page).
 */
function sweepUnknownRecords(store: string, known: ReadonlySet<string>, tally: Tally): boolean {
  const http = config.transport === 'http';
  const deleted = new Set(known);
  // Listed records whose delete left something: not tried again, and they keep the store.
  const stuck = new Set<string>();
  for (let pass = 0; pass < MAX_SWEEP_PASSES; pass++) {
    const keys = http ? listHttpRecords(store)?.map((record) => record.record_id) : listGrpcRecordKeys(store);
    if (keys === undefined) {
      leave(tally, 'store', store, 'its record list failed, so what it still holds is unknown');
      return false;
    }
    const unknown = keys.filter((key) => !deleted.has(key) && !stuck.has(key));
    if (unknown.length === 0) return stuck.size === 0;
    if (pass === MAX_SWEEP_PASSES - 1) {
      for (const key of unknown) leave(tally, 'record', `${store}/${key}`, `still listed after ${MAX_SWEEP_PASSES} passes`);
      return false;
    }
    const refs = unknown.map((key) => ({ store, key }));
    if (http) {
      const removed: RecordRef[] = [];
      for (const ref of refs) {
        const leftBefore = leftCount(tally);
        const found = deleteHttpRecord(ref, tally);
        if (leftCount(tally) > leftBefore) stuck.add(ref.key);
        else {
          deleted.add(ref.key);
          if (found) removed.push(ref);
        }
      }
      confirmHttpRecordsGone(removed, tally);
      waitOutReadLag();
    } else {
      const leftBefore = leftCount(tally);
      deleteGrpcRecords(refs, tally);
      for (const ref of refs) (leftCount(tally) > leftBefore ? stuck : deleted).add(ref.key);
    }
  }
  return false;
}

/**
 * What a teardown or cleanup deletes once the records have been deleted by key
 * (`deleted`: those found): over HTTP each is read again until gone, then each store
 * is swept by list for records no key named, and a store is deleted only when seen
 * empty (the port's store delete removes the first page of records and orphans
 * their blobs; upstream's refuses a store with records). The manifest store goes
 * last, and only when nothing is left: while something is, dist/cleanup.js finds
 * the run through it. `mayNotExist`: whether the stores are to be read first (a
 * cleanup's; a teardown knows its run made them).
 */
export function sweepStores(stores: readonly string[], manifestStore: string, tally: Tally, mayNotExist: boolean, deleted: readonly RecordRef[] = []): void {
  const http = config.transport === 'http';
  if (http) {
    // A read that still finds a record just deleted is tried again (untilFresh) before it counts.
    confirmHttpRecordsGone(deleted, tally);
    // So the lists below no longer show what was deleted: stale items could fill their first page.
    waitOutReadLag();
  }
  for (const store of stores) {
    const known = new Set(deleted.filter((ref) => ref.store === store).map((ref) => ref.key));
    // Only what this store keeps holds it back (a record left elsewhere is listed there, not here).
    if (!sweepUnknownRecords(store, known, tally)) continue;
    if (http) deleteHttpStore(store, tally, mayNotExist);
    else deleteGrpcStore(store, tally, mayNotExist);
  }
  if (leftCount(tally) > 0) return;
  if (http) deleteHttpStore(manifestStore, tally, mayNotExist);
  else deleteGrpcStore(manifestStore, tally, mayNotExist);
}

/**
 * k6 numbers the VUs it initialises from 1 and hands out iterations from a pool of them, so a
 * run's writing VUs are the low ids; a capacity profile allows 5,000 where a run may use 20, and
 * looking up every slot of all of them took minutes. teardown() (where k6 does not tell how many
 * VUs it initialised) looks VUs up in blocks and stops after this many blocks in a row held
 * nothing; the list sweep after it still catches anything past them. dist/cleanup.js, which
 * rescues a dead run, looks every VU up.
 */
const VU_BLOCK = 64;
const EMPTY_BLOCKS_TO_STOP = 2;

function deleteVuRecordsUntilEmpty(manifest: RunManifest, tally: Tally, deadlineMs: number): RecordRef[] {
  const found: RecordRef[] = [];
  let emptyBlocks = 0;
  for (let first = 1; first <= manifest.maxVus && emptyBlocks < EMPTY_BLOCKS_TO_STOP; first += VU_BLOCK) {
    const refs: RecordRef[] = [];
    for (let vu = first; vu < first + VU_BLOCK && vu <= manifest.maxVus; vu++) refs.push(...vuRecords(manifest, vu));
    const inBlock = deleteRecordsByKey(refs, tally, deadlineMs);
    found.push(...inBlock);
    emptyBlocks = inBlock.length === 0 ? emptyBlocks + 1 : 0;
  }
  return found;
}

// teardown()'s share of its 10 min teardownTimeout for looking keys up; the rest is for the sweep and the stores.
const TEARDOWN_LOOKUP_BUDGET_MS = 8 * 60_000;

/**
 * teardown(): every record the run may have made, by the keys its manifest derives
 * (setup's and each VU's slots, as dist/cleanup.js looks them up), over the
 * run's transport, then the sweep and the stores. A key never made is not reported as
 * already gone (most VU slots never are).
 */
export function removeRunData(manifest: RunManifest, manifestStore: string): Tally {
  const deadline = Date.now() + TEARDOWN_LOOKUP_BUDGET_MS;
  const lookups = newTally();
  // The VUs' last creates may not show in a lagging read yet, and a key not seen is taken as never made.
  waitOutReadLag();
  const found = deleteRecordsByKey(setupRecords(manifest), lookups, deadline);
  found.push(...deleteVuRecordsUntilEmpty(manifest, lookups, deadline));
  const tally = newTally();
  addTally(tally, { ...lookups, gone: newTally().gone }, true);
  tally.unchecked += lookups.unchecked;
  sweepStores(manifest.stores, manifestStore, tally, false, found);
  return tally;
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
  const why = config.transport === 'http' && wafBlockedThisVu() ? "CloudFront's WAF blocked this runner" : 'out of time';
  const unchecked = tally.unchecked > 0 ? `; not looked up (${why}): ${tally.unchecked} record keys` : '';
  return `deleted ${part(tally.deleted)}${gone === 'nothing' ? '' : `; already gone: ${gone}`}${left === 'nothing' ? '' : `; left: ${left}`}${unchecked}`;
}
