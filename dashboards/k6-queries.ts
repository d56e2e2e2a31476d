// How dashboards and alarms address the k6 series in CloudWatch. The output extension
// sends one series per combination of the tags present on a sample (op, status, scenario,
// and testid when the run sets RUN_ID), so a plain metric must name all of them.
import type { InfraConfig } from '../catalogue/deployment.js';
import { k6MetricName } from '../catalogue/k6-metrics.js';
import type { OperationSeries, Protocol } from '../catalogue/operations.js';

export interface K6SeriesFilter {
  readonly namespace: string;
  readonly scenario: string;
  // The testid tag the scenarios set from RUN_ID; absent when runs are not tagged.
  readonly runId?: string;
}

export function k6SeriesFilter(config: InfraConfig): K6SeriesFilter {
  return {
    namespace: config.k6Namespace,
    scenario: config.k6Scenario,
    ...(config.k6RunId === undefined ? {} : { runId: config.k6RunId }),
  };
}

export const DURATION_METRIC: Readonly<Record<Protocol, string>> = {
  grpc: 'grpc_req_duration',
  http: 'http_req_duration',
};

export function durationMetricName(protocol: Protocol): string {
  return k6MetricName(DURATION_METRIC[protocol]);
}

// The dimensions of one operation's successful calls.
export function successDimensions(filter: K6SeriesFilter, op: OperationSeries): Record<string, string> {
  return {
    op: op.op,
    scenario: filter.scenario,
    status: op.successStatus,
    ...(filter.runId === undefined ? {} : { testid: filter.runId }),
  };
}

export interface InsightsOptions {
  readonly groupBy?: string;
  // vus and vus_max carry no scenario tag: they belong to the whole run.
  readonly perScenario?: boolean;
}

// A Metrics Insights query over the whole namespace, so it adds up every op/status series.
export function insightsQuery(filter: K6SeriesFilter, select: string, options: InsightsOptions = {}): string {
  const conditions = [
    ...(options.perScenario === false ? [] : [`scenario = '${filter.scenario}'`]),
    ...(filter.runId === undefined ? [] : [`testid = '${filter.runId}'`]),
  ];
  const where = conditions.length === 0 ? '' : ` WHERE ${conditions.join(' AND ')}`;
  const group = options.groupBy === undefined ? '' : ` GROUP BY ${options.groupBy}`;
  return `SELECT ${select} FROM "${filter.namespace}"${where}${group}`;
}
