// Chunked uploads (spec d.4): CreateChunkedBlob → UploadChunk × N → CommitChunkedUpload
// (or AbortChunkedUpload); read back with GetBlobChunk or CreateChunkUrls.
import { status } from '@grpc/grpc-js';
import { NO_CHECKSUMS, type Checksums } from '../state/checksums.js';
import { failedPrecondition, invalidArgument, notFound, resourceExhausted, RpcError } from '../errors.js';
import {
  int64ToNumber,
  type BlobMetadataMessage,
  type ChunkMetadataMessage,
  type HintMessage,
  type RecordMessage,
  type StreamUploadMessage,
} from '../messages.js';
import { chunkBytes, newBlobKey, touchRecord, type BlobRef, type State } from '../state/state.js';
import { cacheAfterWrite } from './record-cache.js';
import { applyWritableFields, checkSignature, readWritableFields, requireRecord } from './record-fields.js';
import { checkStreamedSize, splitContent, type StreamResult } from './blobs.js';
import { ContentBuffer, readClientChecksums, requireContent, requireMetadataFirst, verifyChecksums } from './upload.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function requireSession(state: State, sessionId: string | undefined): BlobRef {
  const id = sessionId ?? '';
  if (!UUID.test(id)) throw invalidArgument(`session_id must be a UUID, got "${id}"`);
  const ref = state.blobRefs.get(id);
  if (!ref) throw notFound(`upload session "${id}" not found`);
  return ref;
}

export function createChunkedBlob(
  state: State,
  request: { storeKey?: string; recordKey?: string; chunkSize?: string; chunkCount?: string },
): { sessionId: string } {
  const storeKey = request.storeKey ?? '';
  const recordKey = request.recordKey ?? '';
  const record = state.getRecord(storeKey, recordKey);
  if (!record) {
    throw failedPrecondition(`record "${recordKey}" not found in store "${storeKey}"; create it before its blob`);
  }
  // chunk_size is accepted and ignored, as upstream does.
  const ref: BlobRef = {
    kind: 'chunked',
    key: newBlobKey(),
    storeKey,
    recordKey,
    state: 'initializing',
    data: Buffer.alloc(0),
    size: 0,
    checksums: NO_CHECKSUMS,
    chunks: new Map(),
    expectedChunkCount: int64ToNumber(request.chunkCount, 'chunk_count'),
  };
  state.blobRefs.set(ref.key, ref);
  (record.openSessions ??= new Set()).add(ref);
  return { sessionId: ref.key };
}

export type UploadChunkMessage = StreamUploadMessage<ChunkMetadataMessage>;

/** One UploadChunk stream. The session's state is not checked, as upstream does not. */
export class ChunkUpload {
  private readonly content: ContentBuffer;

  private constructor(
    private readonly state: State,
    private readonly ref: BlobRef,
    private readonly number: number,
    private readonly metadata: ChunkMetadataMessage,
  ) {
    this.content = new ContentBuffer(state, state.maxChunkBytes, (received) =>
      resourceExhausted(`chunk ${number} is ${received} bytes; a chunk may be at most ${state.maxChunkBytes} bytes`),
    );
  }

  static begin(state: State, first: UploadChunkMessage): ChunkUpload {
    const metadata = requireMetadataFirst(first, 'UploadChunk');
    const ref = requireSession(state, metadata.sessionId);
    if (ref.kind !== 'chunked') throw failedPrecondition(`blob "${ref.key}" is not a chunked upload session`);
    // Upstream stores the chunk number as a 32-bit integer.
    const number = Number(BigInt.asIntN(32, BigInt(metadata.number ?? 0)));
    return new ChunkUpload(state, ref, number, metadata);
  }

  push(message: UploadChunkMessage): void {
    this.content.push(requireContent(message, 'UploadChunk'));
  }

  finish(): ChunkMetadataMessage {
    try {
      const data = this.content.take();
      let computed: Checksums;
      try {
        computed = verifyChecksums(data, readClientChecksums(this.metadata), `UploadChunk ${this.number}`);
      } catch (error) {
        this.state.budget.release(data.length);
        throw error;
      }
      const { md5, crc32c } = computed;
      const response = { sessionId: this.ref.key, number: String(this.number), size: String(data.length), md5, crc32c, hasCrc32c: true };
      // Accepted like upstream, but an aborted or detached session keeps nothing.
      if (this.ref.state === 'aborted' || this.ref.state === 'detached') {
        this.state.budget.release(data.length);
        return response;
      }
      // A chunk uploaded again under the same number replaces the earlier one.
      const previous = this.ref.chunks.get(this.number);
      if (previous) this.state.releaseBlobBytes(previous.data.length);
      this.ref.chunks.set(this.number, { number: this.number, data, size: data.length, md5, crc32c });
      this.state.countBlobBytes(data.length);
      return response;
    } finally {
      this.content.release();
    }
  }

  abort(): void {
    this.content.release();
  }
}

export interface CommitChunkedUploadRequest {
  sessionId?: string;
  hint?: HintMessage | null;
  record?: RecordMessage | null;
}

export function commitChunkedUpload(state: State, request: CommitChunkedUploadRequest): BlobMetadataMessage {
  const ref = requireSession(state, request.sessionId);
  const record = requireRecord(state, ref.storeKey, ref.recordKey);
  if (ref.state === 'aborted') throw new RpcError(status.INTERNAL, `upload session "${ref.key}" is not ready: it was aborted`);
  if (ref.expectedChunkCount !== 0 && ref.chunks.size !== ref.expectedChunkCount) {
    // The session stays open: more chunks may be uploaded and the commit retried.
    throw failedPrecondition(
      `upload session "${ref.key}" expects ${ref.expectedChunkCount} chunks but has ${ref.chunks.size}`,
    );
  }
  if (request.record) {
    checkSignature(record, request.record.signature);
    applyWritableFields(state, record, readWritableFields(request.record));
  }
  if (record.blob !== ref) state.detachBlob(record);
  record.openSessions?.delete(ref);
  ref.state = 'ready';
  record.blob = ref;
  const size = chunkBytes(ref);
  record.blobSize = BigInt(size);
  record.chunked = true;
  record.chunkCount = BigInt(ref.chunks.size);
  // Of the blob change the HTTP API sees only updated_at, so the copy can be taken this late.
  state.recordChanging(record);
  touchRecord(record);
  cacheAfterWrite(state, record, request.hint);
  return {
    storeKey: ref.storeKey,
    recordKey: ref.recordKey,
    size: String(size),
    chunked: true,
    chunkCount: String(ref.chunks.size),
  };
}

export function abortChunkedUpload(state: State, request: { sessionId?: string }): Record<string, never> {
  const ref = requireSession(state, request.sessionId);
  if (ref.state !== 'initializing') {
    throw failedPrecondition(`upload session "${ref.key}" is ${ref.state}, not initializing; only open sessions can be aborted`);
  }
  state.dropBlobRef(ref);
  state.getRecord(ref.storeKey, ref.recordKey)?.openSessions?.delete(ref);
  return {};
}

export interface GetBlobChunkResponse {
  metadata?: ChunkMetadataMessage;
  content?: Buffer;
}

/** Reads chunk `chunk_number` of the record's current blob. */
export function getBlobChunk(
  state: State,
  request: { storeKey?: string; recordKey?: string; chunkNumber?: string },
): StreamResult<GetBlobChunkResponse> {
  const ref = requireExternalBlob(state, request.storeKey ?? '', request.recordKey ?? '');
  const number = int64ToNumber(request.chunkNumber, 'chunk_number');
  const chunk = ref.chunks.get(number);
  if (!chunk) throw notFound(`chunk ${number} not found in the blob of record "${ref.recordKey}"`);
  const metadata: ChunkMetadataMessage = {
    sessionId: ref.key,
    number: String(number),
    size: String(chunk.size),
    md5: chunk.md5,
    crc32c: chunk.crc32c,
    hasCrc32c: true,
  };
  return {
    messages: [{ metadata }, ...splitContent(chunk.data).map((content) => ({ content }))],
    error: checkStreamedSize(chunk.data.length, chunk.size, `chunk ${number} of record "${ref.recordKey}"`),
  };
}

/**
 * One URL per chunk, ordered by chunk number, served by this emulator's HTTP
 * listener and valid for ttl_in_seconds.
 */
export function createChunkUrls(
  state: State,
  request: { storeKey?: string; key?: string; ttlInSeconds?: string },
): { chunkUrls: string[] } {
  const ref = requireExternalBlob(state, request.storeKey ?? '', request.key ?? '');
  if (ref.chunks.size === 0) throw notFound(`the blob of record "${ref.recordKey}" has no chunks`);
  const ttlSeconds = int64ToNumber(request.ttlInSeconds, 'ttl_in_seconds');
  const expires = Math.floor(Date.now() / 1000) + ttlSeconds;
  const numbers = [...ref.chunks.keys()].sort((a, b) => a - b);
  return { chunkUrls: numbers.map((n) => `${state.chunkUrlBase}/chunks/${ref.key}/${n}?expires=${expires}`) };
}

function requireExternalBlob(state: State, storeKey: string, recordKey: string): BlobRef {
  const record = requireRecord(state, storeKey, recordKey);
  const blob = record.blob;
  if (blob === null || blob.kind === 'inline') {
    throw failedPrecondition(`record "${recordKey}" has no external or chunked blob`);
  }
  return blob;
}
