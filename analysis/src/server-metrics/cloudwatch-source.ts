// A deployment's CloudWatch as a server-metrics source: GetMetricData over the run window, at most 500 queries and
// 100,800 data points per call, NextToken paging, a period CloudWatch can answer for data of that age. Periods
// without data stay absent (gaps), as CloudWatch returns them.
import { CloudWatchClient, GetMetricDataCommand, type CloudWatchClientConfig, type MetricDataQuery, type MetricDataResult } from '@aws-sdk/client-cloudwatch';
import type { InfraConfig } from '../../../catalogue/deployment.js';
import { cloudWatchQueries, type MetricQuery } from './cloudwatch-queries.js';
import { ServerMetricsUnavailable } from './emulator-source.js';
import type { ServerMetricSeries, ServerMetricsHistory } from './history.js';

// https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/API_GetMetricData.html
export const MAX_QUERIES_PER_CALL = 500;
export const MAX_DATAPOINTS_PER_CALL = 100_800;
/** Fewer points per series keeps a call's 500 queries under the data-point limit and the report readable. */
export const MAX_POINTS_PER_SERIES = 1_440;
const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;
const PERIODS = [1, 5, 10, 30, 60, 120, 300, 600, 900, 1800, 3600, 7200, 21_600, 86_400];

/**
 * CloudWatch's retention rules: data under 3 hours old exists at 1 s only for high-resolution metrics (every metric
 * queried here is standard resolution, 60 s); older than 3 hours a period must be a multiple of 60 s, older than
 * 15 days of 300 s, older than 63 days of 3600 s. Then the smallest such period that keeps a series at most
 * MAX_POINTS_PER_SERIES long.
 */
export function choosePeriodSeconds(fromMs: number, toMs: number, nowMs: number, highResolution = false): number {
  const age = nowMs - fromMs;
  const step = age > 63 * DAY_MS ? 3600 : age > 15 * DAY_MS ? 300 : age > 3 * HOUR_MS || !highResolution ? 60 : 1;
  const windowSec = Math.max(1, (toMs - fromMs) / 1000);
  return PERIODS.find((p) => p % step === 0 && windowSec / p <= MAX_POINTS_PER_SERIES) ?? PERIODS[PERIODS.length - 1]!;
}

/** Queries per call: 500, or fewer when 500 series of this length would pass the data-point limit. */
export function queriesPerCall(fromMs: number, toMs: number, periodSeconds: number): number {
  const points = Math.max(1, Math.ceil((toMs - fromMs) / 1000 / periodSeconds));
  return Math.max(1, Math.min(MAX_QUERIES_PER_CALL, Math.floor(MAX_DATAPOINTS_PER_CALL / points)));
}

export interface CloudWatchFetchOptions {
  /** merged into each client's configuration (tests: endpoint and credentials) */
  clientConfig?: Partial<CloudWatchClientConfig>;
  nowMs?: number;
}

export interface CloudWatchFetch {
  history: ServerMetricsHistory;
  /** partial data, messages from CloudWatch, metrics that could not be asked for */
  warnings: string[];
  calls: number;
}

export async function fetchCloudWatchHistory(config: InfraConfig, fromMs: number, toMs: number, options: CloudWatchFetchOptions = {}): Promise<CloudWatchFetch> {
  const plan = cloudWatchQueries(config);
  const periodSeconds = choosePeriodSeconds(fromMs, toMs, options.nowMs ?? Date.now());
  // CloudWatch aligns periods to the clock: widen the window to whole periods so the first and last are complete.
  const periodMs = periodSeconds * 1000;
  const start = Math.floor(fromMs / periodMs) * periodMs;
  const end = Math.ceil(toMs / periodMs) * periodMs;
  const perCall = queriesPerCall(start, end, periodSeconds);
  const warnings = [...plan.notes];
  const series: ServerMetricSeries[] = [];
  let calls = 0;

  // The SDK warns once per process that its 2027 releases need Node 22; the kit runs on Node 20, and a one-line
  // report should not end in a paragraph about it. An explicit setting of the variable is left alone.
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
  const byRegion = new Map<string, MetricQuery[]>();
  for (const query of plan.queries) byRegion.set(query.region, [...(byRegion.get(query.region) ?? []), query]);
  for (const [region, queries] of byRegion) {
    const client = new CloudWatchClient({ region, maxAttempts: 2, ...options.clientConfig });
    try {
      for (let offset = 0; offset < queries.length; offset += perCall) {
        const batch = queries.slice(offset, offset + perCall);
        const points = new Map<string, Array<[number, number]>>(batch.map((_, i) => [queryId(offset + i), []]));
        let nextToken: string | undefined;
        do {
          calls++;
          const output = await send(client, region, {
            StartTime: new Date(start),
            EndTime: new Date(end),
            ScanBy: 'TimestampAscending',
            NextToken: nextToken,
            MetricDataQueries: batch.map((query, i) => metricDataQuery(queryId(offset + i), query, periodSeconds)),
          });
          for (const result of output.MetricDataResults ?? []) collect(result, points, warnings);
          for (const message of output.Messages ?? []) warnings.push(`CloudWatch (${region}): ${message.Code ?? ''} ${message.Value ?? ''}`.trim());
          nextToken = output.NextToken;
        } while (nextToken !== undefined && nextToken !== '');
        batch.forEach((query, i) => {
          const collected = points.get(queryId(offset + i))!;
          collected.sort((a, b) => a[0] - b[0]);
          series.push({ namespace: query.namespace, metricName: query.metricName, dimensions: query.dimensions, statistic: query.statistic, unit: query.unit, points: collected });
        });
      }
    } finally {
      client.destroy();
    }
  }
  return {
    history: { source: 'cloudwatch', from: start, to: end, periodSeconds, series, settings: { region: config.region } },
    warnings,
    calls,
  };
}

/** q0, q1, ...: GetMetricData ids must start with a lower-case letter. */
function queryId(index: number): string {
  return `q${index}`;
}

function metricDataQuery(id: string, query: MetricQuery, periodSeconds: number): MetricDataQuery {
  return {
    Id: id,
    ReturnData: true,
    MetricStat: {
      Metric: { Namespace: query.namespace, MetricName: query.metricName, Dimensions: Object.entries(query.dimensions).map(([Name, Value]) => ({ Name, Value })) },
      Period: periodSeconds,
      Stat: query.statistic,
    },
  };
}

function collect(result: MetricDataResult, points: Map<string, Array<[number, number]>>, warnings: string[]): void {
  const target = result.Id === undefined ? undefined : points.get(result.Id);
  if (target === undefined) return;
  const timestamps = result.Timestamps ?? [];
  const values = result.Values ?? [];
  for (let i = 0; i < Math.min(timestamps.length, values.length); i++) {
    const value = values[i]!;
    if (Number.isFinite(value)) target.push([timestamps[i]!.getTime(), value]);
  }
  if (result.StatusCode === 'Forbidden' || result.StatusCode === 'InternalError') {
    warnings.push(`CloudWatch answered ${result.StatusCode} for ${result.Label ?? result.Id}`);
  }
}

async function send(client: CloudWatchClient, region: string, input: ConstructorParameters<typeof GetMetricDataCommand>[0]) {
  try {
    return await client.send(new GetMetricDataCommand(input));
  } catch (error) {
    throw new ServerMetricsUnavailable(`--cloudwatch: GetMetricData in ${region} failed: ${describeAwsError(error)}`);
  }
}

export function describeAwsError(error: unknown): string {
  const e = error as { name?: string; message?: string; code?: string; $metadata?: { httpStatusCode?: number }; cause?: { code?: string } };
  const name = e.name ?? 'Error';
  const status = e.$metadata?.httpStatusCode;
  if (name === 'CredentialsProviderError' || /credential/i.test(e.message ?? '')) {
    return `no AWS credentials (${e.message ?? name}); set AWS_PROFILE or AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY`;
  }
  if (/AccessDenied|UnauthorizedOperation|NotAuthorized/i.test(name) || status === 403) {
    return `access denied (${e.message ?? name}); the credentials need cloudwatch:GetMetricData`;
  }
  const network = e.code ?? e.cause?.code;
  if (network !== undefined && /^E[A-Z]+/.test(network)) return `CloudWatch unreachable (${network})`;
  if (name === 'TimeoutError') return 'CloudWatch unreachable (timed out)';
  return `${name}${status === undefined ? '' : ` (HTTP ${status})`}: ${e.message ?? ''}`.trim();
}
