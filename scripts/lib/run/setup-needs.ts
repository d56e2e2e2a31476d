// What setup() must make for the operations of a mix to have something to read. The
// rest of the run layout is left out, so a focused mix starts fast and leaves the
// target as it found it (no 10 MB blobs for a Ping-only run).
import { ATOMIC_RPCS, type RpcName } from '../config/constants.js';

export interface SetupNeeds {
  /** RECORDS_PER_STORE records with known content in every store */
  readonly seeds?: boolean;
  /** one record per BLOB_SIZES class holding a blob of that size */
  readonly blobs?: boolean;
  /** one record holding a committed chunked blob */
  readonly chunked?: boolean;
  /** one record of shared counters per store */
  readonly counters?: boolean;
}

const NEED_OF: Partial<Record<RpcName, keyof SetupNeeds>> = {
  GetRecord: 'seeds',
  GetRecords: 'seeds',
  QueryRecords: 'seeds',
  GetBlob: 'blobs',
  GetBlobChunk: 'chunked',
  CreateChunkUrls: 'chunked',
  ...Object.fromEntries(ATOMIC_RPCS.map((op) => [op, 'counters'])),
};

/** The parts of the run layout that the given operations read; stores are always made. */
export function setupNeeds(ops: readonly RpcName[]): Required<SetupNeeds> {
  const needs = { seeds: false, blobs: false, chunked: false, counters: false };
  for (const op of ops) {
    const need = NEED_OF[op];
    if (need !== undefined) needs[need] = true;
  }
  return needs;
}
