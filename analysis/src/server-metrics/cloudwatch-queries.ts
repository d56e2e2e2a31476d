// The GetMetricData queries for a deployment, built from the one metric catalogue the dashboards and alarms use
// (catalogue/aws-metrics.ts) and the deployment's names (OS_INFRA_* values, catalogue/deployment.ts): the metrics
// the dashboards draw, with the statistic the scaling analysis reads.
import { ALB, CLOUDFRONT, CONTAINER_INSIGHTS as CI, DYNAMODB, DYNAMODB_OPERATIONS, ELASTICACHE as EC, S3, WAFV2 } from '../../../catalogue/aws-metrics.js';
import type { InfraConfig } from '../../../catalogue/deployment.js';

export interface MetricQuery {
  namespace: string;
  metricName: string;
  dimensions: Record<string, string>;
  statistic: string;
  /** the unit CloudWatch reports the metric in (GetMetricData does not return it) */
  unit: string;
  /** CloudFront and CloudFront-scope WAF metrics live in us-east-1 whatever the deployment's region */
  region: string;
}

export interface QueryPlan {
  queries: MetricQuery[];
  /** what could not be asked for, and why */
  notes: string[];
}

/** The web ACL's name (the WebACL dimension) from its ARN: arn:aws:wafv2:us-east-1:<account>:global/webacl/<name>/<id>. */
export function webAclName(arn: string): string | null {
  return /:(?:global|regional)\/webacl\/([^/]+)\//.exec(arn)?.[1] ?? null;
}

export function cloudWatchQueries(config: InfraConfig): QueryPlan {
  const queries: MetricQuery[] = [];
  const notes: string[] = [];
  const add = (region: string, namespace: string, metricName: string, dimensions: Record<string, string>, unit: string, ...statistics: string[]): void => {
    for (const statistic of statistics) queries.push({ namespace, metricName, dimensions, statistic, unit, region });
  };
  const home = config.region;

  const service = { [CI.dimensions.cluster]: config.eksCluster, [CI.dimensions.namespace]: config.eksNamespace, [CI.dimensions.service]: config.eksService };
  add(home, CI.namespace, CI.metrics.podCpuOverLimit, service, 'Percent', 'Average', 'Maximum');
  add(home, CI.namespace, CI.metrics.podMemoryOverLimit, service, 'Percent', 'Average', 'Maximum');
  add(home, CI.namespace, CI.metrics.runningPods, service, 'Count', 'Average');

  for (const [role, table] of Object.entries(config.dynamodbTables) as Array<[keyof typeof DYNAMODB_OPERATIONS, string]>) {
    const dims = { [DYNAMODB.dimensions.table]: table };
    add(home, DYNAMODB.namespace, DYNAMODB.metrics.consumedRead, dims, 'Count', 'Sum');
    add(home, DYNAMODB.namespace, DYNAMODB.metrics.consumedWrite, dims, 'Count', 'Sum');
    add(home, DYNAMODB.namespace, DYNAMODB.metrics.provisionedRead, dims, 'Count', 'Average');
    add(home, DYNAMODB.namespace, DYNAMODB.metrics.provisionedWrite, dims, 'Count', 'Average');
    add(home, DYNAMODB.namespace, DYNAMODB.metrics.readThrottles, dims, 'Count', 'Sum');
    add(home, DYNAMODB.namespace, DYNAMODB.metrics.writeThrottles, dims, 'Count', 'Sum');
    for (const operation of DYNAMODB_OPERATIONS[role]) {
      add(home, DYNAMODB.namespace, DYNAMODB.metrics.latency, { ...dims, [DYNAMODB.dimensions.operation]: operation }, 'Milliseconds', 'Average');
    }
  }

  for (const cluster of config.elasticacheClusterIds) {
    const dims = { [EC.dimensions.cluster]: cluster };
    add(home, EC.namespace, EC.metrics.hostCpu, dims, 'Percent', 'Average');
    add(home, EC.namespace, EC.metrics.engineCpu, dims, 'Percent', 'Average');
    add(home, EC.namespace, EC.metrics.memoryUsage, dims, 'Percent', 'Average');
    add(home, EC.namespace, EC.metrics.evictions, dims, 'Count', 'Sum');
    add(home, EC.namespace, EC.metrics.connections, dims, 'Count', 'Average');
    add(home, EC.namespace, EC.metrics.hits, dims, 'Count', 'Sum');
    add(home, EC.namespace, EC.metrics.misses, dims, 'Count', 'Sum');
  }

  const bucket = { [S3.dimensions.bucket]: config.s3Bucket, [S3.dimensions.filter]: S3.requestMetricsFilterId };
  add(home, S3.namespace, S3.metrics.allRequests, bucket, 'Count', 'Sum');
  add(home, S3.namespace, S3.metrics.errors4xx, bucket, 'Count', 'Sum');
  add(home, S3.namespace, S3.metrics.errors5xx, bucket, 'Count', 'Sum');
  add(home, S3.namespace, S3.metrics.firstByteLatency, bucket, 'Milliseconds', 'Average', 'p99');

  const target = { [ALB.dimensions.loadBalancer]: config.albLoadBalancer, [ALB.dimensions.targetGroup]: config.albTargetGroup };
  const balancer = { [ALB.dimensions.loadBalancer]: config.albLoadBalancer };
  add(home, ALB.namespace, ALB.metrics.requests, target, 'Count', 'Sum');
  add(home, ALB.namespace, ALB.metrics.targetResponseTime, target, 'Seconds', 'Average', 'p99');
  add(home, ALB.namespace, ALB.metrics.target5xx, target, 'Count', 'Sum');
  add(home, ALB.namespace, ALB.metrics.elb5xx, balancer, 'Count', 'Sum');
  add(home, ALB.namespace, ALB.metrics.rejectedConnections, balancer, 'Count', 'Sum');

  const distribution = { [CLOUDFRONT.dimensions.distribution]: config.cloudfrontDistributionId, [CLOUDFRONT.dimensions.region]: CLOUDFRONT.regionDimensionValue };
  add(CLOUDFRONT.metricsRegion, CLOUDFRONT.namespace, CLOUDFRONT.metrics.requests, distribution, 'None', 'Sum');
  add(CLOUDFRONT.metricsRegion, CLOUDFRONT.namespace, CLOUDFRONT.metrics.errorRate4xx, distribution, 'Percent', 'Average');
  add(CLOUDFRONT.metricsRegion, CLOUDFRONT.namespace, CLOUDFRONT.metrics.errorRate5xx, distribution, 'Percent', 'Average');

  const acl = config.wafAllowlist?.webAclArn === undefined ? null : webAclName(config.wafAllowlist.webAclArn);
  if (acl === null) {
    notes.push('WAF: no OS_INFRA_WAF_WEB_ACL_ARN, so the web ACL (the WebACL dimension) is unknown and its blocked requests are not read.');
  } else {
    const dims = { [WAFV2.dimensions.webAcl]: acl, [WAFV2.dimensions.rule]: WAFV2.allRulesValue };
    add(WAFV2.metricsRegion, WAFV2.namespace, WAFV2.metrics.blocked, dims, 'Count', 'Sum');
    add(WAFV2.metricsRegion, WAFV2.namespace, WAFV2.metrics.allowed, dims, 'Count', 'Sum');
  }
  return { queries, notes };
}
