// teardown(): removes what the run made, looking up only what it knows was made:
// setup's records as setup() reported them, and the keys the VUs named in their
// markers (run/markers.ts), then a list sweep of each store for anything else,
// the stores, their metadata items (over HTTP) and last the manifest store with the
// markers. What it costs follows what the run wrote: about two requests per store,
// record and blob made, and a few per store.
import { config } from '../config/runtime.js';
import { wafBlockedThisVu } from '../transport/http-client.js';
import { manifestStoreKey, segmentLabel } from '../run/keys.js';
import { sizeLabel } from '../model/payloads.js';
import { deleteKnownHttpRecord, deleteMarkedKeys, deleteRecordsByKey, readMarkers, sweepStores, waitOutReadLag } from './cleanup-run.js';
import { cleanupCommandFor } from './cleanup-command.js';
import { addTally, describeTally, leave, leftCount, newTally, type Tally } from './tally.js';
import { markerKeyOf } from '../run/markers.js';
import type { RecordRef, RunKeys } from '../run/cleanup-plan.js';
import type { RunData } from '../run/run-data.js';

// teardown()'s share of its 10 min teardownTimeout for looking keys up; the rest is for the sweep and the stores.
const TEARDOWN_LOOKUP_BUDGET_MS = 8 * 60_000;

/** The keys of this run, as its VUs made them. */
function runKeysOf(data: RunData): RunKeys {
  return { runId: data.runId, segment: segmentLabel(), stores: data.stores, blobLabels: config.blobSizes.map(sizeLabel) };
}

/**
 * Deletes the records setup() reported, which exist (a VU never deletes them): over HTTP
 * with no lookup first, the blob of a blob record before it; over gRPC by batch reads.
 * Returns those deleted or found.
 */
function deleteSetupRecords(data: RunData, tally: Tally, deadlineMs: number): RecordRef[] {
  const plain: RecordRef[] = [...data.seeds, ...data.counters];
  const withBlob: RecordRef[] = [...data.blobs, ...data.chunked];
  if (config.transport !== 'http') return deleteRecordsByKey([...plain, ...withBlob], tally, deadlineMs);
  const refs = [...plain.map((ref) => ({ ref, blob: false })), ...withBlob.map((ref) => ({ ref, blob: true }))];
  const deleted: RecordRef[] = [];
  for (const [index, { ref, blob }] of refs.entries()) {
    if (Date.now() > deadlineMs || wafBlockedThisVu()) {
      tally.unchecked += refs.length - index;
      break;
    }
    deleteKnownHttpRecord({ store: ref.store, key: ref.key }, blob, tally);
    deleted.push(ref);
  }
  return deleted;
}

/** Removes everything the run made (unless KEEP_DATA), and returns what it did. */
export function removeRunData(data: RunData): Tally {
  const deadline = Date.now() + TEARDOWN_LOOKUP_BUDGET_MS;
  const run = runKeysOf(data);
  const manifestStore = manifestStoreKey(data.runId);
  const tally = newTally();
  // The VUs' last writes may not show in a lagging read yet, and a key not seen is taken as never made.
  waitOutReadLag();
  const markers = readMarkers(run, manifestStore);
  // The manifest store stays, with the markers, for dist/cleanup.js.
  if (markers === undefined) leave(tally, 'store', manifestStore, "its list of markers failed, so the keys the run's VUs wrote were not looked up");
  // A key a VU marked and then deleted itself is not "already gone" in a teardown's account.
  const lookups = newTally();
  const deleted = deleteSetupRecords(data, lookups, deadline);
  deleted.push(...deleteMarkedKeys(run, markers ?? [], lookups, deadline));
  addTally(tally, { ...lookups, gone: newTally().gone }, true);
  tally.unchecked += lookups.unchecked;
  const processedMarkers = new Set((markers ?? []).map((marker) => markerKeyOf(run.runId, run.segment, marker.vu)));
  sweepStores(run, manifestStore, tally, { mayNotExist: false, deleted, processedMarkers, deadlineMs: deadline });
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
