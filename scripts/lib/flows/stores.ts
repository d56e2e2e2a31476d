// Store flows, written once against the transport-neutral client: create, read
// back, find by name, delete.
import { oneReadIn, verifiedRead } from '../transport/grpc-client.js';
import { statusChecks, verify } from '../verify/checks.js';
import type { StoreMessage } from '../model/messages.js';
import { NO_DIFFERENCES } from '../model/records.js';
import { config } from '../config/runtime.js';
import { transport } from '../transport/transport.js';
import { STALE, untilFresh } from './consistency.js';
import type { CallOptions, StoreSpec } from '../transport/transport-types.js';

export type { StoreSpec } from '../transport/transport-types.js';

const LAGGING = transport.readsMayLag;

export function createStore(spec: StoreSpec): boolean {
  const result = transport.createStore(spec);
  if (!result.ok) return false;
  // Over HTTP a create returns no body; the read that follows checks it.
  return result.message === null || verify('CreateStore', 'a created store echoes its key', result.message.key === spec.key);
}

/** Reads `key` and checks the store with `holds`, trying again while it is not there yet (a lagging transport). */
function readStoreUntil(key: string, sentence: string, holds: (store: StoreMessage) => boolean): void {
  const options: CallOptions = { readBack: sentence, allowMissing: LAGGING };
  untilFresh('GetStore', (lastTry) => {
    const result = transport.getStore(key, options);
    if (!result.ok) return undefined;
    if (result.missing && !lastTry) {
      statusChecks.settle();
      return STALE;
    }
    verify('GetStore', sentence, result.message !== null && holds(result.message), () => `${key}: ${result.missing ? 'not found' : `read ${result.message?.name}`}`);
    return undefined;
  });
}

export function readStore(spec: StoreSpec): void {
  readStoreUntil(spec.key, 'a store reads back with the name it was created with', (store) => store.name === spec.name);
}

// gRPC's prepared read for the mix's GetStore: one call in VERIFY_EVERY checks the key, the others only the status.
const KEY_READS_BACK = 'a store reads back with its key';
const storeReadsBack =
  transport.name === 'grpc'
    ? verifiedRead<StoreMessage, string>(
        'GetStore',
        KEY_READS_BACK,
        (message, key) => (message.key === key ? NO_DIFFERENCES : [`key ${message.key} != ${key}`]),
        oneReadIn(config.verifyEvery),
      )
    : undefined;

/** Reads a store setup() made and checks it reads back with its key. */
export function readStoreKey(key: string): void {
  if (storeReadsBack) storeReadsBack({ key }, key);
  else readStoreUntil(key, KEY_READS_BACK, (store) => store.key === key);
}

export function findStoreByName(spec: StoreSpec): void {
  // ListStores matches the name exactly, so the name must be unique to this store.
  const result = transport.listStores(spec.name);
  if (!result.message) return;
  const stores = result.message;
  verify('ListStores', 'listing by name finds only that store', stores.every((store) => store.key === spec.key));
  // The AWS port lists only its first page: a store missing from it is not missing from the port.
  if (transport.completeLists) verify('ListStores', 'listing by name finds the store', stores.some((store) => store.key === spec.key));
}

export function deleteStore(key: string): boolean {
  return transport.deleteStore(key).ok;
}
