// Blob flows over gRPC: streamed uploads with checksums, streamed downloads
// checked byte for byte (length and MD5 of what arrived) and against the
// stored checksums, deletion, and the chunked-upload lifecycle.
import { clientStream, serverStream, unary } from '../grpc-client.js';
import { verify } from '../checks.js';
import type { BlobMetadata, ChunkMetadata, Hint, RecordMessage } from '../messages.js';
import { ContentDigest, type Payload } from '../payloads.js';

interface BlobTarget {
  readonly store: string;
  readonly key: string;
}

interface StreamedPiece<M> {
  metadata?: M | null;
  content?: string;
}

export async function uploadBlob(target: BlobTarget, payload: Payload, hint?: Hint): Promise<boolean> {
  const metadata: BlobMetadata = {
    storeKey: target.store,
    recordKey: target.key,
    size: String(payload.size),
    md5: payload.md5,
    crc32c: payload.crc32c,
    hasCrc32c: true,
    hint,
  };
  const messages = [{ metadata }, ...payload.pieces.map((content) => ({ content }))];
  const result = await clientStream<BlobMetadata>('CreateBlob', messages, { tags: { size: payload.label } });
  if (!result.message) return false;
  return verify('CreateBlob', 'an uploaded blob reports the size that was sent', Number(result.message.size) === payload.size);
}

/** Downloads a blob and checks it is exactly `payload`. */
export async function readBlob(target: BlobTarget, payload: Payload, hint?: Hint): Promise<void> {
  const digest = new ContentDigest();
  let metadata: BlobMetadata | null = null;
  const result = await serverStream<StreamedPiece<BlobMetadata>>(
    'GetBlob',
    { storeKey: target.store, recordKey: target.key, hint },
    (message) => {
      if (message.metadata) metadata = message.metadata;
      else digest.add(message.content ?? '');
    },
    { tags: { size: payload.label } },
  );
  if (!result.ok) return;
  const meta = metadata as BlobMetadata | null;
  verify('GetBlob', 'a downloaded blob starts with its metadata', meta !== null && Number(meta.size) === payload.size);
  verify('GetBlob', 'a downloaded blob has exactly the bytes uploaded', digest.bytes === payload.size && digest.md5() === payload.md5, () =>
    `${target.key}: got ${digest.bytes} bytes`,
  );
  if (meta?.md5) verify('GetBlob', 'a downloaded blob carries the MD5 of its content', meta.md5 === payload.md5);
  if (meta?.hasCrc32c) verify('GetBlob', 'a downloaded blob carries the CRC32C of its content', meta.crc32c === payload.crc32c);
}

/** Deletes a blob and checks the record now reads as blob-less (size 0, empty content). */
export async function deleteBlob(target: BlobTarget): Promise<void> {
  const deleted = unary('DeleteBlob', { storeKey: target.store, recordKey: target.key });
  if (!deleted.ok) return;
  let size = -1;
  const digest = new ContentDigest();
  const after = await serverStream<StreamedPiece<BlobMetadata>>(
    'GetBlob',
    { storeKey: target.store, recordKey: target.key, hint: { skipCache: true } },
    (message) => {
      if (message.metadata) size = Number(message.metadata.size);
      else digest.add(message.content ?? '');
    },
  );
  if (after.ok) verify('GetBlob', 'a deleted blob reads back empty', size === 0 && digest.bytes === 0);
}

/** CreateChunkedBlob, UploadChunk for each chunk, CommitChunkedUpload; checks the committed size and count. */
export async function uploadChunked(target: BlobTarget, chunk: Payload, chunks: number): Promise<boolean> {
  const session = unary<{ sessionId: string }>('CreateChunkedBlob', {
    storeKey: target.store,
    recordKey: target.key,
    chunkSize: String(chunk.size),
    chunkCount: String(chunks),
  });
  if (!session.message) return false;
  const sessionId = session.message.sessionId;
  for (let number = 0; number < chunks; number++) {
    const metadata: ChunkMetadata = { sessionId, number: String(number), size: String(chunk.size), md5: chunk.md5 };
    const uploaded = await clientStream<ChunkMetadata>('UploadChunk', [{ metadata }, ...chunk.pieces.map((content) => ({ content }))]);
    if (!uploaded.message) {
      unary('AbortChunkedUpload', { sessionId });
      return false;
    }
    verify('UploadChunk', 'an uploaded chunk reports its size and MD5', Number(uploaded.message.size) === chunk.size && uploaded.message.md5 === chunk.md5);
  }
  const committed = unary<BlobMetadata>('CommitChunkedUpload', { sessionId });
  if (!committed.message) return false;
  return verify(
    'CommitChunkedUpload',
    'a committed upload reports the total size and chunk count',
    Number(committed.message.size) === chunk.size * chunks && Number(committed.message.chunkCount) === chunks && committed.message.chunked === true,
  );
}

/** Reads one chunk of a committed chunked blob and checks its bytes. */
export async function readChunk(target: BlobTarget, chunk: Payload, number: number): Promise<void> {
  const digest = new ContentDigest();
  let metadata: ChunkMetadata | null = null;
  const result = await serverStream<StreamedPiece<ChunkMetadata>>(
    'GetBlobChunk',
    { storeKey: target.store, recordKey: target.key, chunkNumber: String(number) },
    (message) => {
      if (message.metadata) metadata = message.metadata;
      else digest.add(message.content ?? '');
    },
  );
  if (!result.ok) return;
  const meta = metadata as ChunkMetadata | null;
  verify('GetBlobChunk', 'a chunk reads back with its number', meta !== null && Number(meta.number) === number);
  verify('GetBlobChunk', 'a chunk has exactly the bytes uploaded', digest.bytes === chunk.size && digest.md5() === chunk.md5);
}

export function chunkUrls(target: BlobTarget, chunks: number): void {
  const result = unary<{ chunkUrls: string[] }>('CreateChunkUrls', { storeKey: target.store, key: target.key, ttlInSeconds: '60' });
  if (result.message) verify('CreateChunkUrls', 'there is one URL per chunk', result.message.chunkUrls.length === chunks);
}

/** Starts a chunked upload, sends one chunk, aborts it; the record's current blob must be untouched. */
export async function abortedUpload(target: BlobTarget, chunk: Payload): Promise<void> {
  const blobShape = () => {
    const record = unary<RecordMessage>('GetRecord', { storeKey: target.store, key: target.key, hint: { skipCache: true } }).message;
    return record ? `${record.blobSize}/${record.chunked}/${record.chunkCount}` : null;
  };
  const before = blobShape();
  const session = unary<{ sessionId: string }>('CreateChunkedBlob', { storeKey: target.store, recordKey: target.key });
  if (!session.message) return;
  const sessionId = session.message.sessionId;
  await clientStream<ChunkMetadata>('UploadChunk', [{ metadata: { sessionId, number: '0' } }, ...chunk.pieces.map((content) => ({ content }))]);
  if (!unary('AbortChunkedUpload', { sessionId }).ok) return;
  const after = blobShape();
  if (before !== null && after !== null) {
    verify('AbortChunkedUpload', "an aborted upload leaves the record's blob as it was", before === after, () => `${before} became ${after}`);
  }
}
