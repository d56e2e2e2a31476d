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
  // The port's record GetItem; the S3 object itself is then read or written as it is now.
  requireHttpRecord(state, storeId, recordId);
  const objectKey = blobObjectKey(storeId, recordId, blobKey);
  switch (method) {
    case 'GET': {
      // The port reads the S3 object without checking blob_keys, so a blob an earlier
      // record of that key left behind is still served.
      const data = state.getRecord(storeId, recordId)?.namedBlobs?.get(blobKey) ?? state.orphanedBlobs.get(objectKey);
      if (!data) throw new HttpError(404, 'blob not found');
      sendBytes(response, data);
      return;
    }
    case 'PUT': {
      const data = await readBody(context);
      state.budget.adjust(data.length);
      state.countBlobBytes(data.length);
      state.dropOrphan(objectKey);
      const live = state.getRecord(storeId, recordId);
      if (!live) {
        // The record went (while the body arrived, or the read was stale): the object is
        // written all the same and the port's blob_keys update fails, logged only.
        state.keepOrphan(objectKey, data);
        sendEmpty(response, 200);
        return;
      }
      live.namedBlobs ??= new Map();
      const previous = live.namedBlobs.get(blobKey);
      if (previous) state.releaseBlobBytes(previous.length);
      live.namedBlobs.set(blobKey, data);
      if (!previous) {
        touchRecord(live);
        state.cache.delete(recordCacheKey(storeId, recordId));
      }
      sendEmpty(response, 200);
      return;
    }
    case 'DELETE': {
      state.dropOrphan(objectKey);
      const live = state.getRecord(storeId, recordId);
      const previous = live?.namedBlobs?.get(blobKey);
      if (live && previous) {
        live.namedBlobs!.delete(blobKey);
        state.releaseBlobBytes(previous.length);
        touchRecord(live);
        state.cache.delete(recordCacheKey(storeId, recordId));
      }
      sendEmpty(response, 204);
      return;
    }
    default:
      throw methodNotAllowed();
  }
}
