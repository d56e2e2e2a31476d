// The metadata items the AWS port writes by itself (shared/spec/open-saves-aws-http.md section 5):
// store_info/<store> on a store create, store_stats/<store> on record creates and deletes; the
// store delete removes store_info and leaves store_stats, which only DELETE /api/metadata/{type}/{id}
// removes. GET /metrics counts the items (opensaves_metadata_items), so a run that leaves any shows it.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startTestEmulator, uniqueKey, type TestEmulator } from './support/client.js';

let emulator: TestEmulator;
beforeEach(async () => {
  emulator = await startTestEmulator();
});
afterEach(() => emulator.stop());

async function call(method: string, path: string, body?: unknown): Promise<{ status: number; text: string; json: any }> {
  const response = await fetch(`${emulator.server.httpUrl}${path}`, { method, body: body === undefined ? undefined : JSON.stringify(body) });
  const text = await response.text();
  return { status: response.status, text, json: response.headers.get('content-type')?.startsWith('application/json') ? JSON.parse(text) : undefined };
}

async function metadataItems(): Promise<number> {
  const text = (await call('GET', '/metrics')).text;
  expect(text).toContain('# TYPE opensaves_metadata_items gauge');
  const match = /^opensaves_metadata_items (\d+)$/m.exec(text);
  if (!match) throw new Error('opensaves_metadata_items missing from /metrics');
  return Number(match[1]);
}

async function createStore(storeId: string): Promise<void> {
  expect((await call('POST', '/api/stores', { store_id: storeId, name: `Store ${storeId}` })).status).toBe(201);
}

async function createRecord(storeId: string, recordId: string): Promise<void> {
  expect((await call('POST', `/api/stores/${storeId}/records`, { record_id: recordId })).status).toBe(201);
}

const stats = async (storeId: string) => call('GET', `/api/metadata/store_stats/${storeId}`);
const wholeSeconds = expect.any(Number);

describe('metadata items the AWS port writes', () => {
  it('a store create writes store_info {name, created_at} and nothing else', async () => {
    expect(await metadataItems()).toBe(0);
    const storeId = uniqueKey('mstore');
    await createStore(storeId);
    const info = await call('GET', `/api/metadata/store_info/${storeId}`);
    expect(info.status).toBe(200);
    expect(info.json).toEqual({ name: `Store ${storeId}`, created_at: wholeSeconds });
    expect(Number.isInteger(info.json.created_at)).toBe(true);
    expect(Math.abs(info.json.created_at - Date.now() / 1000)).toBeLessThan(5);
    expect((await stats(storeId)).status).toBe(404);
    expect(await metadataItems()).toBe(1);
    // A refused create (409) writes nothing more.
    expect((await call('POST', '/api/stores', { store_id: storeId })).status).toBe(409);
    expect(await metadataItems()).toBe(1);
  });

  it('record creates count up store_stats from 1; deletes count down, never below 0 and never create it', async () => {
    const storeId = uniqueKey('mstore');
    await createStore(storeId);
    await createRecord(storeId, 'a');
    expect((await stats(storeId)).json).toEqual({ record_count: 1, updated_at: wholeSeconds });
    await createRecord(storeId, 'b');
    expect((await stats(storeId)).json).toMatchObject({ record_count: 2 });
    expect(await metadataItems()).toBe(2);
    // A duplicate (500) and a create in a missing store (404) leave the count alone.
    expect((await call('POST', `/api/stores/${storeId}/records`, { record_id: 'a' })).status).toBe(500);
    expect((await call('POST', `/api/stores/${uniqueKey('missing')}/records`, { record_id: 'a' })).status).toBe(404);
    expect((await stats(storeId)).json).toMatchObject({ record_count: 2 });
    expect(await metadataItems()).toBe(2);

    expect((await call('DELETE', `/api/stores/${storeId}/records/a`)).status).toBe(204);
    expect((await stats(storeId)).json).toMatchObject({ record_count: 1 });
    // The port's DeleteItem is unconditional and its count update follows it: a missing record counts down too.
    expect((await call('DELETE', `/api/stores/${storeId}/records/never-created`)).status).toBe(204);
    expect((await stats(storeId)).json).toMatchObject({ record_count: 0 });
    expect((await call('DELETE', `/api/stores/${storeId}/records/b`)).status).toBe(204);
    expect((await stats(storeId)).json).toMatchObject({ record_count: 0 });

    // With no store_stats item a record delete writes none.
    const other = uniqueKey('mstore');
    expect((await call('DELETE', `/api/stores/${other}/records/x`)).status).toBe(204);
    expect((await stats(other)).status).toBe(404);
    expect(await metadataItems()).toBe(2);
  });

  it('the store delete removes store_info and leaves store_stats; DELETE /api/metadata removes it', async () => {
    const storeId = uniqueKey('mstore');
    await createStore(storeId);
    await createRecord(storeId, 'a');
    await createRecord(storeId, 'b');
    expect(await metadataItems()).toBe(2);

    expect((await call('DELETE', `/api/stores/${storeId}`)).status).toBe(204);
    expect((await call('GET', `/api/metadata/store_info/${storeId}`)).status).toBe(404);
    // The store's records went in a batch delete that does not touch the count.
    expect((await stats(storeId)).json).toMatchObject({ record_count: 2 });
    expect(await metadataItems()).toBe(1);

    expect((await call('DELETE', `/api/metadata/store_stats/${storeId}`)).status).toBe(204);
    expect((await stats(storeId)).status).toBe(404);
    expect(await metadataItems()).toBe(0);
    // Deleting it again is still a 204, as the port's unconditional delete.
    expect((await call('DELETE', `/api/metadata/store_stats/${storeId}`)).status).toBe(204);
  });

  it('a store re-created under the same id counts on from the store_stats its delete left', async () => {
    const storeId = uniqueKey('mstore');
    await createStore(storeId);
    await createRecord(storeId, 'a');
    expect((await call('DELETE', `/api/stores/${storeId}`)).status).toBe(204);
    await createStore(storeId);
    await createRecord(storeId, 'a');
    expect((await stats(storeId)).json).toMatchObject({ record_count: 2 });
  });

  it('items posted by clients are counted and deleted like the port\'s own; gRPC writes none', async () => {
    expect((await call('POST', '/api/metadata/custom/one', { a: 1 })).status).toBe(200);
    expect(await metadataItems()).toBe(1);
    const storeKey = uniqueKey('gstore');
    await emulator.client.unary('CreateStore', { store: { key: storeKey, name: 'grpc' } });
    await emulator.client.unary('CreateRecord', { storeKey, record: { key: 'r' } });
    await emulator.client.unary('DeleteRecord', { storeKey, key: 'r' });
    await emulator.client.unary('DeleteStore', { key: storeKey });
    expect(await metadataItems()).toBe(1);
    expect((await call('DELETE', '/api/metadata/custom/one')).status).toBe(204);
    expect(await metadataItems()).toBe(0);
  });
});
