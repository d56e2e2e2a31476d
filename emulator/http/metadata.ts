// /api/metadata/{type}/{id} of the AWS port: free-form JSON items with no gRPC
// equivalent, plus the store_info / store_stats items the store and record routes write.
import type { MetadataItem, State } from '../state/state.js';
import { readJsonObject, type HttpContext } from './context.js';
import { HttpError, methodNotAllowed, sendEmpty, sendJson } from './respond.js';

const itemKey = (type: string, id: string): string => `${type}/${id}`;

export function putMetadataItem(state: State, type: string, id: string, data: unknown): void {
  const key = itemKey(type, id);
  const bytes = key.length + JSON.stringify(data).length;
  const previous = state.metadata.get(key);
  state.budget.adjust(bytes - (previous?.bytes ?? 0));
  state.metadataChanging(key);
  state.metadata.set(key, { data, bytes });
}

export function deleteMetadataItem(state: State, type: string, id: string): void {
  const key = itemKey(type, id);
  const previous = state.metadata.get(key);
  if (!previous) return;
  state.metadataChanging(key);
  state.metadata.delete(key);
  state.budget.release(previous.bytes);
}

/**
 * store_stats/<store> after a record create, as the AWS port's CreateRecord writes it: the
 * record_count it read plus one, or 1 when it read no item (or no number). A read-modify-write
 * whose read may be stale (--read-lag-ms), so counts can drift as there.
 */
export function countRecordCreated(state: State, storeId: string): void {
  const count = recordCountOf(state.metadataForRead(itemKey('store_stats', storeId)));
  putMetadataItem(state, 'store_stats', storeId, { record_count: count === undefined ? 1 : Math.trunc(count) + 1, updated_at: nowSeconds() });
}

/**
 * store_stats/<store> after a record delete, as the AWS port's DeleteRecord writes it: only
 * when it reads an item with record_count > 0, and whether or not the record existed (its
 * DeleteItem is unconditional). It never creates the item.
 */
export function countRecordDeleted(state: State, storeId: string): void {
  const item = state.metadataForRead(itemKey('store_stats', storeId));
  const count = recordCountOf(item);
  if (count === undefined || count <= 0) return;
  putMetadataItem(state, 'store_stats', storeId, { ...(item!.data as object), record_count: count - 1, updated_at: nowSeconds() });
}

/** record_count of a store_stats item; undefined when there is no item or no number in it. */
function recordCountOf(item: MetadataItem | undefined): number | undefined {
  const data = item?.data as { record_count?: unknown } | null | undefined;
  return typeof data?.record_count === 'number' ? data.record_count : undefined;
}

const nowSeconds = (): number => Math.floor(Date.now() / 1000);

export async function metadataRoute(context: HttpContext): Promise<void> {
  const { state, method, params, response } = context;
  if (params.length !== 2 || params[0] === '' || params[1] === '') throw new HttpError(400, 'Invalid metadata path');
  const [type, id] = params as [string, string];
  switch (method) {
    case 'GET': {
      const item = state.metadataForRead(itemKey(type, id));
      if (!item) throw new HttpError(404, 'metadata not found');
      sendJson(response, 200, item.data);
      return;
    }
    case 'POST':
      putMetadataItem(state, type, id, await readJsonObject(context));
      sendEmpty(response, 200);
      return;
    case 'DELETE':
      deleteMetadataItem(state, type, id);
      sendEmpty(response, 204);
      return;
    default:
      throw methodNotAllowed();
  }
}
