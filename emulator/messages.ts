// Shapes of the request and response messages as proto-loader hands them over
// with LOADER_OPTIONS (camelCase, int64 as strings, enums by name, defaults set),
// and the builders that turn stored entities into response messages.
import { microsToTimestamp, type TimestampMessage } from './state/clock.js';
import type { Checksums } from './state/checksums.js';
import { propertiesToMessage, type PropertyMessage } from './state/properties.js';
import type { RecordEntity, StoreEntity } from './state/state.js';
import { invalidArgument } from './errors.js';

export type Int64 = string | number;

export interface HintMessage {
  doNotCache?: boolean;
  skipCache?: boolean;
  forceBlobStore?: boolean;
  forceInlineBlob?: boolean;
}

export interface StoreMessage {
  key?: string;
  name?: string;
  tags?: string[];
  ownerId?: string;
  createdAt?: TimestampMessage | null;
  updatedAt?: TimestampMessage | null;
}

export interface RecordMessage {
  key?: string;
  blobSize?: Int64;
  properties?: Record<string, PropertyMessage>;
  ownerId?: string;
  tags?: string[];
  createdAt?: TimestampMessage | null;
  updatedAt?: TimestampMessage | null;
  chunked?: boolean;
  chunkCount?: Int64;
  opaqueString?: string;
  signature?: Buffer;
  expiresAt?: TimestampMessage | null;
}

export interface BlobMetadataMessage {
  storeKey?: string;
  recordKey?: string;
  size?: Int64;
  hint?: HintMessage | null;
  md5?: Buffer;
  crc32c?: number;
  hasCrc32c?: boolean;
  chunked?: boolean;
  chunkCount?: Int64;
}

export interface ChunkMetadataMessage {
  sessionId?: string;
  number?: Int64;
  size?: Int64;
  hint?: HintMessage | null;
  md5?: Buffer;
  crc32c?: number;
  hasCrc32c?: boolean;
}

/** CreateBlobRequest / UploadChunkRequest: oneof `request`. */
export interface StreamUploadMessage<M> {
  metadata?: M | null;
  content?: Buffer;
  request?: 'metadata' | 'content';
}

export interface StatusMessage {
  code: number;
  message: string;
  details: unknown[];
}

const ZERO_SIGNATURE = Buffer.alloc(16);

export function storeToMessage(store: StoreEntity): StoreMessage {
  return {
    key: store.key,
    name: store.name,
    tags: store.tags as string[],
    ownerId: store.ownerId,
    createdAt: microsToTimestamp(store.createdAt),
    updatedAt: microsToTimestamp(store.updatedAt),
  };
}

/** The Record message; inline blob bytes are never part of it. */
export function recordToMessage(record: RecordEntity): RecordMessage {
  return {
    key: record.key,
    blobSize: record.blobSize.toString(),
    properties: propertiesToMessage(record.properties),
    ownerId: record.ownerId,
    tags: record.tags,
    createdAt: microsToTimestamp(record.createdAt),
    updatedAt: microsToTimestamp(record.updatedAt),
    chunked: record.chunked,
    chunkCount: record.chunkCount.toString(),
    opaqueString: record.opaqueString,
    signature: record.signature,
    expiresAt: record.expiresAt,
  };
}

/** A keys-only query result: the key and an all-zero signature, as upstream sends. */
export function keyOnlyRecordMessage(key: string): RecordMessage {
  return { key, signature: ZERO_SIGNATURE };
}

export function checksumFields(checksums: Checksums): Pick<BlobMetadataMessage, 'md5' | 'crc32c' | 'hasCrc32c'> {
  return { md5: checksums.md5, crc32c: checksums.crc32c, hasCrc32c: checksums.hasCrc32c };
}

/** Parses an int64 field (string with longs: String) into a safe JS number, or fails. */
export function int64ToNumber(value: Int64 | undefined, field: string): number {
  const n = Number(value ?? 0);
  if (!Number.isSafeInteger(n)) throw invalidArgument(`${field} must be a safe integer, got ${String(value)}`);
  return n;
}
