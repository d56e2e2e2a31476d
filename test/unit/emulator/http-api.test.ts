// The AWS port's REST API over the shared state, per route, plus /health and
// the coexistence with the gRPC API (typed properties, the single gRPC blob).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { intProperty, startTestEmulator, stringProperty, uniqueKey, type TestEmulator } from './support/client.js';

let emulator: TestEmulator;
beforeAll(async () => {
  emulator = await startTestEmulator();
});
afterAll(() => emulator.stop());

async function request(method: string, path: string, body?: unknown, raw?: Buffer) {
  const response = await fetch(`${emulator.server.httpUrl}${path}`, {
    method,
    body: raw ?? (body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body)),
  });
  const bytes = Buffer.from(await response.arrayBuffer());
  const text = bytes.toString('utf8');
  const type = response.headers.get('content-type') ?? '';
  return { status: response.status, text, bytes, type, json: type.startsWith('application/json') ? JSON.parse(text) : undefined };
}

async function newStore(): Promise<string> {
  const storeId = uniqueKey('hstore');
  expect((await request('POST', '/api/stores', { store_id: storeId, name: `Store ${storeId}`, owner_id: 'ignored' })).status).toBe(201);
  return storeId;
}

async function newRecord(storeId: string, body: Record<string, unknown> = {}): Promise<string> {
  const recordId = uniqueKey('hrecord');
  expect((await request('POST', `/api/stores/${storeId}/records`, { record_id: recordId, ...body })).status).toBe(201);
  return recordId;
}

describe('banner, health and unknown paths', () => {
  it('GET / is a banner, /health answers OK to any method, other paths are 404', async () => {
    expect((await request('GET', '/')).status).toBe(200);
    expect(await request('GET', '/health')).toMatchObject({ status: 200, text: 'OK\n' });
    expect((await request('POST', '/health')).status).toBe(200);
    expect((await request('GET', '/nope')).status).toBe(404);
    expect((await request('GET', '/api/stores/a/b')).status).toBe(404);
  });
});

describe('/api/stores', () => {
  it('creates (201, empty body), lists and gets a store', async () => {
    const storeId = await newStore();
    const list = await request('GET', '/api/stores');
    expect(list.json.stores.map((s: { store_id: string }) => s.store_id)).toContain(storeId);
    const store = await request('GET', `/api/stores/${storeId}`);
    expect(store.status).toBe(200);
    expect(store.text.endsWith('\n')).toBe(true);
    expect(store.json).toEqual({
      store_id: storeId,
      name: `Store ${storeId}`,
      created_at: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/),
      updated_at: store.json.created_at,
    });
  });

  it('answers 400 for bad JSON and a missing store_id, 409 for a duplicate, 405 for other methods', async () => {
    expect((await request('POST', '/api/stores', '{not json')).status).toBe(400);
    expect(await request('POST', '/api/stores', { name: 'x' })).toMatchObject({ status: 400, text: 'store_id is required\n' });
    const storeId = await newStore();
    expect(await request('POST', '/api/stores', { store_id: storeId })).toMatchObject({ status: 409, text: 'store already exists\n' });
    expect(await request('PUT', '/api/stores')).toMatchObject({ status: 405, text: 'Method not allowed\n' });
    expect((await request('PUT', `/api/stores/${storeId}`)).status).toBe(405);
  });

  it('GET of a missing store is 404; DELETE removes the store with its records and is 204 even when missing', async () => {
    expect(await request('GET', `/api/stores/${uniqueKey('none')}`)).toMatchObject({ status: 404, text: 'store not found\n' });
    const storeId = await newStore();
    const recordId = await newRecord(storeId);
    expect((await request('DELETE', `/api/stores/${storeId}`)).status).toBe(204);
    expect((await request('GET', `/api/stores/${storeId}`)).status).toBe(404);
    expect((await request('GET', `/api/stores/${storeId}/records/${recordId}`)).status).toBe(404);
    expect((await request('DELETE', `/api/stores/${storeId}`)).status).toBe(204);
  });

  it('shares stores with the gRPC API', async () => {
    const storeId = await newStore();
    await expect(emulator.client.unary('GetStore', { key: storeId })).resolves.toMatchObject({ key: storeId, name: `Store ${storeId}` });
  });
});

describe('/api/stores/{store_id}/records', () => {
  it('creates a record; GET record leaves out owner_id and game_id, query results carry them', async () => {
    const storeId = await newStore();
    const recordId = await newRecord(storeId, {
      owner_id: 'dropped',
      tags: ['a', 7],
      properties: { owner_id: 'owner-1', game_id: 'game_2', score: 10, name: 'x', done: false },
    });
    const record = await request('GET', `/api/stores/${storeId}/records/${recordId}`);
    expect(record.json).toEqual({
      store_id: storeId,
      record_id: recordId,
      tags: ['a', ''],
      properties: { owner_id: 'owner-1', game_id: 'game_2', score: 10, name: 'x', done: false },
      created_at: expect.any(String),
      updated_at: expect.any(String),
    });
    const list = await request('GET', `/api/stores/${storeId}/records`);
    expect(list.json.records).toEqual([expect.objectContaining({ record_id: recordId, owner_id: 'owner-1', game_id: 'game_2' })]);
  });

  it('filters by game_id before owner_id and caps with limit', async () => {
    const storeId = await newStore();
    const a = await newRecord(storeId, { properties: { owner_id: 'o1', game_id: 'g1' } });
    const b = await newRecord(storeId, { properties: { owner_id: 'o1', game_id: 'g2' } });
    await newRecord(storeId, { properties: { owner_id: 'o2', game_id: 'g2' } });
    const ids = async (query: string) =>
      (await request('GET', `/api/stores/${storeId}/records${query}`)).json.records.map((r: { record_id: string }) => r.record_id);
    expect(await ids('?owner_id=o1')).toEqual([a, b].sort());
    expect(await ids('?owner_id=o1&game_id=g1')).toEqual([a]);
    expect(await ids('?limit=2')).toHaveLength(2);
    expect(await ids('?limit=-5')).toHaveLength(3);
    expect(await ids('?limit=2abc')).toHaveLength(3);
  });

  it('keeps the game_id of a record after a PUT whose properties lack it, as the port never removes the attribute', async () => {
    const storeId = await newStore();
    const kept = await newRecord(storeId, { properties: { owner_id: 'o1', game_id: 'g1' } });
    const moved = await newRecord(storeId, { properties: { owner_id: 'o1', game_id: 'g1' } });
    expect((await request('PUT', `/api/stores/${storeId}/records/${kept}`, { properties: { score: 3 } })).status).toBe(200);
    expect((await request('PUT', `/api/stores/${storeId}/records/${moved}`, { properties: { game_id: 'g2' } })).status).toBe(200);
    const list = async (query: string) => (await request('GET', `/api/stores/${storeId}/records${query}`)).json.records as Record<string, unknown>[];
    expect((await list('?game_id=g1')).map((r) => r.record_id)).toEqual([kept]);
    expect((await list('?game_id=g2')).map((r) => r.record_id)).toEqual([moved]);
    const keptJson = (await list('')).find((r) => r.record_id === kept);
    expect(keptJson).toMatchObject({ game_id: 'g1', owner_id: 'o1', properties: { score: 3 } });
  });

  it('answers 404 for a missing store (before the method check), 400 without record_id, 500 for a duplicate', async () => {
    expect((await request('PATCH', `/api/stores/${uniqueKey('none')}/records`)).status).toBe(404);
    const storeId = await newStore();
    expect(await request('POST', `/api/stores/${storeId}/records`, {})).toMatchObject({ status: 400, text: 'record_id is required\n' });
    const recordId = await newRecord(storeId);
    expect((await request('POST', `/api/stores/${storeId}/records`, { record_id: recordId })).status).toBe(500);
    expect((await request('PATCH', `/api/stores/${storeId}/records`)).status).toBe(405);
  });

  it('PUT replaces the properties map, keeps omitted tags, never removes owner_id', async () => {
    const storeId = await newStore();
    const recordId = await newRecord(storeId, { tags: ['t'], properties: { owner_id: 'o1', a: 1 } });
    expect((await request('PUT', `/api/stores/${storeId}/records/${recordId}`, { properties: { b: 2 } })).status).toBe(200);
    const record = (await request('GET', `/api/stores/${storeId}/records/${recordId}`)).json;
    expect(record.properties).toEqual({ b: 2 });
    expect(record.tags).toEqual(['t']);
    const grpc = await emulator.client.unary<{ ownerId: string }>('GetRecord', { storeKey: storeId, key: recordId });
    expect(grpc.ownerId).toBe('o1');
  });

  it('PUT of a missing record is 404, of bad JSON 400; DELETE is 204 even when missing', async () => {
    const storeId = await newStore();
    expect((await request('PUT', `/api/stores/${storeId}/records/none`, {})).status).toBe(404);
    const recordId = await newRecord(storeId);
    expect((await request('PUT', `/api/stores/${storeId}/records/${recordId}`, '{')).status).toBe(400);
    expect((await request('DELETE', `/api/stores/${storeId}/records/${recordId}`)).status).toBe(204);
    expect((await request('GET', `/api/stores/${storeId}/records/${recordId}`)).status).toBe(404);
    expect((await request('DELETE', `/api/stores/${storeId}/records/${recordId}`)).status).toBe(204);
  });
});

describe('JSON properties on the typed model', () => {
  it('maps plain and typed-shape JSON onto typed properties for gRPC readers', async () => {
    const storeId = await newStore();
    const recordId = await newRecord(storeId, {
      properties: {
        level: 3,
        name: 'hero',
        hard: true,
        ratio: 0.5,
        nested: { a: [1, 2] },
        typed: { type: 'INTEGER', integer_value: 9 },
      },
    });
    const record = await emulator.client.unary<{ properties: Record<string, object> }>('GetRecord', { storeKey: storeId, key: recordId });
    expect(record.properties.level).toMatchObject({ type: 'INTEGER', integerValue: '3' });
    expect(record.properties.name).toMatchObject({ type: 'STRING', stringValue: 'hero' });
    expect(record.properties.hard).toMatchObject({ type: 'BOOLEAN', booleanValue: true });
    expect(record.properties.ratio).toMatchObject({ type: 'STRING', stringValue: '0.5' });
    expect(record.properties.nested).toMatchObject({ type: 'STRING', stringValue: '{"a":[1,2]}' });
    expect(record.properties.typed).toMatchObject({ type: 'INTEGER', integerValue: '9' });
    // HTTP readers get back the JSON they wrote.
    const json = (await request('GET', `/api/stores/${storeId}/records/${recordId}`)).json;
    expect(json.properties).toEqual({ level: 3, name: 'hero', hard: true, ratio: 0.5, nested: { a: [1, 2] }, typed: { type: 'INTEGER', integer_value: 9 } });
  });

  it('shows gRPC-written records over HTTP with plain JSON values', async () => {
    const storeId = await newStore();
    await emulator.client.unary('CreateRecord', {
      storeKey: storeId,
      record: { key: 'g', ownerId: 'p1', properties: { n: intProperty(4), s: stringProperty('v') } },
    });
    const list = (await request('GET', `/api/stores/${storeId}/records?owner_id=p1`)).json;
    expect(list.records).toEqual([expect.objectContaining({ record_id: 'g', owner_id: 'p1', properties: { n: 4, s: 'v' } })]);
  });
});

describe('named blobs', () => {
  it('uploads, lists, downloads, overwrites and deletes blobs by name', async () => {
    const storeId = await newStore();
    const recordId = await newRecord(storeId);
    const base = `/api/stores/${storeId}/records/${recordId}/blobs`;
    expect(await request('GET', base)).toMatchObject({ status: 200, json: null });
    const data = Buffer.alloc(32 * 1024, 'q');
    expect((await request('PUT', `${base}/save1`, undefined, data)).status).toBe(200);
    expect((await request('PUT', `${base}/save2`, undefined, Buffer.from('two'))).status).toBe(200);
    expect((await request('GET', base)).json).toEqual(['save1', 'save2']);
    const download = await request('GET', `${base}/save1`);
    expect(download.type).toBe('application/octet-stream');
    expect(download.bytes.equals(data)).toBe(true);
    expect((await request('PUT', `${base}/save1`, undefined, Buffer.from('new'))).status).toBe(200);
    expect((await request('GET', `${base}/save1`)).text).toBe('new');
    expect((await request('GET', `/api/stores/${storeId}/records/${recordId}`)).json.blob_keys).toEqual(['save1', 'save2']);
    expect((await request('DELETE', `${base}/save1`)).status).toBe(204);
    expect((await request('GET', `${base}/save1`)).status).toBe(404);
    expect((await request('DELETE', `${base}/save1`)).status).toBe(204);
    expect((await request('POST', base)).status).toBe(405);
  });

  it('answers 404 for blobs of a missing record, even for a bad method', async () => {
    const storeId = await newStore();
    expect((await request('GET', `/api/stores/${storeId}/records/none/blobs`)).status).toBe(404);
    expect((await request('POST', `/api/stores/${storeId}/records/none/blobs`)).status).toBe(404);
    expect((await request('PUT', `/api/stores/${storeId}/records/none/blobs/x`, undefined, Buffer.from('x'))).status).toBe(404);
  });

  it('keeps named blobs apart from the record\'s single gRPC blob', async () => {
    const storeId = await newStore();
    const recordId = await newRecord(storeId);
    await request('PUT', `/api/stores/${storeId}/records/${recordId}/blobs/http`, undefined, Buffer.from('from http'));
    await emulator.client.upload('CreateBlob', [{ metadata: { storeKey: storeId, recordKey: recordId, size: 9 } }, { content: Buffer.from('from grpc') }]);
    const grpc = await emulator.client.download<{ content?: Buffer }>('GetBlob', { storeKey: storeId, recordKey: recordId });
    expect(grpc.messages[1]!.content!.toString()).toBe('from grpc');
    expect((await request('GET', `/api/stores/${storeId}/records/${recordId}/blobs/http`)).text).toBe('from http');
    expect((await request('GET', `/api/stores/${storeId}/records/${recordId}/blobs`)).json).toEqual(['http']);
  });
});

describe('/api/metadata/{type}/{id}', () => {
  it('upserts, reads and deletes items; bad paths are 400', async () => {
    const id = uniqueKey('m');
    expect((await request('GET', `/api/metadata/custom/${id}`)).status).toBe(404);
    expect((await request('POST', `/api/metadata/custom/${id}`, { a: 1 })).status).toBe(200);
    expect((await request('GET', `/api/metadata/custom/${id}`)).json).toEqual({ a: 1 });
    expect((await request('POST', `/api/metadata/custom/${id}`, [1])).status).toBe(400);
    expect((await request('DELETE', `/api/metadata/custom/${id}`)).status).toBe(204);
    expect((await request('GET', `/api/metadata/custom/${id}`)).status).toBe(404);
    expect(await request('GET', '/api/metadata/only-one')).toMatchObject({ status: 400, text: 'Invalid metadata path\n' });
    expect((await request('PUT', `/api/metadata/custom/${id}`, {})).status).toBe(405);
  });

  it('holds the store_info and store_stats items the store and record routes write', async () => {
    const storeId = await newStore();
    await newRecord(storeId);
    await newRecord(storeId);
    expect((await request('GET', `/api/metadata/store_info/${storeId}`)).json).toMatchObject({ name: `Store ${storeId}` });
    expect((await request('GET', `/api/metadata/store_stats/${storeId}`)).json).toMatchObject({ record_count: 2 });
  });
});
