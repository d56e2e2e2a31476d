// /api/stores/{store_id}/records/{record_id}/blobs[/{blob_key}] of the AWS port:
// many named blobs per record. They live beside the record's single gRPC blob and
// do not change it (see README); all blob bytes count against the budget.
import { blobObjectKey, recordCacheKey, touchRecord } from '../state.js';
import { readBody, type HttpContext } from './context.js';
import { requireHttpRecord } from './records.js';
import { HttpError, methodNotAllowed, sendBytes, sendEmpty, sendJson } from './respond.js';

/** The record lookup comes before the method check, as in the AWS port. */
export function blobListRoute(context: HttpContext): void {
  const [storeId, recordId] = context.params as [string, string];
  const record = requireHttpRecord(context.state, storeId, recordId);
  if (context.method !== 'GET') throw methodNotAllowed();
  // A bare array, null when there are no blobs.
  const keys = record.namedBlobs && record.namedBlobs.size > 0 ? [...record.namedBlobs.keys()] : null;
  sendJson(context.response, 200, keys);
}

export async function blobRoute(context: HttpContext): Promise<void> {
  const { state, method, response } = context;
  const [storeId, recordId, blobKey] = context.params as [string, string, string];
  const record = requireHttpRecord(state, storeId, recordId);
  switch (method) {
    case 'GET': {
      // The port reads the S3 object without checking blob_keys, so a blob its record's
      // earlier incarnation left behind is still served.
      const data = record.namedBlobs?.get(blobKey) ?? state.orphanedBlobs.get(blobObjectKey(storeId, recordId, blobKey));
      if (!data) throw new HttpError(404, 'blob not found');
      sendBytes(response, data);
      return;
    }
    case 'PUT': {
      const data = await readBody(context);
      // The record may have gone while the body was arriving.
      const current = requireHttpRecord(state, storeId, recordId);
      state.budget.adjust(data.length);
      state.countBlobBytes(data.length);
      state.dropOrphan(blobObjectKey(storeId, recordId, blobKey));
      current.namedBlobs ??= new Map();
      const previous = current.namedBlobs.get(blobKey);
      if (previous) state.releaseBlobBytes(previous.length);
      current.namedBlobs.set(blobKey, data);
      if (!previous) {
        touchRecord(current);
        state.cache.delete(recordCacheKey(storeId, recordId));
      }
      sendEmpty(response, 200);
      return;
    }
    case 'DELETE': {
      state.dropOrphan(blobObjectKey(storeId, recordId, blobKey));
      const previous = record.namedBlobs?.get(blobKey);
      if (previous) {
        record.namedBlobs!.delete(blobKey);
        state.releaseBlobBytes(previous.length);
        touchRecord(record);
        state.cache.delete(recordCacheKey(storeId, recordId));
      }
      sendEmpty(response, 204);
      return;
    }
    default:
      throw methodNotAllowed();
  }
}
