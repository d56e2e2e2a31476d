// /api/metadata/{type}/{id} of the AWS port: free-form JSON items with no gRPC
// equivalent, plus the store_info / store_stats items the store and record routes write.
import type { State } from '../state.js';
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
 * Adjusts store_stats.record_count (never below zero), as the AWS port's record routes do:
 * a read-modify-write whose read may be stale (--read-lag-ms), so counts can drift as there.
 */
export function countRecords(state: State, storeId: string, delta: number): void {
  const current = state.metadataForRead(itemKey('store_stats', storeId))?.data as { record_count?: number } | undefined;
  const count = Math.max(0, (current?.record_count ?? 0) + delta);
  putMetadataItem(state, 'store_stats', storeId, { record_count: count, updated_at: Math.floor(Date.now() / 1000) });
}

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
