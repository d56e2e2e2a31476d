// Synthetic runs for the scaling tests: a client time series with a staircase of offered load (one bucket per
// second) and server histories derived from it with known per-request costs, so every recommendation has an exact
// expected figure.
import type { Capacity } from '../../../../analysis/src/verdicts/capacity.js';
import type { TimeSeries } from '../../../../analysis/src/aggregate/timeseries.js';
import type { ServerMetricSeries, ServerMetricsHistory } from '../../../../catalogue/server-metrics.js';
import { CONTAINER_INSIGHTS as CI, DYNAMODB, ELASTICACHE as EC, WAFV2 } from '../../../../catalogue/aws-metrics.js';

export const START_MS = Date.UTC(2026, 11, 3, 12, 0, 0);
/** iterations/s per second of the run: five 12-second steps of 10, 20, 30, 40, 50 */
export const STEP_RATES = [10, 20, 30, 40, 50];
export const STEP_SECONDS = 12;
export const RATES = STEP_RATES.flatMap((rate) => Array<number>(STEP_SECONDS).fill(rate));
export const END_MS = START_MS + RATES.length * 1000 - 1;

/** `housekeeping`: requests/s of setup() or teardown() per second of the run (default none). */
export function clientSeries(rates: readonly number[] = RATES, requestsPerIteration = 1, housekeeping: readonly number[] = []): TimeSeries {
  return {
    bucketSec: 1,
    offsetsSec: rates.map((_, i) => i),
    startsMs: rates.map((_, i) => START_MS + i * 1000),
    coveredSec: rates.map(() => 1),
    requestsPerSec: rates.map((r) => r * requestsPerIteration),
    housekeepingPerSec: rates.map((_, i) => housekeeping[i] ?? 0),
    errorsPerSec: rates.map(() => 0),
    offeredIterationsPerSec: [...rates],
    iterationsPerSec: [...rates],
    droppedPerSec: rates.map(() => 0),
    vus: rates.map(() => null),
    errorsByStatus: {},
    operations: {},
    buckets: [],
  };
}

/** A capacity result whose first failing step is `failingStep` (0-based), as capacity.ts reports it. */
export function capacityFailingAt(failingStep: number | null): Capacity {
  const steps = STEP_RATES.map((rate, index) => ({
    index,
    name: String(index + 1),
    startSec: index * STEP_SECONDS,
    durationSec: STEP_SECONDS,
    offeredPerSec: rate,
    achievedPerSec: rate,
    requestsPerSec: rate,
    droppedPerSec: 0,
    errorRate: 0,
    pass: failingStep === null || index < failingStep,
    violations: failingStep !== null && index === failingStep ? [{ op: 'CreateRecord', criterion: 'errorRate' as const, limit: 0.01, observed: 0.2 }] : [],
    p95Ms: {},
  }));
  return { steps, maxRateHoldingSlo: null, lastHeldStep: null, firstFailingStep: failingStep, brokeFirst: [], findings: [] };
}

export interface ModelParameters {
  wcuPerRequest: number;
  rcuPerRequest: number;
  provisionedWcu: number;
  provisionedRcu: number;
  cpuMsPerRequest: number;
  pods: number;
  podsMax: number;
  cpuLimitMillicores: number;
  cpuRequestMillicores: number;
  /** of the CPU request, as Kubernetes' HPA */
  hpaTargetPercent: number;
  /** seconds of the run without DynamoDB points (a gap) */
  gap?: [number, number];
}

function series(namespace: string, metricName: string, dimensions: Record<string, string>, statistic: string, unit: string, points: Array<[number, number]>): ServerMetricSeries {
  return { namespace, metricName, dimensions, statistic, unit, points };
}

/** Pods, the records table and a cache, one point per second, as the emulator's model would record them. */
export function history(p: ModelParameters, rates: readonly number[] = RATES): ServerMetricsHistory {
  const t = (i: number): number => START_MS + i * 1000;
  const table = { [DYNAMODB.dimensions.table]: 'open-saves-records' };
  const pods = { [CI.dimensions.cluster]: 'local', [CI.dimensions.namespace]: 'default', [CI.dimensions.service]: 'open-saves' };
  const inGap = (i: number): boolean => p.gap !== undefined && i >= p.gap[0] && i < p.gap[1];
  const wanted = rates.map((r) => r * p.wcuPerRequest);
  const consumedWrite = rates.map((_, i) => [t(i), Math.min(wanted[i]!, p.provisionedWcu)] as [number, number]).filter((_, i) => !inGap(i));
  const writeThrottles = rates.map((_, i) => [t(i), Math.max(0, (wanted[i]! - p.provisionedWcu) / p.wcuPerRequest)] as [number, number]).filter((_, i) => !inGap(i));
  const consumedRead = rates.map((r, i) => [t(i), r * p.rcuPerRequest] as [number, number]);
  const demand = rates.map((r) => (100 * r * p.cpuMsPerRequest) / (p.pods * p.cpuLimitMillicores));
  const cpuPercent = rates.map((_, i) => [t(i), Math.min(100, demand[i]!)] as [number, number]);
  // Requests wait for a pod once the pods are busy for the whole second.
  const queued = rates.map((r, i) => [t(i), demand[i]! > 100 ? Math.ceil((r * (demand[i]! - 100)) / demand[i]!) : 0] as [number, number]);
  return {
    source: 'emulator-model',
    from: START_MS,
    to: END_MS + 1,
    periodSeconds: 1,
    settings: {
      'pods.min': p.pods,
      'pods.max': p.podsMax,
      'pods.cpuLimitMillicores': p.cpuLimitMillicores,
      'pods.cpuRequestMillicores': p.cpuRequestMillicores,
      'pods.hpa.targetCpuPercent': p.hpaTargetPercent,
      'dynamodb.records.mode': 'provisioned',
      'dynamodb.records.wcu': p.provisionedWcu,
      'dynamodb.records.rcu': p.provisionedRcu,
      'cache.memoryBytes': 64 * 2 ** 20,
    },
    series: [
      series(CI.namespace, CI.metrics.podCpuOverLimit, pods, 'Average', 'Percent', cpuPercent),
      series(CI.namespace, CI.metrics.runningPods, pods, 'Average', 'Count', rates.map((_, i) => [t(i), p.pods])),
      series('OpenSaves/EmulatorModel', 'RequestQueueLength', pods, 'Maximum', 'Count', queued),
      series(DYNAMODB.namespace, DYNAMODB.metrics.consumedWrite, table, 'Sum', 'Count', consumedWrite),
      series(DYNAMODB.namespace, DYNAMODB.metrics.consumedRead, table, 'Sum', 'Count', consumedRead),
      series(DYNAMODB.namespace, DYNAMODB.metrics.provisionedWrite, table, 'Average', 'Count', rates.map((_, i) => [t(i), p.provisionedWcu])),
      series(DYNAMODB.namespace, DYNAMODB.metrics.provisionedRead, table, 'Average', 'Count', rates.map((_, i) => [t(i), p.provisionedRcu])),
      series(DYNAMODB.namespace, DYNAMODB.metrics.writeThrottles, table, 'Sum', 'Count', writeThrottles),
      series(DYNAMODB.namespace, DYNAMODB.metrics.readThrottles, table, 'Sum', 'Count', rates.map((_, i) => [t(i), 0])),
      // The cache fills with what was written: 1 % of its memory per 100 writes, never evicting in these runs.
      series(EC.namespace, EC.metrics.memoryUsage, { [EC.dimensions.cluster]: 'local-redis' }, 'Average', 'Percent', cumulative(rates).map((n, i) => [t(i), n / 100])),
      series(EC.namespace, EC.metrics.engineCpu, { [EC.dimensions.cluster]: 'local-redis' }, 'Average', 'Percent', rates.map((r, i) => [t(i), r * 0.2])),
      series(EC.namespace, EC.metrics.evictions, { [EC.dimensions.cluster]: 'local-redis' }, 'Sum', 'Count', rates.map((_, i) => [t(i), 0])),
    ],
  };
}

function cumulative(values: readonly number[]): number[] {
  let total = 0;
  return values.map((v) => (total += v));
}

/** A WAF rule with `limit` per `windowSeconds` that blocks from second `blockedFrom` on. */
export function withWaf(h: ServerMetricsHistory, limit: number, windowSeconds: number, blockedFrom: number): ServerMetricsHistory {
  const dims = { [WAFV2.dimensions.webAcl]: 'local', [WAFV2.dimensions.rule]: 'RateLimit' };
  const points: Array<[number, number]> = RATES.map((r, i) => [START_MS + i * 1000, i >= blockedFrom ? r : 0]);
  return {
    ...h,
    settings: { ...h.settings, 'waf.limit': limit, 'waf.windowSeconds': windowSeconds },
    series: [...h.series, series(WAFV2.namespace, WAFV2.metrics.blocked, dims, 'Sum', 'Count', points)],
  };
}
