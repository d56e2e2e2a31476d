// /api/stores and /api/stores/{store_id} of the AWS port, over the shared stores.
import { microsToRfc3339Seconds } from '../state/clock.js';
import { newStoreEntity } from '../handlers/stores.js';
import { storeCacheKey, type State, type StoreEntity } from '../state/state.js';
import { readJsonObject, type HttpContext } from './context.js';
import { deleteMetadataItem, putMetadataItem } from './metadata.js';
import { dynamoItemBytes, firstPage } from './paging.js';
import { queryRecordsPage } from './records.js';
import { HttpError, methodNotAllowed, sendEmpty, sendJson } from './respond.js';

export function storeToJson(store: StoreEntity): Record<string, string> {
  const created = microsToRfc3339Seconds(store.createdAt);
  return { store_id: store.key, name: store.name, created_at: created, updated_at: created };
}

export async function storesRoute(context: HttpContext): Promise<void> {
  const { state, method, response } = context;
  if (method === 'GET') {
    // A Scan: first page only.
    const stores = state.storesForRead();
    const page = firstPage(stores, state.pageBytes, 0, storeItemBytes);
    if (page.length < stores.length) state.truncatedLists++;
    sendJson(response, 200, { stores: page.map(storeToJson) });
    return;
  }
  if (method !== 'POST') throw methodNotAllowed();
  const body = await readJsonObject(context);
  const storeId = typeof body.store_id === 'string' ? body.store_id : '';
  if (storeId === '') throw new HttpError(400, 'store_id is required');
  // The pre-check is a plain read; the conditional put behind it is not, so a read that
  // missed a just-created store ends in the put's failure (500), as in the AWS port.
  if (state.storeForRead(storeId)) throw new HttpError(409, 'store already exists');
  if (state.stores.has(storeId)) throw new HttpError(500, 'Failed to create store');
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
    const store = state.storeForRead(storeId);
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

/**
 * As the AWS port: the store item goes, then the records of the first page of a Query
 * on the store (so with --page-bytes, records past it stay, still readable by key);
 * their blob objects stay in S3.
 */
function deleteStoreWithRecords(state: State, storeId: string): void {
  state.removeStore(storeId);
  for (const seen of queryRecordsPage(state, storeId, NO_QUERY)) {
    const record = state.getRecord(storeId, seen.key);
    if (record) state.removeRecord(record, 'orphan');
  }
  state.cache.delete(storeCacheKey(storeId));
}

const NO_QUERY = new URLSearchParams();

/** The size of the DynamoDB item the port stores for a store (timestamps as Unix seconds). */
function storeItemBytes(store: StoreEntity): number {
  const seconds = Math.floor(store.createdAt / 1_000_000);
  return dynamoItemBytes({ store_id: store.key, name: store.name, created_at: seconds, updated_at: seconds });
}
