// summary.json, schema version 1: the machine-readable result of an analysis, and what --baseline reads back.
import type { Aggregate } from './aggregate/aggregate.js';
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

export interface Summary {
  schemaVersion: typeof SCHEMA_VERSION;
  inputs: { path: string; bytes: number; instance: string }[];
  startTime: string | null;
  endTime: string | null;
  durationSec: number;
  bucketSec: number;
  totals: { requests: number; errors: number; errorRate: number; rps: number | null };
  operations: Record<string, OperationSummary>;
  /** requests and errors per runner (the `instance` tag, else the input file name) */
  instances: Record<string, { requests: number; errors: number; errorRate: number }>;
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
}): Summary {
  const { aggregate, views } = parts;
  const durationSec = durationSecOf(aggregate);
  const rate = (n: number): number | null => (durationSec > 0 ? n / durationSec : null);
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
    totals: { requests, errors, errorRate: requests === 0 ? 0 : errors / requests, rps: rate(requests) },
    operations,
    instances: Object.fromEntries(
      [...aggregate.instances]
        .sort(([a], [b]) => a.localeCompare(b))
        .map(([name, c]) => [
          name,
          { requests: c.effectiveCount, errors: c.effectiveErrors, errorRate: c.effectiveCount === 0 ? 0 : c.effectiveErrors / c.effectiveCount },
        ]),
    ),
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
