// CreateRecord, GetRecord, GetRecords, UpdateRecord, DeleteRecord (spec d.2).
import { status } from '@grpc/grpc-js';
import { nowMicros } from '../state/clock.js';
import { alreadyExists, failedPrecondition, invalidArgument } from '../errors.js';
import { recordToMessage, type HintMessage, type RecordMessage, type StatusMessage } from '../messages.js';
import { newSignature, recordCacheKey, type RecordEntity, type State } from '../state/state.js';
import {
  applyWritableFields,
  checkEntityLimit,
  checkSignatureLength,
  checkSignature,
  estimateFieldBytes,
  readWritableFields,
  requireRecord,
  requireRecordMessage,
  type WritableFields,
} from './record-fields.js';
import { cacheAfterWrite, readRecordThroughCache } from './record-cache.js';

export interface RecordWriteRequest {
  storeKey?: string;
  record?: RecordMessage | null;
  hint?: HintMessage | null;
}

export function createRecord(state: State, request: RecordWriteRequest): RecordMessage {
  const storeKey = request.storeKey ?? '';
  const message = requireRecordMessage(request.record);
  const key = message.key ?? '';
  if (key === '') throw invalidArgument('record.key is required');
  checkSignatureLength(message.signature);
  if (!state.stores.has(storeKey)) throw failedPrecondition(`store "${storeKey}" not found`);
  if (state.getRecord(storeKey, key)) throw alreadyExists(`record "${key}" already exists in store "${storeKey}"`);
  const fields = readWritableFields(message);
  const bytes = estimateFieldBytes(storeKey, key, fields);
  checkEntityLimit(bytes, 0);
  // blob_size is stored as given, even without a blob, as upstream does.
  const record = newRecordEntity(storeKey, key, fields, BigInt(message.blobSize ?? 0), bytes);
  state.addRecord(record);
  return cacheAfterWrite(state, record, request.hint);
}

/** A new record entity; the caller adds it to the state (which reserves `bytes`). */
export function newRecordEntity(
  storeKey: string,
  key: string,
  fields: WritableFields,
  blobSize: bigint,
  bytes: number,
): RecordEntity {
  const now = nowMicros();
  return {
    storeKey,
    key,
    blobSize,
    properties: fields.properties,
    ownerId: fields.ownerId,
    tags: fields.tags,
    createdAt: now,
    updatedAt: now,
    chunked: false,
    chunkCount: 0n,
    opaqueString: fields.opaqueString,
    signature: newSignature(),
    expiresAt: fields.expiresAt,
    blob: null,
    namedBlobs: null,
    openSessions: null,
    bytes,
  };
}

export interface GetRecordRequest {
  storeKey?: string;
  key?: string;
  hint?: HintMessage | null;
}

export function getRecord(state: State, request: GetRecordRequest): RecordMessage {
  return readRecordThroughCache(state, request.storeKey ?? '', request.key ?? '', request.hint).message;
}

export interface GetRecordsResult {
  status: StatusMessage;
  storeKey: string;
  record: RecordMessage | null;
}

const OK_STATUS: StatusMessage = Object.freeze({ code: status.OK, message: 'OK', details: [] }) as StatusMessage;

/** One multi-get without the cache; one result per pair, in request order. */
export function getRecords(
  state: State,
  request: { storeKeys?: string[]; keys?: string[] },
): { results: GetRecordsResult[] } {
  const storeKeys = request.storeKeys ?? [];
  const keys = request.keys ?? [];
  if (storeKeys.length !== keys.length) {
    throw invalidArgument(
      `store_keys and keys must have the same length, got ${storeKeys.length} store keys and ${keys.length} keys`,
    );
  }
  const results: GetRecordsResult[] = new Array(keys.length);
  for (let i = 0; i < keys.length; i++) {
    const storeKey = storeKeys[i]!;
    const key = keys[i]!;
    const record = state.getRecord(storeKey, key);
    results[i] = record
      ? { status: OK_STATUS, storeKey, record: recordToMessage(record) }
      : {
          status: { code: status.NOT_FOUND, message: `record "${key}" not found in store "${storeKey}"`, details: [] },
          storeKey: '',
          record: null,
        };
  }
  return { results };
}

/** Never creates; replaces owner_id, properties, tags and opaque_string wholesale. */
export function updateRecord(state: State, request: RecordWriteRequest): RecordMessage {
  const storeKey = request.storeKey ?? '';
  const message = requireRecordMessage(request.record);
  const record = requireRecord(state, storeKey, message.key ?? '');
  checkSignature(record, message.signature);
  applyWritableFields(state, record, readWritableFields(message));
  return cacheAfterWrite(state, record, request.hint);
}

/** A missing record (or store) is not an error; the cache entry always goes. */
export function deleteRecord(state: State, request: { storeKey?: string; key?: string }): Record<string, never> {
  const storeKey = request.storeKey ?? '';
  const key = request.key ?? '';
  const record = state.getRecord(storeKey, key);
  if (record) state.removeRecord(record);
  state.cache.delete(recordCacheKey(storeKey, key));
  return {};
}
