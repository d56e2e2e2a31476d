// /api/stores and /api/stores/{store_id} of the AWS port, over the shared stores.
import { microsToRfc3339Seconds } from '../clock.js';
import { newStoreEntity } from '../handlers/stores.js';
import { storeCacheKey, type State, type StoreEntity } from '../state.js';
import { readJsonObject, type HttpContext } from './context.js';
import { deleteMetadataItem, putMetadataItem } from './metadata.js';
import { HttpError, methodNotAllowed, sendEmpty, sendJson } from './respond.js';

export function storeToJson(store: StoreEntity): Record<string, string> {
  const created = microsToRfc3339Seconds(store.createdAt);
  return { store_id: store.key, name: store.name, created_at: created, updated_at: created };
}

export async function storesRoute(context: HttpContext): Promise<void> {
  const { state, method, response } = context;
  if (method === 'GET') {
    sendJson(response, 200, { stores: [...state.stores.values()].map(storeToJson) });
    return;
  }
  if (method !== 'POST') throw methodNotAllowed();
  const body = await readJsonObject(context);
  const storeId = typeof body.store_id === 'string' ? body.store_id : '';
  if (storeId === '') throw new HttpError(400, 'store_id is required');
  if (state.stores.has(storeId)) throw new HttpError(409, 'store already exists');
  const name = typeof body.name === 'string' ? body.name : '';
  // owner_id and tags in the body are ignored, as in the AWS port.
  const store = newStoreEntity(storeId, name, [], '');
  state.addStore(store);
  putMetadataItem(state, 'store_info', storeId, { name, created_at: Math.floor(store.createdAt / 1_000_000) });
  sendEmpty(response, 201);
}

export function storeRoute(context: HttpContext): void {
  const { state, method, response } = context;
  const storeId = context.params[0]!;
  if (method === 'GET') {
    const store = state.stores.get(storeId);
    if (!store) throw new HttpError(404, 'store not found');
    sendJson(response, 200, storeToJson(store));
    return;
  }
  if (method !== 'DELETE') throw methodNotAllowed();
  // Unlike gRPC DeleteStore, the AWS port deletes the records with the store.
  deleteStoreWithRecords(state, storeId);
  deleteMetadataItem(state, 'store_info', storeId);
  sendEmpty(response, 204);
}

function deleteStoreWithRecords(state: State, storeId: string): void {
  const records = state.records.get(storeId);
  // Their blob objects stay in S3, as in the AWS port.
  if (records) for (const record of [...records.values()]) state.removeRecord(record, 'orphan');
  state.removeStore(storeId);
  state.cache.delete(storeCacheKey(storeId));
}
