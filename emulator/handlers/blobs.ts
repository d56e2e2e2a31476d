// CreateBlob, GetBlob, DeleteBlob (spec d.3): one blob per record, inline up to
// 65,536 bytes, external above; content streamed in pieces of at most 1 MiB.
import { status } from '@grpc/grpc-js';
import { BLOB_MAX_INLINE_SIZE, STREAM_PIECE_BYTES } from '../constants.js';
import { NO_CHECKSUMS, type Checksums } from '../state/checksums.js';
import { failedPrecondition, invalidArgument, RpcError } from '../errors.js';
import { checksumFields, int64ToNumber, type BlobMetadataMessage, type HintMessage, type StreamUploadMessage } from '../messages.js';
import { newBlobKey, touchRecord, type BlobRef, type RecordEntity, type State } from '../state/state.js';
import { cacheAfterWrite, readRecordThroughCache } from './record-cache.js';
import { checkEntityLimit, requireRecord } from './record-fields.js';
import { ContentBuffer, readClientChecksums, requireContent, requireMetadataFirst, sizeMismatch, verifyChecksums } from './upload.js';

export type CreateBlobMessage = StreamUploadMessage<BlobMetadataMessage>;

/** One CreateBlob stream: begin with the first message, push the rest, then finish. */
export class BlobUpload {
  private readonly content: ContentBuffer;
  private readonly size: number;
  private readonly inline: boolean;
  private readonly checksums: Checksums;

  private constructor(
    private readonly state: State,
    private readonly metadata: BlobMetadataMessage,
  ) {
    this.size = int64ToNumber(metadata.size, 'metadata.size');
    if (this.size < 0) throw invalidArgument(`metadata.size must not be negative, got ${this.size}`);
    this.checksums = readClientChecksums(metadata);
    // Placement depends on the declared size only (force_* hints are not implemented upstream).
    this.inline = this.size <= BLOB_MAX_INLINE_SIZE;
    // Too many bytes: INVALID_ARGUMENT inline, DATA_LOSS external, as upstream.
    const code = this.inline ? status.INVALID_ARGUMENT : status.DATA_LOSS;
    this.content = new ContentBuffer(state, this.size, (received) => sizeMismatch(code, 'CreateBlob', this.size, received));
  }

  static begin(state: State, first: CreateBlobMessage): BlobUpload {
    const upload = new BlobUpload(state, requireMetadataFirst(first, 'CreateBlob'));
    // The external path inserts a blob reference first, which needs the record.
    if (!upload.inline) upload.requireTargetRecord();
    return upload;
  }

  push(message: CreateBlobMessage): void {
    this.content.push(requireContent(message, 'CreateBlob'));
  }

  /** Stores the blob and returns the metadata the client sent (upstream echoes it). */
  finish(): BlobMetadataMessage {
    try {
      if (this.content.length !== this.size) {
        throw sizeMismatch(this.inline ? status.INVALID_ARGUMENT : status.DATA_LOSS, 'CreateBlob', this.size, this.content.length);
      }
      const record = this.requireTargetRecord();
      const data = this.content.take();
      let stored: Checksums;
      try {
        stored = verifyChecksums(data, this.checksums, 'CreateBlob');
        if (this.inline) checkEntityLimit(record.bytes, data.length);
      } catch (error) {
        this.state.budget.release(data.length);
        throw error;
      }
      this.state.detachBlob(record);
      this.state.countBlobBytes(data.length);
      if (this.inline) {
        // Upstream rewrites only size and checksums here; chunked/chunk_count keep their values.
        record.blob = { kind: 'inline', data, checksums: stored };
      } else {
        const ref: BlobRef = {
          kind: 'external',
          key: newBlobKey(),
          storeKey: record.storeKey,
          recordKey: record.key,
          state: 'ready',
          data,
          size: data.length,
          checksums: stored,
          chunks: new Map(),
          expectedChunkCount: 0,
        };
        this.state.blobRefs.set(ref.key, ref);
        record.blob = ref;
        record.chunked = false;
        record.chunkCount = 0n;
      }
      record.blobSize = BigInt(data.length);
      // Of this change the HTTP API sees only updated_at, so the copy can be taken this late.
      this.state.recordChanging(record);
      touchRecord(record);
      cacheAfterWrite(this.state, record, this.metadata.hint);
      return this.metadata;
    } finally {
      this.content.release();
    }
  }

  abort(): void {
    this.content.release();
  }

  /**
   * Upstream's inline path answers a missing record with no response message at
   * all; both paths here return FAILED_PRECONDITION instead.
   */
  private requireTargetRecord(): RecordEntity {
    const storeKey = this.metadata.storeKey ?? '';
    const recordKey = this.metadata.recordKey ?? '';
    const record = this.state.getRecord(storeKey, recordKey);
    if (!record) throw failedPrecondition(`record "${recordKey}" not found in store "${storeKey}"; create it before its blob`);
    return record;
  }
}

export interface GetBlobResponse {
  metadata?: BlobMetadataMessage;
  content?: Buffer;
}

export interface StreamResult<M> {
  messages: M[];
  /** Sent after the messages, ending the stream with this status. */
  error?: RpcError;
}

export interface GetBlobRequest {
  storeKey?: string;
  recordKey?: string;
  hint?: HintMessage | null;
}

export function getBlob(state: State, request: GetBlobRequest): StreamResult<GetBlobResponse> {
  const storeKey = request.storeKey ?? '';
  const recordKey = request.recordKey ?? '';
  const record = readRecordThroughCache(state, storeKey, recordKey, request.hint).entity;
  const blob = record.blob;
  if (blob === null || blob.kind === 'inline') {
    // Inline or no blob: metadata from the record, then exactly one content message.
    const checksums = blob?.checksums ?? NO_CHECKSUMS;
    return {
      messages: [
        { metadata: { storeKey, recordKey, size: record.blobSize.toString(), ...checksumFields(checksums) } },
        { content: blob?.data ?? Buffer.alloc(0) },
      ],
    };
  }
  const metadata: BlobMetadataMessage = {
    storeKey,
    recordKey,
    size: String(blob.kind === 'external' ? blob.size : record.blobSize),
    ...checksumFields(blob.checksums),
    chunked: blob.kind === 'chunked',
    chunkCount: String(blob.kind === 'chunked' ? blob.chunks.size : 0),
  };
  if (blob.kind === 'chunked') {
    return {
      messages: [{ metadata }],
      error: new RpcError(status.UNIMPLEMENTED, `blob of record "${recordKey}" is chunked; read it with GetBlobChunk`),
    };
  }
  return {
    messages: [{ metadata }, ...splitContent(blob.data).map((content) => ({ content }))],
    error: checkStreamedSize(blob.data.length, blob.size, `blob of record "${recordKey}"`),
  };
}

/** Upstream ends a read with DATA_LOSS when the bytes it streamed differ from the stored size. */
export function checkStreamedSize(streamed: number, recorded: number, what: string): RpcError | undefined {
  if (streamed === recorded) return undefined;
  return new RpcError(status.DATA_LOSS, `${what}: streamed ${streamed} bytes but the stored size is ${recorded}`);
}

/** Views (no copies) of at most STREAM_PIECE_BYTES each. */
export function splitContent(data: Buffer): Buffer[] {
  const pieces: Buffer[] = [];
  for (let offset = 0; offset < data.length; offset += STREAM_PIECE_BYTES) {
    pieces.push(data.subarray(offset, Math.min(data.length, offset + STREAM_PIECE_BYTES)));
  }
  return pieces;
}

export function deleteBlob(state: State, request: GetBlobRequest): Record<string, never> {
  const record = requireRecord(state, request.storeKey ?? '', request.recordKey ?? '');
  // Upstream keeps a zero-byte blob as an empty inline blob, which is no blob to remove.
  if (record.blob === null || (record.blob.kind === 'inline' && record.blob.data.length === 0)) {
    throw failedPrecondition(`record "${record.key}" has no blob associated`);
  }
  state.detachBlob(record);
  record.blobSize = 0n;
  record.chunked = false;
  record.chunkCount = 0n;
  // Of this change the HTTP API sees only updated_at, so the copy can be taken this late.
  state.recordChanging(record);
  touchRecord(record);
  cacheAfterWrite(state, record, request.hint);
  return {};
}
