// The one shape of server-side metrics over a run window, whichever source filled it:
// CloudWatch GetMetricData for a real deployment, or the local emulator's component
// model (GET /metrics/history?from=&to=). Names and dimensions are CloudWatch's own
// (catalogue/aws-metrics.ts), so the scaling analysis reads both sources the same way.

/** One CloudWatch statistic of one metric, one value per period. */
export interface ServerMetricSeries {
  /** e.g. "AWS/DynamoDB", "ContainerInsights" */
  namespace: string;
  /** e.g. "ConsumedWriteCapacityUnits" */
  metricName: string;
  /** e.g. { TableName: "open-saves-records" }; empty when the metric has none */
  dimensions: Record<string, string>;
  /** "Sum", "Average", "Maximum", "Minimum", "SampleCount" or a percentile such as "p99" */
  statistic: string;
  /** CloudWatch unit, e.g. "Count", "Percent", "Milliseconds", "Bytes" */
  unit: string;
  /** [epoch milliseconds at the start of the period, value], ascending; a period with no data has no point */
  points: Array<[number, number]>;
}

/** The answer of GET /metrics/history and of the CloudWatch fetch alike. */
export interface ServerMetricsHistory {
  /** "emulator-model" or "cloudwatch" */
  source: string;
  /** epoch milliseconds, inclusive start and exclusive end of the window asked for */
  from: number;
  to: number;
  periodSeconds: number;
  series: ServerMetricSeries[];
  /**
   * Settings of the components the metrics describe, where the source knows them
   * (the emulator's model always; CloudWatch from OS_INFRA_* values): e.g.
   * { "pods.min": 2, "pods.max": 10, "pods.cpuLimitMillicores": 500, "dynamodb.records.mode": "provisioned",
   *   "dynamodb.records.wcu": 400, "waf.limit": 2000, "waf.windowSeconds": 300 }.
   */
  settings: Record<string, number | string>;
}
