// QueryRecords (spec d.2): store scope, owner, property filters, tags AND/OR,
// sort orders, offset, limit and keys_only.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { boolProperty, intProperty, startTestEmulator, stringProperty, uniqueKey, type TestEmulator } from './support/client.js';

let emulator: TestEmulator;
let storeKey: string;
let otherStoreKey: string;
const owner = uniqueKey('owner');

interface QueryResponse {
  records: { key: string; signature: Buffer; ownerId: string; properties: Record<string, unknown>; createdAt: unknown }[];
  storeKeys: string[];
}

// r1..r4 in one store, r5 in another; all share the owner except r4.
const RECORDS = [
  { key: 'r1', level: 10, name: 'delta', tags: ['red', 'blue'], owner },
  { key: 'r2', level: 20, name: 'alpha', tags: ['red'], owner },
  { key: 'r3', level: 30, name: 'charlie', tags: ['green'], owner },
  { key: 'r4', level: 40, name: 'bravo', tags: ['blue'], owner: 'someone-else' },
];

beforeAll(async () => {
  emulator = await startTestEmulator();
  storeKey = uniqueKey('qstore');
  otherStoreKey = uniqueKey('qstore');
  await emulator.client.unary('CreateStore', { store: { key: storeKey } });
  await emulator.client.unary('CreateStore', { store: { key: otherStoreKey } });
  for (const r of RECORDS) {
    await emulator.client.unary('CreateRecord', {
      storeKey,
      record: { key: r.key, ownerId: r.owner, tags: r.tags, properties: { level: intProperty(r.level), name: stringProperty(r.name) } },
    });
  }
  await emulator.client.unary('CreateRecord', {
    storeKey: otherStoreKey,
    record: { key: 'r5', ownerId: owner, tags: ['red'], properties: { level: intProperty(50), flag: boolProperty(true) } },
  });
});
afterAll(() => emulator.stop());

const query = (request: object) => emulator.client.unary<QueryResponse>('QueryRecords', request);
const keys = (response: QueryResponse) => response.records.map((r) => r.key);

describe('QueryRecords scope', () => {
  it('restricts to store_key, in key order, with parallel store_keys', async () => {
    const response = await query({ storeKey });
    expect(keys(response)).toEqual(['r1', 'r2', 'r3', 'r4']);
    expect(response.storeKeys).toEqual([storeKey, storeKey, storeKey, storeKey]);
  });

  it('searches every store when store_key is empty', async () => {
    const response = await query({ ownerId: owner });
    expect(new Set(keys(response))).toEqual(new Set(['r1', 'r2', 'r3', 'r5']));
    expect(response.storeKeys[keys(response).indexOf('r5')]).toBe(otherStoreKey);
  });
});

describe('QueryRecords filters', () => {
  it.each([
    ['EQUAL', 20, ['r2']],
    ['GREATER', 20, ['r3', 'r4']],
    ['LESS', 20, ['r1']],
    ['GREATER_OR_EQUAL', 20, ['r2', 'r3', 'r4']],
    ['LESS_OR_EQUAL', 20, ['r1', 'r2']],
  ])('%s %d on an integer property', async (operator, value, expected) => {
    const response = await query({ storeKey, filters: [{ propertyName: 'level', operator, value: intProperty(value) }] });
    expect(keys(response)).toEqual(expected);
  });

  it('matches strings by value and never across types', async () => {
    expect(keys(await query({ storeKey, filters: [{ propertyName: 'name', operator: 'EQUAL', value: stringProperty('alpha') }] }))).toEqual([
      'r2',
    ]);
    expect(keys(await query({ storeKey, filters: [{ propertyName: 'level', operator: 'EQUAL', value: stringProperty('20') }] }))).toEqual(
      [],
    );
  });

  it('ANDs owner, filters and tags', async () => {
    const response = await query({
      storeKey,
      ownerId: owner,
      tags: ['red'],
      filters: [{ propertyName: 'level', operator: 'GREATER', value: intProperty(15) }],
    });
    expect(keys(response)).toEqual(['r2']);
  });
});

describe('QueryRecords tags', () => {
  it('AND (default) needs every tag', async () => {
    expect(keys(await query({ storeKey, tags: ['red', 'blue'] }))).toEqual(['r1']);
  });
  it('OR needs any tag', async () => {
    expect(keys(await query({ storeKey, tags: ['green', 'blue'], tagFilterMode: 'OR' }))).toEqual(['r1', 'r3', 'r4']);
  });
});

describe('QueryRecords sort, offset, limit', () => {
  it('sorts by a user property ascending and descending', async () => {
    const asc = await query({ storeKey, sortOrders: [{ property: 'USER_PROPERTY', userPropertyName: 'name', direction: 'ASC' }] });
    expect(keys(asc)).toEqual(['r2', 'r4', 'r3', 'r1']);
    const desc = await query({ storeKey, sortOrders: [{ property: 'USER_PROPERTY', userPropertyName: 'level', direction: 'DESC' }] });
    expect(keys(desc)).toEqual(['r4', 'r3', 'r2', 'r1']);
  });

  it('leaves out records without the sorted property', async () => {
    const response = await query({ sortOrders: [{ property: 'USER_PROPERTY', userPropertyName: 'flag' }] });
    expect(keys(response)).toEqual(['r5']);
  });

  it('sorts by created_at (creation order) and updated_at', async () => {
    expect(keys(await query({ storeKey, sortOrders: [{ property: 'CREATED_AT', direction: 'DESC' }] }))).toEqual([
      'r4',
      'r3',
      'r2',
      'r1',
    ]);
    // A SortOrder with every field at its default means UPDATED_AT ascending.
    expect(keys(await query({ storeKey, sortOrders: [{}] }))).toEqual(['r1', 'r2', 'r3', 'r4']);
  });

  it('applies offset, then limit; limit <= 0 means no limit', async () => {
    const byLevel = [{ property: 'USER_PROPERTY', userPropertyName: 'level' }];
    expect(keys(await query({ storeKey, sortOrders: byLevel, offset: 1, limit: 2 }))).toEqual(['r2', 'r3']);
    expect(keys(await query({ storeKey, sortOrders: byLevel, limit: 1 }))).toEqual(['r1']);
    expect(keys(await query({ storeKey, sortOrders: byLevel, limit: -1 }))).toHaveLength(4);
    expect(keys(await query({ storeKey, offset: 10 }))).toEqual([]);
  });
});

describe('QueryRecords order without sort orders (Datastore: the inequality property first, then the key)', () => {
  // Key order and prop1 order differ: a=20, b=10, c=30, d=10; e has prop1 as a string, f lacks it.
  let orderStore: string;
  let secondStore: string;
  const gt = (value: number) => ({ propertyName: 'prop1', operator: 'GREATER', value: intProperty(value) });
  beforeAll(async () => {
    orderStore = uniqueKey('order');
    secondStore = uniqueKey('order');
    await emulator.client.unary('CreateStore', { store: { key: orderStore } });
    await emulator.client.unary('CreateStore', { store: { key: secondStore } });
    const records: [string, Record<string, unknown>][] = [
      ['a', { prop1: intProperty(20), rank: intProperty(1), kind: stringProperty('x') }],
      ['b', { prop1: intProperty(10), rank: intProperty(2), kind: stringProperty('x') }],
      ['c', { prop1: intProperty(30), rank: intProperty(1), kind: stringProperty('x') }],
      ['d', { prop1: intProperty(10), rank: intProperty(1), kind: stringProperty('y') }],
      ['e', { prop1: stringProperty('5'), kind: stringProperty('x') }],
      ['f', { kind: stringProperty('x') }],
    ];
    for (const [key, properties] of records) await emulator.client.unary('CreateRecord', { storeKey: orderStore, record: { key, properties } });
    await emulator.client.unary('CreateRecord', { storeKey: secondStore, record: { key: 'a', properties: { prop1: intProperty(15) } } });
  });

  it('no filter or equality filters only: key order', async () => {
    expect(keys(await query({ storeKey: orderStore }))).toEqual(['a', 'b', 'c', 'd', 'e', 'f']);
    const kindX = { propertyName: 'kind', operator: 'EQUAL', value: stringProperty('x') };
    expect(keys(await query({ storeKey: orderStore, filters: [kindX] }))).toEqual(['a', 'b', 'c', 'e', 'f']);
    expect(keys(await query({ storeKey: orderStore, filters: [{ propertyName: 'prop1', operator: 'EQUAL', value: intProperty(10) }] }))).toEqual([
      'b',
      'd',
    ]);
  });

  it('prop1 > 0 returns 10 before 20: the filtered property ascending, ties by key', async () => {
    expect(keys(await query({ storeKey: orderStore, filters: [gt(0)] }))).toEqual(['b', 'd', 'a', 'c']);
  });

  it('holds for every inequality operator, two bounds on one property, and with equality filters beside it', async () => {
    for (const operator of ['GREATER_OR_EQUAL', 'LESS', 'LESS_OR_EQUAL']) {
      const bound = operator === 'GREATER_OR_EQUAL' ? 0 : 100;
      const response = await query({ storeKey: orderStore, filters: [{ propertyName: 'prop1', operator, value: intProperty(bound) }] });
      expect(keys(response), operator).toEqual(['b', 'd', 'a', 'c']);
    }
    const range = [
      { propertyName: 'prop1', operator: 'GREATER_OR_EQUAL', value: intProperty(10) },
      { propertyName: 'prop1', operator: 'LESS', value: intProperty(30) },
    ];
    expect(keys(await query({ storeKey: orderStore, filters: range }))).toEqual(['b', 'd', 'a']);
    const kindX = { propertyName: 'kind', operator: 'EQUAL', value: stringProperty('x') };
    expect(keys(await query({ storeKey: orderStore, filters: [kindX, gt(0)] }))).toEqual(['b', 'a', 'c']);
  });

  it('across stores: the property first, then (store, record) key', async () => {
    const response = await query({ filters: [gt(0)] });
    const inThese = response.records
      .map((record, i) => `${response.storeKeys[i] === orderStore ? 'first' : response.storeKeys[i] === secondStore ? 'second' : 'other'}/${record.key}`)
      .filter((name) => !name.startsWith('other/'));
    expect(inThese).toEqual(['first/b', 'first/d', 'second/a', 'first/a', 'first/c']);
  });

  it('offset and limit apply to that order', async () => {
    expect(keys(await query({ storeKey: orderStore, filters: [gt(0)], limit: 1 }))).toEqual(['b']);
    expect(keys(await query({ storeKey: orderStore, filters: [gt(0)], offset: 2, limit: 1 }))).toEqual(['a']);
    expect(keys(await query({ storeKey: orderStore, filters: [gt(0)], offset: 1, keysOnly: true }))).toEqual(['d', 'a', 'c']);
  });

  it('explicit sort orders come first; the inequality property then decides ties, the key last', async () => {
    const byProp1Desc = [{ property: 'USER_PROPERTY', userPropertyName: 'prop1', direction: 'DESC' }];
    expect(keys(await query({ storeKey: orderStore, filters: [gt(0)], sortOrders: byProp1Desc }))).toEqual(['c', 'a', 'b', 'd']);
    // Datastore refuses a first sort order on another property (upstream: INTERNAL); served as given here.
    const byRank = [{ property: 'USER_PROPERTY', userPropertyName: 'rank', direction: 'ASC' }];
    expect(keys(await query({ storeKey: orderStore, filters: [gt(0)], sortOrders: byRank }))).toEqual(['d', 'a', 'c', 'b']);
  });
});

describe('QueryRecords keys_only', () => {
  it('returns only keys (and an all-zero signature), with store_keys still filled', async () => {
    const response = await query({ storeKey, keysOnly: true, limit: 2 });
    expect(keys(response)).toEqual(['r1', 'r2']);
    expect(response.storeKeys).toEqual([storeKey, storeKey]);
    for (const record of response.records) {
      expect(record.signature.equals(Buffer.alloc(16))).toBe(true);
      expect(record.ownerId).toBe('');
      expect(record.properties).toEqual({});
      expect(record.createdAt).toBeNull();
    }
  });
});

describe('QueryRecords by owner after changes', () => {
  it('follows owner changes by UpdateRecord and the HTTP API, and forgets deleted records', async () => {
    const store = uniqueKey('ostore');
    const first = uniqueKey('owner');
    const second = uniqueKey('owner');
    await emulator.client.unary('CreateStore', { store: { key: store } });
    await emulator.client.unary('CreateRecord', { storeKey: store, record: { key: 'a', ownerId: first } });
    await emulator.client.unary('CreateRecord', { storeKey: store, record: { key: 'b', ownerId: first } });
    await emulator.client.unary('UpdateRecord', { storeKey: store, record: { key: 'a', ownerId: second } });
    expect(keys(await query({ ownerId: first }))).toEqual(['b']);
    expect(keys(await query({ ownerId: second, storeKey: store }))).toEqual(['a']);
    expect(keys(await query({ ownerId: second, storeKey: otherStoreKey }))).toEqual([]);

    const put = await fetch(`${emulator.server.httpUrl}/api/stores/${store}/records/b`, {
      method: 'PUT',
      body: JSON.stringify({ properties: { owner_id: second } }),
    });
    expect(put.status).toBe(200);
    expect(keys(await query({ ownerId: first }))).toEqual([]);
    expect(keys(await query({ ownerId: second }))).toEqual(['a', 'b']);

    await emulator.client.unary('DeleteRecord', { storeKey: store, key: 'a' });
    expect(keys(await query({ ownerId: second }))).toEqual(['b']);
  });
});
