// CreateStore, GetStore, ListStores, DeleteStore (spec d.1).
import { nowMicros } from '../state/clock.js';
import { alreadyExists, failedPrecondition, invalidArgument, notFound } from '../errors.js';
import { storeToMessage, type StoreMessage } from '../messages.js';
import { estimateStoreBytes, storeCacheKey, type State, type StoreEntity } from '../state/state.js';

export interface CreateStoreRequest {
  store?: StoreMessage | null;
}

export function createStore(state: State, request: CreateStoreRequest): StoreMessage {
  // Upstream dereferences `store` without a check and crashes; a clear status instead.
  const store = request.store;
  if (!store) throw invalidArgument('CreateStoreRequest.store is required');
  const key = store.key ?? '';
  if (key === '') throw invalidArgument('store.key is required');
  if (state.stores.has(key)) throw alreadyExists(`store "${key}" already exists`);
  const entity = newStoreEntity(key, store.name ?? '', store.tags ?? [], store.ownerId ?? '');
  state.addStore(entity);
  const message = storeToMessage(entity);
  state.cache.set(storeCacheKey(key), message);
  return message;
}

export function newStoreEntity(key: string, name: string, tags: readonly string[], ownerId: string): StoreEntity {
  const now = nowMicros();
  return {
    key,
    name,
    tags: [...tags],
    ownerId,
    createdAt: now,
    updatedAt: now,
    bytes: estimateStoreBytes(key, name, tags, ownerId),
  };
}

export function getStore(state: State, request: { key?: string }): StoreMessage {
  const key = request.key ?? '';
  // Upstream always reads the cache first for stores (there is no hint).
  const cached = state.cache.get(storeCacheKey(key)) as StoreMessage | undefined;
  if (cached) return cached;
  const store = state.stores.get(key);
  if (!store) throw notFound(`store "${key}" not found`);
  const message = storeToMessage(store);
  state.cache.set(storeCacheKey(key), message);
  return message;
}

/** Only `name` is used, as an exact match; the first store in key order is returned. */
export function listStores(state: State, request: { name?: string }): { stores: StoreMessage[] } {
  const name = request.name ?? '';
  let first: StoreEntity | undefined;
  for (const store of state.stores.values()) {
    if (store.name === name && (first === undefined || store.key < first.key)) first = store;
  }
  if (!first) throw notFound(`no store named "${name}"`);
  return { stores: [storeToMessage(first)] };
}

/**
 * Refuses a store that still has records; a missing store is not an error. Like
 * upstream, the cached copy is not purged, so GetStore may return it until the
 * cache entry expires.
 */
export function deleteStore(state: State, request: { key?: string }): Record<string, never> {
  const key = request.key ?? '';
  if ((state.records.get(key)?.size ?? 0) > 0) {
    throw failedPrecondition(`store "${key}" still has records; delete them first`);
  }
  state.removeStore(key);
  return {};
}
