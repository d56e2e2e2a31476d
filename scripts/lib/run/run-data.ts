// What setup() hands to every VU and to teardown(): the run id and the keys of
// the stores and records setup() made. Plain JSON, as k6 requires.

export interface SeedRecord {
  readonly store: string;
  readonly key: string;
  readonly seed: number;
}

export interface BlobRecord {
  readonly store: string;
  readonly key: string;
  readonly size: number;
}

export interface RunData {
  readonly runId: string;
  readonly stores: readonly string[];
  /** display names of `stores`, same order; unique per store so ListStores finds exactly it */
  readonly storeNames: readonly string[];
  /** records with content from records.ts, never modified during the run */
  readonly seeds: readonly SeedRecord[];
  /** records holding a non-chunked blob of each size class */
  readonly blobs: readonly BlobRecord[];
  /** records holding a committed chunked blob of CHUNKED_UPLOAD_CHUNKS chunks */
  readonly chunked: readonly BlobRecord[];
  /** records whose integer properties VUs contend on */
  readonly counters: readonly SeedRecord[];
}

/** Chunks per chunked upload, and the size of each (small: the chunk path, not the bytes, is under test). */
export const CHUNKED_UPLOAD_CHUNKS = 3;
export const CHUNK_BYTES = 16_384;
/** Hot counters are shared by all VUs; cold ones are spread so contention stays rare. */
export const HOT_COUNTER = 'hot';
export const COLD_COUNTERS = 16;
