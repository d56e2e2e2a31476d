// The chunked-upload lifecycle (spec d.4): CreateChunkedBlob, UploadChunk,
// CommitChunkedUpload, AbortChunkedUpload, GetBlobChunk, CreateChunkUrls, and GetBlob on a chunked blob.
import { status } from '@grpc/grpc-js';
import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { crc32c } from '../../../proto/crc32c.js';
import { failure, intProperty, seedRecord, startTestEmulator, type TestEmulator } from './support/client.js';

let emulator: TestEmulator;
beforeAll(async () => {
  emulator = await startTestEmulator();
});
afterAll(() => emulator.stop());

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

interface RecordMessage {
  blobSize: string;
  chunked: boolean;
  chunkCount: string;
  signature: Buffer;
  properties: Record<string, unknown>;
}

async function session(chunkCount = 0) {
  const seeded = await seedRecord(emulator.client);
  const { sessionId } = await emulator.client.unary<{ sessionId: string }>('CreateChunkedBlob', {
    storeKey: seeded.storeKey,
    recordKey: seeded.recordKey,
    chunkSize: 1234,
    chunkCount,
  });
  const uploadChunk = (number: number, data: Buffer, extra: object = {}) =>
    emulator.client.upload<Record<string, unknown>>('UploadChunk', [{ metadata: { sessionId, number, ...extra } }, { content: data }]);
  const read = () => emulator.client.unary<RecordMessage>('GetRecord', { storeKey: seeded.storeKey, key: seeded.recordKey });
  return { ...seeded, sessionId, uploadChunk, read };
}

describe('CreateChunkedBlob and UploadChunk', () => {
  it('returns a UUID session and server-computed checksums, without touching the record', async () => {
    const s = await session();
    expect(s.sessionId).toMatch(UUID);
    const data = Buffer.from('chunk zero');
    const response = await s.uploadChunk(0, data);
    expect(response).toMatchObject({ sessionId: s.sessionId, number: '0', size: String(data.length), hasCrc32c: true, crc32c: crc32c(data) });
    expect((response.md5 as Buffer).equals(createHash('md5').update(data).digest())).toBe(true);
    const record = await s.read();
    expect(record.signature.equals(s.created.signature as Buffer)).toBe(true);
    expect(record.blobSize).toBe('0');
  });

  it('rejects a chunk whose checksum does not match with DATA_LOSS', async () => {
    const s = await session();
    expect((await failure(s.uploadChunk(0, Buffer.from('abc'), { crc32c: 5, hasCrc32c: true }))).code).toBe(status.DATA_LOSS);
  });

  it('answers an MD5 of the wrong length with DATA_LOSS, as upstream compares it as bytes', async () => {
    const s = await session();
    expect((await failure(s.uploadChunk(0, Buffer.from('abc'), { md5: Buffer.alloc(3, 9) }))).code).toBe(status.DATA_LOSS);
  });
});

describe('CommitChunkedUpload', () => {
  it('makes the chunks the current blob, in any upload order, replacing re-uploaded numbers', async () => {
    const s = await session(3);
    await s.uploadChunk(2, Buffer.from('cc'));
    await s.uploadChunk(0, Buffer.from('old'));
    await s.uploadChunk(1, Buffer.from('b'));
    await s.uploadChunk(0, Buffer.from('aaaa'));
    const response = await emulator.client.unary('CommitChunkedUpload', { sessionId: s.sessionId });
    expect(response).toMatchObject({ storeKey: s.storeKey, recordKey: s.recordKey, size: '7', chunked: true, chunkCount: '3', hasCrc32c: false });
    expect(response.md5).toHaveLength(0);
    const record = await s.read();
    expect(record).toMatchObject({ blobSize: '7', chunked: true, chunkCount: '3' });
    expect(record.signature.equals(s.created.signature as Buffer)).toBe(false);
  });

  it('keeps the session open after a wrong chunk count so the commit can be retried', async () => {
    const s = await session(2);
    await s.uploadChunk(0, Buffer.from('a'));
    expect((await failure(emulator.client.unary('CommitChunkedUpload', { sessionId: s.sessionId }))).code).toBe(status.FAILED_PRECONDITION);
    await s.uploadChunk(1, Buffer.from('b'));
    await expect(emulator.client.unary('CommitChunkedUpload', { sessionId: s.sessionId })).resolves.toMatchObject({ chunkCount: '2' });
  });

  it('commits a single chunk numbered 1 (numbers need not be contiguous)', async () => {
    const s = await session();
    await s.uploadChunk(1, Buffer.from('x'));
    await expect(emulator.client.unary('CommitChunkedUpload', { sessionId: s.sessionId })).resolves.toMatchObject({ chunkCount: '1' });
  });

  it('applies an optional record update with UpdateRecord rules', async () => {
    const s = await session();
    await s.uploadChunk(0, Buffer.from('x'));
    await emulator.client.unary('CommitChunkedUpload', {
      sessionId: s.sessionId,
      record: { key: 'ignored', signature: s.created.signature, properties: { saved: intProperty(1) } },
    });
    const record = await s.read();
    expect(Object.keys(record.properties)).toEqual(['saved']);
  });

  it('is NOT_FOUND when the record went away', async () => {
    const s = await session();
    await s.uploadChunk(0, Buffer.from('x'));
    await emulator.client.unary('DeleteRecord', { storeKey: s.storeKey, key: s.recordKey });
    expect((await failure(emulator.client.unary('CommitChunkedUpload', { sessionId: s.sessionId }))).code).toBe(status.NOT_FOUND);
  });
});

describe('AbortChunkedUpload', () => {
  it('aborts an open session, leaving the record without a blob', async () => {
    const s = await session();
    await s.uploadChunk(0, Buffer.from('x'));
    await expect(emulator.client.unary('AbortChunkedUpload', { sessionId: s.sessionId })).resolves.toEqual({});
    expect((await s.read()).chunked).toBe(false);
    expect((await failure(emulator.client.unary('AbortChunkedUpload', { sessionId: s.sessionId }))).code).toBe(status.FAILED_PRECONDITION);
  });
});

describe('session storage', () => {
  it('accepts an upload after abort, as upstream does, but keeps none of its bytes', async () => {
    const s = await session();
    await emulator.client.unary('AbortChunkedUpload', { sessionId: s.sessionId });
    const before = emulator.server.state.budget.usedBytes;
    await expect(s.uploadChunk(0, Buffer.alloc(5000))).resolves.toMatchObject({ size: '5000' });
    expect(emulator.server.state.budget.usedBytes).toBe(before);
  });

  it('frees the chunks of an open session when its record is deleted', async () => {
    const s = await session();
    const before = emulator.server.state.blobBytes;
    await s.uploadChunk(0, Buffer.alloc(7000));
    expect(emulator.server.state.blobBytes).toBe(before + 7000);
    await emulator.client.unary('DeleteRecord', { storeKey: s.storeKey, key: s.recordKey });
    expect(emulator.server.state.blobBytes).toBe(before);
    expect((await failure(emulator.client.unary('CommitChunkedUpload', { sessionId: s.sessionId }))).code).toBe(status.NOT_FOUND);
  });
});

describe('reading chunks', () => {
  it('GetBlobChunk streams metadata, then content in pieces of at most 1 MiB', async () => {
    const s = await session();
    const data = Buffer.alloc(1024 * 1024 + 500, 3);
    await s.uploadChunk(4, data);
    await emulator.client.unary('CommitChunkedUpload', { sessionId: s.sessionId });
    const result = await emulator.client.download<{ metadata?: Record<string, unknown>; content?: Buffer }>('GetBlobChunk', {
      storeKey: s.storeKey,
      recordKey: s.recordKey,
      chunkNumber: 4,
    });
    expect(result.code).toBe(status.OK);
    expect(result.messages[0]!.metadata).toMatchObject({ sessionId: s.sessionId, number: '4', size: String(data.length), hasCrc32c: true });
    expect(result.messages.slice(1).map((m) => m.content!.length)).toEqual([1024 * 1024, 500]);
  });

  it('GetBlobChunk is NOT_FOUND for a non-chunked external blob', async () => {
    const { storeKey, recordKey } = await seedRecord(emulator.client);
    const size = 70_000;
    await emulator.client.upload('CreateBlob', [{ metadata: { storeKey, recordKey, size } }, { content: Buffer.alloc(size) }]);
    expect((await emulator.client.download('GetBlobChunk', { storeKey, recordKey, chunkNumber: 0 })).code).toBe(status.NOT_FOUND);
    expect((await failure(emulator.client.unary('CreateChunkUrls', { storeKey, key: recordKey }))).code).toBe(status.NOT_FOUND);
  });

  it('CreateChunkUrls returns one working URL per chunk, ordered by number, that expires', async () => {
    const s = await session();
    await s.uploadChunk(2, Buffer.from('second'));
    await s.uploadChunk(1, Buffer.from('first'));
    await emulator.client.unary('CommitChunkedUpload', { sessionId: s.sessionId });
    const { chunkUrls } = await emulator.client.unary<{ chunkUrls: string[] }>('CreateChunkUrls', {
      storeKey: s.storeKey,
      key: s.recordKey,
      ttlInSeconds: 60,
    });
    expect(chunkUrls).toHaveLength(2);
    expect(chunkUrls[0]!.startsWith(emulator.server.httpUrl)).toBe(true);
    const bodies = await Promise.all(chunkUrls.map(async (url) => (await fetch(url)).text()));
    expect(bodies).toEqual(['first', 'second']);
    const expired = await fetch(chunkUrls[0]!.replace(/expires=\d+/, 'expires=1'));
    expect(expired.status).toBe(403);
  });

  it('GetBlob on a chunked blob sends its metadata, then ends with UNIMPLEMENTED', async () => {
    const s = await session();
    await s.uploadChunk(0, Buffer.from('abc'));
    await emulator.client.unary('CommitChunkedUpload', { sessionId: s.sessionId });
    const result = await emulator.client.download<{ metadata?: Record<string, unknown> }>('GetBlob', { storeKey: s.storeKey, recordKey: s.recordKey });
    expect(result.code).toBe(status.UNIMPLEMENTED);
    expect(result.messages).toHaveLength(1);
    expect(result.messages[0]!.metadata).toMatchObject({ chunked: true, chunkCount: '1', size: '3' });
  });

  it('an inline CreateBlob over a chunked blob keeps chunked/chunk_count, as upstream does', async () => {
    const s = await session();
    await s.uploadChunk(0, Buffer.from('abc'));
    await emulator.client.unary('CommitChunkedUpload', { sessionId: s.sessionId });
    await emulator.client.upload('CreateBlob', [{ metadata: { storeKey: s.storeKey, recordKey: s.recordKey, size: 2 } }, { content: Buffer.from('hi') }]);
    expect(await s.read()).toMatchObject({ blobSize: '2', chunked: true, chunkCount: '1' });
  });
});
