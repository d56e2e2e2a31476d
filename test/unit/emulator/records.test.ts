// CreateRecord, GetRecord, GetRecords, UpdateRecord, DeleteRecord (spec d.2).
import { status } from '@grpc/grpc-js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  boolProperty,
  failure,
  intProperty,
  seedRecord,
  startTestEmulator,
  stringProperty,
  uniqueKey,
  type TestEmulator,
} from './support/client.js';

let emulator: TestEmulator;
beforeAll(async () => {
  emulator = await startTestEmulator();
});
afterAll(() => emulator.stop());

interface Timestamp {
  seconds: string;
  nanos: number;
}
interface RecordMessage {
  key: string;
  blobSize: string;
  properties: Record<string, { type: string; integerValue?: string; stringValue?: string; booleanValue?: boolean }>;
  ownerId: string;
  tags: string[];
  createdAt: Timestamp;
  updatedAt: Timestamp;
  chunked: boolean;
  chunkCount: string;
  opaqueString: string;
  signature: Buffer;
  expiresAt: Timestamp | null;
}

const micros = (t: Timestamp): number => Number(t.seconds) * 1e6 + t.nanos / 1000;

describe('CreateRecord', () => {
  it('stores client fields, server timestamps and a fresh 16-byte signature', async () => {
    const { created } = await seedRecord(emulator.client, {
      blobSize: 99,
      ownerId: 'player-1',
      tags: ['t1', 't2'],
      opaqueString: 'opaque',
      properties: { level: intProperty(7), name: stringProperty('hero'), hard: boolProperty(true) },
      createdAt: { seconds: 1, nanos: 0 },
      chunked: true,
      chunkCount: 4,
      expiresAt: { seconds: 2_000_000_000, nanos: 0 },
    });
    const record = created as unknown as RecordMessage;
    expect(record).toMatchObject({
      blobSize: '99',
      ownerId: 'player-1',
      tags: ['t1', 't2'],
      opaqueString: 'opaque',
      chunked: false,
      chunkCount: '0',
      expiresAt: { seconds: '2000000000', nanos: 0 },
    });
    expect(record.properties.level).toMatchObject({ type: 'INTEGER', integerValue: '7' });
    expect(record.properties.name).toMatchObject({ type: 'STRING', stringValue: 'hero' });
    expect(record.properties.hard).toMatchObject({ type: 'BOOLEAN', booleanValue: true });
    expect(record.createdAt).toEqual(record.updatedAt);
    expect(Number(record.createdAt.seconds)).toBeGreaterThan(1_700_000_000);
    expect(record.signature).toHaveLength(16);
  });

  it('leaves expires_at unset when the client does not send it', async () => {
    const { created } = await seedRecord(emulator.client);
    expect(created.expiresAt).toBeNull();
  });

  it('reads the oneof member that type names (INTEGER with a string_value reads as 0)', async () => {
    const { created } = await seedRecord(emulator.client, { properties: { p: { type: 'INTEGER', stringValue: '12' } } });
    expect((created as unknown as RecordMessage).properties.p).toMatchObject({ type: 'INTEGER', integerValue: '0' });
  });

  it('fails a DATATYPE_UNDEFINED property with UNKNOWN, as upstream save errors do', async () => {
    const { storeKey } = await seedRecord(emulator.client);
    const create = emulator.client.unary('CreateRecord', { storeKey, record: { key: uniqueKey('r'), properties: { p: {} } } });
    expect((await failure(create)).code).toBe(status.UNKNOWN);
  });

  it('rejects a request without a record or without a key', async () => {
    const { storeKey } = await seedRecord(emulator.client);
    expect((await failure(emulator.client.unary('CreateRecord', { storeKey }))).code).toBe(status.INVALID_ARGUMENT);
    expect((await failure(emulator.client.unary('CreateRecord', { storeKey, record: {} }))).code).toBe(status.INVALID_ARGUMENT);
  });
});

describe('GetRecord', () => {
  it('returns the record as created', async () => {
    const { storeKey, recordKey, created } = await seedRecord(emulator.client, { properties: { a: intProperty(1) } });
    await expect(emulator.client.unary('GetRecord', { storeKey, key: recordKey })).resolves.toEqual(created);
  });
});

describe('GetRecords', () => {
  it('returns results across stores in request order', async () => {
    const first = await seedRecord(emulator.client);
    const second = await seedRecord(emulator.client);
    const response = await emulator.client.unary<{ results: { storeKey: string; record: RecordMessage }[] }>('GetRecords', {
      storeKeys: [second.storeKey, first.storeKey],
      keys: [second.recordKey, first.recordKey],
    });
    expect(response.results.map((r) => [r.storeKey, r.record.key])).toEqual([
      [second.storeKey, second.recordKey],
      [first.storeKey, first.recordKey],
    ]);
  });

  it('returns an empty result for empty lists', async () => {
    await expect(emulator.client.unary('GetRecords', {})).resolves.toEqual({ results: [] });
  });
});

describe('UpdateRecord', () => {
  it('replaces owner_id, properties, tags and opaque_string wholesale', async () => {
    const { storeKey, recordKey } = await seedRecord(emulator.client, {
      ownerId: 'old',
      tags: ['x'],
      opaqueString: 'old',
      properties: { keep: intProperty(1), drop: intProperty(2) },
    });
    const updated = await emulator.client.unary<RecordMessage>('UpdateRecord', {
      storeKey,
      record: { key: recordKey, properties: { keep: intProperty(3) } },
    });
    expect(updated).toMatchObject({ ownerId: '', tags: [], opaqueString: '' });
    expect(Object.keys(updated.properties)).toEqual(['keep']);
    expect(updated.properties.keep).toMatchObject({ integerValue: '3' });
  });

  it('keeps created_at and blob_size, bumps updated_at and the signature', async () => {
    const { storeKey, recordKey, created } = await seedRecord(emulator.client, { blobSize: 10 });
    const before = created as unknown as RecordMessage;
    const updated = await emulator.client.unary<RecordMessage>('UpdateRecord', {
      storeKey,
      record: { key: recordKey, blobSize: 500, ownerId: 'new' },
    });
    expect(updated.createdAt).toEqual(before.createdAt);
    expect(micros(updated.updatedAt)).toBeGreaterThan(micros(before.updatedAt));
    expect(updated.signature.equals(before.signature)).toBe(false);
    expect(updated.blobSize).toBe('10');
  });

  it('accepts the current signature and an all-zero one as preconditions', async () => {
    const { storeKey, recordKey, created } = await seedRecord(emulator.client);
    const signature = (created as unknown as RecordMessage).signature;
    const updated = await emulator.client.unary<RecordMessage>('UpdateRecord', { storeKey, record: { key: recordKey, signature } });
    await expect(
      emulator.client.unary('UpdateRecord', { storeKey, record: { key: recordKey, signature: Buffer.alloc(16) } }),
    ).resolves.toMatchObject({ key: recordKey });
    // The signature read before the last write is now stale.
    const stale = emulator.client.unary('UpdateRecord', { storeKey, record: { key: recordKey, signature: updated.signature } });
    expect((await failure(stale)).code).toBe(status.FAILED_PRECONDITION);
  });

  it('keeps expires_at when the update does not set it, and changes it when it does', async () => {
    const { storeKey, recordKey } = await seedRecord(emulator.client, { expiresAt: { seconds: 2_000_000_000, nanos: 0 } });
    const kept = await emulator.client.unary<RecordMessage>('UpdateRecord', { storeKey, record: { key: recordKey } });
    expect(kept.expiresAt).toEqual({ seconds: '2000000000', nanos: 0 });
    const moved = await emulator.client.unary<RecordMessage>('UpdateRecord', {
      storeKey,
      record: { key: recordKey, expiresAt: { seconds: 2_100_000_000, nanos: 0 } },
    });
    expect(moved.expiresAt).toEqual({ seconds: '2100000000', nanos: 0 });
  });

  it('never creates a record', async () => {
    const { storeKey } = await seedRecord(emulator.client);
    const update = emulator.client.unary('UpdateRecord', { storeKey, record: { key: 'absent' } });
    expect((await failure(update)).code).toBe(status.NOT_FOUND);
    expect((await failure(emulator.client.unary('GetRecord', { storeKey, key: 'absent' }))).code).toBe(status.NOT_FOUND);
  });
});

describe('DeleteRecord', () => {
  it('removes the record, after which its store can be deleted', async () => {
    const { storeKey, recordKey } = await seedRecord(emulator.client);
    await emulator.client.unary('DeleteRecord', { storeKey, key: recordKey });
    expect((await failure(emulator.client.unary('GetRecord', { storeKey, key: recordKey }))).code).toBe(status.NOT_FOUND);
    await expect(emulator.client.unary('DeleteStore', { key: storeKey })).resolves.toEqual({});
  });
});
