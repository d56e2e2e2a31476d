// summary.json, schema version 1: the machine-readable result of an analysis, and what --baseline reads back.
import type { Aggregate, HousekeepingStats } from './aggregate/aggregate.js';
import { HOUSEKEEPING_PHASES, type HousekeepingPhase } from './aggregate/housekeeping.js';
import type { Capacity } from './verdicts/capacity.js';
import type { Comparison } from './verdicts/compare.js';
import type { CostEstimate } from './verdicts/cost.js';
import type { OperationView } from './aggregate/operations.js';
import { PERCENTILE_KEYS, type PercentileKey } from './aggregate/percentiles.js';
import { REPORTED_PERCENTILES } from './config/constants.js';
import type { InputFile } from './input/plan.js';
import type { K6Summary } from './input/k6-summary.js';
import type { SloVerdict } from './verdicts/slo.js';
import type { ThresholdResult } from './verdicts/thresholds.js';
import type { Protocol } from './format.js';
import type { Scaling } from './scaling/types.js';
import type { RunnerRates } from './scaling/runner-rates.js';

export const SCHEMA_VERSION = 1;

export type LatencySummary = { min: number | null; mean: number | null } & Record<PercentileKey, number | null> & { max: number | null };

export interface OperationSummary {
  count: number;
  errors: number;
  errorRate: number;
  rps: number | null;
  statusCodes: Record<string, number>;
  latencyMs: LatencySummary;
  /** where the counts come from: k6 request-duration points, or only the opensaves_requests counter */
  source: 'request-duration' | 'counter';
  /** the status space of statusCodes: gRPC codes, HTTP codes, or unknown */
  protocol: Protocol;
}

/** Requests outside the scenario's iterations: in no other figure of the summary. */
export interface HousekeepingPhaseSummary {
  requests: number;
  errors: number;
  /** the sum of the requests' durations */
  requestTimeSec: number;
  /** from the start of the phase's first request to the end of its last */
  wallTimeSec: number;
  operations: Record<string, { requests: number; errors: number }>;
}

export interface HousekeepingSummary {
  requests: number;
  errors: number;
  requestTimeSec: number;
  /** setup (the preflight included), teardown, cleanup (dist/cleanup.js's workers); phases without requests are left out */
  phases: Partial<Record<HousekeepingPhase, HousekeepingPhaseSummary>>;
}

/** One runner: its requests, and whether it kept up with the iterations it was to start. */
export interface InstanceSummary {
  requests: number;
  errors: number;
  errorRate: number;
  iterations: number;
  droppedIterations: number;
  /** iterations/s offered (started plus dropped) and started, over the full time buckets it offered load in; null without iterations */
  offeredRate: number | null;
  achievedRate: number | null;
  /** the first time it fell behind for 3 s running (achieved below 95 % of offered, or dropped above 5 %); null: it kept up */
  fellBehind: { time: string; offeredRate: number; achievedRate: number; droppedRate: number } | null;
}

export interface Summary {
  schemaVersion: typeof SCHEMA_VERSION;
  inputs: { path: string; bytes: number; instance: string }[];
  /** the whole output, setup() and teardown() included */
  startTime: string | null;
  endTime: string | null;
  durationSec: number;
  bucketSec: number;
  /** the workload only; rates are per second of its span (durationSec here: first request's start to last end) */
  totals: { requests: number; errors: number; errorRate: number; rps: number | null; durationSec: number };
  housekeeping: HousekeepingSummary;
  operations: Record<string, OperationSummary>;
  /** per runner (the `instance` tag, else the input file name) */
  instances: Record<string, InstanceSummary>;
  droppedIterations: number;
  /** k6 iterations: count, rate and duration percentiles (ms, from the iteration_duration trend) */
  iterations: { count: number; rate: number | null; durationMs: { p50: number | null; p95: number | null } };
  /** bytes k6 sent and received (data_sent, data_received) */
  data: { sentBytes: number; receivedBytes: number };
  checks: { passes: number; fails: number; byName: Record<string, { passes: number; fails: number }> };
  thresholds: ThresholdResult[];
  /** the scenario's handleSummary file, when one was read: where thresholds came from, and the run's settings */
  scenario?: { summaryPath: string; name: string | null; config: Record<string, unknown> | null; notes: string[] };
  slo: SloVerdict & { source: string };
  comparison?: Comparison;
  capacity?: Capacity;
  cost?: CostEstimate;
  /** scaling recommendations: {goalRate, bottleneck, components: [{name, saturatedAtRate, evidence, recommendation, arithmetic}]} */
  scaling?: Scaling;
  input: { lines: number; points: number; invalidLines: number; bytes: number };
  warnings: string[];
  /** latency histograms per operation as [microseconds, count, ...], so a later run can test against this one */
  histograms: Record<string, number[]>;
}

function iterationsOf(aggregate: Aggregate, rate: (n: number) => number | null): Summary['iterations'] {
  const count = aggregate.metrics.get('iterations')?.sum ?? 0;
  const duration = aggregate.metrics.get('iteration_duration')?.histogram ?? null;
  return { count, rate: rate(count), durationMs: { p50: duration?.percentileMs(50) ?? null, p95: duration?.percentileMs(95) ?? null } };
}

export function durationSecOf(aggregate: Aggregate): number {
  return aggregate.startMs === null || aggregate.endMs === null ? 0 : (aggregate.endMs - aggregate.startMs) / 1000;
}

/** The workload's span in seconds, what its rates are per: setup() and a long teardown() would dilute them. */
export function workloadSecOf(aggregate: Aggregate): number {
  if (aggregate.workloadStartMs === null || aggregate.workloadEndMs === null) return durationSecOf(aggregate);
  return (aggregate.workloadEndMs - aggregate.workloadStartMs) / 1000;
}

function phaseSummary(stats: HousekeepingStats): HousekeepingPhaseSummary {
  const operations: HousekeepingPhaseSummary['operations'] = {};
  let requests = 0;
  let errors = 0;
  for (const [op, counts] of [...stats.operations].sort(([a], [b]) => a.localeCompare(b))) {
    operations[op] = { requests: counts.effectiveCount, errors: counts.effectiveErrors };
    requests += counts.effectiveCount;
    errors += counts.effectiveErrors;
  }
  const wallTimeSec = Number.isFinite(stats.firstStartMs) && Number.isFinite(stats.lastEndMs) ? (stats.lastEndMs - stats.firstStartMs) / 1000 : 0;
  return { requests, errors, requestTimeSec: stats.requestTimeMs / 1000, wallTimeSec, operations };
}

export function housekeepingOf(aggregate: Aggregate): HousekeepingSummary {
  const phases: HousekeepingSummary['phases'] = {};
  let requests = 0;
  let errors = 0;
  let requestTimeSec = 0;
  for (const phase of HOUSEKEEPING_PHASES) {
    const stats = aggregate.housekeeping.get(phase);
    if (stats === undefined) continue;
    const summary = phaseSummary(stats);
    phases[phase] = summary;
    requests += summary.requests;
    errors += summary.errors;
    requestTimeSec += summary.requestTimeSec;
  }
  return { requests, errors, requestTimeSec, phases };
}

function instancesOf(aggregate: Aggregate, runners: readonly RunnerRates[]): Summary['instances'] {
  const byName = new Map(runners.map((r) => [r.name, r]));
  const names = [...new Set([...aggregate.instances.keys(), ...byName.keys()])].sort((a, b) => a.localeCompare(b));
  const round = (value: number): number => Math.round(value * 1000) / 1000;
  return Object.fromEntries(
    names.map((name) => {
      const c = aggregate.instances.get(name);
      const r = byName.get(name);
      const requests = c?.effectiveCount ?? 0;
      const errors = c?.effectiveErrors ?? 0;
      const behind = r?.fellBehind ?? null;
      return [
        name,
        {
          requests,
          errors,
          errorRate: requests === 0 ? 0 : errors / requests,
          iterations: r?.iterations ?? 0,
          droppedIterations: r?.droppedIterations ?? 0,
          offeredRate: r?.offeredRate == null ? null : round(r.offeredRate),
          achievedRate: r?.achievedRate == null ? null : round(r.achievedRate),
          fellBehind:
            behind === null
              ? null
              : { time: new Date(behind.timeMs).toISOString(), offeredRate: round(behind.offered), achievedRate: round(behind.achieved), droppedRate: round(behind.dropped) },
        },
      ];
    }),
  );
}

export function buildSummary(parts: {
  aggregate: Aggregate;
  files: readonly InputFile[];
  views: ReadonlyMap<string, OperationView>;
  thresholds: ThresholdResult[];
  k6Summary: K6Summary | null;
  slo: SloVerdict & { source: string };
  warnings: string[];
  comparison: Comparison | null;
  capacity: Capacity | null;
  cost: CostEstimate | null;
  scaling?: Scaling | null;
  runners?: readonly RunnerRates[];
}): Summary {
  const { aggregate, views } = parts;
  const durationSec = durationSecOf(aggregate);
  const workloadSec = workloadSecOf(aggregate);
  const rate = (n: number): number | null => (workloadSec > 0 ? n / workloadSec : null);
  const operations: Record<string, OperationSummary> = {};
  const histograms: Record<string, number[]> = {};
  let requests = 0;
  let errors = 0;
  for (const [op, view] of views) {
    const { stats } = view;
    const count = stats.effectiveCount;
    const failed = stats.effectiveErrors;
    requests += count;
    errors += failed;
    const latency = stats.latency;
    const latencyMs = { min: latency.minMs, mean: latency.meanMs } as LatencySummary;
    REPORTED_PERCENTILES.forEach((p, i) => (latencyMs[PERCENTILE_KEYS[i]!] = latency.percentileMs(p)));
    latencyMs.max = latency.maxMs;
    operations[op] = {
      count,
      errors: failed,
      errorRate: count === 0 ? 0 : failed / count,
      rps: rate(count),
      statusCodes: Object.fromEntries([...stats.effectiveStatusCodes].sort(([a], [b]) => a.localeCompare(b, 'en', { numeric: true }))),
      latencyMs,
      source: view.source,
      protocol: view.protocol,
    };
    if (latency.count > 0) histograms[op] = latency.toSparse();
  }
  const checks = [...aggregate.checks];
  const summary: Summary = {
    schemaVersion: SCHEMA_VERSION,
    inputs: parts.files.map((f) => ({ path: f.path, bytes: f.bytes, instance: f.instance })),
    startTime: aggregate.startMs === null ? null : new Date(aggregate.startMs).toISOString(),
    endTime: aggregate.endMs === null ? null : new Date(aggregate.endMs).toISOString(),
    durationSec,
    bucketSec: aggregate.bucketMs / 1000,
    totals: { requests, errors, errorRate: requests === 0 ? 0 : errors / requests, rps: rate(requests), durationSec: workloadSec },
    housekeeping: housekeepingOf(aggregate),
    operations,
    instances: instancesOf(aggregate, parts.runners ?? []),
    droppedIterations: aggregate.droppedIterations,
    iterations: iterationsOf(aggregate, rate),
    data: { sentBytes: aggregate.metrics.get('data_sent')?.sum ?? 0, receivedBytes: aggregate.metrics.get('data_received')?.sum ?? 0 },
    checks: {
      passes: checks.reduce((sum, [, c]) => sum + c.passes, 0),
      fails: checks.reduce((sum, [, c]) => sum + c.fails, 0),
      byName: Object.fromEntries(checks.sort(([a], [b]) => a.localeCompare(b))),
    },
    thresholds: parts.thresholds,
    slo: parts.slo,
    input: { ...aggregate.input },
    warnings: parts.warnings,
    histograms,
  };
  if (parts.k6Summary !== null) {
    const { path, scenario, config, notes } = parts.k6Summary;
    summary.scenario = { summaryPath: path, name: scenario, config, notes };
  }
  if (parts.comparison !== null) summary.comparison = parts.comparison;
  if (parts.capacity !== null) summary.capacity = parts.capacity;
  if (parts.cost !== null) summary.cost = parts.cost;
  if (parts.scaling !== undefined && parts.scaling !== null) summary.scaling = parts.scaling;
  return summary;
}
