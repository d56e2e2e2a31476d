// Blob deletes as the AWS port does them: an HTTP record or store delete leaves the named
// blobs stored (the port leaves its S3 objects), /metrics shows them as orphans, and only an
// explicit blob DELETE (or an overwrite) removes them. gRPC DeleteRecord frees them, as
// upstream's collector removes what DeleteRecord marks for deletion.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startTestEmulator, uniqueKey, type TestEmulator } from './support/client.js';

let emulator: TestEmulator;
beforeEach(async () => {
  emulator = await startTestEmulator();
});
afterEach(() => emulator.stop());

async function call(method: string, path: string, body?: string | Buffer): Promise<{ status: number; text: string }> {
  const response = await fetch(`${emulator.server.httpUrl}${path}`, { method, body });
  return { status: response.status, text: await response.text() };
}

/** The value of one unlabelled gauge in GET /metrics. */
async function gauge(name: string): Promise<number> {
  const text = (await call('GET', '/metrics')).text;
  expect(text).toContain(`# HELP ${name} `);
  expect(text).toContain(`# TYPE ${name} gauge`);
  const match = new RegExp(`^${name} (\\d+)$`, 'm').exec(text);
  if (!match) throw new Error(`${name} missing from /metrics`);
  return Number(match[1]);
}

/** A store with one record holding two named blobs of 1000 and 500 bytes. */
async function seed(): Promise<{ storeId: string; recordId: string; base: string }> {
  const storeId = uniqueKey('ostore');
  const recordId = uniqueKey('orecord');
  expect((await call('POST', '/api/stores', JSON.stringify({ store_id: storeId }))).status).toBe(201);
  expect((await call('POST', `/api/stores/${storeId}/records`, JSON.stringify({ record_id: recordId }))).status).toBe(201);
  const base = `/api/stores/${storeId}/records/${recordId}`;
  expect((await call('PUT', `${base}/blobs/one`, Buffer.alloc(1000, 1))).status).toBe(200);
  expect((await call('PUT', `${base}/blobs/two`, Buffer.alloc(500, 2))).status).toBe(200);
  return { storeId, recordId, base };
}

describe('HTTP deletes leave blobs behind, as the AWS port does', () => {
  it('a record delete without blob deletes first leaves both blobs orphaned, still counted in blob bytes', async () => {
    const { base } = await seed();
    expect(await gauge('opensaves_orphaned_blobs')).toBe(0);
    expect((await call('DELETE', base)).status).toBe(204);
    expect(await gauge('opensaves_orphaned_blobs')).toBe(2);
    expect(await gauge('opensaves_orphaned_blob_bytes')).toBe(1500);
    expect(await gauge('opensaves_blob_bytes')).toBe(1500);
    expect(await gauge('opensaves_records')).toBe(0);
  });

  it('explicit blob DELETEs before the record delete leave nothing', async () => {
    const { base } = await seed();
    expect((await call('DELETE', `${base}/blobs/one`)).status).toBe(204);
    expect((await call('DELETE', `${base}/blobs/two`)).status).toBe(204);
    expect((await call('DELETE', base)).status).toBe(204);
    expect(await gauge('opensaves_orphaned_blobs')).toBe(0);
    expect(await gauge('opensaves_orphaned_blob_bytes')).toBe(0);
    expect(await gauge('opensaves_blob_bytes')).toBe(0);
  });

  it('a store delete removes the records and orphans their blobs', async () => {
    const { storeId } = await seed();
    expect((await call('DELETE', `/api/stores/${storeId}`)).status).toBe(204);
    expect(await gauge('opensaves_records')).toBe(0);
    expect(await gauge('opensaves_orphaned_blob_bytes')).toBe(1500);
  });

  it('a re-created record sees the old object by name (the port does not check blob_keys) until it is deleted', async () => {
    const { storeId, recordId, base } = await seed();
    await call('DELETE', base);
    expect((await call('POST', `/api/stores/${storeId}/records`, JSON.stringify({ record_id: recordId }))).status).toBe(201);
    // Not listed, yet downloadable: the object is still in the bucket.
    expect((await call('GET', `${base}/blobs`)).text).toBe('null\n');
    expect((await call('GET', `${base}/blobs/one`)).text.length).toBe(1000);
    // An overwrite replaces the orphan; a DELETE removes it.
    expect((await call('PUT', `${base}/blobs/one`, 'new'))).toMatchObject({ status: 200 });
    expect(await gauge('opensaves_orphaned_blob_bytes')).toBe(500);
    expect((await call('DELETE', `${base}/blobs/two`)).status).toBe(204);
    expect(await gauge('opensaves_orphaned_blobs')).toBe(0);
    expect(await gauge('opensaves_blob_bytes')).toBe(3);
    expect((await call('GET', `${base}/blobs/one`)).text).toBe('new');
  });

  it('gRPC DeleteRecord frees the named blobs (upstream collects what it marks for deletion)', async () => {
    const { storeId, recordId } = await seed();
    await emulator.client.unary('DeleteRecord', { storeKey: storeId, key: recordId });
    expect(await gauge('opensaves_orphaned_blobs')).toBe(0);
    expect(await gauge('opensaves_blob_bytes')).toBe(0);
  });

  it('an HTTP record delete frees the record\'s single gRPC blob, which the port has no object for', async () => {
    const { storeId, recordId, base } = await seed();
    await call('DELETE', `${base}/blobs/one`);
    await call('DELETE', `${base}/blobs/two`);
    await emulator.client.upload('CreateBlob', [
      { metadata: { storeKey: storeId, recordKey: recordId, size: '4' } },
      { content: Buffer.from('grpc') },
    ]);
    expect(await gauge('opensaves_blob_bytes')).toBe(4);
    await call('DELETE', base);
    expect(await gauge('opensaves_blob_bytes')).toBe(0);
    expect(await gauge('opensaves_orphaned_blobs')).toBe(0);
  });
});
