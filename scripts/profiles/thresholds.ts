// Service-level objectives per operation class, turned into k6 thresholds on
// per-operation sub-metrics. SLO_P95_MS, SLO_P99_MS and SLO_ERROR_RATE override
// the defaults of every class at once. Every threshold selects the scenario's own
// samples (`scenario:main`): what setup() and teardown() send carries no scenario
// tag (k6 tags it group ::setup / ::teardown), so housekeeping never counts in one.
import type { Config, ProfileName } from '../lib/config/config.js';
import type { RpcName } from '../lib/config/constants.js';

export type OperationClass = 'ping' | 'read' | 'query' | 'write' | 'atomic' | 'blob';

export const OPERATION_CLASS: Readonly<Record<RpcName, OperationClass>> = {
  Ping: 'ping',
  GetStore: 'read',
  ListStores: 'read',
  GetRecord: 'read',
  GetRecords: 'read',
  QueryRecords: 'query',
  CreateStore: 'write',
  DeleteStore: 'write',
  CreateRecord: 'write',
  UpdateRecord: 'write',
  DeleteRecord: 'write',
  CreateChunkedBlob: 'write',
  CreateChunkUrls: 'write',
  CommitChunkedUpload: 'write',
  AbortChunkedUpload: 'write',
  DeleteBlob: 'write',
  CompareAndSwap: 'atomic',
  CompareAndSwapGreaterInt: 'atomic',
  CompareAndSwapLessInt: 'atomic',
  AtomicAddInt: 'atomic',
  AtomicSubInt: 'atomic',
  AtomicInc: 'atomic',
  AtomicDec: 'atomic',
  CreateBlob: 'blob',
  UploadChunk: 'blob',
  GetBlob: 'blob',
  GetBlobChunk: 'blob',
};

export interface Slo {
  readonly p95Ms: number;
  readonly p99Ms: number;
  /** fraction of calls allowed to fail */
  readonly errorRate: number;
}

// Latency budgets for a deployment in the same region; blob budgets cover 10 MB transfers.
export const SLO_DEFAULTS: Readonly<Record<OperationClass, Omit<Slo, 'errorRate'>>> = {
  ping: { p95Ms: 50, p99Ms: 100 },
  read: { p95Ms: 100, p99Ms: 250 },
  query: { p95Ms: 250, p99Ms: 500 },
  write: { p95Ms: 200, p99Ms: 500 },
  atomic: { p95Ms: 200, p99Ms: 500 },
  blob: { p95Ms: 2000, p99Ms: 5000 },
};

// A smoke run is a functional check: no call may fail. Load-type runs tolerate 1 %.
export const ERROR_RATE_DEFAULTS: Readonly<Record<ProfileName, number>> = {
  smoke: 0,
  load: 0.01,
  stress: 0.01,
  spike: 0.01,
  soak: 0.01,
  capacity: 0.01,
};

export function sloFor(op: RpcName, config: Config): Slo {
  const defaults = SLO_DEFAULTS[OPERATION_CLASS[op]];
  return {
    p95Ms: config.sloP95Ms ?? defaults.p95Ms,
    p99Ms: config.sloP99Ms ?? Math.max(defaults.p99Ms, config.sloP95Ms ?? 0),
    errorRate: config.sloErrorRate ?? ERROR_RATE_DEFAULTS[config.profile],
  };
}

/** The metric that carries an operation's latency on the chosen transport. */
export function latencyMetric(config: Config): string {
  // k6 records grpc_req_duration for streams too (start to end of the stream), tagged like unary calls.
  return config.transport === 'http' ? 'http_req_duration' : 'grpc_req_duration';
}

export type Thresholds = Record<string, string[]>;

/** The k6 scenario every profile runs the workload in (profiles/index.ts). */
export const WORKLOAD_SCENARIO = 'main';

/**
 * The sub-metric of `metric` holding only the workload's samples, e.g.
 * `http_req_duration{op:GetRecord,scenario:main}` for tags `op:GetRecord`.
 */
export function workloadMetric(metric: string, tags = ''): string {
  return `${metric}{${tags === '' ? '' : `${tags},`}scenario:${WORKLOAD_SCENARIO}}`;
}

/** Latency and error-rate thresholds for each operation a scenario issues. */
export function operationThresholds(ops: readonly RpcName[], config: Config, extraTags = ''): Thresholds {
  const thresholds: Thresholds = {};
  for (const op of ops) {
    const slo = sloFor(op, config);
    thresholds[workloadMetric(latencyMetric(config), `op:${op}${extraTags}`)] = [`p(95)<${slo.p95Ms}`, `p(99)<${slo.p99Ms}`];
    // Each call is one `kind:status` check, so this sub-metric's rate is the call success rate.
    thresholds[workloadMetric('checks', `op:${op},kind:status${extraTags}`)] = [
      slo.errorRate === 0 ? 'rate==1' : `rate>=${roundRate(1 - slo.errorRate)}`,
    ];
  }
  return thresholds;
}

/** A smoke run is a functional check: every check passes and nothing read back differs from what was written. */
export function baseThresholds(config: Config): Thresholds {
  if (config.profile !== 'smoke') return {};
  return { [workloadMetric('checks')]: ['rate==1'], [workloadMetric('opensaves_verify_failures')]: ['count==0'] };
}

/**
 * The workload's request and error totals, listed (they always hold) so the summary can
 * tell them from the whole metrics, which include housekeeping (summary.ts).
 */
export function workloadTotalThresholds(config: Config): Thresholds {
  return { [workloadMetric(latencyMetric(config))]: ['max>=0'], [workloadMetric('opensaves_errors')]: ['count>=0'] };
}

function roundRate(rate: number): number {
  return Math.round(rate * 10_000) / 10_000;
}
