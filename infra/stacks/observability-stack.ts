// CloudWatch side of a load test: dashboards for every tier, alarms with an SNS topic,
// and the S3 metrics configuration the S3 dashboard needs. Only wires constructs together.
import { CloudwatchMetricAlarm } from '@cdktf/provider-aws/lib/cloudwatch-metric-alarm/index.js';
import { AwsProvider } from '@cdktf/provider-aws/lib/provider/index.js';
import { TerraformOutput, TerraformStack } from 'cdktf';
import type { Construct } from 'constructs';
import { buildDashboards } from '../../dashboards/cloudwatch/index.js';
import type { InfraConfig } from '../../catalogue/deployment.js';
import { CLOUDFRONT, RECOMMENDED_ALARMS } from '../../catalogue/aws-metrics.js';
import { k6SeriesFilter } from '../../dashboards/k6-queries.js';
import { singleMetricAlarm } from '../constructs/alarms/alarm-definitions.js';
import { AlarmTopic } from '../constructs/alarms/alarm-topic.js';
import { CompositeAlarm } from '../constructs/alarms/health-alarm.js';
import { K6Alarms } from '../constructs/alarms/k6-alarms.js';
import { LoadTestDashboard } from '../constructs/load-test-dashboard.js';
import { S3RequestMetrics } from '../constructs/alarms/s3-request-metrics.js';
import { ServiceAlarms } from '../constructs/alarms/service-alarms.js';

export const PROJECT_TAGS = { project: 'opensaves-loadtest', 'managed-by': 'cdktf' };

export class ObservabilityStack extends TerraformStack {
  constructor(scope: Construct, id: string, config: InfraConfig) {
    super(scope, id);
    const { prefix } = config;
    new AwsProvider(this, 'aws', { region: config.region, defaultTags: [{ tags: PROJECT_TAGS }] });

    for (const [key, body] of Object.entries(buildDashboards(config))) {
      new LoadTestDashboard(this, `dashboard-${key}`, { name: `${prefix}-${key}`, body });
    }
    new S3RequestMetrics(this, 's3-request-metrics', { bucket: config.s3Bucket });

    const topic = new AlarmTopic(this, 'alarm-topic', { name: `${prefix}-alarms`, email: config.alarmEmail });
    // Children notify through the composites only, so one incident sends one mail.
    const services = new ServiceAlarms(this, 'service-alarms', {
      prefix,
      actions: [],
      eks: { cluster: config.eksCluster, namespace: config.eksNamespace, service: config.eksService },
      dynamodb: {
        tables: config.dynamodbTables,
        latencyMs: config.backend.dynamodbLatencyMs,
        throttleEvents: config.backend.dynamodbThrottleEvents,
        systemErrors: config.backend.dynamodbSystemErrors,
      },
      elasticache: {
        clusterIds: config.elasticacheClusterIds,
        memoryPercent: config.backend.redisMemoryPercent,
        connections: config.backend.redisConnections,
        evictions: config.backend.redisEvictions,
      },
      s3: { bucket: config.s3Bucket },
      alb: {
        loadBalancer: config.albLoadBalancer,
        targetGroup: config.albTargetGroup,
        errorRatePercent: config.slo.errorRatePercent,
        p99Ms: config.slo.p99Ms,
      },
    });
    const k6 = new K6Alarms(this, 'k6-alarms', {
      prefix,
      filter: k6SeriesFilter(config),
      protocols: config.k6Protocols,
      slo: config.slo,
      actions: [],
    });

    const k6Latency = new CompositeAlarm(this, 'k6-latency', {
      name: `${prefix}-k6-latency-slo`,
      description: 'Some operation is over its p95 or p99 SLO as the k6 client measures it',
      children: k6.latencyAlarms,
      actions: [],
    });
    const backend = new CompositeAlarm(this, 'backend-health', {
      name: `${prefix}-backend-unhealthy`,
      description: 'EKS, DynamoDB, ElastiCache, S3 or the load balancer is outside its recommended range',
      children: services.alarms,
      actions: [],
    });
    const top = new CompositeAlarm(this, 'load-test-unhealthy', {
      name: `${prefix}-load-test-unhealthy`,
      description: 'The load test results are suspect: the client is over its SLO or a backend is unhealthy',
      children: [k6Latency.alarm, k6.errorRateAlarm, backend.alarm],
      actions: [topic.arn],
    });

    // CloudFront metrics exist only in one fixed region and a composite cannot span regions,
    // so this alarm notifies its own topic there directly.
    const edgeTopic = new AlarmTopic(this, 'cloudfront-alarm-topic', {
      name: `${prefix}-cloudfront-alarms`,
      email: config.alarmEmail,
      region: CLOUDFRONT.metricsRegion,
    });
    new CloudwatchMetricAlarm(
      this,
      'cloudfront-5xx',
      singleMetricAlarm(
        {
          name: `${prefix}-cloudfront-5xx-rate`,
          description: `More than 5 % of requests to CloudFront ${config.cloudfrontDistributionId} fail with 5xx`,
          recommendation: RECOMMENDED_ALARMS.cloudfront5xxErrorRate,
          threshold: RECOMMENDED_ALARMS.cloudfront5xxErrorRate.threshold,
          actions: [edgeTopic.arn],
          region: CLOUDFRONT.metricsRegion,
        },
        {
          namespace: CLOUDFRONT.namespace,
          metricName: CLOUDFRONT.metrics.errorRate5xx,
          dimensions: {
            [CLOUDFRONT.dimensions.distribution]: config.cloudfrontDistributionId,
            [CLOUDFRONT.dimensions.region]: CLOUDFRONT.regionDimensionValue,
          },
        },
      ),
    );

    new TerraformOutput(this, 'alarm_topic_arn', { value: topic.arn });
    new TerraformOutput(this, 'load_test_unhealthy_alarm', { value: top.alarm.alarmName });
  }
}
