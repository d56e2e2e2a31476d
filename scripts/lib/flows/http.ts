// The writes setup() and teardown() make over the AWS port's REST API
// (http-lifecycle.ts). The scenarios' flows are transport-neutral (flows/*.ts
// over http-transport.ts); these stay for the run's own lifecycle.
import encoding from 'k6/encoding';
import { httpCall, parseJson, encodeSegment as seg } from '../http-client.js';
import { type HttpRecord } from '../http-records.js';
import { STALE, untilFresh } from '../consistency.js';
import { verify } from '../checks.js';
import { createRecord as createRecordFlow } from './records.js';
import type { Payload } from '../payloads.js';
import type { SeedRecord } from '../run-data.js';

export const BLOB_NAME = 'save';

const ROUTES = {
  stores: '/api/stores',
  store: '/api/stores/{store_id}',
  records: '/api/stores/{store_id}/records',
  record: '/api/stores/{store_id}/records/{record_id}',
  blobs: '/api/stores/{store_id}/records/{record_id}/blobs',
  blob: '/api/stores/{store_id}/records/{record_id}/blobs/{blob_key}',
};

const recordPath = (store: string, key: string) => `/api/stores/${seg(store)}/records/${seg(key)}`;
const blobPath = (store: string, key: string, blob: string) => `${recordPath(store, key)}/blobs/${seg(blob)}`;

/** The payload as one byte buffer (the REST API takes a blob as a single body). */
export function payloadBytes(payload: Payload): ArrayBuffer {
  // Every piece but the last is a whole number of 3-byte groups, so the base64 texts concatenate.
  return encoding.b64decode(payload.pieces.join(''));
}

export function createStore(key: string, name: string): boolean {
  return httpCall('CreateStore', 'POST', '/api/stores', JSON.stringify({ store_id: key, name }), { route: `POST ${ROUTES.stores}` }).ok;
}

export function deleteStore(key: string): boolean {
  return httpCall('DeleteStore', 'DELETE', `/api/stores/${seg(key)}`, null, { route: `DELETE ${ROUTES.store}` }).ok;
}

/** Creates a seeded record through the transport-neutral flow (which allows for a lagging store lookup). */
export function createRecord(ref: SeedRecord): boolean {
  return createRecordFlow(ref) !== null;
}

/** Uploads a blob; a 404 from the port's lagging lookup of a record just made is tried again (consistency.ts). */
export function uploadBlob(ref: { store: string; key: string }, bytes: ArrayBuffer): boolean {
  const uploaded = untilFresh('CreateBlob', (lastTry) => {
    const result = httpCall('CreateBlob', 'PUT', blobPath(ref.store, ref.key, BLOB_NAME), bytes, { route: `PUT ${ROUTES.blob}`, expect: [200, 404] });
    if (result.status !== 404) return result.ok;
    if (!lastTry) return STALE;
    return verify('CreateBlob', 'an upload finds the record it belongs to', false, () => `${ref.key}: still not found`);
  });
  return uploaded === true;
}

/** Every blob, then every record, then the store (the REST API's DeleteStore leaves blobs behind). */
export function emptyAndDeleteStore(store: string): void {
  for (let pass = 0; pass < 5; pass++) {
    const listed = parseJson<{ records: HttpRecord[] }>(
      httpCall('QueryRecords', 'GET', `/api/stores/${seg(store)}/records`, null, { route: `GET ${ROUTES.records}` }),
    );
    const records = listed?.records ?? [];
    if (records.length === 0) break;
    for (const record of records) {
      const blobs = parseJson<string[] | null>(
        httpCall('GetBlob', 'GET', `${recordPath(store, record.record_id)}/blobs`, null, { route: `GET ${ROUTES.blobs}` }),
      );
      for (const blob of blobs ?? []) {
        httpCall('DeleteBlob', 'DELETE', blobPath(store, record.record_id, blob), null, { route: `DELETE ${ROUTES.blob}` });
      }
      httpCall('DeleteRecord', 'DELETE', recordPath(store, record.record_id), null, { route: `DELETE ${ROUTES.record}` });
    }
  }
  deleteStore(store);
}
