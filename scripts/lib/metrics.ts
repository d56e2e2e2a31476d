// Custom metrics of the suite. The first four are named in data/metric-names.json
// and leave the machine through the CloudWatch output; the others stay local.
import { Counter, Rate } from 'k6/metrics';

/** +1 per call, tagged op and status (gRPC status name or HTTP status code). */
export const requests = new Counter('opensaves_requests');
/** +1 per failed call, same tags as opensaves_requests. */
export const errors = new Counter('opensaves_errors');
/** +1 per read-back that differs from what was written. */
export const verifyFailures = new Counter('opensaves_verify_failures');
/** per atomic call: true when it ended ABORTED (transaction contention). */
export const atomicContention = new Rate('opensaves_atomic_contention');

/** +1 per operation the chosen transport does not offer (e.g. AtomicInc over the REST API). */
export const skippedOperations = new Counter('opensaves_skipped_operations');
