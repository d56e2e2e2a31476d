// Record flows over gRPC, each verifying what it reads back against records.ts.
import { unary, verifiedRead, type CallOptions } from '../grpc-client.js';
import { verify } from '../checks.js';
import type { GetRecordsResult, Hint, RecordMessage } from '../messages.js';
import { buildRecord, nextSampledReadIsFull, readDifferences, recordDifferences } from '../records.js';
import { config } from '../runtime.js';

export interface RecordRef {
  readonly store: string;
  readonly key: string;
  readonly seed: number;
}

export function createRecord(ref: RecordRef, hint?: Hint): RecordMessage | null {
  const record = buildRecord(ref.key, ref.seed);
  const result = unary<RecordMessage>('CreateRecord', { storeKey: ref.store, record, hint });
  if (!result.message) return null;
  const differences = recordDifferences(result.message, record);
  verify('CreateRecord', 'a created record echoes what was written', differences.length === 0, () => differences.join('; '));
  return result.message;
}

const RECORD_READS_BACK = 'a record reads back as last written';
// The read's status check carries its one read-back check (status-checks.ts).
const READ_OPTIONS: CallOptions = { readBack: RECORD_READS_BACK };

/** Reads a record and checks it holds `version` of its content (read-your-writes). */
export function readRecord(ref: RecordRef, version: number, hint?: Hint, options?: CallOptions): RecordMessage | null {
  const callOptions = options === undefined ? READ_OPTIONS : { ...options, readBack: RECORD_READS_BACK };
  // No hint field unless there is a hint: k6 walks and converts every field of a request.
  const request = hint === undefined ? { storeKey: ref.store, key: ref.key } : { storeKey: ref.store, key: ref.key, hint };
  const result = unary<RecordMessage>('GetRecord', request, callOptions);
  if (!result.message) return null;
  const differences = readDifferences(result.message, ref, version, config.verifyEvery);
  verify('GetRecord', RECORD_READS_BACK, differences.length === 0, () => `${ref.key}: ${differences.join('; ')}`);
  return result.message;
}

function labelled(key: string, differences: readonly string[]): readonly string[] {
  return differences.length === 0 ? differences : differences.map((difference) => `${key}: ${difference}`);
}

// Reads of seeded records are verified on a sample: one read in VERIFY_EVERY of each
// record (per VU) is compared in full; the others check their status only.
const seedRead = verifiedRead<RecordMessage, RecordRef>(
  'GetRecord',
  RECORD_READS_BACK,
  (message, ref) => labelled(ref.key, recordDifferences(message, buildRecord(ref.key, ref.seed))),
  (ref) => nextSampledReadIsFull(ref, 0, config.verifyEvery),
);

/**
 * Reads a record setup() wrote (and checked). Returns the message of a verified
 * read only: an unverified one is not decoded (grpc-client.ts).
 */
export function readSeed(ref: RecordRef): RecordMessage | null {
  return seedRead({ storeKey: ref.store, key: ref.key }, ref);
}

export function updateRecord(ref: RecordRef, version: number, hint?: Hint): RecordMessage | null {
  const record = buildRecord(ref.key, ref.seed, version);
  const result = unary<RecordMessage>('UpdateRecord', { storeKey: ref.store, record, hint });
  if (!result.message) return null;
  const differences = recordDifferences(result.message, record);
  verify('UpdateRecord', 'an updated record echoes the new content', differences.length === 0, () => differences.join('; '));
  return result.message;
}

/** Deletes a record and confirms it is gone. */
export function deleteRecord(ref: { store: string; key: string }): boolean {
  const deleted = unary('DeleteRecord', { storeKey: ref.store, key: ref.key });
  if (!deleted.ok) return false;
  const after = unary('GetRecord', { storeKey: ref.store, key: ref.key, hint: { skipCache: true } }, { expect: ['NOT_FOUND'] });
  verify('GetRecord', 'a deleted record is no longer found', after.status === 'NOT_FOUND');
  return true;
}

/** Reads several records in one call, plus one key that does not exist, and checks each result. */
export function readRecordBatch(refs: readonly RecordRef[], missingKey: string): void {
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
