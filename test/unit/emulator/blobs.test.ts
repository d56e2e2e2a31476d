// CreateBlob, GetBlob, DeleteBlob (spec d.3): inline vs external placement, the
// echo response, streaming in pieces of at most 1 MiB, and the record fields.
import { status } from '@grpc/grpc-js';
import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { crc32c } from '../../../proto/crc32c.js';
import { failure, seedRecord, startTestEmulator, type TestEmulator } from './support/client.js';

let emulator: TestEmulator;
beforeAll(async () => {
  emulator = await startTestEmulator();
});
afterAll(() => emulator.stop());

const MIB = 1024 * 1024;

interface BlobMetadata {
  storeKey: string;
  recordKey: string;
  size: string;
  md5: Buffer;
  crc32c: number;
  hasCrc32c: boolean;
  chunked: boolean;
  chunkCount: string;
}
interface BlobResponse {
  metadata?: BlobMetadata;
  content?: Buffer;
  response: 'metadata' | 'content';
}

function patterned(size: number): Buffer {
  const data = Buffer.alloc(size);
  for (let i = 0; i < size; i++) data[i] = (i * 31 + 7) & 0xff;
  return data;
}

/** Uploads in 64 KiB pieces, as a client would. */
function upload(storeKey: string, recordKey: string, data: Buffer, extra: object = {}) {
  const pieces: object[] = [];
  for (let offset = 0; offset < data.length; offset += 65_536) pieces.push({ content: data.subarray(offset, offset + 65_536) });
  return emulator.client.upload<BlobMetadata>('CreateBlob', [{ metadata: { storeKey, recordKey, size: data.length, ...extra } }, ...pieces]);
}

const getBlob = (storeKey: string, recordKey: string) => emulator.client.download<BlobResponse>('GetBlob', { storeKey, recordKey });
const getRecord = (storeKey: string, key: string) =>
  emulator.client.unary<{ blobSize: string; signature: Buffer; chunked: boolean; chunkCount: string }>('GetRecord', { storeKey, key });

describe('CreateBlob and GetBlob, inline (size <= 65,536 bytes)', () => {
  it('round-trips in exactly one content message and echoes the metadata sent', async () => {
    const { storeKey, recordKey, created } = await seedRecord(emulator.client);
    const data = patterned(65_536);
    const md5 = createHash('md5').update(data).digest();
    const echoed = await upload(storeKey, recordKey, data, { md5, crc32c: crc32c(data), hasCrc32c: true });
    expect(echoed).toMatchObject({ storeKey, recordKey, size: '65536', hasCrc32c: true, crc32c: crc32c(data) });
    expect(echoed.md5.equals(md5)).toBe(true);

    const read = await getBlob(storeKey, recordKey);
    expect(read.code).toBe(status.OK);
    expect(read.messages.map((m) => m.response)).toEqual(['metadata', 'content']);
    expect(read.messages[0]!.metadata).toMatchObject({ size: '65536', hasCrc32c: true });
    expect(read.messages[1]!.content!.equals(data)).toBe(true);

    const record = await getRecord(storeKey, recordKey);
    expect(record.blobSize).toBe('65536');
    expect(record.signature.equals(created.signature as Buffer)).toBe(false);
  });

  it('returns no checksums when the client sent none', async () => {
    const { storeKey, recordKey } = await seedRecord(emulator.client);
    const echoed = await upload(storeKey, recordKey, Buffer.from('hello'));
    expect(echoed).toMatchObject({ size: '5', hasCrc32c: false });
    expect(echoed.md5).toHaveLength(0);
  });

  it('replaces an earlier blob', async () => {
    const { storeKey, recordKey } = await seedRecord(emulator.client);
    await upload(storeKey, recordKey, patterned(200_000));
    await upload(storeKey, recordKey, Buffer.from('small'));
    const read = await getBlob(storeKey, recordKey);
    expect(read.messages[1]!.content!.toString()).toBe('small');
    expect((await getRecord(storeKey, recordKey)).blobSize).toBe('5');
  });
});

describe('CreateBlob and GetBlob, external (size > 65,536 bytes)', () => {
  it('streams content back in pieces of at most 1 MiB', async () => {
    const { storeKey, recordKey } = await seedRecord(emulator.client);
    const data = patterned(2 * MIB + 13);
    await upload(storeKey, recordKey, data);
    const read = await getBlob(storeKey, recordKey);
    expect(read.code).toBe(status.OK);
    const [metadata, ...contents] = read.messages;
    expect(metadata!.metadata).toMatchObject({ size: String(data.length), chunked: false, chunkCount: '0' });
    expect(contents.map((m) => m.content!.length)).toEqual([MIB, MIB, 13]);
    expect(Buffer.concat(contents.map((m) => m.content!)).equals(data)).toBe(true);
    const record = await getRecord(storeKey, recordKey);
    expect(record).toMatchObject({ blobSize: String(data.length), chunked: false, chunkCount: '0' });
  });

  it('fails fast with FAILED_PRECONDITION when the record is missing', async () => {
    const { storeKey } = await seedRecord(emulator.client);
    expect((await failure(upload(storeKey, 'absent', patterned(65_537)))).code).toBe(status.FAILED_PRECONDITION);
  });
});

describe('GetBlob without a blob', () => {
  it('sends metadata with the stored blob_size and one empty content message', async () => {
    const { storeKey, recordKey } = await seedRecord(emulator.client, { blobSize: 42 });
    const read = await getBlob(storeKey, recordKey);
    expect(read.code).toBe(status.OK);
    expect(read.messages[0]!.metadata).toMatchObject({ size: '42', hasCrc32c: false });
    expect(read.messages[1]!.content).toHaveLength(0);
  });

  it('is NOT_FOUND for a missing record', async () => {
    const { storeKey } = await seedRecord(emulator.client);
    expect((await getBlob(storeKey, 'absent')).code).toBe(status.NOT_FOUND);
  });
});

describe('DeleteBlob', () => {
  it('clears the blob, resets blob_size and bumps the signature', async () => {
    const { storeKey, recordKey } = await seedRecord(emulator.client);
    await upload(storeKey, recordKey, patterned(100_000), {});
    const before = await getRecord(storeKey, recordKey);
    await emulator.client.unary('DeleteBlob', { storeKey, recordKey });
    const after = await getRecord(storeKey, recordKey);
    expect(after).toMatchObject({ blobSize: '0', chunked: false, chunkCount: '0' });
    expect(after.signature.equals(before.signature)).toBe(false);
    const read = await getBlob(storeKey, recordKey);
    expect(read.messages[0]!.metadata).toMatchObject({ size: '0', hasCrc32c: false });
    expect(read.messages[1]!.content).toHaveLength(0);
    expect((await failure(emulator.client.unary('DeleteBlob', { storeKey, recordKey }))).code).toBe(status.FAILED_PRECONDITION);
  });

  it('is NOT_FOUND for a missing record', async () => {
    const { storeKey } = await seedRecord(emulator.client);
    expect((await failure(emulator.client.unary('DeleteBlob', { storeKey, recordKey: 'absent' }))).code).toBe(status.NOT_FOUND);
  });
});

describe('blob bytes accounting', () => {
  it('counts stored blob bytes and frees them when the record goes', async () => {
    const { storeKey, recordKey } = await seedRecord(emulator.client);
    const before = emulator.server.state.blobBytes;
    await upload(storeKey, recordKey, patterned(300_000));
    expect(emulator.server.state.blobBytes - before).toBe(300_000);
    await emulator.client.unary('DeleteRecord', { storeKey, key: recordKey });
    expect(emulator.server.state.blobBytes).toBe(before);
  });
});

describe('checksums and empty blobs as upstream Open Saves computes them', () => {
  it.each([
    ['inline, no checksums sent', Buffer.from('hello')],
    ['external, no checksums sent', patterned(200_001)],
    ['zero bytes', Buffer.alloc(0)],
  ])('stores the MD5 and CRC32C of the received bytes (%s) while echoing what was sent', async (_label, data) => {
    const { storeKey, recordKey } = await seedRecord(emulator.client);
    const echoed = await upload(storeKey, recordKey, data);
    expect(echoed).toMatchObject({ hasCrc32c: false });
    const read = await getBlob(storeKey, recordKey);
    expect(read.code).toBe(status.OK);
    const metadata = read.messages[0]!.metadata!;
    expect(metadata).toMatchObject({ size: String(data.length), hasCrc32c: true, crc32c: crc32c(data) });
    expect(metadata.md5.equals(createHash('md5').update(data).digest())).toBe(true);
  });

  it.each([15, 17])('answers an MD5 of %i bytes with DATA_LOSS, since it is compared as bytes', async (length) => {
    const { storeKey, recordKey } = await seedRecord(emulator.client);
    const result = await failure(upload(storeKey, recordKey, Buffer.from('hello'), { md5: Buffer.alloc(length, 1) }));
    expect(result.code).toBe(status.DATA_LOSS);
  });

  it('answers DeleteBlob after a zero-byte CreateBlob with FAILED_PRECONDITION: there is no blob to remove', async () => {
    const { storeKey, recordKey } = await seedRecord(emulator.client);
    await upload(storeKey, recordKey, Buffer.alloc(0));
    expect((await failure(emulator.client.unary('DeleteBlob', { storeKey, recordKey }))).code).toBe(status.FAILED_PRECONDITION);
  });
});
