// The emulator's in-memory state: stores, records (with their one gRPC blob and the
// HTTP API's named blobs), blob references and chunked-upload sessions, the HTTP
// metadata items, the record/store cache and the byte budget they all live under.
import { randomFillSync, randomUUID } from 'node:crypto';
import { ByteBudget } from './budget.js';
import { TtlCache } from './cache.js';
import type { Checksums } from './checksums.js';
import { DEFAULT_MAX_BYTES, ENTITY_OVERHEAD_BYTES, MAX_CHUNK_BYTES, TAG_OVERHEAD_BYTES } from '../constants.js';
import { nowMicros, type TimestampMessage } from './clock.js';
import type { StoredProperty } from './properties.js';
import { LaggedHistory } from './read-lag.js';

export interface StoreEntity {
  readonly key: string;
  readonly name: string;
  readonly tags: readonly string[];
  readonly ownerId: string;
  readonly createdAt: number;
  readonly updatedAt: number;
  readonly bytes: number;
}

export interface InlineBlob {
  readonly kind: 'inline';
  readonly data: Buffer;
  readonly checksums: Checksums;
}

export interface ChunkEntity {
  readonly number: number;
  readonly data: Buffer;
  /** Size recorded at upload; reads check the bytes against it. */
  readonly size: number;
  readonly md5: Buffer;
  readonly crc32c: number;
}

/** Initializing → ready (current blob of its record), or → aborted / detached. */
export type BlobRefState = 'initializing' | 'ready' | 'aborted' | 'detached';

/** An external blob or a chunked blob (whose sessions are these references). */
export interface BlobRef {
  readonly kind: 'external' | 'chunked';
  readonly key: string;
  readonly storeKey: string;
  readonly recordKey: string;
  state: BlobRefState;
  /** External blobs only; `size` is recorded at upload and reads check `data` against it. */
  data: Buffer;
  size: number;
  checksums: Checksums;
  /** Chunked blobs only, by chunk number. */
  readonly chunks: Map<number, ChunkEntity>;
  /** Non-zero: commit requires exactly this many chunks. */
  readonly expectedChunkCount: number;
}

export interface RecordEntity {
  readonly storeKey: string;
  readonly key: string;
  blobSize: bigint;
  properties: Map<string, StoredProperty>;
  /** Change through State.setOwner, which keeps the owner index in step. */
  readonly ownerId: string;
  tags: string[];
  readonly createdAt: number;
  updatedAt: number;
  chunked: boolean;
  chunkCount: bigint;
  opaqueString: string;
  signature: Buffer;
  expiresAt: TimestampMessage | null;
  /** The one blob of the gRPC API. */
  blob: InlineBlob | BlobRef | null;
  /** The HTTP API's named blobs (see README: they coexist with `blob`). */
  namedBlobs: Map<string, Buffer> | null;
  /**
   * The AWS port's game_id attribute, once the HTTP API wrote one: a PUT whose properties
   * lack game_id keeps it, as the port never removes the attribute. Undefined: derived
   * from properties.game_id.
   */
  gameId?: string;
  /** Chunked-upload sessions still initializing, freed with the record. */
  openSessions: Set<BlobRef> | null;
  /** Budget bytes of the record itself, without blobs. */
  bytes: number;
}

/** What the HTTP API reads of a record: the live entity, or (with --read-lag-ms) an earlier copy. */
export interface RecordView {
  readonly storeKey: string;
  readonly key: string;
  readonly ownerId: string;
  readonly gameId?: string;
  readonly tags: readonly string[];
  readonly properties: ReadonlyMap<string, StoredProperty>;
  /** Only the names matter to a view (blob content is read live, as S3 reads are consistent). */
  readonly namedBlobs: ReadonlyMap<string, unknown> | null;
  readonly createdAt: number;
  readonly updatedAt: number;
}

export interface StateOptions {
  maxBytes?: number;
  /** Largest accepted chunk; upstream's 1 GiB unless a test needs a smaller one. */
  maxChunkBytes?: number;
  /** --page-bytes: HTTP list/query routes return one page of at most this many item bytes. */
  pageBytes?: number;
  /** --read-lag-ms: HTTP reads may see each item as it was up to this long ago (0: consistent). */
  readLagMs?: number;
}

export interface MetadataItem {
  readonly data: unknown;
  readonly bytes: number;
}

/** The recent past of what the HTTP API reads, kept only with --read-lag-ms. */
interface ReadLagHistories {
  readonly stores: LaggedHistory<StoreEntity>;
  /** Grouped by store key. */
  readonly records: LaggedHistory<RecordView>;
  readonly metadata: LaggedHistory<MetadataItem>;
}

export class State {
  readonly budget: ByteBudget;
  readonly maxChunkBytes: number;
  /** --page-bytes; undefined: lists are never cut. */
  readonly pageBytes: number | undefined;
  /** HTTP list/query answers that --page-bytes cut short. */
  truncatedLists = 0;
  readonly stores = new Map<string, StoreEntity>();
  /** Records by store key, then record key. */
  readonly records = new Map<string, Map<string, RecordEntity>>();
  readonly blobRefs = new Map<string, BlobRef>();
  /** Records by owner_id, so owner queries do not scan every record. */
  private readonly recordsByOwner = new Map<string, Set<RecordEntity>>();
  /** HTTP API metadata items by `<type>/<id>`. */
  readonly metadata = new Map<string, MetadataItem>();
  /** null without --read-lag-ms: HTTP reads see the live state. */
  readonly readLag: ReadLagHistories | null;
  /**
   * Named blobs whose record the HTTP API deleted, by the port's S3 object key
   * (`<store>/<record>/<blob_key>`): the AWS port leaves those objects in its bucket.
   * They stay counted in blob bytes and the budget until a blob PUT or DELETE on that key.
   */
  readonly orphanedBlobs = new Map<string, Buffer>();
  private orphanTotal = 0;
  /** Cached Record/Store response messages by upstream's Redis keys. */
  readonly cache = new TtlCache<object>();
  private recordTotal = 0;
  private blobTotal = 0;
  /** Base URL that CreateChunkUrls hands out; set once the HTTP listener is bound. */
  chunkUrlBase = '';

  constructor(options: StateOptions = {}) {
    this.budget = new ByteBudget(options.maxBytes ?? DEFAULT_MAX_BYTES);
    this.maxChunkBytes = options.maxChunkBytes ?? MAX_CHUNK_BYTES;
    this.pageBytes = options.pageBytes;
    const lagMs = options.readLagMs ?? 0;
    this.readLag =
      lagMs > 0 ? { stores: new LaggedHistory(lagMs), records: new LaggedHistory(lagMs), metadata: new LaggedHistory(lagMs) } : null;
  }

  get recordCount(): number {
    return this.recordTotal;
  }

  /** Every stored blob byte: gRPC blobs, chunks, named blobs and orphaned named blobs. */
  get blobBytes(): number {
    return this.blobTotal;
  }

  get orphanedBlobBytes(): number {
    return this.orphanTotal;
  }

  getRecord(storeKey: string, key: string): RecordEntity | undefined {
    return this.records.get(storeKey)?.get(key);
  }

  addStore(store: StoreEntity): void {
    this.budget.adjust(store.bytes);
    this.readLag?.stores.changing('', store.key, this.stores.get(store.key));
    this.stores.set(store.key, store);
  }

  /**
   * Records still in the store stay (an HTTP store delete sweeps only one page of them, as
   * the AWS port does); gRPC refuses to delete a store that has any.
   */
  removeStore(key: string): void {
    const store = this.stores.get(key);
    if (!store) return;
    this.readLag?.stores.changing('', key, store);
    this.stores.delete(key);
    this.budget.release(store.bytes);
  }

  /** A store as an HTTP (DynamoDB) read sees it. */
  storeForRead(key: string): StoreEntity | undefined {
    const live = this.stores.get(key);
    return this.readLag ? this.readLag.stores.read('', key, live) : live;
  }

  /**
   * Every store as an HTTP Scan sees them: in creation order, then those deleted a
   * moment ago that the read still sees. Each item is read at its own moment.
   */
  storesForRead(): StoreEntity[] {
    if (!this.readLag) return [...this.stores.values()];
    const seen: StoreEntity[] = [];
    for (const key of keysWithRecent(this.stores.keys(), this.readLag.stores.recentKeys(''))) {
      const store = this.storeForRead(key);
      if (store) seen.push(store);
    }
    return seen;
  }

  /** A record as an HTTP (DynamoDB) read sees it. */
  recordForRead(storeKey: string, key: string): RecordView | undefined {
    const live = this.getRecord(storeKey, key);
    return this.readLag ? this.readLag.records.read(storeKey, key, live) : live;
  }

  /** The records of one store as an HTTP Query sees them, each read at its own moment, in no particular order. */
  recordsForRead(storeKey: string): RecordView[] {
    const live = this.records.get(storeKey);
    if (!this.readLag) return live ? [...live.values()] : [];
    const seen: RecordView[] = [];
    for (const key of keysWithRecent(live?.keys() ?? [], this.readLag.records.recentKeys(storeKey))) {
      const record = this.recordForRead(storeKey, key);
      if (record) seen.push(record);
    }
    return seen;
  }

  /**
   * Call before changing a live record in a way an HTTP read sees (fields, named blobs,
   * updated_at), so a lagged read can still return what it was.
   */
  recordChanging(record: RecordEntity): void {
    if (this.readLag && this.getRecord(record.storeKey, record.key) === record) {
      this.readLag.records.changing(record.storeKey, record.key, recordSnapshot(record));
    }
  }

  /** A metadata item as an HTTP (DynamoDB) read sees it. */
  metadataForRead(key: string): MetadataItem | undefined {
    const live = this.metadata.get(key);
    return this.readLag ? this.readLag.metadata.read('', key, live) : live;
  }

  /** Call before a metadata item is written or deleted. */
  metadataChanging(key: string): void {
    this.readLag?.metadata.changing('', key, this.metadata.get(key));
  }

  /** Adds a record whose `bytes` is already computed; reserves them first. */
  addRecord(record: RecordEntity): void {
    this.budget.adjust(record.bytes);
    this.readLag?.records.changing(record.storeKey, record.key, undefined);
    let byKey = this.records.get(record.storeKey);
    if (!byKey) {
      byKey = new Map();
      this.records.set(record.storeKey, byKey);
    }
    byKey.set(record.key, record);
    this.recordTotal++;
    this.indexOwner(record);
  }

  /** The records of one owner, in no particular order (empty owner: none). */
  recordsOfOwner(ownerId: string): ReadonlySet<RecordEntity> {
    return this.recordsByOwner.get(ownerId) ?? NO_RECORDS;
  }

  /** Changes a record's owner_id, keeping the owner index in step. */
  setOwner(record: RecordEntity, ownerId: string): void {
    if (record.ownerId === ownerId) return;
    this.unindexOwner(record);
    (record as { ownerId: string }).ownerId = ownerId;
    this.indexOwner(record);
  }

  private indexOwner(record: RecordEntity): void {
    if (record.ownerId === '') return;
    let records = this.recordsByOwner.get(record.ownerId);
    if (!records) {
      records = new Set();
      this.recordsByOwner.set(record.ownerId, records);
    }
    records.add(record);
  }

  private unindexOwner(record: RecordEntity): void {
    const records = this.recordsByOwner.get(record.ownerId);
    if (!records) return;
    records.delete(record);
    if (records.size === 0) this.recordsByOwner.delete(record.ownerId);
  }

  /**
   * `namedBlobs: 'orphan'` is the AWS port's record delete: the named blobs stay stored
   * (see orphanedBlobs). gRPC deletes release them, as upstream's collector would.
   */
  removeRecord(record: RecordEntity, namedBlobs: 'release' | 'orphan' = 'release'): void {
    const byKey = this.records.get(record.storeKey);
    if (byKey?.get(record.key) !== record) return;
    this.readLag?.records.changing(record.storeKey, record.key, recordSnapshot(record));
    byKey.delete(record.key);
    if (byKey.size === 0) this.records.delete(record.storeKey);
    this.recordTotal--;
    this.unindexOwner(record);
    this.budget.release(record.bytes);
    this.detachBlob(record);
    if (record.openSessions) for (const session of record.openSessions) this.dropBlobRef(session);
    if (record.namedBlobs) {
      for (const [blobKey, data] of record.namedBlobs) {
        if (namedBlobs === 'release') this.releaseBlobBytes(data.length);
        else this.keepOrphan(blobObjectKey(record.storeKey, record.key, blobKey), data);
      }
    }
    this.cache.delete(recordCacheKey(record.storeKey, record.key));
  }

  /** Keeps blob bytes already counted (countBlobBytes) as an orphan at that object key. */
  keepOrphan(objectKey: string, data: Buffer): void {
    // A live blob and an orphan never share an object key (a PUT replaces the orphan).
    this.dropOrphan(objectKey);
    this.orphanedBlobs.set(objectKey, data);
    this.orphanTotal += data.length;
  }

  /** Takes the orphan at that object key back (listed again), its bytes still counted; undefined if none. */
  takeOrphan(objectKey: string): Buffer | undefined {
    const data = this.orphanedBlobs.get(objectKey);
    if (!data) return undefined;
    this.orphanedBlobs.delete(objectKey);
    this.orphanTotal -= data.length;
    return data;
  }

  /** Removes the orphan at that object key, if any, and frees its bytes (an S3 overwrite or delete). */
  dropOrphan(objectKey: string): void {
    const data = this.orphanedBlobs.get(objectKey);
    if (!data) return;
    this.orphanedBlobs.delete(objectKey);
    this.orphanTotal -= data.length;
    this.releaseBlobBytes(data.length);
  }

  /** Counts blob bytes already reserved through `budget.adjust`. */
  countBlobBytes(bytes: number): void {
    this.blobTotal += bytes;
  }

  releaseBlobBytes(bytes: number): void {
    this.blobTotal = Math.max(0, this.blobTotal - bytes);
    this.budget.release(bytes);
  }

  /** Drops the record's current gRPC blob and frees its bytes. */
  detachBlob(record: RecordEntity): void {
    const blob = record.blob;
    if (!blob) return;
    record.blob = null;
    if (blob.kind === 'inline') {
      this.releaseBlobBytes(blob.data.length);
      return;
    }
    this.dropBlobRef(blob);
  }

  /** Forgets a blob reference and frees its bytes (upstream collects these later). */
  dropBlobRef(ref: BlobRef): void {
    ref.state = ref.state === 'initializing' ? 'aborted' : 'detached';
    this.releaseBlobBytes(ref.data.length + chunkBytes(ref));
    ref.data = EMPTY;
    ref.size = 0;
    ref.chunks.clear();
    if (ref.state === 'detached') this.blobRefs.delete(ref.key);
  }
}

const EMPTY = Buffer.alloc(0);

/** The live keys, then the keys with a recent past that are not live (deleted a moment ago). */
function* keysWithRecent(live: Iterable<string>, recent: Iterable<string>): Iterable<string> {
  const seen = new Set<string>();
  for (const key of live) {
    seen.add(key);
    yield key;
  }
  for (const key of recent) if (!seen.has(key)) yield key;
}

/** A copy of what the HTTP API reads of a record, safe from later in-place changes. */
function recordSnapshot(record: RecordEntity): RecordView {
  return {
    storeKey: record.storeKey,
    key: record.key,
    ownerId: record.ownerId,
    gameId: record.gameId,
    tags: [...record.tags],
    properties: new Map(record.properties),
    namedBlobs: record.namedBlobs ? new Map([...record.namedBlobs.keys()].map((name) => [name, true])) : null,
    createdAt: record.createdAt,
    updatedAt: record.updatedAt,
  };
}
const NO_RECORDS: ReadonlySet<RecordEntity> = new Set();

export function chunkBytes(ref: BlobRef): number {
  let total = 0;
  for (const chunk of ref.chunks.values()) total += chunk.data.length;
  return total;
}

/** The AWS port's S3 object key of a named blob. */
export const blobObjectKey = (storeKey: string, recordKey: string, blobKey: string): string => `${storeKey}/${recordKey}/${blobKey}`;

export const recordCacheKey = (storeKey: string, key: string): string => `${storeKey}/${key}`;
export const storeCacheKey = (key: string): string => `store:${key}`;

export function estimateStoreBytes(key: string, name: string, tags: readonly string[], ownerId: string): number {
  let bytes = ENTITY_OVERHEAD_BYTES + key.length + name.length + ownerId.length;
  for (const tag of tags) bytes += tag.length + TAG_OVERHEAD_BYTES;
  return bytes;
}

/** A fresh random UUID as 16 bytes: every record mutation gets a new signature. */
export function newSignature(): Buffer {
  const signature = Buffer.allocUnsafe(16);
  randomFillSync(signature);
  // Version 4 and RFC 4122 variant bits, so the bytes are a valid UUID.
  signature[6] = (signature[6]! & 0x0f) | 0x40;
  signature[8] = (signature[8]! & 0x3f) | 0x80;
  return signature;
}

/** Marks a record as written: new updated_at and signature. */
export function touchRecord(record: RecordEntity): void {
  record.updatedAt = nowMicros();
  record.signature = newSignature();
}

export const newBlobKey = (): string => randomUUID();
