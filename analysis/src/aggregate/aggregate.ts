// Folds k6 Points into per-operation, per-time-bucket and per-metric aggregates, and merges aggregates built by
// several readers (worker threads, several files) into one.
import {
  BUILTIN_TRENDS,
  CHECKS_METRIC,
  DROPPED_ITERATIONS_METRIC,
  GRPC_METHOD_PREFIX,
  GRPC_STATUS_NAMES,
  ITERATIONS_METRIC,
  OPENSAVES_ERRORS_METRIC,
  OPENSAVES_REQUESTS_METRIC,
  REQUEST_DURATION_METRICS,
  STATUS_CHECK_KIND,
  VUS_METRIC,
} from '../config/constants.js';
import { BucketHistogram, LatencyHistogram, type SerializedHistogram } from './histogram.js';
import { housekeepingPhaseOf, type HousekeepingPhase } from './housekeeping.js';
import type { MetricDeclaration, PointFields } from './point.js';
import { RunnerLoads, type SerializedRunnerLoads } from './runner-load.js';

// k6 built-ins that are not trends: no histogram is kept for them even before their declaration is seen.
const BUILTIN_NON_TRENDS: ReadonlySet<string> = new Set([
  'vus', 'vus_max', 'iterations', 'dropped_iterations', 'checks', 'data_sent', 'data_received', 'http_reqs',
  'http_req_failed', 'grpc_streams', 'grpc_streams_msgs_sent', 'grpc_streams_msgs_received',
  OPENSAVES_REQUESTS_METRIC, OPENSAVES_ERRORS_METRIC,
]);

/**
 * Metrics whose tags the aggregator reads; the parser skips the tags of all others. Only these are told apart from
 * housekeeping (their group and scenario tags are read): the other metrics' totals include setup() and teardown().
 */
export const TAGGED_METRICS: ReadonlySet<string> = new Set([
  ...REQUEST_DURATION_METRICS, OPENSAVES_REQUESTS_METRIC, OPENSAVES_ERRORS_METRIC, CHECKS_METRIC, ITERATIONS_METRIC,
  // its `instance` tag says which runner dropped the iterations
  DROPPED_ITERATIONS_METRIC,
]);

/** The operation of a request point: the `op` tag, else the RPC of a gRPC method path, else the request name. */
export function operationOf(op: string, name: string): string {
  if (op !== '') return op;
  if (name.startsWith(GRPC_METHOD_PREFIX)) return name.slice(GRPC_METHOD_PREFIX.length);
  if (name.startsWith('/') && name.lastIndexOf('/') > 0) return name.slice(name.lastIndexOf('/') + 1);
  return name === '' ? '(untagged)' : name;
}

/** gRPC: any status but 0 (OK). HTTP: k6's expected_response tag when present, else status 0 or >= 400. */
export function isFailedRequest(metric: string, status: string, expectedResponse: string): boolean {
  if (metric === 'grpc_req_duration') return status !== '0';
  if (expectedResponse !== '') return expectedResponse !== 'true';
  const code = Number(status);
  return !(code >= 100 && code < 400);
}

/** gRPC status names (what the scenarios' counters carry) -> the numeric codes k6 puts on grpc_req_duration. */
const GRPC_CODES: ReadonlyMap<string, string> = new Map(GRPC_STATUS_NAMES.map((name, code) => [name, String(code)]));

export function normaliseStatus(status: string): string {
  return status === '' ? 'unknown' : (GRPC_CODES.get(status) ?? status);
}

function bump(map: Map<string, number>, key: string, n: number): void {
  map.set(key, (map.get(key) ?? 0) + n);
}

function mergeInto(map: Map<string, number>, entries: readonly [string, number][]): void {
  for (const [key, n] of entries) bump(map, key, n);
}

/**
 * Requests of one operation (in one cell: the run, a time bucket, a step) from two sources: request-duration points
 * (one per call, the status decides failure) and the scenarios' own verdicts: their status checks (kind=status, one
 * per call; older runs: the opensaves_requests counter) with opensaves_errors (the scenario decides failure, so an
 * expected NOT_FOUND is not an error). `effective*` pick what the report uses.
 */
export class Counts {
  count = 0;
  errors = 0;
  readonly statusCodes = new Map<string, number>();
  /** failed requests by status: HTTP status 0 is a failure while gRPC status 0 is OK, so keep what was decided */
  readonly errorsByStatus = new Map<string, number>();
  counterCount = 0;
  counterErrors = 0;
  readonly counterStatusCodes = new Map<string, number>();
  readonly counterErrorsByStatus = new Map<string, number>();
  /** the scenarios' status checks (one per call, tagged kind=status): present when the scenario judged the calls */
  verdicts = 0;
  /** those of them that failed: the call ended with an unexpected status, or what it read back differs */
  verdictFails = 0;

  add(status: string, failed: boolean, n = 1): void {
    this.count += n;
    bump(this.statusCodes, status, n);
    if (failed) {
      this.errors += n;
      bump(this.errorsByStatus, status, n);
    }
  }

  addCounterRequest(status: string, n: number): void {
    this.counterCount += n;
    bump(this.counterStatusCodes, status, n);
  }

  addVerdict(failed: boolean): void {
    this.verdicts++;
    if (failed) this.verdictFails++;
  }

  addCounterError(status: string, n: number): void {
    this.counterErrors += n;
    bump(this.counterErrorsByStatus, status, n);
  }

  /** Timed calls when there are any (streaming calls included), else the counter. */
  get effectiveCount(): number {
    if (this.count > 0) return this.count;
    return this.counterCount > 0 ? this.counterCount : this.verdicts;
  }

  /** Whether the scenario decided which calls failed (its counters or its status checks). */
  get judgedByScenario(): boolean {
    return this.counterCount > 0 || this.verdicts > 0;
  }

  get effectiveStatusCodes(): ReadonlyMap<string, number> {
    return this.count > 0 ? this.statusCodes : this.counterStatusCodes;
  }

  /** The scenario's own verdict when it counted this operation, else the status of each call. */
  get effectiveErrors(): number {
    return this.judgedByScenario ? this.counterErrors : this.errors;
  }

  get effectiveErrorsByStatus(): ReadonlyMap<string, number> {
    return this.judgedByScenario ? this.counterErrorsByStatus : this.errorsByStatus;
  }

  merge(other: SerializedCounts): void {
    this.count += other.count;
    this.errors += other.errors;
    mergeInto(this.statusCodes, other.statusCodes);
    mergeInto(this.errorsByStatus, other.errorsByStatus);
    this.counterCount += other.counterCount;
    this.counterErrors += other.counterErrors;
    mergeInto(this.counterStatusCodes, other.counterStatusCodes);
    mergeInto(this.counterErrorsByStatus, other.counterErrorsByStatus);
    this.verdicts += other.verdicts;
    this.verdictFails += other.verdictFails;
  }

  toJSON(): SerializedCounts {
    return {
      count: this.count,
      errors: this.errors,
      statusCodes: [...this.statusCodes],
      errorsByStatus: [...this.errorsByStatus],
      counterCount: this.counterCount,
      counterErrors: this.counterErrors,
      counterStatusCodes: [...this.counterStatusCodes],
      counterErrorsByStatus: [...this.counterErrorsByStatus],
      verdicts: this.verdicts,
      verdictFails: this.verdictFails,
    };
  }
}

export class OperationStats extends Counts {
  readonly latency = new LatencyHistogram();
}

export class BucketOperationStats extends Counts {
  readonly latency = new BucketHistogram();
}

export class TimeBucket {
  readonly operations = new Map<string, BucketOperationStats>();
  iterations = 0;
  droppedIterations = 0;
  /** highest VU gauge value seen in the bucket; null when k6 reported none */
  vus: number | null = null;
  checksPassed = 0;
  checksFailed = 0;
  /** requests of setup(), teardown() and dist/cleanup.js in the bucket (in no operation's cell) */
  housekeepingRequests = 0;

  operation(op: string): BucketOperationStats {
    let stats = this.operations.get(op);
    if (stats === undefined) this.operations.set(op, (stats = new BucketOperationStats()));
    return stats;
  }
}

/**
 * One step of a capacity run (points tagged step=<n> by the capacity scenario). Its cells keep HDR histograms: a
 * step is judged as k6 judges the scenario's per-step thresholds, so its percentiles need their precision (a run
 * has a few steps, so a few dozen cells).
 */
export class StepStats {
  readonly operations = new Map<string, OperationStats>();
  iterations = 0;
  startMs = Infinity;
  endMs = -Infinity;

  operation(op: string): OperationStats {
    let stats = this.operations.get(op);
    if (stats === undefined) this.operations.set(op, (stats = new OperationStats()));
    return stats;
  }
}

/** One housekeeping phase: its requests per operation, the time they took, and its span from first start to last end. */
export class HousekeepingStats {
  readonly operations = new Map<string, Counts>();
  /** the sum of the requests' durations */
  requestTimeMs = 0;
  /** Infinity / -Infinity while the phase made no timed request */
  firstStartMs = Infinity;
  lastEndMs = -Infinity;

  operation(op: string): Counts {
    let counts = this.operations.get(op);
    if (counts === undefined) this.operations.set(op, (counts = new Counts()));
    return counts;
  }

  /** k6 stamps a request's sample at its end; it started its duration earlier. */
  addRequestTime(endMs: number, durationMs: number): void {
    this.requestTimeMs += durationMs;
    if (endMs - durationMs < this.firstStartMs) this.firstStartMs = endMs - durationMs;
    if (endMs > this.lastEndMs) this.lastEndMs = endMs;
  }

  toJSON(): SerializedHousekeeping {
    return {
      requestTimeMs: this.requestTimeMs,
      firstStartMs: this.firstStartMs,
      lastEndMs: this.lastEndMs,
      operations: [...this.operations].map(([op, counts]) => ({ op, counts: counts.toJSON() })),
    };
  }

  merge(other: SerializedHousekeeping): void {
    this.requestTimeMs += other.requestTimeMs;
    if (other.firstStartMs < this.firstStartMs) this.firstStartMs = other.firstStartMs;
    if (other.lastEndMs > this.lastEndMs) this.lastEndMs = other.lastEndMs;
    for (const { op, counts } of other.operations) this.operation(op).merge(counts);
  }
}

/** What thresholds need of any metric: counts, sums, extremes, the last gauge value and, for trends, a histogram. */
export class MetricStats {
  count = 0;
  sum = 0;
  nonZero = 0;
  min: number | null = null;
  max: number | null = null;
  lastTimeMs = -Infinity;
  lastValue = 0;
  histogram: BucketHistogram | null;

  constructor(keepHistogram: boolean) {
    this.histogram = keepHistogram ? new BucketHistogram() : null;
  }

  add(value: number, timeMs: number): void {
    this.count++;
    this.sum += value;
    if (value !== 0) this.nonZero++;
    if (this.min === null || value < this.min) this.min = value;
    if (this.max === null || value > this.max) this.max = value;
    if (timeMs >= this.lastTimeMs) {
      this.lastTimeMs = timeMs;
      this.lastValue = value;
    }
    if (this.histogram !== null) this.histogram.record(value);
  }
}

export interface InputStats {
  /** lines read, blank lines included */
  lines: number;
  points: number;
  invalidLines: number;
  bytes: number;
}

export class Aggregate {
  readonly bucketMs: number;
  /** keyed by operation, then by the request metric (gRPC and HTTP timings of one op stay apart for thresholds) */
  readonly operations = new Map<string, Map<string, OperationStats>>();
  /** operations known only from the opensaves_requests / opensaves_errors counters */
  readonly counterOperations = new Map<string, Counts>();
  readonly buckets = new Map<number, TimeBucket>();
  readonly steps = new Map<string, StepStats>();
  readonly metrics = new Map<string, MetricStats>();
  readonly declarations = new Map<string, MetricDeclaration>();
  readonly checks = new Map<string, { passes: number; fails: number }>();
  readonly instances = new Map<string, Counts>();
  /** per runner and time bucket: iterations started and dropped */
  readonly runnerLoads = new RunnerLoads();
  /** requests outside the scenario's iterations, by phase: in none of the maps above */
  readonly housekeeping = new Map<HousekeepingPhase, HousekeepingStats>();
  droppedIterations = 0;
  /** first and last sample of any kind, housekeeping included */
  startMs: number | null = null;
  endMs: number | null = null;
  /** the workload's span: from the start of its first request to the end of its last request or iteration */
  workloadStartMs: number | null = null;
  workloadEndMs: number | null = null;
  readonly input: InputStats = { lines: 0, points: 0, invalidLines: 0, bytes: 0 };

  constructor(bucketMs: number) {
    this.bucketMs = bucketMs;
  }

  declare(declaration: MetricDeclaration): void {
    this.declarations.set(declaration.name, declaration);
    const stats = this.metrics.get(declaration.name);
    if (stats !== undefined) stats.histogram = this.keepsHistogram(declaration.name) ? (stats.histogram ?? new BucketHistogram()) : null;
  }

  /** Folds one Point. `defaultInstance` names the runner when the point carries no `instance` tag. */
  add(point: PointFields, defaultInstance: string): void {
    const { metric, value, timeMs } = point;
    this.input.points++;
    if (this.startMs === null || timeMs < this.startMs) this.startMs = timeMs;
    if (this.endMs === null || timeMs > this.endMs) this.endMs = timeMs;
    // Only tagged metrics have their group and scenario read; the others come through here as workload.
    const phase = housekeepingPhaseOf(point.group, point.scenario);
    if (phase !== null) {
      this.addHousekeeping(phase, point);
      return;
    }

    let stats = this.metrics.get(metric);
    if (stats === undefined) this.metrics.set(metric, (stats = new MetricStats(this.keepsHistogram(metric))));
    stats.add(value, timeMs);

    const bucketIndex = Math.floor(timeMs / this.bucketMs);
    const step = point.step === '' ? null : this.step(point.step, timeMs);
    if (REQUEST_DURATION_METRICS.has(metric)) {
      const op = operationOf(point.op, point.name);
      const status = point.status === '' ? 'unknown' : point.status;
      const failed = isFailedRequest(metric, point.status, point.expectedResponse);
      this.widenWorkload(timeMs - value, timeMs);
      const opStats = this.operationStats(op, metric);
      opStats.add(status, failed);
      opStats.latency.record(value);
      const cell = this.bucket(bucketIndex).operation(op);
      cell.add(status, failed);
      cell.latency.record(value);
      if (step !== null) {
        const stepCell = step.operation(op);
        stepCell.add(status, failed);
        stepCell.latency.record(value);
      }
      this.instance(point.instance || defaultInstance).add(status, failed);
      return;
    }
    switch (metric) {
      case OPENSAVES_REQUESTS_METRIC:
      case OPENSAVES_ERRORS_METRIC: {
        const status = normaliseStatus(point.status);
        for (const counts of this.scenarioCells(point, bucketIndex, step, defaultInstance)) {
          if (metric === OPENSAVES_REQUESTS_METRIC) counts.addCounterRequest(status, value);
          else counts.addCounterError(status, value);
        }
        return;
      }
      case DROPPED_ITERATIONS_METRIC:
        this.droppedIterations += value;
        this.bucket(bucketIndex).droppedIterations += value;
        this.runnerLoads.add(point.instance || defaultInstance, bucketIndex, 0, value);
        return;
      case ITERATIONS_METRIC:
        this.widenWorkload(timeMs, timeMs);
        this.bucket(bucketIndex).iterations += value;
        if (step !== null) step.iterations += value;
        this.runnerLoads.add(point.instance || defaultInstance, bucketIndex, value, 0);
        return;
      case VUS_METRIC: {
        const bucket = this.bucket(bucketIndex);
        if (bucket.vus === null || value > bucket.vus) bucket.vus = value;
        return;
      }
      case CHECKS_METRIC: {
        let check = this.checks.get(point.check);
        if (check === undefined) this.checks.set(point.check, (check = { passes: 0, fails: 0 }));
        if (value !== 0) check.passes++;
        else check.fails++;
        const bucket = this.bucket(bucketIndex);
        if (value !== 0) bucket.checksPassed++;
        else bucket.checksFailed++;
        if (point.kind === STATUS_CHECK_KIND && point.op !== '') {
          // The scenarios judge every call with one status check (their failures go to opensaves_errors).
          // A quarter of a run's lines: the cells are visited without building scenarioCells' array.
          const op = operationOf(point.op, point.name);
          const failed = value === 0;
          this.counterOperation(op).addVerdict(failed);
          this.bucket(bucketIndex).operation(op).addVerdict(failed);
          this.instance(point.instance || defaultInstance).addVerdict(failed);
          if (step !== null) step.operation(op).addVerdict(failed);
        }
        return;
      }
      default:
    }
  }

  /**
   * A request, status check or counter of setup(), teardown() or dist/cleanup.js: counted in its phase and its
   * time bucket's housekeeping total only, so no operation, threshold, step, cost or rate sees it.
   */
  private addHousekeeping(phase: HousekeepingPhase, point: PointFields): void {
    const { metric } = point;
    if (REQUEST_DURATION_METRICS.has(metric)) {
      const stats = this.housekeepingPhase(phase);
      stats.operation(operationOf(point.op, point.name)).add(point.status === '' ? 'unknown' : point.status, isFailedRequest(metric, point.status, point.expectedResponse));
      stats.addRequestTime(point.timeMs, point.value);
      this.bucket(Math.floor(point.timeMs / this.bucketMs)).housekeepingRequests++;
    } else if (metric === OPENSAVES_REQUESTS_METRIC || metric === OPENSAVES_ERRORS_METRIC) {
      const counts = this.housekeepingPhase(phase).operation(operationOf(point.op, point.name));
      if (metric === OPENSAVES_REQUESTS_METRIC) counts.addCounterRequest(normaliseStatus(point.status), point.value);
      else counts.addCounterError(normaliseStatus(point.status), point.value);
    } else if (metric === CHECKS_METRIC && point.kind === STATUS_CHECK_KIND && point.op !== '') {
      this.housekeepingPhase(phase).operation(operationOf(point.op, point.name)).addVerdict(point.value === 0);
    }
  }

  private widenWorkload(fromMs: number, toMs: number): void {
    if (this.workloadStartMs === null || fromMs < this.workloadStartMs) this.workloadStartMs = fromMs;
    if (this.workloadEndMs === null || toMs > this.workloadEndMs) this.workloadEndMs = toMs;
  }

  private housekeepingPhase(phase: HousekeepingPhase): HousekeepingStats {
    let stats = this.housekeeping.get(phase);
    if (stats === undefined) this.housekeeping.set(phase, (stats = new HousekeepingStats()));
    return stats;
  }

  /**
   * Trends keep a histogram for thresholds, except request durations: their thresholds use the exact per-operation
   * HDR histograms instead.
   */
  private keepsHistogram(metric: string): boolean {
    if (REQUEST_DURATION_METRICS.has(metric)) return false;
    const declared = this.declarations.get(metric);
    if (declared !== undefined) return declared.type === 'trend';
    return BUILTIN_TRENDS.has(metric) || !BUILTIN_NON_TRENDS.has(metric);
  }

  operationStats(op: string, metric: string): OperationStats {
    let byMetric = this.operations.get(op);
    if (byMetric === undefined) this.operations.set(op, (byMetric = new Map()));
    let stats = byMetric.get(metric);
    if (stats === undefined) byMetric.set(metric, (stats = new OperationStats()));
    return stats;
  }

  private step(name: string, timeMs: number): StepStats {
    let step = this.steps.get(name);
    if (step === undefined) this.steps.set(name, (step = new StepStats()));
    if (timeMs < step.startMs) step.startMs = timeMs;
    if (timeMs > step.endMs) step.endMs = timeMs;
    return step;
  }

  /** The cells a scenario's own count of an operation goes to: the run, the time bucket, the runner and the step. */
  private scenarioCells(point: PointFields, bucketIndex: number, step: StepStats | null, defaultInstance: string): Counts[] {
    const op = operationOf(point.op, point.name);
    const cells = [this.counterOperation(op), this.bucket(bucketIndex).operation(op), this.instance(point.instance || defaultInstance)];
    if (step !== null) cells.push(step.operation(op));
    return cells;
  }

  private counterOperation(op: string): Counts {
    let counts = this.counterOperations.get(op);
    if (counts === undefined) this.counterOperations.set(op, (counts = new Counts()));
    return counts;
  }

  // Consecutive points fall in the same bucket: the last one is kept at hand.
  private lastBucketIndex = Number.NaN;
  private lastBucket: TimeBucket | null = null;

  bucket(index: number): TimeBucket {
    if (index === this.lastBucketIndex && this.lastBucket !== null) return this.lastBucket;
    let bucket = this.buckets.get(index);
    if (bucket === undefined) this.buckets.set(index, (bucket = new TimeBucket()));
    this.lastBucketIndex = index;
    this.lastBucket = bucket;
    return bucket;
  }

  private instance(name: string): Counts {
    let counts = this.instances.get(name);
    if (counts === undefined) this.instances.set(name, (counts = new Counts()));
    return counts;
  }

  toJSON(): SerializedAggregate {
    return {
      bucketMs: this.bucketMs,
      operations: [...this.operations].flatMap(([op, byMetric]) =>
        [...byMetric].map(([metric, stats]) => ({ op, metric, counts: stats.toJSON(), latency: stats.latency.toJSON() })),
      ),
      counterOperations: [...this.counterOperations].map(([op, counts]) => ({ op, counts: counts.toJSON() })),
      buckets: [...this.buckets].map(([index, bucket]) => ({
        index,
        iterations: bucket.iterations,
        droppedIterations: bucket.droppedIterations,
        vus: bucket.vus,
        checksPassed: bucket.checksPassed,
        checksFailed: bucket.checksFailed,
        housekeepingRequests: bucket.housekeepingRequests,
        operations: [...bucket.operations].map(([op, cell]) => ({
          op,
          counts: cell.toJSON(),
          latency: cell.latency.toSparse(),
        })),
      })),
      steps: [...this.steps].map(([name, step]) => ({
        name,
        iterations: step.iterations,
        startMs: step.startMs,
        endMs: step.endMs,
        operations: [...step.operations].map(([op, cell]) => ({ op, counts: cell.toJSON(), latency: cell.latency.toJSON() })),
      })),
      metrics: [...this.metrics].map(([name, m]) => ({
        name,
        count: m.count,
        sum: m.sum,
        nonZero: m.nonZero,
        min: m.min,
        max: m.max,
        lastTimeMs: m.lastTimeMs,
        lastValue: m.lastValue,
        histogram: m.histogram?.toSparse() ?? null,
      })),
      declarations: [...this.declarations.values()],
      checks: [...this.checks],
      instances: [...this.instances].map(([name, counts]) => ({ name, counts: counts.toJSON() })),
      runnerLoads: this.runnerLoads.toJSON(),
      housekeeping: [...this.housekeeping].map(([phase, stats]) => ({ phase, stats: stats.toJSON() })),
      droppedIterations: this.droppedIterations,
      startMs: this.startMs,
      endMs: this.endMs,
      workloadStartMs: this.workloadStartMs,
      workloadEndMs: this.workloadEndMs,
      input: { ...this.input },
    };
  }

  /** Adds an aggregate built elsewhere (same bucket size). */
  merge(other: SerializedAggregate): void {
    if (other.bucketMs !== this.bucketMs) throw new Error(`bucket sizes differ: ${other.bucketMs} vs ${this.bucketMs}`);
    for (const { op, metric, counts, latency } of other.operations) {
      const stats = this.operationStats(op, metric);
      stats.merge(counts);
      stats.latency.addSparse(latency.counts, latency.count, latency.sumMs, latency.minMs, latency.maxMs);
    }
    for (const { op, counts } of other.counterOperations) this.counterOperation(op).merge(counts);
    for (const b of other.buckets) {
      const bucket = this.bucket(b.index);
      bucket.iterations += b.iterations;
      bucket.droppedIterations += b.droppedIterations;
      if (b.vus !== null) bucket.vus = bucket.vus === null ? b.vus : Math.max(bucket.vus, b.vus);
      bucket.checksPassed += b.checksPassed;
      bucket.checksFailed += b.checksFailed;
      bucket.housekeepingRequests += b.housekeepingRequests;
      for (const cell of b.operations) {
        const mine = bucket.operation(cell.op);
        mine.merge(cell.counts);
        mine.latency.add(BucketHistogram.fromSparse(cell.latency));
      }
    }
    for (const st of other.steps) {
      const mine = this.step(st.name, st.startMs);
      if (st.endMs > mine.endMs) mine.endMs = st.endMs;
      mine.iterations += st.iterations;
      for (const cell of st.operations) {
        const stats = mine.operation(cell.op);
        stats.merge(cell.counts);
        const { counts, count, sumMs, minMs, maxMs } = cell.latency;
        stats.latency.addSparse(counts, count, sumMs, minMs, maxMs);
      }
    }
    for (const m of other.metrics) {
      let mine = this.metrics.get(m.name);
      if (mine === undefined) this.metrics.set(m.name, (mine = new MetricStats(false)));
      mine.count += m.count;
      mine.sum += m.sum;
      mine.nonZero += m.nonZero;
      if (m.min !== null && (mine.min === null || m.min < mine.min)) mine.min = m.min;
      if (m.max !== null && (mine.max === null || m.max > mine.max)) mine.max = m.max;
      if (m.lastTimeMs >= mine.lastTimeMs) {
        mine.lastTimeMs = m.lastTimeMs;
        mine.lastValue = m.lastValue;
      }
      if (m.histogram !== null) (mine.histogram ??= new BucketHistogram()).add(BucketHistogram.fromSparse(m.histogram));
    }
    for (const d of other.declarations) this.declarations.set(d.name, d);
    for (const [name, c] of other.checks) {
      const mine = this.checks.get(name) ?? { passes: 0, fails: 0 };
      this.checks.set(name, { passes: mine.passes + c.passes, fails: mine.fails + c.fails });
    }
    for (const { name, counts } of other.instances) this.instance(name).merge(counts);
    this.runnerLoads.merge(other.runnerLoads);
    for (const { phase, stats } of other.housekeeping) this.housekeepingPhase(phase).merge(stats);
    this.droppedIterations += other.droppedIterations;
    if (other.startMs !== null && (this.startMs === null || other.startMs < this.startMs)) this.startMs = other.startMs;
    if (other.endMs !== null && (this.endMs === null || other.endMs > this.endMs)) this.endMs = other.endMs;
    if (other.workloadStartMs !== null && (this.workloadStartMs === null || other.workloadStartMs < this.workloadStartMs)) {
      this.workloadStartMs = other.workloadStartMs;
    }
    if (other.workloadEndMs !== null && (this.workloadEndMs === null || other.workloadEndMs > this.workloadEndMs)) this.workloadEndMs = other.workloadEndMs;
    this.input.lines += other.input.lines;
    this.input.points += other.input.points;
    this.input.invalidLines += other.input.invalidLines;
    this.input.bytes += other.input.bytes;
  }
}

export interface SerializedCounts {
  count: number;
  errors: number;
  statusCodes: [string, number][];
  errorsByStatus: [string, number][];
  counterCount: number;
  counterErrors: number;
  counterStatusCodes: [string, number][];
  counterErrorsByStatus: [string, number][];
  verdicts: number;
  verdictFails: number;
}

export interface SerializedAggregate {
  bucketMs: number;
  operations: { op: string; metric: string; counts: SerializedCounts; latency: SerializedHistogram }[];
  counterOperations: { op: string; counts: SerializedCounts }[];
  buckets: {
    index: number;
    iterations: number;
    droppedIterations: number;
    vus: number | null;
    checksPassed: number;
    checksFailed: number;
    housekeepingRequests: number;
    operations: { op: string; counts: SerializedCounts; latency: number[] }[];
  }[];
  steps: {
    name: string;
    iterations: number;
    startMs: number;
    endMs: number;
    operations: { op: string; counts: SerializedCounts; latency: SerializedHistogram }[];
  }[];
  metrics: {
    name: string;
    count: number;
    sum: number;
    nonZero: number;
    min: number | null;
    max: number | null;
    lastTimeMs: number;
    lastValue: number;
    histogram: number[] | null;
  }[];
  declarations: MetricDeclaration[];
  checks: [string, { passes: number; fails: number }][];
  instances: { name: string; counts: SerializedCounts }[];
  runnerLoads: SerializedRunnerLoads;
  housekeeping: { phase: HousekeepingPhase; stats: SerializedHousekeeping }[];
  droppedIterations: number;
  startMs: number | null;
  endMs: number | null;
  workloadStartMs: number | null;
  workloadEndMs: number | null;
  input: InputStats;
}

export interface SerializedHousekeeping {
  requestTimeMs: number;
  firstStartMs: number;
  lastEndMs: number;
  operations: { op: string; counts: SerializedCounts }[];
}
