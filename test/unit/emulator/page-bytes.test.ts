// --page-bytes: the HTTP list/query routes the AWS port serves with one DynamoDB Scan or
// Query return only its first page (the port drops LastEvaluatedKey), and its store delete
// sweeps only the records of that first page.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseArgs } from '../../../emulator/cli-args.js';
import { dynamoItemBytes, firstPage } from '../../../emulator/http/paging.js';
import { recordItemBytes } from '../../../emulator/http/records.js';
import { startTestEmulator, uniqueKey, type TestEmulator } from './support/client.js';

const PAGE_BYTES = 2048;
const RECORDS = 20;

async function call(base: string, method: string, path: string, body?: unknown) {
  const response = await fetch(`${base}${path}`, { method, body: body === undefined ? undefined : JSON.stringify(body) });
  const text = await response.text();
  return { status: response.status, json: response.headers.get('content-type') === 'application/json' ? JSON.parse(text) : undefined };
}

/** A store of RECORDS records (about 300 DynamoDB bytes each), half of them owned by "o1", all of game "g1". */
async function seedStore(base: string): Promise<{ storeId: string; recordIds: string[] }> {
  const storeId = uniqueKey('pstore');
  expect((await call(base, 'POST', '/api/stores', { store_id: storeId })).status).toBe(201);
  const recordIds: string[] = [];
  for (let i = 0; i < RECORDS; i++) {
    const recordId = `rec-${String(i).padStart(2, '0')}`;
    const properties = { owner_id: i % 2 === 0 ? 'o1' : 'o2', game_id: 'g1', note: 'x'.repeat(200) };
    expect((await call(base, 'POST', `/api/stores/${storeId}/records`, { record_id: recordId, properties })).status).toBe(201);
    recordIds.push(recordId);
  }
  return { storeId, recordIds };
}

const idsOf = (json: { records: { record_id: string }[] }): string[] => json.records.map((record) => record.record_id);

describe('with --page-bytes', () => {
  let paged: TestEmulator;
  beforeAll(async () => {
    paged = await startTestEmulator({ pageBytes: PAGE_BYTES });
  });
  afterAll(() => paged.stop());

  it('a record list returns a strict prefix in key order, as many items as fit in the page', async () => {
    const base = paged.server.httpUrl;
    const { storeId, recordIds } = await seedStore(base);
    const ids = idsOf((await call(base, 'GET', `/api/stores/${storeId}/records`)).json);
    expect(ids.length).toBeGreaterThan(0);
    expect(ids.length).toBeLessThan(recordIds.length);
    expect(ids).toEqual(recordIds.slice(0, ids.length));
    // Exactly the items that fit: the page's bytes are within the limit, one more would pass it.
    const sizes = recordIds.map((id) => recordItemBytes(paged.server.state.getRecord(storeId, id)!));
    const used = sizes.slice(0, ids.length).reduce((a, b) => a + b, 0);
    expect(used).toBeLessThanOrEqual(PAGE_BYTES);
    expect(used + sizes[ids.length]!).toBeGreaterThan(PAGE_BYTES);
    const metrics = await (await fetch(`${base}/metrics`)).text();
    expect(metrics).toContain('# TYPE opensaves_http_truncated_lists_total counter');
    expect(metrics).toMatch(/^opensaves_http_truncated_lists_total [1-9]\d*$/m);
  });

  it('owner and game queries are cut the same way; a smaller limit wins', async () => {
    const base = paged.server.httpUrl;
    const { storeId, recordIds } = await seedStore(base);
    const byOwner = idsOf((await call(base, 'GET', `/api/stores/${storeId}/records?owner_id=o1`)).json);
    const owned = recordIds.filter((_, i) => i % 2 === 0);
    expect(byOwner.length).toBeLessThan(owned.length);
    expect(byOwner).toEqual(owned.slice(0, byOwner.length));
    const byGame = idsOf((await call(base, 'GET', `/api/stores/${storeId}/records?game_id=g1`)).json);
    expect(byGame.length).toBeLessThan(recordIds.length);
    expect(idsOf((await call(base, 'GET', `/api/stores/${storeId}/records?limit=2`)).json)).toEqual(recordIds.slice(0, 2));
  });

  it('the store list (a Scan) is cut too', async () => {
    const base = paged.server.httpUrl;
    for (let i = 0; i < 40; i++) await call(base, 'POST', '/api/stores', { store_id: uniqueKey('many-stores-with-long-names') });
    const listed = (await call(base, 'GET', '/api/stores')).json.stores as unknown[];
    expect(listed.length).toBeGreaterThan(0);
    expect(listed.length).toBeLessThan(paged.server.state.stores.size);
  });

  it('a store delete removes only the first page of its records; the rest stay readable by key', async () => {
    const base = paged.server.httpUrl;
    const { storeId, recordIds } = await seedStore(base);
    const firstPageIds = idsOf((await call(base, 'GET', `/api/stores/${storeId}/records`)).json);
    const before = paged.server.state.recordCount;
    expect((await call(base, 'DELETE', `/api/stores/${storeId}`)).status).toBe(204);
    expect(paged.server.state.recordCount).toBe(before - firstPageIds.length);
    expect((await call(base, 'GET', `/api/stores/${storeId}`)).status).toBe(404);
    expect((await call(base, 'GET', `/api/stores/${storeId}/records/${firstPageIds[0]}`)).status).toBe(404);
    const survivor = recordIds[firstPageIds.length]!;
    expect((await call(base, 'GET', `/api/stores/${storeId}/records/${survivor}`)).status).toBe(200);
    // Deleted one by one they go.
    for (const id of recordIds.slice(firstPageIds.length)) await call(base, 'DELETE', `/api/stores/${storeId}/records/${id}`);
    expect(paged.server.state.getRecord(storeId, survivor)).toBeUndefined();
    expect(paged.server.state.records.has(storeId)).toBe(false);
  });
});

describe('without --page-bytes', () => {
  let unpaged: TestEmulator;
  beforeAll(async () => {
    unpaged = await startTestEmulator();
  });
  afterAll(() => unpaged.stop());

  it('lists return every item, and a store delete removes every record', async () => {
    const base = unpaged.server.httpUrl;
    const { storeId, recordIds } = await seedStore(base);
    expect(idsOf((await call(base, 'GET', `/api/stores/${storeId}/records`)).json)).toEqual(recordIds);
    expect(idsOf((await call(base, 'GET', `/api/stores/${storeId}/records?owner_id=o2`)).json)).toHaveLength(RECORDS / 2);
    expect((await call(base, 'DELETE', `/api/stores/${storeId}`)).status).toBe(204);
    expect(unpaged.server.state.recordCount).toBe(0);
    expect(await (await fetch(`${base}/metrics`)).text()).toMatch(/^opensaves_http_truncated_lists_total 0$/m);
  });
});

describe('DynamoDB item sizes and pages', () => {
  it('sizes names and values by DynamoDB rules', () => {
    expect(dynamoItemBytes({ a: 'xyz' })).toBe(4);
    expect(dynamoItemBytes({ n: 12345 })).toBe(1 + 4);
    expect(dynamoItemBytes({ l: ['ab', true] })).toBe(1 + 3 + (1 + 2) + (1 + 1));
    expect(dynamoItemBytes({ m: { k: 'v' } })).toBe(1 + 3 + 1 + 1 + 1);
    expect(dynamoItemBytes({ é: 'é', skipped: undefined })).toBe(4);
  });

  it('cuts where the next item would pass the size, keeps at least one, and applies the limit first', () => {
    const size = (n: number) => n;
    expect(firstPage([5, 5, 5], 10, 0, size)).toEqual([5, 5]);
    expect(firstPage([5, 5, 5], 9, 0, size)).toEqual([5]);
    expect(firstPage([50, 1], 10, 0, size)).toEqual([50]);
    expect(firstPage([1, 1, 1], 10, 2, size)).toEqual([1, 1]);
    expect(firstPage([1, 1, 1], undefined, 0, size)).toEqual([1, 1, 1]);
    expect(firstPage([], 10, 0, size)).toEqual([]);
  });

  it('parses --page-bytes with suffixes and rejects what is not a positive size', () => {
    expect(parseArgs(['--page-bytes', '4k'])).toMatchObject({ options: { pageBytes: 4096 } });
    expect(parseArgs(['--page-bytes=1m'])).toMatchObject({ options: { pageBytes: 1024 * 1024 } });
    expect(parseArgs([])).toMatchObject({ options: { pageBytes: undefined } });
    for (const bad of ['0', '-1', '1.5k', 'lots']) {
      expect(() => parseArgs(['--page-bytes', bad])).toThrow(
        `invalid --page-bytes; reason: expected a positive number of bytes, optionally with suffix k, m or g (e.g. 512m), got \`${bad}\``,
      );
    }
  });
});
