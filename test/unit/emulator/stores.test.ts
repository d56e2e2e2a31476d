// CreateStore, GetStore, ListStores, DeleteStore (spec d.1) against a running emulator.
import { status } from '@grpc/grpc-js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { failure, startTestEmulator, uniqueKey, type TestEmulator } from './support/client.js';

let emulator: TestEmulator;
beforeAll(async () => {
  emulator = await startTestEmulator();
});
afterAll(() => emulator.stop());

interface Store {
  key: string;
  name: string;
  tags: string[];
  ownerId: string;
  createdAt: { seconds: string; nanos: number };
  updatedAt: { seconds: string; nanos: number };
}

describe('CreateStore', () => {
  it('stores the client fields, sets created_at == updated_at and ignores client timestamps', async () => {
    const key = uniqueKey('store');
    const store = await emulator.client.unary<Store>('CreateStore', {
      store: { key, name: 'saves', tags: ['a', 'b'], ownerId: 'studio', createdAt: { seconds: 5, nanos: 0 } },
    });
    expect(store).toMatchObject({ key, name: 'saves', tags: ['a', 'b'], ownerId: 'studio' });
    expect(store.createdAt).toEqual(store.updatedAt);
    expect(Number(store.createdAt.seconds)).toBeGreaterThan(1_700_000_000);
    expect(store.createdAt.nanos % 1000).toBe(0);
  });

  it('rejects a request without a store or without a key', async () => {
    expect((await failure(emulator.client.unary('CreateStore', {}))).details).toMatch(/store is required/);
    expect((await failure(emulator.client.unary('CreateStore', { store: { name: 'x' } }))).code).toBe(status.INVALID_ARGUMENT);
  });
});

describe('GetStore', () => {
  it('returns what CreateStore returned', async () => {
    const key = uniqueKey('store');
    const created = await emulator.client.unary<Store>('CreateStore', { store: { key, name: 'n' } });
    await expect(emulator.client.unary('GetStore', { key })).resolves.toEqual(created);
  });
});

describe('ListStores', () => {
  it('matches the exact name only and returns the first store in key order', async () => {
    const name = uniqueKey('shared-name');
    await emulator.client.unary('CreateStore', { store: { key: `${name}-b`, name } });
    await emulator.client.unary('CreateStore', { store: { key: `${name}-a`, name } });
    await emulator.client.unary('CreateStore', { store: { key: `${name}-c`, name: `${name}-other` } });
    const response = await emulator.client.unary<{ stores: Store[] }>('ListStores', { name, ownerId: 'ignored', tags: ['ignored'] });
    expect(response.stores.map((s) => s.key)).toEqual([`${name}-a`]);
  });

  it('is NOT_FOUND when no store has the name', async () => {
    expect((await failure(emulator.client.unary('ListStores', { name: uniqueKey('none') }))).code).toBe(status.NOT_FOUND);
  });
});

describe('DeleteStore', () => {
  it('deletes an empty store, which ListStores and CreateRecord then no longer see', async () => {
    const key = uniqueKey('store');
    await emulator.client.unary('CreateStore', { store: { key, name: key } });
    await emulator.client.unary('DeleteStore', { key });
    expect((await failure(emulator.client.unary('ListStores', { name: key }))).code).toBe(status.NOT_FOUND);
    const create = emulator.client.unary('CreateRecord', { storeKey: key, record: { key: 'r' } });
    expect((await failure(create)).code).toBe(status.FAILED_PRECONDITION);
  });

  it('leaves the cached store readable through GetStore, as upstream does', async () => {
    const key = uniqueKey('store');
    await emulator.client.unary('CreateStore', { store: { key, name: key } });
    await emulator.client.unary('DeleteStore', { key });
    await expect(emulator.client.unary('GetStore', { key })).resolves.toMatchObject({ key });
  });

  it('lets the key be created again', async () => {
    const key = uniqueKey('store');
    await emulator.client.unary('CreateStore', { store: { key, name: 'first' } });
    await emulator.client.unary('DeleteStore', { key });
    await expect(emulator.client.unary('CreateStore', { store: { key, name: 'second' } })).resolves.toMatchObject({ name: 'second' });
    await expect(emulator.client.unary('GetStore', { key })).resolves.toMatchObject({ name: 'second' });
  });
});
