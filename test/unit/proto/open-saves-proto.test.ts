// proto/open_saves.proto checked field for field against the wire contract of
// Open Saves v1.2.0, transcribed from the API spec section (c): package, service,
// 27 RPCs with streaming modes, 42 messages, 5 enums, names, numbers, types, labels.
import protobuf from 'protobufjs';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { OPERATION_GROUPS, RPC_NAMES, SERVICE_NAME, STREAMING_RPCS } from '../../../proto/operations.js';

const PROTO_DIR = fileURLToPath(new URL('../../../proto', import.meta.url));

function loadRoot(): protobuf.Root {
  const root = new protobuf.Root();
  // google/protobuf/* come with protobufjs; everything else resolves under proto/.
  root.resolvePath = (_origin, target) => (target.startsWith('google/protobuf/') ? target : join(PROTO_DIR, target));
  root.loadSync('open_saves.proto', { keepCase: true });
  root.resolveAll();
  return root;
}

const root = loadRoot();
const pkg = root.lookup('opensaves') as protobuf.Namespace;

// [name, number, type, label]; label: '' singular, 'repeated', 'map<keyType>' or 'oneof <name>'.
// Message and enum types are fully qualified.
type FieldRow = [string, number, string, string];
const TS = '.google.protobuf.Timestamp';
const HINT = '.opensaves.Hint';
const MESSAGES: Record<string, FieldRow[]> = {
  Property: [
    ['type', 1, '.opensaves.Property.Type', ''],
    ['integer_value', 2, 'int64', 'oneof value'],
    ['string_value', 3, 'string', 'oneof value'],
    ['boolean_value', 4, 'bool', 'oneof value'],
  ],
  Record: [
    ['key', 1, 'string', ''],
    ['blob_size', 3, 'int64', ''],
    ['properties', 4, '.opensaves.Property', 'map<string>'],
    ['owner_id', 5, 'string', ''],
    ['tags', 6, 'string', 'repeated'],
    ['created_at', 7, TS, ''],
    ['updated_at', 8, TS, ''],
    ['chunked', 9, 'bool', ''],
    ['chunk_count', 10, 'int64', ''],
    ['opaque_string', 11, 'string', ''],
    ['signature', 12, 'bytes', ''],
    ['expires_at', 13, TS, ''],
  ],
  Hint: [
    ['do_not_cache', 1, 'bool', ''],
    ['skip_cache', 2, 'bool', ''],
    ['force_blob_store', 3, 'bool', ''],
    ['force_inline_blob', 4, 'bool', ''],
  ],
  Store: [
    ['key', 1, 'string', ''],
    ['name', 2, 'string', ''],
    ['tags', 3, 'string', 'repeated'],
    ['owner_id', 4, 'string', ''],
    ['created_at', 5, TS, ''],
    ['updated_at', 6, TS, ''],
  ],
  CreateStoreRequest: [['store', 1, '.opensaves.Store', '']],
  GetStoreRequest: [['key', 1, 'string', '']],
  ListStoresRequest: [
    ['name', 1, 'string', ''],
    ['tags', 2, 'string', 'repeated'],
    ['owner_id', 3, 'string', ''],
  ],
  ListStoresResponse: [['stores', 1, '.opensaves.Store', 'repeated']],
  DeleteStoreRequest: [['key', 1, 'string', '']],
  CreateRecordRequest: [
    ['store_key', 1, 'string', ''],
    ['record', 2, '.opensaves.Record', ''],
    ['hint', 3, HINT, ''],
  ],
  GetRecordRequest: [
    ['store_key', 1, 'string', ''],
    ['key', 2, 'string', ''],
    ['hint', 3, HINT, ''],
  ],
  GetRecordsRequest: [
    ['store_keys', 1, 'string', 'repeated'],
    ['keys', 2, 'string', 'repeated'],
  ],
  GetRecordsResponse: [['results', 1, '.opensaves.GetRecordsResponse.Result', 'repeated']],
  'GetRecordsResponse.Result': [
    ['status', 1, '.google.rpc.Status', ''],
    ['store_key', 2, 'string', ''],
    ['record', 3, '.opensaves.Record', ''],
  ],
  QueryRecordsRequest: [
    ['store_key', 1, 'string', ''],
    ['filters', 2, '.opensaves.QueryFilter', 'repeated'],
    ['tags', 3, 'string', 'repeated'],
    ['owner_id', 4, 'string', ''],
    ['sort_orders', 5, '.opensaves.SortOrder', 'repeated'],
    ['limit', 6, 'int32', ''],
    ['keys_only', 7, 'bool', ''],
    ['offset', 8, 'int32', ''],
    ['tagFilterMode', 9, '.opensaves.TagFilterMode', ''],
  ],
  QueryFilter: [
    ['property_name', 1, 'string', ''],
    ['operator', 2, '.opensaves.FilterOperator', ''],
    ['value', 3, '.opensaves.Property', ''],
  ],
  SortOrder: [
    ['direction', 2, '.opensaves.SortOrder.Direction', ''],
    ['property', 3, '.opensaves.SortOrder.Property', ''],
    ['user_property_name', 4, 'string', ''],
  ],
  QueryRecordsResponse: [
    ['records', 1, '.opensaves.Record', 'repeated'],
    ['store_keys', 2, 'string', 'repeated'],
  ],
  UpdateRecordRequest: [
    ['store_key', 1, 'string', ''],
    ['record', 2, '.opensaves.Record', ''],
    ['hint', 3, HINT, ''],
  ],
  DeleteRecordRequest: [
    ['store_key', 1, 'string', ''],
    ['key', 2, 'string', ''],
  ],
  CreateBlobRequest: [
    ['metadata', 1, '.opensaves.BlobMetadata', 'oneof request'],
    ['content', 2, 'bytes', 'oneof request'],
  ],
  BlobMetadata: [
    ['store_key', 1, 'string', ''],
    ['record_key', 2, 'string', ''],
    ['size', 3, 'int64', ''],
    ['hint', 4, HINT, ''],
    ['md5', 5, 'bytes', ''],
    ['crc32c', 6, 'uint32', ''],
    ['has_crc32c', 7, 'bool', ''],
    ['chunked', 8, 'bool', ''],
    ['chunk_count', 9, 'int64', ''],
  ],
  CreateChunkedBlobRequest: [
    ['store_key', 1, 'string', ''],
    ['record_key', 2, 'string', ''],
    ['chunk_size', 3, 'int64', ''],
    ['chunk_count', 4, 'int64', ''],
  ],
  CreateChunkedBlobResponse: [['session_id', 1, 'string', '']],
  CreateChunkUrlsRequest: [
    ['store_key', 1, 'string', ''],
    ['key', 2, 'string', ''],
    ['ttl_in_seconds', 3, 'int64', ''],
  ],
  CreateChunkUrlsResponse: [['chunk_urls', 1, 'string', 'repeated']],
  UploadChunkRequest: [
    ['metadata', 1, '.opensaves.ChunkMetadata', 'oneof request'],
    ['content', 2, 'bytes', 'oneof request'],
  ],
  ChunkMetadata: [
    ['session_id', 1, 'string', ''],
    ['number', 2, 'int64', ''],
    ['size', 3, 'int64', ''],
    ['hint', 4, HINT, ''],
    ['md5', 5, 'bytes', ''],
    ['crc32c', 6, 'uint32', ''],
    ['has_crc32c', 7, 'bool', ''],
  ],
  CommitChunkedUploadRequest: [
    ['session_id', 1, 'string', ''],
    ['hint', 2, HINT, ''],
    ['record', 4, '.opensaves.Record', ''],
  ],
  AbortChunkedUploadRequest: [['session_id', 1, 'string', '']],
  GetBlobRequest: [
    ['store_key', 1, 'string', ''],
    ['record_key', 2, 'string', ''],
    ['hint', 3, HINT, ''],
  ],
  GetBlobResponse: [
    ['metadata', 1, '.opensaves.BlobMetadata', 'oneof response'],
    ['content', 2, 'bytes', 'oneof response'],
  ],
  GetBlobChunkRequest: [
    ['store_key', 1, 'string', ''],
    ['record_key', 2, 'string', ''],
    ['chunk_number', 3, 'int64', ''],
    ['hint', 4, HINT, ''],
  ],
  GetBlobChunkResponse: [
    ['metadata', 1, '.opensaves.ChunkMetadata', 'oneof response'],
    ['content', 2, 'bytes', 'oneof response'],
  ],
  DeleteBlobRequest: [
    ['store_key', 1, 'string', ''],
    ['record_key', 2, 'string', ''],
    ['hint', 3, HINT, ''],
  ],
  PingRequest: [['ping', 1, 'string', '']],
  PingResponse: [['pong', 1, 'string', '']],
  CompareAndSwapRequest: [
    ['store_key', 1, 'string', ''],
    ['record_key', 2, 'string', ''],
    ['property_name', 3, 'string', ''],
    ['value', 4, '.opensaves.Property', ''],
    ['old_value', 5, '.opensaves.Property', ''],
    ['hint', 6, HINT, ''],
  ],
  CompareAndSwapResponse: [
    ['updated', 1, 'bool', ''],
    ['value', 2, '.opensaves.Property', ''],
  ],
  AtomicIntRequest: [
    ['store_key', 1, 'string', ''],
    ['record_key', 2, 'string', ''],
    ['property_name', 3, 'string', ''],
    ['value', 4, 'int64', ''],
    ['hint', 5, HINT, ''],
  ],
  AtomicIntResponse: [
    ['updated', 1, 'bool', ''],
    ['value', 2, 'int64', ''],
  ],
  AtomicIncRequest: [
    ['store_key', 1, 'string', ''],
    ['record_key', 2, 'string', ''],
    ['property_name', 3, 'string', ''],
    ['lower_bound', 4, 'int64', ''],
    ['upper_bound', 5, 'int64', ''],
    ['hint', 6, HINT, ''],
  ],
};

const ENUMS: Record<string, Record<string, number>> = {
  'Property.Type': { DATATYPE_UNDEFINED: 0, INTEGER: 1, STRING: 2, BOOLEAN: 3 },
  FilterOperator: { EQUAL: 0, GREATER: 1, LESS: 2, GREATER_OR_EQUAL: 3, LESS_OR_EQUAL: 4 },
  TagFilterMode: { AND: 0, OR: 1 },
  'SortOrder.Direction': { ASC: 0, DESC: 1 },
  'SortOrder.Property': { UPDATED_AT: 0, CREATED_AT: 1, USER_PROPERTY: 2 },
};

// [rpc, request, response, mode]
const RPCS: [string, string, string, 'unary' | 'client-streaming' | 'server-streaming'][] = [
  ['CreateStore', 'CreateStoreRequest', 'Store', 'unary'],
  ['GetStore', 'GetStoreRequest', 'Store', 'unary'],
  ['ListStores', 'ListStoresRequest', 'ListStoresResponse', 'unary'],
  ['DeleteStore', 'DeleteStoreRequest', 'google.protobuf.Empty', 'unary'],
  ['CreateRecord', 'CreateRecordRequest', 'Record', 'unary'],
  ['GetRecord', 'GetRecordRequest', 'Record', 'unary'],
  ['GetRecords', 'GetRecordsRequest', 'GetRecordsResponse', 'unary'],
  ['QueryRecords', 'QueryRecordsRequest', 'QueryRecordsResponse', 'unary'],
  ['UpdateRecord', 'UpdateRecordRequest', 'Record', 'unary'],
  ['DeleteRecord', 'DeleteRecordRequest', 'google.protobuf.Empty', 'unary'],
  ['CreateBlob', 'CreateBlobRequest', 'BlobMetadata', 'client-streaming'],
  ['CreateChunkedBlob', 'CreateChunkedBlobRequest', 'CreateChunkedBlobResponse', 'unary'],
  ['CreateChunkUrls', 'CreateChunkUrlsRequest', 'CreateChunkUrlsResponse', 'unary'],
  ['UploadChunk', 'UploadChunkRequest', 'ChunkMetadata', 'client-streaming'],
  ['CommitChunkedUpload', 'CommitChunkedUploadRequest', 'BlobMetadata', 'unary'],
  ['AbortChunkedUpload', 'AbortChunkedUploadRequest', 'google.protobuf.Empty', 'unary'],
  ['GetBlob', 'GetBlobRequest', 'GetBlobResponse', 'server-streaming'],
  ['GetBlobChunk', 'GetBlobChunkRequest', 'GetBlobChunkResponse', 'server-streaming'],
  ['DeleteBlob', 'DeleteBlobRequest', 'google.protobuf.Empty', 'unary'],
  ['Ping', 'PingRequest', 'PingResponse', 'unary'],
  ['CompareAndSwap', 'CompareAndSwapRequest', 'CompareAndSwapResponse', 'unary'],
  ['CompareAndSwapGreaterInt', 'AtomicIntRequest', 'AtomicIntResponse', 'unary'],
  ['CompareAndSwapLessInt', 'AtomicIntRequest', 'AtomicIntResponse', 'unary'],
  ['AtomicAddInt', 'AtomicIntRequest', 'AtomicIntResponse', 'unary'],
  ['AtomicSubInt', 'AtomicIntRequest', 'AtomicIntResponse', 'unary'],
  ['AtomicInc', 'AtomicIncRequest', 'AtomicIntResponse', 'unary'],
  ['AtomicDec', 'AtomicIncRequest', 'AtomicIntResponse', 'unary'],
];

/** Every message and enum in package opensaves, with names relative to the package. */
function collect(namespace: protobuf.NamespaceBase, prefix: string, types: string[], enums: string[]): void {
  for (const nested of namespace.nestedArray) {
    const name = `${prefix}${nested.name}`;
    if (nested instanceof protobuf.Type) {
      types.push(name);
      collect(nested, `${name}.`, types, enums);
    } else if (nested instanceof protobuf.Enum) enums.push(name);
  }
}

function describeField(field: protobuf.Field): FieldRow {
  field.resolve();
  const type = field.resolvedType ? field.resolvedType.fullName : field.type;
  let label = '';
  if (field instanceof protobuf.MapField) label = `map<${field.keyType}>`;
  else if (field.repeated) label = 'repeated';
  else if (field.partOf) label = `oneof ${field.partOf.name}`;
  return [field.name, field.id, type, label];
}

describe('proto/open_saves.proto', () => {
  it('declares package opensaves with only the upstream go_package option, importing empty, timestamp and status', () => {
    // protobufjs keeps file-level options on the package namespace.
    expect(pkg.options).toEqual({ go_package: 'github.com/googleforgames/open-saves;opensaves' });
    const files = root.files.map((f) => f.replace(PROTO_DIR, 'proto').replace(/\\/g, '/'));
    expect(files.sort()).toEqual(
      [
        'proto/open_saves.proto',
        'google/protobuf/empty.proto',
        'google/protobuf/timestamp.proto',
        'proto/google/rpc/status.proto',
        // imported by google/rpc/status.proto
        'google/protobuf/any.proto',
      ].sort(),
    );
  });

  it('has exactly the 42 messages and 5 enums of the contract', () => {
    const types: string[] = [];
    const enums: string[] = [];
    collect(pkg, '', types, enums);
    expect(types.sort()).toEqual(Object.keys(MESSAGES).sort());
    expect(types).toHaveLength(42);
    expect(enums.sort()).toEqual(Object.keys(ENUMS).sort());
  });

  it.each(Object.entries(MESSAGES))('message %s has the contract fields, numbers, types and labels', (name, rows) => {
    const type = pkg.lookupType(name);
    const actual = type.fieldsArray.map(describeField).sort((a, b) => a[1] - b[1]);
    expect(actual).toEqual(rows);
  });

  it.each(Object.entries(ENUMS))('enum %s has the contract values', (name, values) => {
    expect(pkg.lookupEnum(name).values).toEqual(values);
  });

  it('google.rpc.Status has code, message and details', () => {
    const status = root.lookupType('google.rpc.Status');
    expect(status.fieldsArray.map(describeField)).toEqual([
      ['code', 1, 'int32', ''],
      ['message', 2, 'string', ''],
      ['details', 3, '.google.protobuf.Any', 'repeated'],
    ]);
  });

  it('service OpenSaves has the 27 RPCs with their types and streaming modes, in order', () => {
    const service = pkg.lookupService('OpenSaves');
    const actual = service.methodsArray.map((method) => {
      method.resolve();
      const mode = method.requestStream ? (method.responseStream ? 'bidi' : 'client-streaming') : method.responseStream ? 'server-streaming' : 'unary';
      const relative = (type: protobuf.Type | null) => type!.fullName.replace(/^\.opensaves\./, '').replace(/^\./, '');
      return [method.name, relative(method.resolvedRequestType), relative(method.resolvedResponseType), mode];
    });
    expect(actual).toEqual(RPCS);
  });

  it('the shared operation catalogue (proto/operations.ts) lists every RPC in proto order, and exactly the streaming ones', () => {
    const service = pkg.lookupService('OpenSaves');
    expect(SERVICE_NAME).toBe(service.fullName.replace(/^\./, ''));
    expect(RPC_NAMES).toEqual(service.methodsArray.map((method) => method.name));
    expect(new Set(Object.values(OPERATION_GROUPS).flat()).size).toBe(RPC_NAMES.length);
    const streaming = service.methodsArray.filter((method) => method.requestStream || method.responseStream).map((m) => m.name);
    expect([...STREAMING_RPCS].sort()).toEqual(streaming.sort());
  });
});
