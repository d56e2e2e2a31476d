// Handlers called as plain functions over a State, without a socket: after any
// mix of writes, deleting everything gives every budget byte back.
import { describe, expect, it } from 'vitest';
import { atomicAddInt, compareAndSwap } from '../../../emulator/handlers/atomic.js';
import { BlobUpload, deleteBlob } from '../../../emulator/handlers/blobs.js';
import { abortChunkedUpload, ChunkUpload, commitChunkedUpload, createChunkedBlob } from '../../../emulator/handlers/chunks.js';
import { createRecord, deleteRecord, updateRecord } from '../../../emulator/handlers/records.js';
import { createStore, deleteStore } from '../../../emulator/handlers/stores.js';
import { State } from '../../../emulator/state/state.js';

function uploadBlob(state: State, storeKey: string, recordKey: string, data: Buffer): void {
  const upload = BlobUpload.begin(state, { request: 'metadata', metadata: { storeKey, recordKey, size: String(data.length) } });
  upload.push({ request: 'content', content: data });
  upload.finish();
}

function uploadChunk(state: State, sessionId: string, number: number, data: Buffer): void {
  const upload = ChunkUpload.begin(state, { request: 'metadata', metadata: { sessionId, number: String(number) } });
  upload.push({ request: 'content', content: data });
  upload.finish();
}

describe('state byte accounting', () => {
  it('returns to zero after stores, records, blobs, chunks and sessions are all deleted', () => {
    const state = new State({ maxBytes: 50 * 1024 * 1024 });
    createStore(state, { store: { key: 's', name: 'saves', tags: ['t'] } });
    for (const key of ['a', 'b', 'c']) {
      createRecord(state, {
        storeKey: 's',
        record: { key, ownerId: 'o', tags: ['x', 'y'], opaqueString: 'z'.repeat(100), properties: { n: { type: 'INTEGER', integerValue: '1' } } },
      });
    }
    updateRecord(state, { storeKey: 's', record: { key: 'a', properties: { s: { type: 'STRING', stringValue: 'long '.repeat(50) } } } });
    compareAndSwap(state, {
      storeKey: 's',
      recordKey: 'b',
      propertyName: 'n',
      oldValue: { type: 'INTEGER', integerValue: '1' },
      value: { type: 'STRING', stringValue: 'now a string' },
    });
    atomicAddInt(state, { storeKey: 's', recordKey: 'c', propertyName: 'n', value: '5' });

    uploadBlob(state, 's', 'a', Buffer.alloc(1000));
    uploadBlob(state, 's', 'a', Buffer.alloc(200_000));
    uploadBlob(state, 's', 'b', Buffer.alloc(300));
    deleteBlob(state, { storeKey: 's', recordKey: 'b' });

    const committed = createChunkedBlob(state, { storeKey: 's', recordKey: 'c' }).sessionId;
    uploadChunk(state, committed, 0, Buffer.alloc(4000));
    uploadChunk(state, committed, 0, Buffer.alloc(3000));
    uploadChunk(state, committed, 1, Buffer.alloc(2000));
    commitChunkedUpload(state, { sessionId: committed });
    const aborted = createChunkedBlob(state, { storeKey: 's', recordKey: 'c' }).sessionId;
    uploadChunk(state, aborted, 0, Buffer.alloc(500));
    abortChunkedUpload(state, { sessionId: aborted });
    const open = createChunkedBlob(state, { storeKey: 's', recordKey: 'b' }).sessionId;
    uploadChunk(state, open, 0, Buffer.alloc(700));

    expect(state.blobBytes).toBe(200_000 + 3000 + 2000 + 700);
    expect(state.budget.usedBytes).toBeGreaterThan(state.blobBytes);

    for (const key of ['a', 'b', 'c']) deleteRecord(state, { storeKey: 's', key });
    deleteStore(state, { key: 's' });
    expect(state.recordCount).toBe(0);
    expect(state.stores.size).toBe(0);
    expect(state.blobBytes).toBe(0);
    expect(state.budget.usedBytes).toBe(0);
  });

  it('leaves the budget untouched by a failed upload', () => {
    const state = new State({ maxBytes: 10_000 });
    createStore(state, { store: { key: 's' } });
    createRecord(state, { storeKey: 's', record: { key: 'r' } });
    const used = state.budget.usedBytes;
    const upload = BlobUpload.begin(state, { request: 'metadata', metadata: { storeKey: 's', recordKey: 'r', size: '20000' } });
    upload.push({ request: 'content', content: Buffer.alloc(5000) });
    expect(() => upload.push({ request: 'content', content: Buffer.alloc(5000) })).toThrow(/budget exhausted/);
    upload.abort();
    expect(state.budget.usedBytes).toBe(used);
  });
});
