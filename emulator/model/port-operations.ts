// What each operation does to the AWS port's DynamoDB tables and Redis, read from the
// port's code (shared/spec/open-saves-aws-http.md sections 5 and 6) for its HTTP routes;
// for the RPCs the port lacks, what they would most likely do on the same tables
// (data/aws-prices.json "operations" has the same shapes). Also what the port answers
// when a step is throttled: where the port turns any read failure into "not found", a
// throttled read is a 404; where it only logs a failure, the call still succeeds.
/** The port's three DynamoDB tables (spec section 6). */
export const TABLE_KINDS = ['stores', 'records', 'metadata'] as const;
export type TableKind = (typeof TABLE_KINDS)[number];

export type DynamoApi = 'GetItem' | 'PutItem' | 'UpdateItem' | 'DeleteItem' | 'Query' | 'Scan';

/** Where a step's item size comes from. */
export type ItemSize =
  /** the bytes the client sent (a record or metadata body) */
  | 'request'
  /** the bytes the call answered with (a read's item, a query's page) */
  | 'response'
  /** the table's typical item (learnt from the request/response sizes seen) */
  | 'item'
  /** the larger of the request and the table's typical item (UpdateItem is charged for the larger of old and new) */
  | 'request-or-item';

export interface DynamoStep {
  table: TableKind;
  api: DynamoApi;
  size: ItemSize;
  /** items read or written one by one (GetRecords' keys); Query and Scan are charged on their total size */
  items?: number;
  /** the port's answer when this step is throttled; undefined: the failure is only logged and the call goes on */
  throttled?: { status: number; message: string };
}

export type CacheUse =
  /** read through the cache; on a miss, read DynamoDB and fill the cache */
  | { kind: 'read-through'; key: string; fill: boolean }
  /** write-only, as the port's GET routes: read DynamoDB, then SET the answer */
  | { kind: 'set-after'; key: string }
  | { kind: 'delete'; key: string };

export interface CallPlan {
  steps: DynamoStep[];
  /** the steps to run instead when the cache answered (read-through hit) */
  stepsOnHit?: DynamoStep[];
  cache?: CacheUse;
}

/** What the transports pass in: the operation and whatever of the request names keys. */
export interface CallDescription {
  transport: 'grpc' | 'http';
  /** the RPC name, or the HTTP operation name of --error-rate (HttpGetRecord) */
  operation: string;
  /** gRPC: the request message (a client stream's first message) */
  request?: unknown;
  /** HTTP: the route's path parameters (store_id, record_id, blob_key) */
  params?: readonly string[];
  /** bytes the client sent */
  requestBytes: number;
}

const notFound = (message: string) => ({ status: 404, message });
const failed = (message: string) => ({ status: 500, message });

const storeRead: DynamoStep = { table: 'stores', api: 'GetItem', size: 'item' };
const recordRead: DynamoStep = { table: 'records', api: 'GetItem', size: 'item' };
const statsUpdate: DynamoStep[] = [
  { table: 'metadata', api: 'GetItem', size: 'item' },
  { table: 'metadata', api: 'PutItem', size: 'item' },
];

type Planner = (call: CallDescription) => CallPlan;

// The port's HTTP routes, by the operation names of --error-rate.
const HTTP_PLANS = {
  HttpListStores: () => ({ steps: [{ table: 'stores', api: 'Scan', size: 'response', throttled: failed('Failed to list stores') }] }),
  HttpCreateStore: () => ({
    steps: [
      // "Any read failure counts as not found": a throttled pre-check lets the create go on.
      { ...storeRead },
      { table: 'stores', api: 'PutItem', size: 'request', throttled: failed('Failed to create store') },
      { table: 'metadata', api: 'PutItem', size: 'item' },
    ],
  }),
  HttpGetStore: (call) => ({
    steps: [{ table: 'stores', api: 'GetItem', size: 'response', throttled: notFound('store not found') }],
    cache: { kind: 'set-after', key: `store:${param(call, 0)}` },
  }),
  HttpDeleteStore: () => ({
    steps: [
      { table: 'stores', api: 'DeleteItem', size: 'item', throttled: failed('Failed to delete store') },
      { table: 'records', api: 'Query', size: 'item', throttled: failed('Failed to delete store') },
      { table: 'metadata', api: 'DeleteItem', size: 'item' },
    ],
  }),
  HttpQueryRecords: () => ({
    steps: [
      { ...storeRead, throttled: notFound('store not found') },
      { table: 'records', api: 'Query', size: 'response', throttled: failed('Failed to query records') },
    ],
  }),
  HttpCreateRecord: () => ({
    steps: [
      { ...storeRead, throttled: notFound('store not found') },
      { ...storeRead, throttled: failed('Failed to create record') },
      { table: 'records', api: 'PutItem', size: 'request', throttled: failed('Failed to create record') },
      ...statsUpdate,
    ],
  }),
  HttpGetRecord: (call) => ({
    steps: [{ table: 'records', api: 'GetItem', size: 'response', throttled: notFound('record not found') }],
    cache: { kind: 'set-after', key: `record:${param(call, 0)}:${param(call, 1)}` },
  }),
  HttpUpdateRecord: (call) => ({
    steps: [
      { ...recordRead, throttled: notFound('record not found') },
      { table: 'records', api: 'UpdateItem', size: 'request-or-item', throttled: failed('Failed to update record') },
    ],
    cache: { kind: 'delete', key: `record:${param(call, 0)}:${param(call, 1)}` },
  }),
  HttpDeleteRecord: () => ({
    steps: [{ table: 'records', api: 'DeleteItem', size: 'item', throttled: failed('Failed to delete record') }, ...statsUpdate],
  }),
  HttpListBlobs: () => ({ steps: [{ ...recordRead, throttled: notFound('record not found') }] }),
  HttpGetBlob: () => ({ steps: [{ ...recordRead, throttled: notFound('record not found') }] }),
  HttpPutBlob: () => ({
    steps: [{ ...recordRead, throttled: notFound('record not found') }, { table: 'records', api: 'UpdateItem', size: 'item' }],
  }),
  HttpDeleteBlob: () => ({
    steps: [{ ...recordRead, throttled: notFound('record not found') }, { table: 'records', api: 'UpdateItem', size: 'item' }],
  }),
  HttpGetMetadata: () => ({ steps: [{ table: 'metadata', api: 'GetItem', size: 'response', throttled: notFound('metadata not found') }] }),
  HttpPutMetadata: () => ({ steps: [{ table: 'metadata', api: 'PutItem', size: 'request', throttled: failed('Failed to save metadata') }] }),
  HttpDeleteMetadata: () => ({
    steps: [{ table: 'metadata', api: 'DeleteItem', size: 'item', throttled: failed('Failed to delete metadata') }],
  }),
  // Chunk URLs point at object storage, not at the port's tables.
  HttpGetChunk: () => ({ steps: [] }),
} satisfies Record<string, Planner>;

export const HTTP_OPERATION_NAMES = Object.keys(HTTP_PLANS) as readonly string[];

// gRPC: every throttled step fails the call (RESOURCE_EXHAUSTED), except the record count
// update, which the port only logs.
const critical = (step: DynamoStep): DynamoStep => ({ ...step, throttled: failed('throttled') });
const recordUpdate: DynamoStep[] = [critical(recordRead), critical({ table: 'records', api: 'UpdateItem', size: 'item' })];
const conditionalUpdate: DynamoStep[] = [critical({ table: 'records', api: 'UpdateItem', size: 'item' })];

const RPC_PLANS: Record<string, Planner> = {
  CreateStore: () => ({ steps: [critical({ table: 'stores', api: 'PutItem', size: 'request' }), { table: 'metadata', api: 'PutItem', size: 'item' }] }),
  GetStore: (call) => ({
    steps: [critical({ table: 'stores', api: 'GetItem', size: 'response' })],
    stepsOnHit: [],
    cache: { kind: 'read-through', key: `store:${field(call, 'key')}`, fill: true },
  }),
  ListStores: () => ({ steps: [critical({ table: 'stores', api: 'Scan', size: 'response' })] }),
  DeleteStore: () => ({
    steps: [critical({ table: 'stores', api: 'DeleteItem', size: 'item' }), critical({ table: 'records', api: 'Query', size: 'item' }), { table: 'metadata', api: 'DeleteItem', size: 'item' }],
  }),
  CreateRecord: (call) => ({
    steps: [critical(storeRead), critical(storeRead), critical({ table: 'records', api: 'PutItem', size: 'request' }), ...statsUpdate],
    cache: writeCache(call),
  }),
  GetRecord: (call) => ({
    steps: [critical({ table: 'records', api: 'GetItem', size: 'response' })],
    stepsOnHit: [],
    cache: readCache(call),
  }),
  GetRecords: (call) => {
    const keys = Array.isArray((call.request as { keys?: unknown[] } | undefined)?.keys) ? (call.request as { keys: unknown[] }).keys.length : 1;
    return { steps: [critical({ table: 'records', api: 'GetItem', size: 'response', items: Math.max(1, keys) })] };
  },
  QueryRecords: () => ({ steps: [critical({ table: 'records', api: 'Query', size: 'response' })] }),
  UpdateRecord: (call) => ({
    steps: [critical(recordRead), critical({ table: 'records', api: 'UpdateItem', size: 'request-or-item' })],
    cache: writeCache(call),
  }),
  DeleteRecord: (call) => ({
    steps: [critical({ table: 'records', api: 'DeleteItem', size: 'item' }), ...statsUpdate],
    cache: { kind: 'delete', key: recordKey(call) },
  }),
  CreateBlob: (call) => ({ steps: recordUpdate, cache: writeCache(call) }),
  GetBlob: (call) => ({ steps: [critical(recordRead)], stepsOnHit: [], cache: readCache(call) }),
  DeleteBlob: (call) => ({ steps: recordUpdate, cache: writeCache(call) }),
  CreateChunkedBlob: () => ({ steps: recordUpdate }),
  UploadChunk: () => ({ steps: [critical({ table: 'metadata', api: 'PutItem', size: 'item' })] }),
  CommitChunkedUpload: () => ({ steps: recordUpdate }),
  AbortChunkedUpload: () => ({ steps: recordUpdate }),
  GetBlobChunk: () => ({ steps: [critical(recordRead)] }),
  CreateChunkUrls: () => ({ steps: [critical(recordRead)] }),
  CompareAndSwap: () => ({ steps: conditionalUpdate }),
  CompareAndSwapGreaterInt: () => ({ steps: conditionalUpdate }),
  CompareAndSwapLessInt: () => ({ steps: conditionalUpdate }),
  AtomicAddInt: () => ({ steps: conditionalUpdate }),
  AtomicSubInt: () => ({ steps: conditionalUpdate }),
  AtomicInc: () => ({ steps: conditionalUpdate }),
  AtomicDec: () => ({ steps: conditionalUpdate }),
  Ping: () => ({ steps: [] }),
};

const PLANS: Record<string, Planner> = { ...HTTP_PLANS, ...RPC_PLANS };

/** The plan of one call; an unknown operation touches nothing. */
export function planCall(call: CallDescription): CallPlan {
  return (PLANS[call.operation] ?? (() => ({ steps: [] })))(call);
}

function param(call: CallDescription, index: number): string {
  return call.params?.[index] ?? '';
}

function field(call: CallDescription, name: string): string {
  const value = (call.request as Record<string, unknown> | undefined)?.[name];
  return typeof value === 'string' ? value : '';
}

interface Hinted {
  hint?: { skipCache?: boolean; doNotCache?: boolean } | null;
  metadata?: { storeKey?: string; recordKey?: string; hint?: { skipCache?: boolean; doNotCache?: boolean } | null };
}

function hintOf(call: CallDescription): { skipCache?: boolean; doNotCache?: boolean } {
  const request = call.request as Hinted | undefined;
  return request?.hint ?? request?.metadata?.hint ?? {};
}

/** Upstream's record cache key, <store>/<record>, from whichever fields the request carries. */
function recordKey(call: CallDescription): string {
  const request = (call.request ?? {}) as Record<string, unknown> & Hinted;
  const record = request.record as { key?: string } | undefined;
  const store = (request.storeKey as string | undefined) ?? request.metadata?.storeKey ?? '';
  const key = (request.key as string | undefined) ?? (request.recordKey as string | undefined) ?? record?.key ?? request.metadata?.recordKey ?? '';
  return `${store}/${key}`;
}

function readCache(call: CallDescription): CacheUse | undefined {
  const hint = hintOf(call);
  if (hint.skipCache) return undefined;
  return { kind: 'read-through', key: recordKey(call), fill: !hint.doNotCache };
}

function writeCache(call: CallDescription): CacheUse {
  return hintOf(call).doNotCache ? { kind: 'delete', key: recordKey(call) } : { kind: 'set-after', key: recordKey(call) };
}
