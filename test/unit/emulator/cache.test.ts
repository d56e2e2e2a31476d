// The record cache and its hints (spec d.6): reads go to the cache unless
// skip_cache; writes cache the record unless do_not_cache, which purges it.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { recordCacheKey } from '../../../emulator/state/state.js';
import { seedRecord, startTestEmulator, uniqueKey, type TestEmulator } from './support/client.js';

let emulator: TestEmulator;
beforeAll(async () => {
  emulator = await startTestEmulator();
});
afterAll(() => emulator.stop());

const cache = () => emulator.server.state.cache;

/** Runs `action` and returns how many cache hits and misses it caused. */
async function lookups(action: () => Promise<unknown>): Promise<{ hits: number; misses: number }> {
  const before = { hits: cache().hits, misses: cache().misses };
  await action();
  return { hits: cache().hits - before.hits, misses: cache().misses - before.misses };
}

describe('record cache', () => {
  it('CreateRecord caches the record, so GetRecord is a hit', async () => {
    const { storeKey, recordKey } = await seedRecord(emulator.client);
    expect(cache().has(recordCacheKey(storeKey, recordKey))).toBe(true);
    expect(await lookups(() => emulator.client.unary('GetRecord', { storeKey, key: recordKey }))).toEqual({ hits: 1, misses: 0 });
  });

  it('skip_cache reads past the cache', async () => {
    const { storeKey, recordKey } = await seedRecord(emulator.client);
    const read = () => emulator.client.unary('GetRecord', { storeKey, key: recordKey, hint: { skipCache: true } });
    expect(await lookups(read)).toEqual({ hits: 0, misses: 0 });
  });

  it('do_not_cache on a write purges the entry; the next plain read misses and caches again', async () => {
    const storeKey = uniqueKey('store');
    await emulator.client.unary('CreateStore', { store: { key: storeKey } });
    const key = uniqueKey('record');
    await emulator.client.unary('CreateRecord', { storeKey, record: { key }, hint: { doNotCache: true } });
    expect(cache().has(recordCacheKey(storeKey, key))).toBe(false);
    expect(await lookups(() => emulator.client.unary('GetRecord', { storeKey, key }))).toEqual({ hits: 0, misses: 1 });
    expect(cache().has(recordCacheKey(storeKey, key))).toBe(true);
  });

  it('do_not_cache on a read that misses purges instead of caching', async () => {
    const { storeKey, recordKey } = await seedRecord(emulator.client);
    await emulator.client.unary('GetRecord', { storeKey, key: recordKey, hint: { skipCache: true, doNotCache: true } });
    expect(cache().has(recordCacheKey(storeKey, recordKey))).toBe(false);
  });

  it('serves updated values after UpdateRecord and forgets deleted records', async () => {
    const { storeKey, recordKey } = await seedRecord(emulator.client, { ownerId: 'a' });
    await emulator.client.unary('UpdateRecord', { storeKey, record: { key: recordKey, ownerId: 'b' } });
    await expect(emulator.client.unary('GetRecord', { storeKey, key: recordKey })).resolves.toMatchObject({ ownerId: 'b' });
    await emulator.client.unary('DeleteRecord', { storeKey, key: recordKey });
    expect(cache().has(recordCacheKey(storeKey, recordKey))).toBe(false);
  });

  it('GetBlob reads the record through the cache too', async () => {
    const { storeKey, recordKey } = await seedRecord(emulator.client);
    expect(await lookups(() => emulator.client.download('GetBlob', { storeKey, recordKey }))).toEqual({ hits: 1, misses: 0 });
    const skip = () => emulator.client.download('GetBlob', { storeKey, recordKey, hint: { skipCache: true } });
    expect(await lookups(skip)).toEqual({ hits: 0, misses: 0 });
  });
});
