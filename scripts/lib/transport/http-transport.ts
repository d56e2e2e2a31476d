// The transport-neutral client over the AWS port's REST API (spec section 3).
// Its messages are converted to the gRPC shapes (http-records.ts); writes return
// empty bodies, so they return no message and are verified by the reads that
// follow. The port has no batch read, chunked blobs, atomics, Ping or hints
// (hints are not sent), queries filter by owner (and limit) in one store only,
// and lists and queries answer only their first page.
import crypto from 'k6/crypto';
import encoding from 'k6/encoding';
import { HTTP_ROUTES, pathFiller, routeLabel, type HttpAction } from '../../../catalogue/http-routes.js';
import { httpCall, parseJson, encodeSegment as seg, type HttpCallOptions, type HttpResult } from './http-client.js';
import { fromHttpRecord, toHttpRecord, type HttpRecord } from './http-records.js';
import type { RpcName } from '../config/constants.js';
import type { QueryRecordsResponse, RecordMessage, StoreMessage } from '../model/messages.js';
import type { Payload } from '../model/payloads.js';
import type { CallOptions, Outcome, QueryFeature, QueryRequest, Transport, UnreadDownload } from './transport-types.js';

/** The one blob name the kit uses per record (the port allows many; Open Saves has one). */
export const BLOB_NAME = 'save';

// The operations the port has a route for (catalogue/http-routes.ts lists the routes).
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

// Per route of the port's table, made once: the filler of its path template and its `name` tag.
const ROUTE_CALLS = new Map(HTTP_ROUTES.map((route) => [route.action, { route, fill: pathFiller(route.path), label: routeLabel(route) }]));

export interface RouteCallOptions extends CallOptions {
  /** statuses that count as success besides the route's own; e.g. 404 for "is it gone?" */
  readonly alsoExpect?: readonly number[];
  readonly responseType?: HttpCallOptions['responseType'];
  /** query parameters: their values go into the path, their names into the `name` tag */
  readonly query?: readonly (readonly [string, string])[];
}

/**
 * One request of the port's route table: its op tag, method, path, `name` tag and success status come from
 * catalogue/http-routes.ts; `ids` fill the path's placeholders in order and are URL-encoded here.
 */
export function routeCall(action: HttpAction, ids: readonly string[], body: string | ArrayBuffer | null, options?: RouteCallOptions): HttpResult {
  const { route, fill, label } = ROUTE_CALLS.get(action)!;
  const query = options?.query ?? [];
  const path = fill(...ids.map(seg)) + (query.length === 0 ? '' : `?${query.map(([name, value]) => `${name}=${seg(value)}`).join('&')}`);
  const expect = [route.successStatus, ...(options?.alsoExpect ?? []), ...(options?.allowMissing ? [404] : [])];
  const callOptions: HttpCallOptions = {
    route: query.length === 0 ? label : `${label}?${query.map(([name]) => name).join('&')}`,
    expect,
    responseType: options?.responseType,
    tags: options?.tags,
    readBack: options?.readBack,
  };
  return httpCall(route.op as RpcName, route.method, path, body, callOptions);
}

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

  createStore: (spec) => outcome(routeCall('CreateStore', [], JSON.stringify({ store_id: spec.key, name: spec.name }))),
  getStore: (key, options) => {
    const result = routeCall('GetStore', [key], null, options);
    return outcome(result, storeOf(parseJson<{ store_id: string; name?: string }>(result)));
  },
  listStores: (name) => {
    const result = routeCall('ListStores', [], null);
    const listed = parseJson<{ stores: { store_id: string; name?: string }[] }>(result);
    // The port lists every store; Open Saves' ListStores filters by exact name.
    const named = listed ? listed.stores.filter((store) => store.name === name).map((store) => storeOf(store) as StoreMessage) : null;
    return outcome(result, named);
  },
  deleteStore: (key, options) => outcome(routeCall('DeleteStore', [key], null, options)),

  createRecord: (store, record, options) =>
    outcome(routeCall('CreateRecord', [store], JSON.stringify(toHttpRecord(record)), options)),
  getRecord: (store, key, options) => {
    const result = routeCall('GetRecord', [store, key], null, options);
    const json = result.status === 200 ? parseJson<HttpRecord>(result) : null;
    return outcome(result, json ? fromHttpRecord(json) : null);
  },
  updateRecord: (store, record, options) => {
    const { owner_id, tags, properties } = toHttpRecord(record);
    return outcome(routeCall('UpdateRecord', [store, record.key], JSON.stringify({ owner_id, tags, properties }), options));
  },
  deleteRecord: (store, key, options) => outcome(routeCall('DeleteRecord', [store, key], null, options)),

  queryRecords: (request, options) => {
    const lacking = unsupported(request);
    if (lacking !== undefined) throw new Error(`queryRecords over HTTP: the AWS port has no ${lacking} queries (ask queryFeatures first)`);
    const store = request.storeKey as string;
    const query: [string, string][] = [
      ...(request.ownerId === undefined ? [] : [['owner_id', request.ownerId] as [string, string]]),
      ...(request.limit === undefined ? [] : [['limit', String(request.limit)] as [string, string]]),
    ];
    const result = routeCall('QueryRecords', [store], null, { ...options, query });
    const found = parseJson<{ records: HttpRecord[] }>(result);
    const records: RecordMessage[] = found ? found.records.map(fromHttpRecord) : [];
    return outcome<QueryRecordsResponse>(result, found ? { records, storeKeys: records.map(() => store) } : null);
  },

  uploadBlob: async (target, payload, options) =>
    outcome(routeCall('PutBlob', [target.store, target.key, BLOB_NAME], bytesOf(payload), { ...options, tags: { size: payload.label, ...options?.tags } })),
  downloadBlob: async (target, options) => {
    const result = routeCall('GetBlob', [target.store, target.key, BLOB_NAME], null, { ...options, responseType: 'binary' });
    const body = result.status === 200 && result.body instanceof ArrayBuffer ? result.body : null;
    return {
      ...outcome(result),
      metadata: null,
      bytes: body ? body.byteLength : 0,
      md5: body ? (crypto.md5(body, 'base64') as string) : '',
    };
  },
  downloadBlobUnread: async (target, size, options): Promise<UnreadDownload> => {
    // k6 reads the body to its end and drops it; a body shorter than its Content-Length fails the call.
    const result = routeCall('GetBlob', [target.store, target.key, BLOB_NAME], null, { ...options, responseType: 'none' });
    const length = result.status === 200 ? result.contentLength : null;
    return { ...outcome(result), whole: length === size, received: length === null ? 'no Content-Length' : `Content-Length ${length}` };
  },
  deleteBlob: (target, options) => outcome(routeCall('DeleteBlob', [target.store, target.key, BLOB_NAME], null, options)),
};
