// The metrics/ folder: the suite's custom k6 metrics and the count of operations a transport lacks.
//
// Custom metrics of the suite. All but the last are named in data/metric-names.json
// and leave the machine through the CloudWatch output; the others stay local.
// Requests have no counter of their own: k6 records one grpc_req_duration or
// http_req_duration sample per call, tagged op and status, and the CloudWatch
// output counts those as opensaves_requests (a counter sample per call cost the
// load generator as much CPU as the call's status check).
import { Counter, Rate } from 'k6/metrics';

/** +1 per failed call, tagged op and status (gRPC status name or HTTP status code). */
export const errors = new Counter('opensaves_errors');
/** +1 per read-back that differs from what was written. */
export const verifyFailures = new Counter('opensaves_verify_failures');
/** per atomic call: true when it ended ABORTED (transaction contention). */
export const atomicContention = new Rate('opensaves_atomic_contention');
/** +1 per read-your-writes read that found an older state and was tried again (eventual consistency), tagged op. */
export const staleReads = new Counter('opensaves_stale_reads');
/** +1 per request a CloudFront WAF answered 403 "Request blocked" (rate rule), tagged op; not in opensaves_errors. */
export const wafBlocked = new Counter('opensaves_waf_blocked');

/** +1 per operation the chosen transport does not offer (e.g. AtomicInc over the REST API). */
export const skippedOperations = new Counter('opensaves_skipped_operations');
