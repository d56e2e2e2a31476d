// The transport-neutral Open Saves client the flows are written against: the
// operations both transports have, in the gRPC API's message shapes (the HTTP
// implementation converts). An implementation tags every call op=<RPC name>,
// counts failures and checks statuses exactly as its gateway (grpc-client.ts,
// http-client.ts) does. Operations only gRPC has (batch reads, chunked blobs,
// atomics, Ping) stay with their flows, which ask `offers` first.
import type { RpcName } from '../config/constants.js';
import type { BlobMetadata, Hint, QueryRecordsResponse, RecordMessage, StoreMessage } from '../model/messages.js';
import type { Payload } from '../model/payloads.js';

export type TransportName = 'grpc' | 'http';

export interface Outcome<T> {
  /** the call ended with a status the caller expected */
  readonly ok: boolean;
  /** the answer was "no such record, blob or store"; only ever true when the caller allowed it (`allowMissing`) */
  readonly missing: boolean;
  /** what the call returned; null when it failed, found nothing or the transport returns nothing for it (HTTP writes) */
  readonly message: T | null;
}

export interface CallOptions {
  readonly hint?: Hint;
  /** extra metric tags, e.g. {cache: 'skip'} */
  readonly tags?: Readonly<Record<string, string>>;
  /** the verify() sentence the caller checks next when the call succeeds; its status check then carries it */
  readonly readBack?: string;
  /** "not found" is an expected answer (a read racing its own write, a probe after a delete), not an error */
  readonly allowMissing?: boolean;
}

export interface StoreSpec {
  readonly key: string;
  readonly name: string;
  readonly tags: readonly string[];
}

export interface BlobTarget {
  readonly store: string;
  readonly key: string;
}

export interface BlobDownload extends Outcome<null> {
  /** metadata the transport reports with the bytes (gRPC); null over HTTP, which has none */
  readonly metadata: BlobMetadata | null;
  readonly bytes: number;
  /** base64 MD5 of the bytes received */
  readonly md5: string;
}

/**
 * A download whose bytes were never handed to the script (k6 neither decoded nor converted
 * them): what the transport can still tell of its size without them.
 */
export interface UnreadDownload extends Outcome<null> {
  /**
   * Whether what arrived can be the whole blob of the size asked about: over gRPC at least
   * the response messages that size needs (the metadata, then content in pieces of at most
   * 1 MiB); over HTTP a Content-Length of exactly that size, the body read to its end.
   */
  readonly whole: boolean;
  /** what arrived, for a failure's message: "3 messages", "Content-Length 1024" */
  readonly received: string;
}

/** What a query may ask for; a transport offers some of these. */
export type QueryFeature = 'owner' | 'tags' | 'filters' | 'sort' | 'limit' | 'offset' | 'keysOnly' | 'crossStore';

export interface QueryRequest {
  /** absent: across every store (feature crossStore) */
  readonly storeKey?: string;
  readonly ownerId?: string;
  readonly tags?: readonly string[];
  readonly tagFilterMode?: 'AND' | 'OR';
  readonly filters?: readonly object[];
  readonly sortOrders?: readonly object[];
  readonly limit?: number;
  readonly offset?: number;
  readonly keysOnly?: boolean;
}

export interface Transport {
  readonly name: TransportName;
  /** whether this transport has the operation at all */
  offers(op: RpcName): boolean;
  readonly queryFeatures: ReadonlySet<QueryFeature>;
  /**
   * Whether a list or query answers in full. The AWS port answers only its first
   * DynamoDB page (1 MB), so over HTTP a result is a prefix: checks verify what is
   * returned, never that everything is.
   */
  readonly completeLists: boolean;
  /**
   * Whether a read may return the state before the run's own last write (the AWS port
   * reads DynamoDB eventually consistently). Then read-your-writes reads and writes that
   * look the record up first are tried again within a budget (consistency.ts); over
   * gRPC, Open Saves reads its own writes, and an older state is a failure at once.
   */
  readonly readsMayLag: boolean;
  createStore(spec: StoreSpec): Outcome<StoreMessage>;
  getStore(key: string, options?: CallOptions): Outcome<StoreMessage>;
  /** the stores named `name` (over HTTP: of the first page of all stores) */
  listStores(name: string): Outcome<StoreMessage[]>;
  deleteStore(key: string, options?: CallOptions): Outcome<null>;
  createRecord(store: string, record: RecordMessage, options?: CallOptions): Outcome<RecordMessage>;
  getRecord(store: string, key: string, options?: CallOptions): Outcome<RecordMessage>;
  updateRecord(store: string, record: RecordMessage, options?: CallOptions): Outcome<RecordMessage>;
  deleteRecord(store: string, key: string, options?: CallOptions): Outcome<null>;
  queryRecords(request: QueryRequest, options?: CallOptions): Outcome<QueryRecordsResponse>;
  uploadBlob(target: BlobTarget, payload: Payload, options?: CallOptions): Promise<Outcome<BlobMetadata>>;
  downloadBlob(target: BlobTarget, options?: CallOptions): Promise<BlobDownload>;
  /** Downloads a blob of `size` bytes without reading its content: for reads that do not compare the bytes. */
  downloadBlobUnread(target: BlobTarget, size: number, options?: CallOptions): Promise<UnreadDownload>;
  deleteBlob(target: BlobTarget, options?: CallOptions): Outcome<null>;
}
