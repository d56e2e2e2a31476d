// The operation catalogue of service opensaves.OpenSaves (open_saves.proto), the one
// list that the scenarios, the local emulator and the dashboards share. Plain data
// with no imports, so the k6 bundles, Node and the CDKTF app can all load it.
// Tests check it against the proto, so the two cannot drift apart.

export const SERVICE_NAME = 'opensaves.OpenSaves';

/** The 27 RPCs by area, in proto order within each area. */
export const OPERATION_GROUPS = {
  stores: ['CreateStore', 'GetStore', 'ListStores', 'DeleteStore'],
  records: ['CreateRecord', 'GetRecord', 'GetRecords', 'QueryRecords', 'UpdateRecord', 'DeleteRecord'],
  blobs: [
    'CreateBlob',
    'CreateChunkedBlob',
    'CreateChunkUrls',
    'UploadChunk',
    'CommitChunkedUpload',
    'AbortChunkedUpload',
    'GetBlob',
    'GetBlobChunk',
    'DeleteBlob',
  ],
  health: ['Ping'],
  atomic: [
    'CompareAndSwap',
    'CompareAndSwapGreaterInt',
    'CompareAndSwapLessInt',
    'AtomicAddInt',
    'AtomicSubInt',
    'AtomicInc',
    'AtomicDec',
  ],
} as const;

export type OperationGroup = keyof typeof OPERATION_GROUPS;
export type RpcName = (typeof OPERATION_GROUPS)[OperationGroup][number];

/** Every RPC in proto order. */
export const RPC_NAMES: readonly RpcName[] = Object.values(OPERATION_GROUPS).flat();

/** RPCs whose request or response is a stream. */
export const STREAMING_RPCS: readonly RpcName[] = ['CreateBlob', 'UploadChunk', 'GetBlob', 'GetBlobChunk'];

/** Read-modify-write RPCs on one property, which contend on hot records (ABORTED). */
export const ATOMIC_RPCS: readonly RpcName[] = OPERATION_GROUPS.atomic;
