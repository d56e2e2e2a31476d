// Flows over the AWS port's REST API, named after the gRPC operations they
// stand for, each verifying what it reads back.
import crypto from 'k6/crypto';
import encoding from 'k6/encoding';
import { httpCall, parseJson, encodeSegment as seg } from '../http-client.js';
import { buildHttpRecord, httpRecordDifferences, type HttpRecord } from '../http-records.js';
import { ownerFor } from '../records.js';
import { verify } from '../checks.js';
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

export function readStore(key: string): void {
  const result = httpCall('GetStore', 'GET', `/api/stores/${seg(key)}`, null, { route: `GET ${ROUTES.store}` });
  const store = parseJson<{ store_id: string }>(result);
  if (store) verify('GetStore', 'a store reads back with its key', store.store_id === key);
}

export function listStores(key: string): void {
  const result = httpCall('ListStores', 'GET', '/api/stores', null, { route: `GET ${ROUTES.stores}` });
  const listed = parseJson<{ stores: { store_id: string }[] }>(result);
  if (listed) verify('ListStores', 'listing stores includes the run store', listed.stores.some((store) => store.store_id === key));
}

export function deleteStore(key: string): boolean {
  return httpCall('DeleteStore', 'DELETE', `/api/stores/${seg(key)}`, null, { route: `DELETE ${ROUTES.store}` }).ok;
}

export function createRecord(ref: SeedRecord): boolean {
  const body = JSON.stringify(buildHttpRecord(ref.key, ref.seed));
  return httpCall('CreateRecord', 'POST', `/api/stores/${seg(ref.store)}/records`, body, { route: `POST ${ROUTES.records}` }).ok;
}

export function readRecord(ref: SeedRecord, version: number): void {
  const result = httpCall('GetRecord', 'GET', recordPath(ref.store, ref.key), null, { route: `GET ${ROUTES.record}` });
  const record = parseJson<HttpRecord>(result);
  if (!result.ok) return;
  const differences = httpRecordDifferences(record, buildHttpRecord(ref.key, ref.seed, version));
  verify('GetRecord', 'a record reads back as last written', differences.length === 0, () => `${ref.key}: ${differences.join('; ')}`);
}

export function updateRecord(ref: SeedRecord, version: number): boolean {
  const { tags, properties } = buildHttpRecord(ref.key, ref.seed, version);
  return httpCall('UpdateRecord', 'PUT', recordPath(ref.store, ref.key), JSON.stringify({ tags, properties }), { route: `PUT ${ROUTES.record}` }).ok;
}

export function deleteRecord(ref: { store: string; key: string }): void {
  if (!httpCall('DeleteRecord', 'DELETE', recordPath(ref.store, ref.key), null, { route: `DELETE ${ROUTES.record}` }).ok) return;
  const after = httpCall('GetRecord', 'GET', recordPath(ref.store, ref.key), null, { route: `GET ${ROUTES.record}`, expect: [404] });
  verify('GetRecord', 'a deleted record is no longer found', after.status === 404);
}

export function queryByOwner(seed: SeedRecord, storeSeeds: readonly SeedRecord[]): void {
  const owner = ownerFor(seed.seed);
  const result = httpCall('QueryRecords', 'GET', `/api/stores/${seg(seed.store)}/records?owner_id=${seg(owner)}`, null, {
    route: `GET ${ROUTES.records}?owner_id`,
  });
  const found = parseJson<{ records: HttpRecord[] }>(result);
  if (!found) return;
  const keys = new Set(found.records.map((record) => record.record_id));
  verify('QueryRecords', 'an owner query returns every record of that owner', storeSeeds.filter((s) => ownerFor(s.seed) === owner).every((s) => keys.has(s.key)));
  verify('QueryRecords', 'an owner query returns only that owner', found.records.every((record) => record.owner_id === owner));
}

export function uploadBlob(ref: { store: string; key: string }, bytes: ArrayBuffer): boolean {
  return httpCall('CreateBlob', 'PUT', blobPath(ref.store, ref.key, BLOB_NAME), bytes, { route: `PUT ${ROUTES.blob}` }).ok;
}

export function readBlob(ref: { store: string; key: string }, payload: Payload): void {
  const result = httpCall('GetBlob', 'GET', blobPath(ref.store, ref.key, BLOB_NAME), null, { route: `GET ${ROUTES.blob}`, binary: true });
  if (!result.ok || !(result.body instanceof ArrayBuffer)) return;
  const body = result.body;
  verify('GetBlob', 'a downloaded blob has exactly the bytes uploaded', body.byteLength === payload.size && crypto.md5(body, 'base64') === payload.md5);
}

export function deleteBlob(ref: { store: string; key: string }): void {
  if (!httpCall('DeleteBlob', 'DELETE', blobPath(ref.store, ref.key, BLOB_NAME), null, { route: `DELETE ${ROUTES.blob}` }).ok) return;
  const after = httpCall('GetBlob', 'GET', blobPath(ref.store, ref.key, BLOB_NAME), null, { route: `GET ${ROUTES.blob}`, expect: [404] });
  verify('GetBlob', 'a deleted blob is no longer found', after.status === 404);
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
