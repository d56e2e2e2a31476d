// Per-time-bucket series for the charts and the capacity analysis.
import { TimeBucket, type Aggregate, type BucketOperationStats } from './aggregate.js';

export interface TimeSeries {
  bucketSec: number;
  /** bucket start, seconds after the start of the first bucket (buckets are aligned to the clock) */
  offsetsSec: number[];
  /** bucket start, ms since the epoch */
  startsMs: number[];
  /** the seconds each bucket's counts are divided by: the bucket width (the run's length if shorter) */
  coveredSec: number[];
  /** the workload's requests; housekeeping (setup, teardown, cleanup) is in housekeepingPerSec */
  requestsPerSec: number[];
  housekeepingPerSec: number[];
  errorsPerSec: number[];
  /** iterations started plus iterations dropped, per second: what the arrival-rate executor was asked for */
  offeredIterationsPerSec: number[];
  iterationsPerSec: number[];
  droppedPerSec: number[];
  vus: (number | null)[];
  /** errors per second by status code */
  errorsByStatus: Record<string, number[]>;
  operations: Record<string, { requestsPerSec: number[]; p50: (number | null)[]; p95: (number | null)[]; p99: (number | null)[] }>;
  /** the raw buckets in the same order, for per-step aggregation */
  buckets: TimeBucket[];
}

export function buildTimeSeries(aggregate: Aggregate): TimeSeries {
  const bucketMs = aggregate.bucketMs;
  const indexes = [...aggregate.buckets.keys()].sort((a, b) => a - b);
  const startMs = aggregate.startMs ?? 0;
  const endMs = aggregate.endMs ?? startMs;
  const first = indexes[0] ?? 0;
  const last = indexes[indexes.length - 1] ?? 0;
  const series: TimeSeries = {
    bucketSec: bucketMs / 1000,
    offsetsSec: [],
    startsMs: [],
    coveredSec: [],
    requestsPerSec: [],
    housekeepingPerSec: [],
    errorsPerSec: [],
    offeredIterationsPerSec: [],
    iterationsPerSec: [],
    droppedPerSec: [],
    vus: [],
    errorsByStatus: {},
    operations: {},
    buckets: [],
  };
  const ops = new Set<string>();
  for (const bucket of aggregate.buckets.values()) for (const op of bucket.operations.keys()) ops.add(op);
  for (const op of [...ops].sort()) series.operations[op] = { requestsPerSec: [], p50: [], p95: [], p99: [] };
  const statuses = new Set<string>();
  for (const bucket of aggregate.buckets.values()) {
    for (const cell of bucket.operations.values()) for (const status of cell.effectiveErrorsByStatus.keys()) statuses.add(status);
  }
  for (const status of [...statuses].sort()) series.errorsByStatus[status] = [];

  // Every bucket between the first and the last appears, so gaps in the run show as zeros.
  for (let index = first; index <= last; index++) {
    const bucket = aggregate.buckets.get(index);
    const bucketStart = index * bucketMs;
    // Rates are per full bucket: dividing the first and last (partial) buckets by the few milliseconds they cover
    // turns setup() and teardown() bursts into spikes that dwarf the run. Only a run shorter than one bucket is
    // divided by its own length.
    const covered = Math.max(1, Math.min(bucketMs, endMs - startMs + 1)) / 1000;
    series.offsetsSec.push(((index - first) * bucketMs) / 1000);
    series.startsMs.push(bucketStart);
    series.coveredSec.push(covered);
    const cells: [string, BucketOperationStats][] = bucket === undefined ? [] : [...bucket.operations];
    const requests = cells.reduce((sum, [, cell]) => sum + cell.effectiveCount, 0);
    const errors = cells.reduce((sum, [, cell]) => sum + cell.effectiveErrors, 0);
    series.requestsPerSec.push(requests / covered);
    series.housekeepingPerSec.push((bucket?.housekeepingRequests ?? 0) / covered);
    series.errorsPerSec.push(errors / covered);
    const iterations = bucket?.iterations ?? 0;
    const dropped = bucket?.droppedIterations ?? 0;
    series.iterationsPerSec.push(iterations / covered);
    series.droppedPerSec.push(dropped / covered);
    series.offeredIterationsPerSec.push((iterations + dropped) / covered);
    series.vus.push(bucket?.vus ?? null);
    for (const status of Object.keys(series.errorsByStatus)) {
      let n = 0;
      for (const [, cell] of cells) n += cell.effectiveErrorsByStatus.get(status) ?? 0;
      series.errorsByStatus[status]!.push(n / covered);
    }
    for (const [op, line] of Object.entries(series.operations)) {
      const cell = bucket?.operations.get(op);
      line.requestsPerSec.push((cell?.effectiveCount ?? 0) / covered);
      line.p50.push(cell?.latency.percentileMs(50) ?? null);
      line.p95.push(cell?.latency.percentileMs(95) ?? null);
      line.p99.push(cell?.latency.percentileMs(99) ?? null);
    }
    series.buckets.push(bucket ?? new TimeBucket());
  }
  return series;
}
