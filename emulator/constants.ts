// Numbers the emulator shares with upstream Open Saves v1.2.0 (spec sections d.8 and e),
// kept in one place so handlers and tests agree on them.

// Blob placement: at most this many bytes is stored inline in the record.
export const BLOB_MAX_INLINE_SIZE = 65_536;
// Server streams (GetBlob external, GetBlobChunk) send content in pieces of at most this size.
export const STREAM_PIECE_BYTES = 1024 * 1024;
// A single uploaded chunk larger than this fails with RESOURCE_EXHAUSTED.
export const MAX_CHUNK_BYTES = 1024 * 1024 * 1024;
// Datastore limits that upstream surfaces as INVALID_ARGUMENT.
export const MAX_OPAQUE_STRING_BYTES = 1_048_487;
export const MAX_RECORD_ENTITY_BYTES = 1_048_572;

// Record/store cache (upstream: Redis with cache_default_ttl 5m). Upstream skips objects over
// 10 MiB; cached messages here never include blob bytes, so none come near that.
export const CACHE_TTL_MS = 5 * 60 * 1000;
// Bounded so the cache cannot double the memory the byte budget allows.
export const CACHE_MAX_ENTRIES = 200_000;

// State byte budget default (--max-bytes).
export const DEFAULT_MAX_BYTES = 1024 * 1024 * 1024;
// What a store or record costs in the JS heap beyond its strings, measured on Node 20
// (a record with two properties and two tags takes about 750 heap bytes), so that the
// budget tracks real memory and a full budget stays below V8's heap limit.
export const ENTITY_OVERHEAD_BYTES = 512;
export const PROPERTY_OVERHEAD_BYTES = 64;
export const TAG_OVERHEAD_BYTES = 32;

// gRPC health service name upstream registers.
export const HEALTH_SERVICE_NAME = 'grpc.health.v1.opensaves';
export const OPEN_SAVES_SERVICE = 'opensaves.OpenSaves';

// Connection recycling as the upstream server configures it (spec section e).
export const GRPC_SERVER_CHANNEL_OPTIONS = {
  'grpc.max_connection_idle_ms': 5 * 60 * 1000,
  'grpc.max_connection_age_ms': 12 * 60 * 60 * 1000,
  'grpc.max_connection_age_grace_ms': 5 * 60 * 1000,
  'grpc.keepalive_time_ms': 60 * 60 * 1000,
  'grpc.keepalive_timeout_ms': 20 * 1000,
  // grpc-go's default inbound limit, which upstream does not change.
  'grpc.max_receive_message_length': 4 * 1024 * 1024,
  // Channelz bookkeeping costs about a seventh of the per-call CPU and nothing here reads it.
  'grpc.enable_channelz': 0,
} as const;

// Every RPC of service opensaves.OpenSaves, in proto order.
export { RPC_NAMES, type RpcName } from '../proto/operations.js';
