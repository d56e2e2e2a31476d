// Blob flows. Uploads, downloads checked byte for byte (length and MD5 of what
// arrived, and the stored checksums where the transport reports them) or, for the
// reads a workload samples out, checked without their bytes (status, and that the
// blob arrived whole), and deletion are written once against the transport-neutral
// client; the chunked-upload lifecycle is gRPC's alone (the AWS port has no chunks)
// and is skipped, and counted, elsewhere.
import { clientStream, serverStream, unary, type CallOptions as GrpcCallOptions } from '../transport/grpc-client.js';
import { messagesNeeded } from '../transport/grpc-transport.js';
import { statusChecks, verify } from '../verify/checks.js';
import type { RpcName } from '../config/constants.js';
import type { ChunkMetadata, Hint, RecordMessage } from '../model/messages.js';
import { ContentDigest, type Payload } from '../model/payloads.js';
import { transport } from '../transport/transport.js';
import { skip } from '../metrics/skips.js';
import { STALE, untilFreshAsync } from './consistency.js';
import type { BlobTarget, CallOptions } from '../transport/transport-types.js';

export type { BlobTarget } from '../transport/transport-types.js';

const LAGGING = transport.readsMayLag;

interface StreamedPiece<M> {
  metadata?: M | null;
  content?: string;
}

/** An upload's outcome: its answer's size checked (`echoed`), or an empty answer (`accepted`, HTTP), or failed. */
type Uploaded = 'echoed' | 'accepted' | false;

async function upload(target: BlobTarget, payload: Payload, hint?: Hint): Promise<Uploaded> {
  const options: CallOptions = { hint, allowMissing: LAGGING };
  const uploaded = await untilFreshAsync('CreateBlob', async (lastTry): Promise<Uploaded | typeof STALE> => {
    const result = await transport.uploadBlob(target, payload, options);
    if (!result.ok) return false;
    // The AWS port looks the record up first; a lagging lookup of a record just made answers 404.
    if (result.missing) {
      if (!lastTry) return STALE;
      verify('CreateBlob', 'an upload finds the record it belongs to', false, () => `${target.key}: still not found`);
      return false;
    }
    if (result.message === null) return 'accepted';
    return verify('CreateBlob', 'an uploaded blob reports the size that was sent', Number(result.message.size) === payload.size) && 'echoed';
  });
  return uploaded ?? false;
}

export async function uploadBlob(target: BlobTarget, payload: Payload, hint?: Hint): Promise<boolean> {
  return (await upload(target, payload, hint)) !== false;
}

/**
 * Uploads and checks the upload: by the size the answer reports (gRPC), or, where the
 * answer is empty (the AWS port), by reading the blob back. `previous` is the blob the
 * record held before, which a lagging read may still return.
 */
export async function uploadConfirmed(target: BlobTarget, payload: Payload, previous?: Payload): Promise<boolean> {
  const uploaded = await upload(target, payload);
  if (uploaded === 'accepted') await readBlob(target, payload, undefined, previous);
  return uploaded !== false;
}

/**
 * Downloads a blob and checks it is exactly `payload`. `previous`, the blob the
 * record held before, is what a lagging read may still return.
 */
export async function readBlob(target: BlobTarget, payload: Payload, hint?: Hint, previous?: Payload): Promise<void> {
  const options: CallOptions = { hint, allowMissing: LAGGING };
  await untilFreshAsync('GetBlob', async (lastTry) => {
    const result = await transport.downloadBlob(target, options);
    if (!result.ok) return undefined;
    const older = result.missing || (previous !== undefined && result.bytes === previous.size && result.md5 === previous.md5);
    if (older && !lastTry) {
      statusChecks.settle();
      return STALE;
    }
    const meta = result.metadata;
    // Over HTTP there is no metadata: the bytes are all there is to check.
    if (transport.name === 'grpc') verify('GetBlob', 'a downloaded blob starts with its metadata', meta !== null && Number(meta.size) === payload.size);
    verify('GetBlob', 'a downloaded blob has exactly the bytes uploaded', !result.missing && result.bytes === payload.size && result.md5 === payload.md5, () =>
      `${target.key}: got ${result.missing ? 'not found' : `${result.bytes} bytes`}`,
    );
    if (meta?.md5) verify('GetBlob', 'a downloaded blob carries the MD5 of its content', meta.md5 === payload.md5);
    if (meta?.hasCrc32c) verify('GetBlob', 'a downloaded blob carries the CRC32C of its content', meta.crc32c === payload.crc32c);
    return undefined;
  });
}

/** The one check of a blob read whose bytes are not compared; its status check carries it. */
export const BLOB_ARRIVES_WHOLE = 'a blob read without its bytes compared arrives whole';
const UNCOMPARED_READ: CallOptions = { allowMissing: LAGGING, readBack: BLOB_ARRIVES_WHOLE };

/**
 * Downloads a blob of `payload`'s size without comparing its bytes: k6 is asked not to
 * hand them to the script at all (converting a blob's content into JavaScript is most of
 * what a download costs the load generator). Checks the status and that the whole blob
 * arrived as far as the transport can tell without the bytes (transport-types.ts
 * UnreadDownload): a dropped piece or a short body fails, a changed byte does not.
 */
export async function readBlobUncompared(target: BlobTarget, payload: Payload): Promise<void> {
  await untilFreshAsync('GetBlob', async (lastTry) => {
    const result = await transport.downloadBlobUnread(target, payload.size, UNCOMPARED_READ);
    if (!result.ok) return undefined;
    if (result.missing && !lastTry) {
      statusChecks.settle();
      return STALE;
    }
    verify('GetBlob', BLOB_ARRIVES_WHOLE, !result.missing && result.whole, () =>
      `${target.key}: ${payload.size} bytes expected, got ${result.missing ? 'not found' : result.received}`,
    );
    return undefined;
  });
}

const GONE_PROBE: CallOptions = { hint: { skipCache: true }, allowMissing: true };
const DELETE_OPTIONS: CallOptions = { allowMissing: LAGGING };

/** Deletes a blob and checks the record now holds none (gRPC: it reads back empty; HTTP: not found). */
export async function deleteBlob(target: BlobTarget): Promise<void> {
  // The AWS port looks the record up first; a lagging lookup answers 404 and deletes nothing.
  const deleted = await untilFreshAsync('DeleteBlob', async (lastTry) => {
    const result = transport.deleteBlob(target, DELETE_OPTIONS);
    if (result.missing && !lastTry) return STALE;
    return result.ok && (!result.missing || verify('DeleteBlob', 'a blob delete finds the record it belongs to', false, () => `${target.key}: still not found`));
  });
  if (!deleted) return;
  await untilFreshAsync('GetBlob', async (lastTry) => {
    const after = await transport.downloadBlob(target, GONE_PROBE);
    if (!after.ok) return undefined;
    const gone = after.missing || (after.bytes === 0 && Number(after.metadata?.size ?? 0) === 0);
    if (!gone && !lastTry) return STALE;
    verify('GetBlob', 'a deleted blob reads back empty', gone);
    return undefined;
  });
}

/** The chunked-upload RPCs, which the AWS port lacks. */
export const CHUNK_OPS: readonly RpcName[] = ['CreateChunkedBlob', 'UploadChunk', 'CommitChunkedUpload', 'GetBlobChunk', 'CreateChunkUrls', 'AbortChunkedUpload'];

/** Whether a gRPC-only blob operation can run; counts it as skipped when it cannot. */
export function offered(op: RpcName): boolean {
  if (transport.offers(op)) return true;
  skip(op);
  return false;
}

/** CreateChunkedBlob, UploadChunk for each chunk, CommitChunkedUpload; checks the committed size and count. */
export async function uploadChunked(target: BlobTarget, chunk: Payload, chunks: number): Promise<boolean> {
  if (!offered('CreateChunkedBlob')) return false;
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
  const committed = unary<{ size: string; chunkCount: string; chunked: boolean }>('CommitChunkedUpload', { sessionId });
  if (!committed.message) return false;
  return verify(
    'CommitChunkedUpload',
    'a committed upload reports the total size and chunk count',
    Number(committed.message.size) === chunk.size * chunks && Number(committed.message.chunkCount) === chunks && committed.message.chunked === true,
  );
}

/** Reads one chunk of a committed chunked blob and checks its bytes. */
export async function readChunk(target: BlobTarget, chunk: Payload, number: number): Promise<void> {
  if (!offered('GetBlobChunk')) return;
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

/** The one check of a chunk read whose bytes are not compared; its status check carries it. */
export const CHUNK_ARRIVES_WHOLE = 'a chunk read without its bytes compared arrives whole';
const UNCOMPARED_CHUNK: GrpcCallOptions = { discardMessages: true, readBack: CHUNK_ARRIVES_WHOLE };
const IGNORE_MESSAGE = (): void => {};

/** Reads one chunk of a committed chunked blob without its bytes (as readBlobUncompared): status and message count. */
export async function readChunkUncompared(target: BlobTarget, chunk: Payload, number: number): Promise<void> {
  if (!offered('GetBlobChunk')) return;
  const request = { storeKey: target.store, recordKey: target.key, chunkNumber: String(number) };
  const result = await serverStream<unknown>('GetBlobChunk', request, IGNORE_MESSAGE, UNCOMPARED_CHUNK);
  if (!result.ok) return;
  const messages = result.message ?? 0;
  verify('GetBlobChunk', CHUNK_ARRIVES_WHOLE, messages >= messagesNeeded(chunk.size), () => `chunk ${number} of ${target.key}: ${messages} messages`);
}

export function chunkUrls(target: BlobTarget, chunks: number): void {
  if (!offered('CreateChunkUrls')) return;
  const result = unary<{ chunkUrls: string[] }>('CreateChunkUrls', { storeKey: target.store, key: target.key, ttlInSeconds: '60' });
  if (result.message) verify('CreateChunkUrls', 'there is one URL per chunk', result.message.chunkUrls.length === chunks);
}

/** Starts a chunked upload, sends one chunk, aborts it; the record's current blob must be untouched. */
export async function abortedUpload(target: BlobTarget, chunk: Payload): Promise<void> {
  if (!offered('AbortChunkedUpload')) return;
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
