// Names and limits shared by every scenario. Grouped by what they describe.

// The gRPC service and its 27 RPCs; `op` tags use exactly these names on both transports.
export { ATOMIC_RPCS, RPC_NAMES, STREAMING_RPCS, type RpcName } from '../../../proto/operations.js';
export { SERVICE_NAME as SERVICE } from '../../../proto/operations.js';

// gRPC status codes by number (google.rpc.Code); `status` tags use these names.
export const GRPC_STATUS_NAMES = [
  'OK',
  'CANCELLED',
  'UNKNOWN',
  'INVALID_ARGUMENT',
  'DEADLINE_EXCEEDED',
  'NOT_FOUND',
  'ALREADY_EXISTS',
  'PERMISSION_DENIED',
  'RESOURCE_EXHAUSTED',
  'FAILED_PRECONDITION',
  'ABORTED',
  'OUT_OF_RANGE',
  'UNIMPLEMENTED',
  'INTERNAL',
  'UNAVAILABLE',
  'DATA_LOSS',
  'UNAUTHENTICATED',
] as const;

export type GrpcStatusName = (typeof GRPC_STATUS_NAMES)[number];

// Deadlines. Every call carries one so a stuck server cannot stall a VU; blob
// streams get longer because a 10 MB transfer is legitimately slower.
export const CONNECT_TIMEOUT = '10s';
export const UNARY_DEADLINE = '10s';
export const STREAM_DEADLINE = '60s';
export const HTTP_TIMEOUT = '30s';

// Blob limits of the server (spec d.8): inline up to 64 KiB, stream pieces of at most 1 MiB.
export const INLINE_BLOB_MAX_BYTES = 65_536;
export const MAX_STREAM_PIECE_BYTES = 1_048_576;
// Upload piece: the largest multiple of the payload period that fits in 1 MiB,
// so every full piece has the same base64 text (see payloads.ts).
export const PAYLOAD_PERIOD_BYTES = 12_288;
export const UPLOAD_PIECE_BYTES = PAYLOAD_PERIOD_BYTES * 85;
// A gRPC message may not exceed 4 MiB by default; 10 MB blobs go out in pieces, so this only caps receive size.
export const MAX_RECEIVE_BYTES = 8 * 1_048_576;

// Configuration defaults (the contract in the README's configuration table).
export const DEFAULT_ADDR = '127.0.0.1:6000';
export const DEFAULT_HTTP_URL = 'http://127.0.0.1:8080';
export const DEFAULT_BLOB_SIZES = '1KB,100KB,1MB,10MB';
export const DEFAULT_READ_RATIO = 0.8;
export const DEFAULT_RECORDS_PER_STORE = 20;
// Every gRPC record read checks key and version; its whole content is compared on one read in this many.
export const DEFAULT_VERIFY_EVERY = 8;
// A read-your-writes read that finds an older state is tried again, up to this many times within this budget:
// DynamoDB's eventually consistent reads usually catch up within a second.
export const DEFAULT_READ_RETRY_TRIES = 5;
export const DEFAULT_READ_RETRY_BUDGET_MS = 1000;
export const DEFAULT_SUMMARY_PATH = 'results/summary.json';
export const DEFAULT_MIX_PATH = 'data/mix.json';
