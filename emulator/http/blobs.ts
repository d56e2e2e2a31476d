// /api/stores/{store_id}/records/{record_id}/blobs[/{blob_key}] of the AWS port:
// many named blobs per record. They live beside the record's single gRPC blob and
// do not change it (see README); all blob bytes count against the budget.
import { damageBytes } from '../faults.js';
import { estimateFieldBytes } from '../handlers/record-fields.js';
import { blobObjectKey, recordCacheKey, touchRecord, type RecordEntity, type RecordView, type State } from '../state/state.js';
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
  // The port's record GetItem (lagged with --read-lag-ms); the S3 object itself is read and
  // written as it is now, S3 being consistent.
  const read = requireHttpRecord(state, storeId, recordId);
  const objectKey = blobObjectKey(storeId, recordId, blobKey);
  switch (method) {
    case 'GET': {
      // The port reads the S3 object without checking blob_keys, so a blob an earlier
      // record of that key left behind is still served.
      const data = state.getRecord(storeId, recordId)?.namedBlobs?.get(blobKey) ?? state.orphanedBlobs.get(objectKey);
      if (!data) throw new HttpError(404, 'blob not found');
      sendBytes(response, context.blobDamage ? damageBytes(data, context.blobDamage) : data);
      return;
    }
    case 'PUT': {
      const data = await readBody(context);
      state.budget.adjust(data.length);
      state.countBlobBytes(data.length);
      // S3 PutObject replaces the object at that key, listed or orphaned.
      state.dropOrphan(objectKey);
      const live = state.getRecord(storeId, recordId);
      const replaced = live?.namedBlobs?.get(blobKey);
      if (replaced) state.releaseBlobBytes(replaced.length);
      if (!live) {
        // The record went (while the body arrived, or the read was stale): the object is
        // written all the same and the port's record update fails, logged only.
        state.keepOrphan(objectKey, data);
      } else if (read.namedBlobs?.has(blobKey)) {
        // Listed when read: the port leaves the record alone.
        if (replaced) live.namedBlobs!.set(blobKey, data);
        else state.keepOrphan(objectKey, data);
      } else {
        // Appended to blob_keys of the record as read, written back with its tags and properties.
        state.recordChanging(live);
        writeBackRecord(state, live, read, [...namedBlobKeys(read), blobKey], blobKey, data);
      }
      sendEmpty(response, 200);
      return;
    }
    case 'DELETE': {
      state.dropOrphan(objectKey);
      const live = state.getRecord(storeId, recordId);
      const previous = live?.namedBlobs?.get(blobKey);
      if (!live || (read === live && !previous)) {
        sendEmpty(response, 204);
        return;
      }
      state.recordChanging(live);
      if (previous) {
        live.namedBlobs!.delete(blobKey);
        state.releaseBlobBytes(previous.length);
      }
      if (read === live) {
        touchRecord(live);
        state.cache.delete(recordCacheKey(storeId, recordId));
      } else {
        // blob_keys of the record as read, without this key, written back.
        writeBackRecord(state, live, undefined, namedBlobKeys(read).filter((name) => name !== blobKey));
      }
      sendEmpty(response, 204);
      return;
    }
    default:
      throw methodNotAllowed();
  }
}

function namedBlobKeys(record: RecordView): string[] {
  return record.namedBlobs ? [...record.namedBlobs.keys()] : [];
}

/**
 * The port's record update after a blob change: `listed` becomes blob_keys, and with
 * `fieldsFrom` its tags and properties are written back too. Under --read-lag-ms the
 * record it read may be older than the live one: a listed name whose object is orphaned is
 * listed again, and live blobs left out of `listed` stay stored, unlisted, as orphans.
 */
function writeBackRecord(
  state: State,
  live: RecordEntity,
  fieldsFrom: RecordView | undefined,
  listed: readonly string[],
  freshKey?: string,
  freshData?: Buffer,
): void {
  if (fieldsFrom && fieldsFrom !== live) {
    const fields = {
      ownerId: live.ownerId,
      properties: new Map(fieldsFrom.properties),
      tags: [...fieldsFrom.tags],
      opaqueString: live.opaqueString,
      expiresAt: null,
    };
    const bytes = estimateFieldBytes(live.storeKey, live.key, fields);
    state.budget.adjust(bytes - live.bytes);
    live.bytes = bytes;
    live.properties = fields.properties;
    live.tags = fields.tags;
  }
  const previous = live.namedBlobs;
  const next = new Map<string, Buffer>();
  for (const name of listed) {
    const data =
      name === freshKey ? freshData : (previous?.get(name) ?? state.takeOrphan(blobObjectKey(live.storeKey, live.key, name)));
    if (data) next.set(name, data);
  }
  if (previous) {
    for (const [name, data] of previous) {
      if (!next.has(name)) state.keepOrphan(blobObjectKey(live.storeKey, live.key, name), data);
    }
  }
  live.namedBlobs = next;
  touchRecord(live);
  state.cache.delete(recordCacheKey(live.storeKey, live.key));
}
