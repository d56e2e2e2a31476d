// The writes setup() makes over the AWS port's REST API (http-lifecycle.ts), in the
// shapes its run layout hands them; each goes through the transport-neutral flows
// (or, for a blob given as bytes, through the same route), so it allows for the
// port's eventually consistent lookups as the scenarios do.
import { httpCall } from '../http-client.js';
import { blobPath, HTTP_ROUTES } from '../http-transport.js';
import { STALE, untilFresh } from '../consistency.js';
import { verify } from '../checks.js';
import { createRecord as createRecordFlow } from './records.js';
import { createStore as createStoreFlow, deleteStore as deleteStoreFlow } from './stores.js';
import type { SeedRecord } from '../run-data.js';

export { BLOB_NAME, payloadBytes } from '../http-transport.js';

export function createStore(key: string, name: string): boolean {
  // The REST API keeps no store tags.
  return createStoreFlow({ key, name, tags: [] });
}

export function deleteStore(key: string): boolean {
  return deleteStoreFlow(key);
}

export function createRecord(ref: SeedRecord): boolean {
  return createRecordFlow(ref) !== null;
}

/** Uploads a blob; a 404 from the port's lagging lookup of a record just made is tried again (consistency.ts). */
export function uploadBlob(ref: { store: string; key: string }, bytes: ArrayBuffer): boolean {
  const uploaded = untilFresh('CreateBlob', (lastTry) => {
    const result = httpCall('CreateBlob', 'PUT', blobPath(ref.store, ref.key), bytes, { route: `PUT ${HTTP_ROUTES.blob}`, expect: [200, 404] });
    if (result.status !== 404) return result.ok;
    if (!lastTry) return STALE;
    return verify('CreateBlob', 'an upload finds the record it belongs to', false, () => `${ref.key}: still not found`);
  });
  return uploaded === true;
}
