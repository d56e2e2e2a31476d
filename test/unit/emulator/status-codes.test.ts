// Every row of the spec's status-code quick reference (d.9), against a running
// emulator over a real socket. Where the emulator deliberately differs from upstream
// (documented in emulator/README.md), the test asserts the documented behaviour.
import { status } from '@grpc/grpc-js';
import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { failure, intProperty, seedRecord, startTestEmulator, stringProperty, uniqueKey, type TestEmulator } from './support/client.js';

let emulator: TestEmulator;
beforeAll(async () => {
  emulator = await startTestEmulator({ maxChunkBytes: 1024 });
});
afterAll(() => emulator.stop());

const client = () => emulator.client;
const MISSING_UUID = '00000000-0000-4000-8000-000000000000';
const bigContent = (size: number) => Buffer.alloc(size, 7);

async function chunkedRecord(chunkCount = 0) {
  const seeded = await seedRecord(client());
  const { sessionId } = await client().unary<{ sessionId: string }>('CreateChunkedBlob', {
    storeKey: seeded.storeKey,
    recordKey: seeded.recordKey,
    chunkCount,
  });
  return { ...seeded, sessionId };
}

describe('d.9 store / record / session / blob reference / property not found -> NOT_FOUND', () => {
  it('GetStore of a missing store', async () => {
    expect((await failure(client().unary('GetStore', { key: uniqueKey('nope') }))).code).toBe(status.NOT_FOUND);
  });
  it('GetRecord of a missing record', async () => {
    const { storeKey } = await seedRecord(client());
    const error = await failure(client().unary('GetRecord', { storeKey, key: 'absent' }));
    expect(error.code).toBe(status.NOT_FOUND);
    expect(error.details).toMatch(/record "absent" not found/);
  });
  it('UploadChunk and CommitChunkedUpload with an unknown session', async () => {
    const upload = client().upload('UploadChunk', [{ metadata: { sessionId: MISSING_UUID, number: 0 } }, { content: Buffer.from('x') }]);
    expect((await failure(upload)).code).toBe(status.NOT_FOUND);
    expect((await failure(client().unary('CommitChunkedUpload', { sessionId: MISSING_UUID }))).code).toBe(status.NOT_FOUND);
  });
  it('GetBlobChunk of a chunk number the blob does not have', async () => {
    const { storeKey, recordKey, sessionId } = await chunkedRecord();
    await client().upload('UploadChunk', [{ metadata: { sessionId, number: 0 } }, { content: Buffer.from('abc') }]);
    await client().unary('CommitChunkedUpload', { sessionId });
    const result = await client().download('GetBlobChunk', { storeKey, recordKey, chunkNumber: 5 });
    expect(result.code).toBe(status.NOT_FOUND);
  });
  it('CompareAndSwap and AtomicInc on a missing property', async () => {
    const { storeKey, recordKey } = await seedRecord(client());
    const cas = client().unary('CompareAndSwap', {
      storeKey,
      recordKey,
      propertyName: 'missing',
      value: intProperty(1),
      oldValue: intProperty(0),
    });
    expect((await failure(cas)).code).toBe(status.NOT_FOUND);
    const inc = client().unary('AtomicInc', { storeKey, recordKey, propertyName: 'missing', upperBound: 10 });
    expect((await failure(inc)).code).toBe(status.NOT_FOUND);
  });
});

describe('d.9 GetRecords: individual key missing -> per-result NOT_FOUND, RPC OK', () => {
  it('reports each pair in request order and succeeds', async () => {
    const { storeKey, recordKey } = await seedRecord(client());
    const response = await client().unary<{ results: { status: { code: number; message: string }; storeKey: string; record: unknown }[] }>(
      'GetRecords',
      { storeKeys: [storeKey, storeKey], keys: ['absent', recordKey] },
    );
    expect(response.results).toHaveLength(2);
    expect(response.results[0]!.status.code).toBe(status.NOT_FOUND);
    expect(response.results[0]!.status.message).not.toBe('');
    expect(response.results[0]!.record).toBeNull();
    expect(response.results[0]!.storeKey).toBe('');
    expect(response.results[1]!.status).toMatchObject({ code: 0, message: 'OK' });
    expect(response.results[1]!.record).toMatchObject({ key: recordKey });
  });
});

describe('d.9 DeleteRecord / DeleteStore on a missing key -> OK', () => {
  it('returns Empty for both', async () => {
    await expect(client().unary('DeleteRecord', { storeKey: uniqueKey('s'), key: 'none' })).resolves.toEqual({});
    await expect(client().unary('DeleteStore', { key: uniqueKey('s') })).resolves.toEqual({});
  });
});

describe('d.9 missing parent -> FAILED_PRECONDITION', () => {
  it('CreateRecord into a missing store', async () => {
    const error = await failure(client().unary('CreateRecord', { storeKey: uniqueKey('nostore'), record: { key: 'r' } }));
    expect(error.code).toBe(status.FAILED_PRECONDITION);
  });
  it('external CreateBlob for a missing record', async () => {
    const { storeKey } = await seedRecord(client());
    const size = 70_000;
    const error = await failure(
      client().upload('CreateBlob', [{ metadata: { storeKey, recordKey: 'absent', size } }, { content: bigContent(size) }]),
    );
    expect(error.code).toBe(status.FAILED_PRECONDITION);
  });
  it('CreateChunkedBlob for a missing record', async () => {
    const { storeKey } = await seedRecord(client());
    const error = await failure(client().unary('CreateChunkedBlob', { storeKey, recordKey: 'absent' }));
    expect(error.code).toBe(status.FAILED_PRECONDITION);
  });
});

describe('d.9 DeleteStore on a non-empty store -> FAILED_PRECONDITION', () => {
  it('refuses, and the store keeps its record', async () => {
    const { storeKey, recordKey } = await seedRecord(client());
    expect((await failure(client().unary('DeleteStore', { key: storeKey }))).code).toBe(status.FAILED_PRECONDITION);
    await expect(client().unary('GetRecord', { storeKey, key: recordKey })).resolves.toMatchObject({ key: recordKey });
  });
});

describe('d.9 signature mismatch -> FAILED_PRECONDITION', () => {
  const otherSignature = Buffer.from('0123456789abcdef');
  it('UpdateRecord with a stale signature', async () => {
    const { storeKey, recordKey } = await seedRecord(client());
    const error = await failure(client().unary('UpdateRecord', { storeKey, record: { key: recordKey, signature: otherSignature } }));
    expect(error.code).toBe(status.FAILED_PRECONDITION);
  });
  it('CommitChunkedUpload with a record carrying a stale signature', async () => {
    const { recordKey, sessionId } = await chunkedRecord();
    await client().upload('UploadChunk', [{ metadata: { sessionId, number: 0 } }, { content: Buffer.from('a') }]);
    const error = await failure(
      client().unary('CommitChunkedUpload', { sessionId, record: { key: recordKey, signature: otherSignature } }),
    );
    expect(error.code).toBe(status.FAILED_PRECONDITION);
  });
});

describe('d.9 chunk lifecycle and blob-less reads -> FAILED_PRECONDITION', () => {
  it('Commit with the wrong chunk count', async () => {
    const { sessionId } = await chunkedRecord(2);
    await client().upload('UploadChunk', [{ metadata: { sessionId, number: 0 } }, { content: Buffer.from('a') }]);
    expect((await failure(client().unary('CommitChunkedUpload', { sessionId }))).code).toBe(status.FAILED_PRECONDITION);
  });
  it('Abort of a session that is no longer initializing', async () => {
    const { sessionId } = await chunkedRecord();
    await client().upload('UploadChunk', [{ metadata: { sessionId, number: 0 } }, { content: Buffer.from('a') }]);
    await client().unary('CommitChunkedUpload', { sessionId });
    expect((await failure(client().unary('AbortChunkedUpload', { sessionId }))).code).toBe(status.FAILED_PRECONDITION);
  });
  it('DeleteBlob, GetBlobChunk and CreateChunkUrls on a record without a blob', async () => {
    const { storeKey, recordKey } = await seedRecord(client());
    expect((await failure(client().unary('DeleteBlob', { storeKey, recordKey }))).code).toBe(status.FAILED_PRECONDITION);
    expect((await client().download('GetBlobChunk', { storeKey, recordKey, chunkNumber: 0 })).code).toBe(status.FAILED_PRECONDITION);
    expect((await failure(client().unary('CreateChunkUrls', { storeKey, key: recordKey }))).code).toBe(status.FAILED_PRECONDITION);
  });
});

describe('d.9 duplicate key -> ALREADY_EXISTS', () => {
  it('CreateStore and CreateRecord twice', async () => {
    const { storeKey, recordKey } = await seedRecord(client());
    expect((await failure(client().unary('CreateStore', { store: { key: storeKey } }))).code).toBe(status.ALREADY_EXISTS);
    expect((await failure(client().unary('CreateRecord', { storeKey, record: { key: recordKey } }))).code).toBe(
      status.ALREADY_EXISTS,
    );
  });
});

describe('d.9 malformed input -> INVALID_ARGUMENT', () => {
  it('a signature that is not 16 bytes', async () => {
    const { storeKey, recordKey } = await seedRecord(client());
    const error = await failure(client().unary('UpdateRecord', { storeKey, record: { key: recordKey, signature: Buffer.from('short') } }));
    expect(error.code).toBe(status.INVALID_ARGUMENT);
    const create = client().unary('CreateRecord', { storeKey, record: { key: uniqueKey('r'), signature: Buffer.alloc(3) } });
    expect((await failure(create)).code).toBe(status.INVALID_ARGUMENT);
  });
  it('a session id that is not a UUID', async () => {
    expect((await failure(client().unary('CommitChunkedUpload', { sessionId: 'not-a-uuid' }))).code).toBe(status.INVALID_ARGUMENT);
    expect((await failure(client().unary('AbortChunkedUpload', { sessionId: 'not-a-uuid' }))).code).toBe(status.INVALID_ARGUMENT);
  });
  it('a first stream message that is not metadata', async () => {
    expect((await failure(client().upload('CreateBlob', [{ content: Buffer.from('x') }]))).code).toBe(status.INVALID_ARGUMENT);
    expect((await failure(client().upload('UploadChunk', [{ content: Buffer.from('x') }]))).code).toBe(status.INVALID_ARGUMENT);
  });
  it('a follow-up message that is not content', async () => {
    const { storeKey, recordKey } = await seedRecord(client());
    const metadata = { storeKey, recordKey, size: 1 };
    const error = await failure(client().upload('CreateBlob', [{ metadata }, { metadata }]));
    expect(error.code).toBe(status.INVALID_ARGUMENT);
  });
  it('an inline blob whose bytes differ from the declared size', async () => {
    const { storeKey, recordKey } = await seedRecord(client());
    const error = await failure(
      client().upload('CreateBlob', [{ metadata: { storeKey, recordKey, size: 10 } }, { content: Buffer.from('abc') }]),
    );
    expect(error.code).toBe(status.INVALID_ARGUMENT);
  });
  it('GetRecords with lists of different lengths', async () => {
    const error = await failure(client().unary('GetRecords', { storeKeys: ['a', 'b'], keys: ['a'] }));
    expect(error.code).toBe(status.INVALID_ARGUMENT);
  });
  it('a USER_PROPERTY sort order without a name, and an unknown sort enum', async () => {
    const noName = client().unary('QueryRecords', { sortOrders: [{ property: 'USER_PROPERTY' }] });
    expect((await failure(noName)).code).toBe(status.INVALID_ARGUMENT);
    const badEnum = client().unary('QueryRecords', { sortOrders: [{ property: 7 }] });
    expect((await failure(badEnum)).code).toBe(status.INVALID_ARGUMENT);
    const badDirection = client().unary('QueryRecords', { sortOrders: [{ direction: 9 }] });
    expect((await failure(badDirection)).code).toBe(status.INVALID_ARGUMENT);
  });
  it('an opaque_string over the Datastore limit', async () => {
    const { storeKey } = await seedRecord(client());
    const record = { key: uniqueKey('r'), opaqueString: 'x'.repeat(1_048_488) };
    expect((await failure(client().unary('CreateRecord', { storeKey, record }))).code).toBe(status.INVALID_ARGUMENT);
  });
});

describe('d.9 atomic int op on a non-integer property -> INVALID_ARGUMENT', () => {
  it('AtomicAddInt on a STRING property', async () => {
    const { storeKey, recordKey } = await seedRecord(client(), { properties: { s: stringProperty('x') } });
    const error = await failure(client().unary('AtomicAddInt', { storeKey, recordKey, propertyName: 's', value: 1 }));
    expect(error.code).toBe(status.INVALID_ARGUMENT);
  });
});

describe('d.9 unknown FilterOperator -> UNIMPLEMENTED', () => {
  it('QueryRecords with operator 9', async () => {
    const error = await failure(
      client().unary('QueryRecords', { filters: [{ propertyName: 'p', operator: 9, value: intProperty(1) }] }),
    );
    expect(error.code).toBe(status.UNIMPLEMENTED);
  });
});

describe('d.9 checksum and size mismatches -> DATA_LOSS', () => {
  it('an MD5 or CRC32C that does not match the content', async () => {
    const { storeKey, recordKey } = await seedRecord(client());
    const wrongMd5 = createHash('md5').update('other').digest();
    const md5Upload = client().upload('CreateBlob', [
      { metadata: { storeKey, recordKey, size: 3, md5: wrongMd5 } },
      { content: Buffer.from('abc') },
    ]);
    expect((await failure(md5Upload)).code).toBe(status.DATA_LOSS);
    const crcUpload = client().upload('CreateBlob', [
      { metadata: { storeKey, recordKey, size: 3, crc32c: 1, hasCrc32c: true } },
      { content: Buffer.from('abc') },
    ]);
    expect((await failure(crcUpload)).code).toBe(status.DATA_LOSS);
  });
  it('an external blob whose bytes differ from the declared size', async () => {
    const { storeKey, recordKey } = await seedRecord(client());
    const error = await failure(
      client().upload('CreateBlob', [{ metadata: { storeKey, recordKey, size: 70_000 } }, { content: bigContent(69_999) }]),
    );
    expect(error.code).toBe(status.DATA_LOSS);
  });
  it('streamed bytes that differ from the stored size on reads', async () => {
    const { storeKey, recordKey } = await seedRecord(client());
    await client().upload('CreateBlob', [{ metadata: { storeKey, recordKey, size: 70_000 } }, { content: bigContent(70_000) }]);
    // Damage the stored blob the way a truncated object would look.
    const blob = emulator.server.state.getRecord(storeKey, recordKey)!.blob!;
    if (blob.kind === 'inline') throw new Error('expected an external blob');
    blob.data = blob.data.subarray(0, 100);
    const result = await client().download('GetBlob', { storeKey, recordKey });
    expect(result.code).toBe(status.DATA_LOSS);
  });
});

describe('d.9 chunk over the size limit -> RESOURCE_EXHAUSTED', () => {
  it('fails a chunk larger than the limit (lowered to 1 KiB for this emulator)', async () => {
    const { sessionId } = await chunkedRecord();
    const error = await failure(
      client().upload('UploadChunk', [{ metadata: { sessionId, number: 0 } }, { content: Buffer.alloc(1025) }]),
    );
    expect(error.code).toBe(status.RESOURCE_EXHAUSTED);
  });
});

describe('d.9 transaction contention -> ABORTED (never happens here: writes are serialized)', () => {
  it('applies 50 concurrent increments of one property without ABORTED', async () => {
    const { storeKey, recordKey } = await seedRecord(client(), { properties: { n: intProperty(0) } });
    const calls = Array.from({ length: 50 }, () =>
      client().unary('AtomicInc', { storeKey, recordKey, propertyName: 'n', lowerBound: 0, upperBound: 1000 }),
    );
    await Promise.all(calls);
    const record = await client().unary<{ properties: Record<string, { integerValue: string }> }>('GetRecord', {
      storeKey,
      key: recordKey,
    });
    expect(record.properties.n!.integerValue).toBe('50');
  });
});

describe('d.9 INTERNAL', () => {
  it('Commit of an aborted session', async () => {
    const { sessionId } = await chunkedRecord();
    await client().unary('AbortChunkedUpload', { sessionId });
    const error = await failure(client().unary('CommitChunkedUpload', { sessionId }));
    expect(error.code).toBe(status.INTERNAL);
    expect(error.details).toMatch(/not ready/);
  });
  it('QueryRecords that upstream could only serve with a composite index succeeds here', async () => {
    const { storeKey } = await seedRecord(client(), { properties: { level: intProperty(5), name: stringProperty('b') } });
    const response = await client().unary<{ records: unknown[] }>('QueryRecords', {
      storeKey,
      filters: [{ propertyName: 'level', operator: 'GREATER', value: intProperty(1) }],
      sortOrders: [{ property: 'USER_PROPERTY', userPropertyName: 'name', direction: 'DESC' }],
    });
    expect(response.records).toHaveLength(1);
  });
});

describe('d.9 inline CreateBlob onto a missing record (upstream: no response message)', () => {
  it('fails with FAILED_PRECONDITION instead', async () => {
    const { storeKey } = await seedRecord(client());
    const error = await failure(
      client().upload('CreateBlob', [{ metadata: { storeKey, recordKey: 'absent', size: 3 } }, { content: Buffer.from('abc') }]),
    );
    expect(error.code).toBe(status.FAILED_PRECONDITION);
    expect(error.details).toMatch(/record "absent" not found/);
  });
});
