import { CloudwatchCompositeAlarm } from '@cdktf/provider-aws/lib/cloudwatch-composite-alarm/index.js';
import { CloudwatchDashboard } from '@cdktf/provider-aws/lib/cloudwatch-dashboard/index.js';
import { CloudwatchMetricAlarm } from '@cdktf/provider-aws/lib/cloudwatch-metric-alarm/index.js';
import { AwsProvider } from '@cdktf/provider-aws/lib/provider/index.js';
import { S3BucketMetric } from '@cdktf/provider-aws/lib/s3-bucket-metric/index.js';
import { SnsTopic } from '@cdktf/provider-aws/lib/sns-topic/index.js';
import { SnsTopicSubscription } from '@cdktf/provider-aws/lib/sns-topic-subscription/index.js';
import { Testing } from 'cdktf';
import { describe, expect, it } from 'vitest';
import { ObservabilityStack } from '../stacks/observability-stack.js';
import { exampleConfig } from './support/config.js';
import { allowedMetrics, expressionRefs, unknownRefs } from './support/metric-refs.js';
import { resourcesOf, synthStack } from './support/synth.js';

// Untagged runs (no OS_INFRA_K6_RUN_ID); a run id's filter is tested on its own below.
const CONFIG = exampleConfig({ OS_INFRA_SLO_P95_MS: '180', OS_INFRA_SLO_P99_MS: '400', OS_INFRA_K6_PROTOCOLS: 'grpc,http', OS_INFRA_K6_RUN_ID: undefined });
const SYNTH = synthStack(new ObservabilityStack(Testing.app(), 'obs', CONFIG));
const alarms = resourcesOf(SYNTH, 'aws_cloudwatch_metric_alarm');
const alarmNamed = (suffix: string) => alarms.find((a) => a.alarm_name === `${CONFIG.prefix}-${suffix}`);

describe('ObservabilityStack', () => {
  it('configures the AWS provider with the configured region', () => {
    expect(SYNTH.json).toHaveProviderWithProperties(AwsProvider, { region: 'us-west-2' });
  });

  it('creates the seven dashboards with the configured prefix', () => {
    const names = resourcesOf(SYNTH, 'aws_cloudwatch_dashboard').map((d) => d.dashboard_name).sort();
    expect(names).toEqual(['alb', 'cloudfront', 'dynamodb', 'eks', 'elasticache', 'k6-client', 's3'].map((k) => `${CONFIG.prefix}-${k}`));
    expect(SYNTH.json).toHaveResourceWithProperties(CloudwatchDashboard, { dashboard_name: `${CONFIG.prefix}-k6-client` });
  });

  it('turns on S3 request metrics for the bucket, under the FilterId the dashboards use', () => {
    expect(SYNTH.json).toHaveResourceWithProperties(S3BucketMetric, { bucket: CONFIG.s3Bucket, name: 'EntireBucket' });
  });

  it('subscribes the configured e-mail to the alarm topic', () => {
    expect(SYNTH.json).toHaveResourceWithProperties(SnsTopic, { name: `${CONFIG.prefix}-alarms` });
    expect(SYNTH.json).toHaveResourceWithProperties(SnsTopicSubscription, { protocol: 'email', endpoint: CONFIG.alarmEmail });
  });

  it.each([
    ['redis-open-saves-redis-001-engine-cpu', 'EngineCPUUtilization', 'Average', 90, 5],
    ['redis-open-saves-redis-001-memory', 'DatabaseMemoryUsagePercentage', 'Average', 80, 5],
    ['redis-open-saves-redis-001-connections', 'CurrConnections', 'Average', 1000, 10],
    ['redis-open-saves-redis-001-evictions', 'Evictions', 'Sum', 0, 5],
    ['eks-node-cpu', 'node_cpu_utilization', 'Maximum', 80, 5],
    ['eks-node-memory', 'node_memory_utilization', 'Maximum', 80, 5],
    ['eks-pod-cpu-over-limit', 'pod_cpu_utilization_over_pod_limit', 'Maximum', 80, 5],
    ['eks-pod-memory-over-limit', 'pod_memory_utilization_over_pod_limit', 'Maximum', 80, 5],
    ['s3-5xx-rate', '5xxErrors', 'Average', 0.05, 15],
    ['ddb-records-read-throttles', 'ReadThrottleEvents', 'Sum', 0, 5],
    ['ddb-records-write-throttles', 'WriteThrottleEvents', 'Sum', 0, 5],
    ['ddb-records-system-errors', 'SystemErrors', 'Sum', 0, 15],
    ['ddb-records-latency-query', 'SuccessfulRequestLatency', 'Average', 20, 10],
  ])('alarm %s watches %s (%s) above %d for %d of %d minutes', (suffix, metricName, statistic, threshold, datapoints) => {
    expect(SYNTH.json).toHaveResourceWithProperties(CloudwatchMetricAlarm, {
      alarm_name: `${CONFIG.prefix}-${suffix}`,
      metric_name: metricName,
      statistic,
      threshold,
      period: 60,
      datapoints_to_alarm: datapoints,
      evaluation_periods: datapoints,
      comparison_operator: 'GreaterThanThreshold',
    });
  });

  it('fails the property matcher when a threshold differs', () => {
    expect(SYNTH.json).not.toHaveResourceWithProperties(CloudwatchMetricAlarm, { metric_name: 'EngineCPUUtilization', threshold: 91 });
    expect(() => expect(SYNTH.json).toHaveResourceWithProperties(CloudwatchMetricAlarm, { metric_name: 'EngineCPUUtilization', threshold: 91 })).toThrow(
      /Expected aws_cloudwatch_metric_alarm with properties/,
    );
  });

  it('alarms on DynamoDB latency per table and operation the AWS port uses', () => {
    const latency = alarms.filter((a) => a.metric_name === 'SuccessfulRequestLatency');
    expect(latency.map((a) => `${a.dimensions.TableName}/${a.dimensions.Operation}`).sort()).toContain('open-saves-records/BatchWriteItem');
    expect(latency).toHaveLength(13);
  });

  it('alarms on the ALB 5xx rate with metric math and on p99 target response time in seconds', () => {
    const rate = alarmNamed('alb-target-5xx-rate');
    expect(rate?.threshold).toBe(CONFIG.slo.errorRatePercent);
    expect(rate?.metric_query.find((q: { return_data: boolean }) => q.return_data).expression).toBe('100 * FILL(errors, 0) / requests');
    expect(SYNTH.json).toHaveResourceWithProperties(CloudwatchMetricAlarm, {
      alarm_name: `${CONFIG.prefix}-alb-target-response-p99`,
      metric_name: 'TargetResponseTime',
      extended_statistic: 'p99',
      threshold: 0.4,
    });
  });

  it('counts new container restarts, not the running total', () => {
    const restarts = alarmNamed('eks-container-restarts');
    expect(restarts?.threshold).toBe(0);
    expect(restarts?.metric_query.map((q: { expression?: string }) => q.expression).filter(Boolean)).toEqual(['DIFF(restarts)']);
  });

  it('puts the CloudFront alarm and its topic in us-east-1, where CloudFront metrics live', () => {
    expect(SYNTH.json).toHaveResourceWithProperties(CloudwatchMetricAlarm, {
      metric_name: '5xxErrorRate',
      namespace: 'AWS/CloudFront',
      threshold: 5,
      region: 'us-east-1',
      dimensions: { DistributionId: CONFIG.cloudfrontDistributionId, Region: 'Global' },
    });
    expect(SYNTH.json).toHaveResourceWithProperties(SnsTopic, { name: `${CONFIG.prefix}-cloudfront-alarms`, region: 'us-east-1' });
  });

  it('alarms on k6 p95 and p99 of successful calls per operation at the SLO', () => {
    const k6 = alarms.filter((a) => a.namespace === 'OpenSaves/LoadTest');
    expect(k6).toHaveLength(2 * (27 + 15));
    expect(SYNTH.json).toHaveResourceWithProperties(CloudwatchMetricAlarm, {
      alarm_name: `${CONFIG.prefix}-k6-grpc-GetRecord-p95`,
      metric_name: 'GrpcRequestDuration',
      extended_statistic: 'p95',
      threshold: 180,
      dimensions: { op: 'GetRecord', scenario: 'main', status: '0' },
      treat_missing_data: 'notBreaching',
    });
    expect(SYNTH.json).toHaveResourceWithProperties(CloudwatchMetricAlarm, {
      alarm_name: `${CONFIG.prefix}-k6-http-CreateBlob-p99`,
      metric_name: 'HttpRequestDuration',
      extended_statistic: 'p99',
      threshold: 400,
      dimensions: { op: 'CreateBlob', scenario: 'main', status: '200' },
    });
  });

  it('alarms on the k6 error rate over all operations with Metrics Insights', () => {
    const rate = alarmNamed('k6-error-rate');
    expect(rate?.threshold).toBe(CONFIG.slo.errorRatePercent);
    const queries = rate?.metric_query.map((q: { expression: string }) => q.expression);
    expect(queries).toEqual([
      `SELECT SUM(Errors) FROM "OpenSaves/LoadTest" WHERE scenario = 'main'`,
      `SELECT SUM(Requests) FROM "OpenSaves/LoadTest" WHERE scenario = 'main'`,
      '100 * FILL(errors, 0) / requests',
    ]);
  });

  it('watches only the configured run when a run id is set', () => {
    const tagged = synthStack(new ObservabilityStack(Testing.app(), 'tagged', exampleConfig({ OS_INFRA_K6_RUN_ID: 'run-42' })));
    expect(tagged.json).toHaveResourceWithProperties(CloudwatchMetricAlarm, {
      alarm_name: `${CONFIG.prefix}-k6-http-GetRecord-p95`,
      dimensions: { op: 'GetRecord', scenario: 'main', status: '200', testid: 'run-42' },
    });
    const rate = resourcesOf(tagged, 'aws_cloudwatch_metric_alarm').find((a) => a.alarm_name === `${CONFIG.prefix}-k6-error-rate`);
    expect(rate?.metric_query[0].expression).toBe(`SELECT SUM(Errors) FROM "OpenSaves/LoadTest" WHERE scenario = 'main' AND testid = 'run-42'`);
    expect(SYNTH.json).not.toMatch(/testid/);
  });

  it('names only known metrics in every alarm', () => {
    const refs = alarms.flatMap((a) => [
      ...(a.metric_name ? [{ namespace: a.namespace, metricName: a.metric_name }] : []),
      ...(a.metric_query ?? []).flatMap((q: { metric?: { namespace: string; metric_name: string }; expression?: string }) =>
        q.metric ? [{ namespace: q.metric.namespace, metricName: q.metric.metric_name }] : expressionRefs(q.expression ?? ''),
      ),
    ]);
    expect(refs.length).toBeGreaterThan(100);
    expect(unknownRefs(refs, allowedMetrics())).toEqual([]);
  });

  it('notifies once through the composite "load test unhealthy" alarm', () => {
    const composites = resourcesOf(SYNTH, 'aws_cloudwatch_composite_alarm');
    const top = composites.find((c) => c.alarm_name === `${CONFIG.prefix}-load-test-unhealthy`);
    expect(top?.alarm_actions).toEqual([expect.stringMatching(/^\$\{aws_sns_topic\.alarm-topic_\w+\.arn\}$/)]);
    expect(top?.alarm_rule.match(/ALARM\(/g)).toHaveLength(3);
    expect(SYNTH.json).toHaveResourceWithProperties(CloudwatchCompositeAlarm, { alarm_name: `${CONFIG.prefix}-k6-latency-slo` });
    const backend = composites.find((c) => c.alarm_name === `${CONFIG.prefix}-backend-unhealthy`);
    const serviceAlarms = alarms.filter((a) => a.namespace !== 'OpenSaves/LoadTest' && !a.alarm_name.includes('-k6-') && a.region === undefined);
    expect(serviceAlarms).toHaveLength(5 + 22 + 4 + 1 + 2);
    expect(backend?.alarm_rule.match(/ALARM\(/g)).toHaveLength(serviceAlarms.length);
    for (const alarm of alarms.filter((a) => a.region === undefined)) expect(alarm.alarm_actions).toEqual([]);
  });
});
