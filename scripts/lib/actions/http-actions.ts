// The mixed workload over the AWS port's REST API: the same operation names as
// over gRPC where the API has an equivalent. The API has no batch read,
// chunked blobs, atomic operations or Ping; the mix skips and counts those.
import { iterationKey } from '../keys.js';
import { iterationSeed } from '../vu-seed.js';
import { pick } from '../random.js';
import { anyOwned, forget, remember, type OwnRecord } from '../vu-state.js';
import * as rest from '../flows/http.js';
import type { ActionContext, ActionTable } from './types.js';

// The REST API takes a blob as one body; built once per size class in the init context.
const bytesBySize = new Map<number, ArrayBuffer>();

export function prepareHttpPayloads(context: Pick<ActionContext, 'payloads'>): void {
  for (const payload of context.payloads) bytesBySize.set(payload.size, rest.payloadBytes(payload));
}

function createOwn(context: ActionContext): OwnRecord | undefined {
  const own: OwnRecord = { store: pick(context.data.stores), key: iterationKey(context.data.runId, 'own'), seed: iterationSeed(), version: 0, hasBlob: false };
  if (!rest.createRecord(own)) return undefined;
  const evicted = remember(own);
  if (evicted) rest.deleteRecord(evicted);
  return own;
}

export const HTTP_ACTIONS: ActionTable = {
  GetStore: ({ data }) => rest.readStore(pick(data.stores)),
  ListStores: ({ data }) => rest.listStores(pick(data.stores)),
  GetRecord: ({ data }) => rest.readRecord(pick(data.seeds), 0),
  QueryRecords: ({ data }) => {
    const seed = pick(data.seeds);
    rest.queryByOwner(seed, data.seeds.filter((candidate) => candidate.store === seed.store));
  },
  GetBlob: ({ data, payloads }) => {
    const blob = pick(data.blobs);
    const payload = payloads.find((candidate) => candidate.size === blob.size);
    if (payload) rest.readBlob(blob, payload);
  },
  CreateRecord: (context) => {
    createOwn(context);
  },
  UpdateRecord: (context) => {
    const own = anyOwned() ?? createOwn(context);
    if (own && rest.updateRecord(own, own.version + 1)) {
      own.version++;
      rest.readRecord(own, own.version);
    }
  },
  DeleteRecord: (context) => {
    const own = anyOwned() ?? createOwn(context);
    if (!own) return;
    forget(own);
    rest.deleteRecord(own);
  },
  CreateBlob: (context) => {
    const own = anyOwned() ?? createOwn(context);
    const payload = pick(context.payloads);
    const bytes = bytesBySize.get(payload.size);
    if (own && bytes && rest.uploadBlob(own, bytes)) {
      own.hasBlob = true;
      rest.readBlob(own, payload);
    }
  },
  DeleteBlob: (context) => {
    const own = anyOwned() ?? createOwn(context);
    const smallest = context.payloads[0];
    const bytes = smallest ? bytesBySize.get(smallest.size) : undefined;
    if (!own || !bytes) return;
    if (!own.hasBlob && !rest.uploadBlob(own, bytes)) return;
    rest.deleteBlob(own);
    own.hasBlob = false;
  },
};
