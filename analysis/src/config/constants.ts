// Names and limits shared by the analysis modules.

// k6 built-in request-duration trends. Each Point is one request, so they give the per-operation counts, status
// codes and latencies in one place (see README "Where the per-operation counts come from").
export const REQUEST_DURATION_METRICS: ReadonlySet<string> = new Set(['grpc_req_duration', 'http_req_duration']);

// Counters the scenarios emit (tagged op and status). Used only for operations that have no request-duration points,
// such as streaming RPCs, which k6 does not time with grpc_req_duration.
export const OPENSAVES_REQUESTS_METRIC = 'opensaves_requests';
export const OPENSAVES_ERRORS_METRIC = 'opensaves_errors';

// k6 built-ins that feed the run-level views.
export const DROPPED_ITERATIONS_METRIC = 'dropped_iterations';
export const ITERATIONS_METRIC = 'iterations';
export const VUS_METRIC = 'vus';
export const CHECKS_METRIC = 'checks';
/** the `kind` tag of the scenarios' one status check per call */
export const STATUS_CHECK_KIND = 'status';

// k6 built-in trends, so that a reader of a byte range without the Metric declaration still keeps their histograms.
export const BUILTIN_TRENDS: ReadonlySet<string> = new Set([
  'grpc_req_duration',
  'http_req_duration',
  'http_req_blocked',
  'http_req_connecting',
  'http_req_tls_handshaking',
  'http_req_sending',
  'http_req_waiting',
  'http_req_receiving',
  'iteration_duration',
  'ws_session_duration',
  'ws_connecting',
]);

// gRPC status names by code (https://grpc.github.io/grpc/core/md_doc_statuscodes.html): the scenarios' counters
// carry names, k6's grpc_req_duration carries codes.
export const GRPC_STATUS_NAMES = [
  'OK', 'CANCELLED', 'UNKNOWN', 'INVALID_ARGUMENT', 'DEADLINE_EXCEEDED', 'NOT_FOUND', 'ALREADY_EXISTS',
  'PERMISSION_DENIED', 'RESOURCE_EXHAUSTED', 'FAILED_PRECONDITION', 'ABORTED', 'OUT_OF_RANGE', 'UNIMPLEMENTED',
  'INTERNAL', 'UNAVAILABLE', 'DATA_LOSS', 'UNAUTHENTICATED',
] as const;

// gRPC method paths look like /opensaves.OpenSaves/GetRecord.
export const GRPC_METHOD_PREFIX = '/opensaves.OpenSaves/';

// Latency histograms record integer microseconds: sub-millisecond latencies of a local emulator keep three
// significant digits. One hour is the largest latency kept; larger values are clamped (and counted as such).
export const HISTOGRAM_HIGHEST_US = 3_600_000_000;
export const HISTOGRAM_DIGITS = 3;



// The percentiles every latency table shows, in the order shown.
export const REPORTED_PERCENTILES = [50, 90, 95, 99, 99.9] as const;

// Time-bucket sizes --bucket auto chooses from, and how many buckets it aims to stay under.
export const BUCKET_CHOICES_MS = [1_000, 2_000, 5_000, 10_000, 15_000, 30_000, 60_000, 120_000, 300_000, 600_000, 1_800_000, 3_600_000];
export const AUTO_BUCKET_TARGET = 150;
/** --bucket auto reads this much of an input's head and tail for its first and last timestamps. */
export const PROBE_BYTES = 256 * 1024;
// --bucket auto without a readable time range (gzip inputs, whose end cannot be read without decompressing them).
export const DEFAULT_BUCKET_MS = 10_000;
export const DEFAULT_FORMATS = ['html', 'md', 'json', 'png', 'junit'] as const;
export type ReportFormat = (typeof DEFAULT_FORMATS)[number];

// Below this many input bytes, worker threads cost more to start than they save.
export const PARALLEL_MIN_BYTES = 32 * 1024 * 1024;
// Plain files are cut into byte ranges of about this size so two workers stay evenly busy.
export const RANGE_TARGET_BYTES = 256 * 1024 * 1024;
// 64 KiB: decoded chunks stay below V8's large-object size, so they die young instead of piling up until a full GC.
export const READ_CHUNK_BYTES = 64 * 1024;
// Inputs smaller than this never draw a progress bar.
export const PROGRESS_MIN_BYTES = 64 * 1024 * 1024;

// Exit codes of the CLI.
export const EXIT_OK = 0;
export const EXIT_GATE_FAILED = 1;
export const EXIT_BAD_INPUT = 2;
