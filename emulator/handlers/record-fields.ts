// Rules shared by the RPCs that write record fields (CreateRecord, UpdateRecord,
// CommitChunkedUpload with a record, and the HTTP record routes): what may be written,
// within which limits, under which signature precondition.
import { isSetTimestamp, type TimestampMessage } from '../state/clock.js';
import { ENTITY_OVERHEAD_BYTES, MAX_OPAQUE_STRING_BYTES, MAX_RECORD_ENTITY_BYTES, TAG_OVERHEAD_BYTES } from '../constants.js';
import { failedPrecondition, invalidArgument, notFound } from '../errors.js';
import type { RecordMessage } from '../messages.js';
import { propertiesFromMessage, propertyBytes, type StoredProperty } from '../state/properties.js';
import { touchRecord, type RecordEntity, type State } from '../state/state.js';

/** The client-writable fields UpdateRecord replaces wholesale. */
export interface WritableFields {
  ownerId: string;
  properties: Map<string, StoredProperty>;
  tags: string[];
  opaqueString: string;
  expiresAt: TimestampMessage | null;
}

export function requireRecordMessage(record: RecordMessage | null | undefined): RecordMessage {
  if (!record) throw invalidArgument('record is required');
  return record;
}

export function readWritableFields(record: RecordMessage): WritableFields {
  const opaqueString = record.opaqueString ?? '';
  // Only measure UTF-8 length when the UTF-16 length could exceed the limit.
  if (opaqueString.length * 3 > MAX_OPAQUE_STRING_BYTES && Buffer.byteLength(opaqueString) > MAX_OPAQUE_STRING_BYTES) {
    throw invalidArgument(`opaque_string is ${Buffer.byteLength(opaqueString)} bytes; at most ${MAX_OPAQUE_STRING_BYTES} allowed`);
  }
  return {
    ownerId: record.ownerId ?? '',
    properties: propertiesFromMessage(record.properties),
    tags: record.tags ?? [],
    opaqueString,
    expiresAt: isSetTimestamp(record.expiresAt) ? record.expiresAt : null,
  };
}

/** Estimated entity size the way upstream's Datastore limit sees it: fields plus the inline blob. */
export function estimateFieldBytes(storeKey: string, key: string, fields: WritableFields): number {
  let bytes = ENTITY_OVERHEAD_BYTES + storeKey.length + key.length + fields.ownerId.length + fields.opaqueString.length;
  for (const tag of fields.tags) bytes += tag.length + TAG_OVERHEAD_BYTES;
  for (const [name, property] of fields.properties) bytes += propertyBytes(name, property);
  return bytes;
}

export function checkEntityLimit(bytes: number, inlineBlobBytes: number): void {
  if (bytes + inlineBlobBytes > MAX_RECORD_ENTITY_BYTES) {
    throw invalidArgument(
      `record is about ${bytes + inlineBlobBytes} bytes; a record may be at most ${MAX_RECORD_ENTITY_BYTES} bytes`,
    );
  }
}

/**
 * A non-empty signature must be 16 bytes; a non-nil one must equal the stored
 * signature (FAILED_PRECONDITION, which clients do not retry, as upstream).
 */
export function checkSignature(record: RecordEntity, signature: Buffer | undefined): void {
  checkSignatureLength(signature);
  if (!signature || signature.length === 0 || isNilUuid(signature)) return;
  if (!signature.equals(record.signature)) {
    throw failedPrecondition(`signature mismatch for record "${record.key}": the record was changed since it was read`);
  }
}

export function checkSignatureLength(signature: Buffer | undefined): void {
  if (signature && signature.length !== 0 && signature.length !== 16) {
    throw invalidArgument(`Invalid record proto: signature must be 16 bytes, got ${signature.length}`);
  }
}

function isNilUuid(bytes: Buffer): boolean {
  for (let i = 0; i < bytes.length; i++) if (bytes[i] !== 0) return false;
  return true;
}

/** Replaces the writable fields after checking the budget; bumps updated_at and signature. */
export function applyWritableFields(state: State, record: RecordEntity, fields: WritableFields): void {
  const bytes = estimateFieldBytes(record.storeKey, record.key, fields);
  checkEntityLimit(bytes, record.blob?.kind === 'inline' ? record.blob.data.length : 0);
  state.budget.adjust(bytes - record.bytes);
  state.recordChanging(record);
  record.bytes = bytes;
  state.setOwner(record, fields.ownerId);
  record.properties = fields.properties;
  record.tags = fields.tags;
  record.opaqueString = fields.opaqueString;
  // expires_at cannot be cleared through an update.
  if (fields.expiresAt) record.expiresAt = fields.expiresAt;
  touchRecord(record);
}

/** Reads a record that a write needs (no cache): NOT_FOUND when absent. */
export function requireRecord(state: State, storeKey: string, key: string): RecordEntity {
  const record = state.getRecord(storeKey, key);
  if (!record) throw notFound(`record "${key}" not found in store "${storeKey}"`);
  return record;
}
