// The flows/ folder: each operation written once against the transport-neutral client, verified, with read-your-writes retries.
//
// Record flows, written once against the transport-neutral client, each verifying
// what it reads back against records.ts. Reads of the run's own writes tolerate
// an eventually consistent transport within the retry budget (consistency.ts).
import { unary, verifiedRead } from '../transport/grpc-client.js';
import { statusChecks, verify } from '../verify/checks.js';
import type { GetRecordsResult, Hint, RecordMessage } from '../model/messages.js';
import { buildRecord, nextSampledReadIsFull, readDifferences, recordDifferences, writtenVersion, type FirstFullRead } from '../model/records.js';
import { config } from '../config/runtime.js';
import { transport } from '../transport/transport.js';
import { skip } from '../metrics/skips.js';
import { STALE, untilFresh } from './consistency.js';
import type { CallOptions } from '../transport/transport-types.js';

export interface RecordRef {
  readonly store: string;
  readonly key: string;
  readonly seed: number;
}

/** Extra metric tags of a read, e.g. {cache: 'use'}. */
export interface ReadTags {
  readonly tags?: Readonly<Record<string, string>>;
}

// Over a lagging transport "not found" right after a write is the older state, not an error.
const LAGGING = transport.readsMayLag;

const CREATE_OPTIONS: CallOptions = { allowMissing: LAGGING };

/** Creates the record `ref` stands for; returns what the transport echoed (or, when it echoes nothing, what was written). */
export function createRecord(ref: RecordRef, hint?: Hint): RecordMessage | null {
  const record = buildRecord(ref.key, ref.seed);
  const options = hint === undefined ? CREATE_OPTIONS : { ...CREATE_OPTIONS, hint };
  return (
    untilFresh('CreateRecord', (lastTry) => {
      const result = transport.createRecord(ref.store, record, options);
      if (!result.ok) return null;
      // The AWS port looks the store up first; a lagging lookup of a store just made answers 404 and writes nothing.
      if (result.missing) {
        if (!lastTry) return STALE;
        verify('CreateRecord', 'a create finds the store it belongs to', false, () => `${ref.store}: still not found`);
        return null;
      }
      if (result.message === null) return record;
      const differences = recordDifferences(result.message, record);
      verify('CreateRecord', 'a created record echoes what was written', differences.length === 0, () => differences.join('; '));
      return result.message;
    }) ?? null
  );
}

const RECORD_READS_BACK = 'a record reads back as last written';

/** Whether a read found an older state of `ref` than `version`: not there yet, or an earlier version. */
function olderThan(message: RecordMessage | null, ref: RecordRef, version: number): boolean {
  if (message === null) return true;
  const written = writtenVersion(message, ref.seed);
  return written !== undefined && written < version;
}

function readVersion(ref: RecordRef, version: number, options: CallOptions, firstFull: FirstFullRead): RecordMessage | null {
  return (
    untilFresh('GetRecord', (lastTry) => {
      const result = transport.getRecord(ref.store, ref.key, options);
      if (!result.ok) return null;
      if (!lastTry && olderThan(result.message, ref, version)) {
        statusChecks.settle();
        return STALE;
      }
      const differences = readDifferences(result.message, ref, version, config.verifyEvery, firstFull);
      verify('GetRecord', RECORD_READS_BACK, differences.length === 0, () => `${ref.key}: ${differences.join('; ')}`);
      return result.message;
    }) ?? null
  );
}

// The read's status check carries its one read-back check (status-checks.ts).
const READ_OPTIONS: CallOptions = { readBack: RECORD_READS_BACK, allowMissing: LAGGING };

/** Reads a record and checks it holds `version` of its content (read-your-writes). */
export function readRecord(ref: RecordRef, version: number, hint?: Hint, options?: ReadTags): RecordMessage | null {
  const callOptions = hint === undefined && options?.tags === undefined ? READ_OPTIONS : { ...READ_OPTIONS, hint, tags: options?.tags };
  return readVersion(ref, version, callOptions, 'first');
}

function labelled(key: string, differences: readonly string[]): readonly string[] {
  return differences.length === 0 ? differences : differences.map((difference) => `${key}: ${difference}`);
}

// gRPC's prepared read for the mix's hottest call: one read of each seeded record in
// VERIFY_EVERY (per VU) is compared in full, the others check their status only and
// are not decoded (grpc-client.ts). Other transports read seeds like any record.
const seedRead =
  transport.name === 'grpc'
    ? verifiedRead<RecordMessage, RecordRef>(
        'GetRecord',
        RECORD_READS_BACK,
        (message, ref) => labelled(ref.key, recordDifferences(message, buildRecord(ref.key, ref.seed))),
        (ref) => nextSampledReadIsFull(ref, 0, config.verifyEvery),
      )
    : undefined;

/**
 * Reads a record setup() wrote (and checked). Returns the message of a verified
 * read only over gRPC: an unverified one is not decoded.
 */
export function readSeed(ref: RecordRef): RecordMessage | null {
  if (seedRead) return seedRead({ storeKey: ref.store, key: ref.key }, ref);
  return readVersion(ref, 0, READ_OPTIONS, 'sampled');
}

const UPDATE_OPTIONS: CallOptions = { allowMissing: LAGGING };

export function updateRecord(ref: RecordRef, version: number, hint?: Hint): RecordMessage | null {
  const record = buildRecord(ref.key, ref.seed, version);
  const options = hint === undefined ? UPDATE_OPTIONS : { ...UPDATE_OPTIONS, hint };
  return (
    untilFresh('UpdateRecord', (lastTry) => {
      const result = transport.updateRecord(ref.store, record, options);
      if (!result.ok) return null;
      // The AWS port looks the record up before it updates it; a lagging lookup answers 404.
      if (result.missing) {
        if (!lastTry) return STALE;
        verify('UpdateRecord', 'an update finds the record it updates', false, () => `${ref.key}: still not found`);
        return null;
      }
      if (result.message === null) return record;
      const differences = recordDifferences(result.message, record);
      verify('UpdateRecord', 'an updated record echoes the new content', differences.length === 0, () => differences.join('; '));
      return result.message;
    }) ?? null
  );
}

const GONE_PROBE: CallOptions = { allowMissing: true, hint: { skipCache: true } };

/**
 * Over HTTP a record known to hold a blob loses the blob first: the AWS port's
 * record delete leaves it in S3, where nothing reaches it once the record is gone.
 */
function deleteBlobFirst(ref: { store: string; key: string; hasBlob?: boolean }): void {
  if (transport.name === 'http' && ref.hasBlob === true) transport.deleteBlob(ref, { allowMissing: true });
}

/** Deletes a record no longer wanted (one evicted from a VU's own records), its blob first; nothing is read back. */
export function dropRecord(ref: { store: string; key: string; hasBlob?: boolean }): void {
  deleteBlobFirst(ref);
  transport.deleteRecord(ref.store, ref.key);
}

/** Deletes a record and confirms it is gone. */
export function deleteRecord(ref: { store: string; key: string; hasBlob?: boolean }): boolean {
  deleteBlobFirst(ref);
  if (!transport.deleteRecord(ref.store, ref.key).ok) return false;
  untilFresh('GetRecord', (lastTry) => {
    const after = transport.getRecord(ref.store, ref.key, GONE_PROBE);
    if (!after.ok) return undefined;
    if (!after.missing && !lastTry) return STALE;
    verify('GetRecord', 'a deleted record is no longer found', after.missing);
    return undefined;
  });
  return true;
}

/** Reads several records in one call, plus one key that does not exist, and checks each result (gRPC only). */
export function readRecordBatch(refs: readonly RecordRef[], missingKey: string): void {
  if (!transport.offers('GetRecords')) {
    skip('GetRecords');
    return;
  }
  const store = refs[0]?.store ?? '';
  const storeKeys = [...refs.map((ref) => ref.store), store];
  const keys = [...refs.map((ref) => ref.key), missingKey];
  const result = unary<{ results: GetRecordsResult[] }>('GetRecords', { storeKeys, keys });
  if (!result.message) return;
  const results = result.message.results;
  verify('GetRecords', 'a batch read returns one result per key', results.length === keys.length);
  refs.forEach((ref, index) => {
    const item = results[index];
    const differences = item && (item.status?.code ?? 0) === 0 ? readDifferences(item.record, ref, 0, config.verifyEvery, 'sampled') : ['not found'];
    verify('GetRecords', 'every existing key in a batch reads back as written', differences.length === 0, () => `${ref.key}: ${differences.join('; ')}`);
  });
  verify('GetRecords', 'a missing key in a batch reports NOT_FOUND', results[refs.length]?.status?.code === 5);
}
