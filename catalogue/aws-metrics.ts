// CloudWatch names of the AWS services under test, AWS's recommended alarm settings,
// and the service limits the dashboards must respect. The k6 client metrics are not
// here: they come from data/metric-names.json through k6-metrics.ts.

// --- AWS metric namespaces, metric names and dimensions ---------------------------------
// https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/Container-Insights-metrics-EKS.html
export const CONTAINER_INSIGHTS = {
  namespace: 'ContainerInsights',
  dimensions: { cluster: 'ClusterName', namespace: 'Namespace', service: 'Service', podName: 'PodName' },
  metrics: {
    nodeCpu: 'node_cpu_utilization',
    nodeMemory: 'node_memory_utilization',
    nodeNetwork: 'node_network_total_bytes',
    nodeCount: 'cluster_node_count',
    failedNodeCount: 'cluster_failed_node_count',
    podCpu: 'pod_cpu_utilization',
    podMemory: 'pod_memory_utilization',
    podCpuOverLimit: 'pod_cpu_utilization_over_pod_limit',
    podMemoryOverLimit: 'pod_memory_utilization_over_pod_limit',
    podRestarts: 'pod_number_of_container_restarts',
    runningPods: 'service_number_of_running_pods',
  },
} as const;

// https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/metrics-dimensions.html
export const DYNAMODB = {
  namespace: 'AWS/DynamoDB',
  dimensions: { table: 'TableName', operation: 'Operation' },
  metrics: {
    consumedRead: 'ConsumedReadCapacityUnits',
    consumedWrite: 'ConsumedWriteCapacityUnits',
    provisionedRead: 'ProvisionedReadCapacityUnits',
    provisionedWrite: 'ProvisionedWriteCapacityUnits',
    readThrottles: 'ReadThrottleEvents',
    writeThrottles: 'WriteThrottleEvents',
    systemErrors: 'SystemErrors',
    userErrors: 'UserErrors',
    conditionalCheckFailed: 'ConditionalCheckFailedRequests',
    latency: 'SuccessfulRequestLatency',
    returnedItems: 'ReturnedItemCount',
  },
} as const;

// The DynamoDB calls the AWS port makes on each table (open-saves-aws-http.md, sections 5 and 6);
// SuccessfulRequestLatency is published per (TableName, Operation).
export const DYNAMODB_OPERATIONS = {
  stores: ['GetItem', 'PutItem', 'DeleteItem', 'Scan'],
  records: ['GetItem', 'PutItem', 'UpdateItem', 'DeleteItem', 'Query', 'BatchWriteItem'],
  metadata: ['GetItem', 'PutItem', 'DeleteItem'],
} as const;

// https://docs.aws.amazon.com/AmazonS3/latest/userguide/metrics-dimensions.html
// Request metrics exist only for buckets with a metrics configuration; FilterId names it.
export const S3 = {
  namespace: 'AWS/S3',
  dimensions: { bucket: 'BucketName', filter: 'FilterId' },
  requestMetricsFilterId: 'EntireBucket',
  metrics: {
    allRequests: 'AllRequests',
    getRequests: 'GetRequests',
    putRequests: 'PutRequests',
    headRequests: 'HeadRequests',
    deleteRequests: 'DeleteRequests',
    errors4xx: '4xxErrors',
    errors5xx: '5xxErrors',
    firstByteLatency: 'FirstByteLatency',
    totalRequestLatency: 'TotalRequestLatency',
    bytesDownloaded: 'BytesDownloaded',
    bytesUploaded: 'BytesUploaded',
  },
} as const;

// https://docs.aws.amazon.com/AmazonElastiCache/latest/dg/CacheMetrics.Redis.html
export const ELASTICACHE = {
  namespace: 'AWS/ElastiCache',
  dimensions: { cluster: 'CacheClusterId' },
  metrics: {
    engineCpu: 'EngineCPUUtilization',
    hostCpu: 'CPUUtilization',
    memoryUsage: 'DatabaseMemoryUsagePercentage',
    connections: 'CurrConnections',
    newConnections: 'NewConnections',
    hits: 'CacheHits',
    misses: 'CacheMisses',
    evictions: 'Evictions',
    networkIn: 'NetworkBytesIn',
    networkOut: 'NetworkBytesOut',
  },
} as const;

// https://docs.aws.amazon.com/elasticloadbalancing/latest/application/load-balancer-cloudwatch-metrics.html
export const ALB = {
  namespace: 'AWS/ApplicationELB',
  dimensions: { loadBalancer: 'LoadBalancer', targetGroup: 'TargetGroup' },
  metrics: {
    requests: 'RequestCount',
    targetResponseTime: 'TargetResponseTime',
    target5xx: 'HTTPCode_Target_5XX_Count',
    target4xx: 'HTTPCode_Target_4XX_Count',
    elb5xx: 'HTTPCode_ELB_5XX_Count',
    rejectedConnections: 'RejectedConnectionCount',
    healthyHosts: 'HealthyHostCount',
    unhealthyHosts: 'UnHealthyHostCount',
  },
} as const;

// https://docs.aws.amazon.com/AmazonCloudFront/latest/DeveloperGuide/programming-cloudwatch-metrics.html
// CloudFront publishes to us-east-1 only, always with Region=Global: the one AWS fact
// that ties these resources to a fixed region.
export const CLOUDFRONT = {
  namespace: 'AWS/CloudFront',
  metricsRegion: 'us-east-1',
  dimensions: { distribution: 'DistributionId', region: 'Region' },
  regionDimensionValue: 'Global',
  metrics: {
    requests: 'Requests',
    errorRate4xx: '4xxErrorRate',
    errorRate5xx: '5xxErrorRate',
    totalErrorRate: 'TotalErrorRate',
    bytesDownloaded: 'BytesDownloaded',
    bytesUploaded: 'BytesUploaded',
  },
} as const;

// https://docs.aws.amazon.com/waf/latest/developerguide/waf-metrics.html
// A CloudFront web ACL publishes in us-east-1 with WebACL and Rule only; a regional one adds Region.
export const WAFV2 = {
  namespace: 'AWS/WAFV2',
  metricsRegion: 'us-east-1',
  dimensions: { webAcl: 'WebACL', rule: 'Rule', region: 'Region' },
  // The metric name of the web ACL's default action, used as the Rule dimension for ACL-wide totals.
  allRulesValue: 'ALL',
  metrics: {
    allowed: 'AllowedRequests',
    blocked: 'BlockedRequests',
    counted: 'CountedRequests',
  },
} as const;

// --- Alarm settings ----------------------------------------------------------------------
// From CloudWatch's "Recommended alarms" list
// (https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/Best_Practice_Recommended_Alarms_AWS_Services.html).
// Where AWS gives a number it is `threshold`; where AWS says "depends on your situation"
// the threshold is left to configuration (config.ts) and only the evaluation shape is here.
export type ComparisonOperator = 'GreaterThanThreshold' | 'GreaterThanOrEqualToThreshold' | 'LessThanThreshold';

export interface AlarmRecommendation {
  readonly statistic: string;
  readonly periodSeconds: number;
  readonly datapointsToAlarm: number;
  readonly evaluationPeriods: number;
  readonly comparison: ComparisonOperator;
  readonly threshold?: number;
}

type FixedThreshold = AlarmRecommendation & { readonly threshold: number };

function perMinute(statistic: string, datapoints: number): AlarmRecommendation;
function perMinute(statistic: string, datapoints: number, threshold: number): FixedThreshold;
function perMinute(statistic: string, datapoints: number, threshold?: number): AlarmRecommendation {
  return {
    statistic,
    periodSeconds: 60,
    datapointsToAlarm: datapoints,
    evaluationPeriods: datapoints,
    comparison: 'GreaterThanThreshold',
    ...(threshold === undefined ? {} : { threshold }),
  };
}

export const RECOMMENDED_ALARMS = {
  dynamodbReadThrottles: perMinute('Sum', 5),
  dynamodbWriteThrottles: perMinute('Sum', 5),
  dynamodbSystemErrors: perMinute('Sum', 15),
  dynamodbLatency: perMinute('Average', 10),
  elasticacheEngineCpu: perMinute('Average', 5, 90),
  elasticacheMemoryUsage: perMinute('Average', 5),
  elasticacheConnections: perMinute('Average', 10),
  elasticacheEvictions: perMinute('Sum', 5),
  eksNodeCpu: perMinute('Maximum', 5, 80),
  eksNodeMemory: perMinute('Maximum', 5, 80),
  eksPodCpuOverLimit: perMinute('Maximum', 5, 80),
  eksPodMemoryOverLimit: perMinute('Maximum', 5, 80),
  // New restarts per minute (the metric itself is a running total, so the alarm watches its DIFF).
  eksContainerRestarts: perMinute('Maximum', 1, 0),
  // S3 reports 5xxErrors per request as 0 or 1, so Average is the error ratio.
  s3Errors5xx: perMinute('Average', 15, 0.05),
  albTarget5xxRate: perMinute('Sum', 5),
  albTargetResponseTime: perMinute('p99', 5),
  cloudfront5xxErrorRate: perMinute('Average', 5, 5),
  // The client-side SLO alarms: three bad minutes in a row during a test.
  k6Latency: perMinute('p95', 3),
  k6ErrorRate: perMinute('Sum', 3),
} as const satisfies Record<string, AlarmRecommendation>;

export type AlarmKind = keyof typeof RECOMMENDED_ALARMS;

// --- CloudWatch limits -----------------------------------------------------------------
// https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/CloudWatch-Dashboard-Body-Structure.html
// and https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/cloudwatch_limits.html
export const DASHBOARD_LIMITS = {
  maxWidgets: 500,
  maxMetricsPerWidget: 500,
  maxMetricsPerDashboard: 2500,
  maxBodyBytes: 1_000_000,
  gridColumns: 24,
  namePattern: /^[A-Za-z0-9_-]{1,255}$/,
} as const;

export const ALARM_LIMITS = {
  maxMetricsPerMathAlarm: 10,
  maxNameLength: 255,
  maxCompositeRuleLength: 10_240,
} as const;

// --- The emulator's component model ---------------------------------------------------------
// Queueing figures CloudWatch has no metric for (an ALB shows only their effect), named in its
// style in a namespace of their own; the emulator's model records them, the scaling analysis reads them.
export const MODEL_QUEUE = {
  namespace: 'OpenSaves/EmulatorModel',
  metrics: { queueLength: 'RequestQueueLength', queueWait: 'RequestQueueWaitTime', rejected: 'RejectedRequests' },
} as const;
