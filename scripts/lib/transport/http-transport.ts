// The transport-neutral client over the AWS port's REST API (spec section 3).
// Its messages are converted to the gRPC shapes (http-records.ts); writes return
// empty bodies, so they return no message and are verified by the reads that
// follow. The port has no batch read, chunked blobs, atomics, Ping or hints
// (hints are not sent), queries filter by owner (and limit) in one store only,
// and lists and queries answer only their first page.
import crypto from 'k6/crypto';
import encoding from 'k6/encoding';
import { httpCall, parseJson, encodeSegment as seg, type HttpCallOptions, type HttpResult } from './http-client.js';
import { fromHttpRecord, toHttpRecord, type HttpRecord } from './http-records.js';
import type { RpcName } from '../config/constants.js';
import type { QueryRecordsResponse, RecordMessage, StoreMessage } from '../model/messages.js';
import type { Payload } from '../model/payloads.js';
import type { CallOptions, Outcome, QueryFeature, QueryRequest, Transport } from './transport-types.js';

/** The one blob name the kit uses per record (the port allows many; Open Saves has one). */
export const BLOB_NAME = 'save';

export const HTTP_ROUTES = {
  stores: '/api/stores',
  store: '/api/stores/{store_id}',
  records: '/api/stores/{store_id}/records',
  record: '/api/stores/{store_id}/records/{record_id}',
  blobs: '/api/stores/{store_id}/records/{record_id}/blobs',
  blob: '/api/stores/{store_id}/records/{record_id}/blobs/{blob_key}',
};

// The operations the port has a route for (catalogue/operations.ts lists the routes).
const OFFERED: ReadonlySet<RpcName> = new Set<RpcName>([
  'CreateStore',
  'GetStore',
  'ListStores',
  'DeleteStore',
  'CreateRecord',
  'GetRecord',
  'QueryRecords',
  'UpdateRecord',
  'DeleteRecord',
  'CreateBlob',
  'GetBlob',
  'DeleteBlob',
]);
const QUERY_FEATURES: ReadonlySet<QueryFeature> = new Set<QueryFeature>(['owner', 'limit']);

export const storePath = (store: string): string => `/api/stores/${seg(store)}`;
export const recordPath = (store: string, key: string): string => `${storePath(store)}/records/${seg(key)}`;
export const blobPath = (store: string, key: string, blob = BLOB_NAME): string => `${recordPath(store, key)}/blobs/${seg(blob)}`;

/** The payload as one byte buffer (the REST API takes a blob as a single body). */
export function payloadBytes(payload: Payload): ArrayBuffer {
  // Every piece but the last is a whole number of 3-byte groups, so the base64 texts concatenate.
  return encoding.b64decode(payload.pieces.join(''));
}
// Built once per payload and VU: a 10 MB class is a 10 MB buffer.
const bytesOfPayload = new WeakMap<Payload, ArrayBuffer>();
function bytesOf(payload: Payload): ArrayBuffer {
  let bytes = bytesOfPayload.get(payload);
  if (bytes === undefined) bytesOfPayload.set(payload, (bytes = payloadBytes(payload)));
  return bytes;
}

function call(op: RpcName, method: string, path: string, body: string | ArrayBuffer | null, route: string, success: number, options?: CallOptions, binary = false): HttpResult {
  const callOptions: HttpCallOptions = {
    route: `${method} ${route}`,
    expect: options?.allowMissing ? [success, 404] : [success],
    binary,
    tags: options?.tags,
    readBack: options?.readBack,
  };
  return httpCall(op, method, path, body, callOptions);
}

function outcome<T>(result: HttpResult, message: T | null = null): Outcome<T> {
  return { ok: result.ok, missing: result.status === 404, message: result.ok && result.status !== 404 ? message : null };
}

function storeOf(json: { store_id: string; name?: string } | null): StoreMessage | null {
  return json ? { key: json.store_id, name: json.name ?? '' } : null;
}

function unsupported(request: QueryRequest): string | undefined {
  if (request.storeKey === undefined) return 'crossStore';
  if (request.tags !== undefined) return 'tags';
  if (request.filters !== undefined) return 'filters';
  if (request.sortOrders !== undefined) return 'sort';
  if (request.offset !== undefined) return 'offset';
  if (request.keysOnly) return 'keysOnly';
  return undefined;
}

export const httpTransport: Transport = {
  name: 'http',
  offers: (op) => OFFERED.has(op),
  queryFeatures: QUERY_FEATURES,
  readsMayLag: true,
  completeLists: false,

  createStore: (spec) => outcome(call('CreateStore', 'POST', HTTP_ROUTES.stores, JSON.stringify({ store_id: spec.key, name: spec.name }), HTTP_ROUTES.stores, 201)),
  getStore: (key, options) => {
    const result = call('GetStore', 'GET', storePath(key), null, HTTP_ROUTES.store, 200, options);
    return outcome(result, storeOf(parseJson<{ store_id: string; name?: string }>(result)));
  },
  listStores: (name) => {
    const result = call('ListStores', 'GET', HTTP_ROUTES.stores, null, HTTP_ROUTES.stores, 200);
    const listed = parseJson<{ stores: { store_id: string; name?: string }[] }>(result);
    // The port lists every store; Open Saves' ListStores filters by exact name.
    const named = listed ? listed.stores.filter((store) => store.name === name).map((store) => storeOf(store) as StoreMessage) : null;
    return outcome(result, named);
  },
  deleteStore: (key, options) => outcome(call('DeleteStore', 'DELETE', storePath(key), null, HTTP_ROUTES.store, 204, options)),

  createRecord: (store, record, options) =>
    outcome(call('CreateRecord', 'POST', `${storePath(store)}/records`, JSON.stringify(toHttpRecord(record)), HTTP_ROUTES.records, 201, options)),
  getRecord: (store, key, options) => {
    const result = call('GetRecord', 'GET', recordPath(store, key), null, HTTP_ROUTES.record, 200, options);
    const json = result.status === 200 ? parseJson<HttpRecord>(result) : null;
    return outcome(result, json ? fromHttpRecord(json) : null);
  },
  updateRecord: (store, record, options) => {
    const { owner_id, tags, properties } = toHttpRecord(record);
    return outcome(call('UpdateRecord', 'PUT', recordPath(store, record.key), JSON.stringify({ owner_id, tags, properties }), HTTP_ROUTES.record, 200, options));
  },
  deleteRecord: (store, key, options) => outcome(call('DeleteRecord', 'DELETE', recordPath(store, key), null, HTTP_ROUTES.record, 204, options)),

  queryRecords: (request, options) => {
    const lacking = unsupported(request);
    if (lacking !== undefined) throw new Error(`queryRecords over HTTP: the AWS port has no ${lacking} queries (ask queryFeatures first)`);
    const store = request.storeKey as string;
    const parameters = [
      ...(request.ownerId === undefined ? [] : [`owner_id=${seg(request.ownerId)}`]),
      ...(request.limit === undefined ? [] : [`limit=${request.limit}`]),
    ];
    const query = parameters.length === 0 ? '' : `?${parameters.join('&')}`;
    const routeQuery = parameters.length === 0 ? '' : `?${parameters.map((parameter) => parameter.split('=')[0]).join('&')}`;
    const result = call('QueryRecords', 'GET', `${storePath(store)}/records${query}`, null, `${HTTP_ROUTES.records}${routeQuery}`, 200, options);
    const found = parseJson<{ records: HttpRecord[] }>(result);
    const records: RecordMessage[] = found ? found.records.map(fromHttpRecord) : [];
    return outcome<QueryRecordsResponse>(result, found ? { records, storeKeys: records.map(() => store) } : null);
  },

  uploadBlob: async (target, payload, options) =>
    outcome(call('CreateBlob', 'PUT', blobPath(target.store, target.key), bytesOf(payload), HTTP_ROUTES.blob, 200, { ...options, tags: { size: payload.label, ...options?.tags } })),
  downloadBlob: async (target, options) => {
    const result = call('GetBlob', 'GET', blobPath(target.store, target.key), null, HTTP_ROUTES.blob, 200, options, true);
    const body = result.status === 200 && result.body instanceof ArrayBuffer ? result.body : null;
    return {
      ...outcome(result),
      metadata: null,
      bytes: body ? body.byteLength : 0,
      md5: body ? (crypto.md5(body, 'base64') as string) : '',
    };
  },
  deleteBlob: (target, options) => outcome(call('DeleteBlob', 'DELETE', blobPath(target.store, target.key), null, HTTP_ROUTES.blob, 204, options)),
};
