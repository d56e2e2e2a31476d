// Store flows over gRPC: create, read back, find by name, delete.
import { unary } from '../grpc-client.js';
import { verify } from '../checks.js';
import type { StoreMessage } from '../messages.js';

export interface StoreSpec {
  readonly key: string;
  readonly name: string;
  readonly tags: readonly string[];
}

export function createStore(spec: StoreSpec): boolean {
  const result = unary<StoreMessage>('CreateStore', { store: { key: spec.key, name: spec.name, tags: spec.tags, ownerId: 'loadkit' } });
  if (!result.message) return false;
  return verify('CreateStore', 'a created store echoes its key', result.message.key === spec.key);
}

export function readStore(spec: StoreSpec): void {
  const result = unary<StoreMessage>('GetStore', { key: spec.key });
  if (result.message) verify('GetStore', 'a store reads back with the name it was created with', result.message.name === spec.name);
}

export function findStoreByName(spec: StoreSpec): void {
  // ListStores matches the name exactly and returns the first match, so the name must be unique to this store.
  const result = unary<{ stores: StoreMessage[] }>('ListStores', { name: spec.name });
  if (result.message) {
    verify('ListStores', 'listing by name finds the store', result.message.stores.some((store) => store.key === spec.key));
  }
}

export function deleteStore(key: string): boolean {
  return unary('DeleteStore', { key }).ok;
}
