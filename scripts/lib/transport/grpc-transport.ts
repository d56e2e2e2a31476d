// The transport-neutral client over gRPC (opensaves.OpenSaves): every operation,
// every query feature, lists and queries answered in full.
import { clientStream, serverStream, unary, type CallOptions as GrpcCallOptions } from './grpc-client.js';
import type { GrpcStatusName } from '../config/constants.js';
import type { BlobMetadata, QueryRecordsResponse, RecordMessage, StoreMessage } from '../model/messages.js';
import { ContentDigest } from '../model/payloads.js';
import type { BlobDownload, CallOptions, Outcome, QueryFeature, Transport, UnreadDownload } from './transport-types.js';

const OK_OR_NOT_FOUND: readonly GrpcStatusName[] = ['OK', 'NOT_FOUND'];
const ALL_QUERY_FEATURES: ReadonlySet<QueryFeature> = new Set(['owner', 'tags', 'filters', 'sort', 'limit', 'offset', 'keysOnly', 'crossStore']);
const NO_OPTIONS: GrpcCallOptions = Object.freeze({});

// Flows hand the same options object on every call of a kind; each is converted once.
const converted = new WeakMap<CallOptions, GrpcCallOptions>();

// The gRPC client's options for a call, without fields that are not asked for: k6 converts every field it is handed.
function grpcOptions(options: CallOptions | undefined): GrpcCallOptions {
  if (options === undefined || (options.tags === undefined && options.readBack === undefined && !options.allowMissing)) return NO_OPTIONS;
  let result = converted.get(options);
  if (result === undefined) converted.set(options, (result = convert(options)));
  return result;
}

function convert(options: CallOptions): GrpcCallOptions {
  return {
    ...(options.tags === undefined ? {} : { tags: options.tags }),
    ...(options.readBack === undefined ? {} : { readBack: options.readBack }),
    ...(options.allowMissing ? { expect: OK_OR_NOT_FOUND } : {}),
  };
}

function outcome<T>(result: { ok: boolean; status: GrpcStatusName; message: T | null }): Outcome<T> {
  return { ok: result.ok, missing: result.status === 'NOT_FOUND', message: result.message };
}

interface StreamedPiece {
  metadata?: BlobMetadata | null;
  content?: string;
}

// Open Saves streams a blob as its metadata, then content in pieces of at most 1 MiB (one
// piece, possibly empty, for an inline blob): a blob of `size` bytes needs at least this many messages.
const MAX_CONTENT_PIECE_BYTES = 1024 * 1024;
export function messagesNeeded(size: number): number {
  return 1 + Math.max(1, Math.ceil(size / MAX_CONTENT_PIECE_BYTES));
}

const IGNORE_MESSAGE = (): void => {};
// Unread downloads' options, converted once per options object handed in (as grpcOptions does).
const discarding = new WeakMap<CallOptions, GrpcCallOptions>();
const DISCARD_ONLY: GrpcCallOptions = Object.freeze({ discardMessages: true });
function discardingOptions(options: CallOptions | undefined): GrpcCallOptions {
  if (options === undefined) return DISCARD_ONLY;
  let result = discarding.get(options);
  if (result === undefined) discarding.set(options, (result = { ...grpcOptions(options), discardMessages: true }));
  return result;
}

export const grpcTransport: Transport = {
  name: 'grpc',
  offers: () => true,
  queryFeatures: ALL_QUERY_FEATURES,
  readsMayLag: false,
  completeLists: true,

  createStore: (spec) =>
    outcome(unary<StoreMessage>('CreateStore', { store: { key: spec.key, name: spec.name, tags: spec.tags, ownerId: 'loadkit' } })),
  getStore: (key, options) => outcome(unary<StoreMessage>('GetStore', { key }, grpcOptions(options))),
  listStores: (name) => {
    const result = unary<{ stores: StoreMessage[] }>('ListStores', { name });
    return { ok: result.ok, missing: false, message: result.message ? result.message.stores : null };
  },
  deleteStore: (key, options) => outcome(unary<null>('DeleteStore', { key }, grpcOptions(options))),

  createRecord: (store, record, options) => outcome(unary<RecordMessage>('CreateRecord', { storeKey: store, record, hint: options?.hint }, grpcOptions(options))),
  getRecord: (store, key, options) => {
    // No hint field unless there is a hint: k6 walks and converts every field of a request.
    const request = options?.hint === undefined ? { storeKey: store, key } : { storeKey: store, key, hint: options.hint };
    return outcome(unary<RecordMessage>('GetRecord', request, grpcOptions(options)));
  },
  updateRecord: (store, record, options) => outcome(unary<RecordMessage>('UpdateRecord', { storeKey: store, record, hint: options?.hint }, grpcOptions(options))),
  deleteRecord: (store, key, options) => outcome(unary<null>('DeleteRecord', { storeKey: store, key }, grpcOptions(options))),

  queryRecords: (request, options) => outcome(unary<QueryRecordsResponse>('QueryRecords', request, grpcOptions(options))),

  uploadBlob: async (target, payload, options) => {
    const metadata: BlobMetadata = {
      storeKey: target.store,
      recordKey: target.key,
      size: String(payload.size),
      md5: payload.md5,
      crc32c: payload.crc32c,
      hasCrc32c: true,
      hint: options?.hint,
    };
    const messages = [{ metadata }, ...payload.pieces.map((content) => ({ content }))];
    return outcome(await clientStream<BlobMetadata>('CreateBlob', messages, { ...grpcOptions(options), tags: { size: payload.label, ...options?.tags } }));
  },
  downloadBlob: async (target, options): Promise<BlobDownload> => {
    const digest = new ContentDigest();
    let metadata: BlobMetadata | null = null;
    const result = await serverStream<StreamedPiece>(
      'GetBlob',
      { storeKey: target.store, recordKey: target.key, hint: options?.hint },
      (message) => {
        if (message.metadata) metadata = message.metadata;
        else digest.add(message.content ?? '');
      },
      grpcOptions(options),
    );
    return { ok: result.ok, missing: result.status === 'NOT_FOUND', message: null, metadata, bytes: digest.bytes, md5: digest.md5() };
  },
  downloadBlobUnread: async (target, size, options): Promise<UnreadDownload> => {
    // k6 hands each message over as {}: the status and the message count are what is left to check.
    const result = await serverStream<unknown>(
      'GetBlob',
      options?.hint === undefined ? { storeKey: target.store, recordKey: target.key } : { storeKey: target.store, recordKey: target.key, hint: options.hint },
      IGNORE_MESSAGE,
      discardingOptions(options),
    );
    const messages = result.message ?? 0;
    return { ok: result.ok, missing: result.status === 'NOT_FOUND', message: null, whole: messages >= messagesNeeded(size), received: `${messages} messages` };
  },
  deleteBlob: (target, options) => outcome(unary<null>('DeleteBlob', { storeKey: target.store, recordKey: target.key }, grpcOptions(options))),
};
