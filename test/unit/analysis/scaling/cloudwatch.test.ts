// The CloudWatch source through the real @aws-sdk/client-cloudwatch, its endpoint pointed at a local server that
// answers GetMetricData in the SDK's wire protocol: the queries (dimensions, statistics, periods, batches of at most
// 500, paging), parsing, gaps, failures, and the CLI's --cloudwatch --infra-env path end to end.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadInfraConfig, type InfraConfig } from '../../../../catalogue/deployment.js';
import { parseEnvFile } from '../../../../analysis/src/server-metrics/infra-env.js';
import { choosePeriodSeconds, fetchCloudWatchHistory, queriesPerCall } from '../../../../analysis/src/server-metrics/cloudwatch-source.js';
import { cloudWatchQueries } from '../../../../analysis/src/server-metrics/cloudwatch-queries.js';
import { ServerMetricsUnavailable } from '../../../../analysis/src/server-metrics/emulator-source.js';
import { REPO_ROOT } from '../../../helpers/emulator-process.js';
import { cli, fixture, removeTempDirs, tempDir } from '../helpers.js';
import { startFakeCloudWatch, TEST_CREDENTIALS, type FakeCloudWatch, type RecordedQuery } from './fake-cloudwatch.js';

const EXAMPLE_ENV = join(REPO_ROOT, 'infra/example.env');
const WEB_ACL_ARN = 'arn:aws:wafv2:us-east-1:123456789012:global/webacl/open-saves-cf/0123abcd-0123-4567-89ab-0123456789ab';
const exampleValues = parseEnvFile(readFileSync(EXAMPLE_ENV, 'utf8'), EXAMPLE_ENV);
const config = (extra: Record<string, string> = {}): InfraConfig => loadInfraConfig({ ...exampleValues, OS_INFRA_WAF_WEB_ACL_ARN: WEB_ACL_ARN, ...extra });

let fake: FakeCloudWatch;
beforeAll(async () => {
  fake = await startFakeCloudWatch();
});
afterAll(async () => {
  await fake.close();
  removeTempDirs();
});
beforeEach(() => {
  fake.calls.length = 0;
  fake.failWith = null;
  fake.valueOf = () => 1;
});

const NOW = Date.UTC(2026, 11, 3, 12, 0, 0);
const options = () => ({ clientConfig: { endpoint: fake.url, credentials: TEST_CREDENTIALS }, nowMs: NOW });
const dims = (q: RecordedQuery): Record<string, string> => Object.fromEntries((q.MetricStat.Metric.Dimensions ?? []).map((d) => [d.Name, d.Value]));
const queriesOf = (calls: FakeCloudWatch['calls']) =>
  calls.filter((c) => c.body.NextToken === undefined).flatMap((c) => c.body.MetricDataQueries.map((q) => ({ ...q, region: c.region })));

describe('periods CloudWatch can answer', () => {
  it('60 s for recent standard-resolution data, 1 s only when high resolution and under 3 hours old', () => {
    expect(choosePeriodSeconds(NOW - 600_000, NOW, NOW)).toBe(60);
    expect(choosePeriodSeconds(NOW - 600_000, NOW, NOW, true)).toBe(1);
    expect(choosePeriodSeconds(NOW - 4 * 3_600_000, NOW - 4 * 3_600_000 + 600_000, NOW, true)).toBe(60);
  });
  it('multiples of 300 s past 15 days and of 3600 s past 63 days', () => {
    const day = 86_400_000;
    expect(choosePeriodSeconds(NOW - 20 * day, NOW - 20 * day + 600_000, NOW)).toBe(300);
    expect(choosePeriodSeconds(NOW - 70 * day, NOW - 70 * day + 600_000, NOW)).toBe(3600);
  });
  it('a longer period for a long window, so a series stays under 1,440 points and a call under 100,800', () => {
    expect(choosePeriodSeconds(NOW - 2 * 86_400_000, NOW, NOW)).toBe(120);
    expect(choosePeriodSeconds(NOW - 3 * 86_400_000, NOW, NOW)).toBe(300);
    // 3 days at 300 s: 864 points per series, 116 series per call.
    expect(queriesPerCall(NOW - 3 * 86_400_000, NOW, 300)).toBe(116);
    expect(queriesPerCall(NOW - 600_000, NOW, 60)).toBe(500);
  });
});

describe('GetMetricData queries built from the catalogue and the deployment', () => {
  let history: Awaited<ReturnType<typeof fetchCloudWatchHistory>>['history'];
  let calls: FakeCloudWatch['calls'] = [];
  const allQueries = () => queriesOf(calls);
  beforeAll(async () => {
    fake.calls.length = 0;
    history = (await fetchCloudWatchHistory(config(), NOW - 3_600_000, NOW - 3_000_000, options())).history;
    calls = [...fake.calls];
  });

  it('speaks the SDK protocol: X-Amz-Target GetMetricData, JSON 1.0, epoch-second window widened to whole periods', () => {
    expect(calls.length).toBeGreaterThan(0);
    for (const call of calls) {
      expect(call.target).toBe('GraniteServiceVersion20100801.GetMetricData');
      expect(call.contentType).toBe('application/x-amz-json-1.0');
      expect(call.body.StartTime).toBe((NOW - 3_600_000) / 1000);
      expect(call.body.EndTime).toBe((NOW - 3_000_000) / 1000);
      expect(call.body.ScanBy).toBe('TimestampAscending');
    }
  });

  it('per table: consumed and provisioned capacity, throttles, latency per operation, with TableName', () => {
    const records = allQueries().filter((q) => dims(q).TableName === 'open-saves-records');
    const shown = records.map((q) => `${q.MetricStat.Metric.MetricName}/${q.MetricStat.Stat}/${q.MetricStat.Period}${dims(q).Operation ? `/${dims(q).Operation}` : ''}`);
    expect(shown).toEqual(
      expect.arrayContaining([
        'ConsumedWriteCapacityUnits/Sum/60',
        'ConsumedReadCapacityUnits/Sum/60',
        'ProvisionedWriteCapacityUnits/Average/60',
        'ProvisionedReadCapacityUnits/Average/60',
        'WriteThrottleEvents/Sum/60',
        'ReadThrottleEvents/Sum/60',
        'SuccessfulRequestLatency/Average/60/Query',
        'SuccessfulRequestLatency/Average/60/BatchWriteItem',
      ]),
    );
    expect(new Set(allQueries().filter((q) => q.MetricStat.Metric.Namespace === 'AWS/DynamoDB').map((q) => dims(q).TableName))).toEqual(
      new Set(['open-saves-stores', 'open-saves-records', 'open-saves-metadata']),
    );
  });

  it('pods, cache, S3, ALB in the deployment region; CloudFront and the WAF in us-east-1', () => {
    const find = (namespace: string, name: string) => allQueries().filter((q) => q.MetricStat.Metric.Namespace === namespace && q.MetricStat.Metric.MetricName === name);
    const pod = find('ContainerInsights', 'pod_cpu_utilization_over_pod_limit');
    expect(pod.map((q) => q.MetricStat.Stat).sort()).toEqual(['Average', 'Maximum']);
    expect(dims(pod[0]!)).toEqual({ ClusterName: 'open-saves-cluster', Namespace: 'default', Service: 'open-saves' });
    expect(pod[0]!.region).toBe('us-west-2');
    expect(dims(find('AWS/ElastiCache', 'Evictions')[0]!)).toEqual({ CacheClusterId: 'open-saves-redis-001' });
    expect(find('AWS/ElastiCache', 'CPUUtilization')).toHaveLength(1);
    expect(dims(find('AWS/S3', '5xxErrors')[0]!)).toEqual({ BucketName: 'example-open-saves-blobs', FilterId: 'EntireBucket' });
    expect(find('AWS/S3', 'FirstByteLatency').map((q) => q.MetricStat.Stat).sort()).toEqual(['Average', 'p99']);
    expect(dims(find('AWS/ApplicationELB', 'RejectedConnectionCount')[0]!)).toEqual({ LoadBalancer: 'app/open-saves-alb/0123456789abcdef' });
    expect(find('AWS/ApplicationELB', 'TargetResponseTime').map((q) => q.MetricStat.Stat).sort()).toEqual(['Average', 'p99']);
    const cf = find('AWS/CloudFront', '5xxErrorRate')[0]!;
    expect([dims(cf), cf.region]).toEqual([{ DistributionId: 'E2EXAMPLE0DIST', Region: 'Global' }, 'us-east-1']);
    const waf = find('AWS/WAFV2', 'BlockedRequests')[0]!;
    expect([dims(waf), waf.MetricStat.Stat, waf.region]).toEqual([{ WebACL: 'open-saves-cf', Rule: 'ALL' }, 'Sum', 'us-east-1']);
  });

  it('pages with NextToken and joins both pages of each series in time order', () => {
    const tokens = calls.map((c) => c.body.NextToken ?? null);
    expect(tokens.filter((t) => t === 'page-2').length).toBe(tokens.filter((t) => t === null).length);
    // 600 s at 60 s: 10 periods, 5 on each page.
    const consumed = history.series.find((s) => s.metricName === 'ConsumedWriteCapacityUnits' && s.dimensions.TableName === 'open-saves-records')!;
    expect(consumed.points.map(([t]) => t)).toEqual(Array.from({ length: 10 }, (_, i) => NOW - 3_600_000 + i * 60_000));
    expect([history.periodSeconds, history.source, consumed.statistic, consumed.unit]).toEqual([60, 'cloudwatch', 'Sum', 'Count']);
  });
});

describe('batches, gaps and failures', () => {
  it('asks at most 500 queries per call and every query exactly once', async () => {
    const clusters = Array.from({ length: 80 }, (_, i) => `redis-${i}`).join(',');
    const expected = cloudWatchQueries(config({ OS_INFRA_ELASTICACHE_CLUSTER_IDS: clusters })).queries.filter((q) => q.region === 'us-west-2').length;
    expect(expected).toBeGreaterThan(500);
    await fetchCloudWatchHistory(config({ OS_INFRA_ELASTICACHE_CLUSTER_IDS: clusters }), NOW - 600_000, NOW, options());
    const home = fake.calls.filter((c) => c.region === 'us-west-2' && c.body.NextToken === undefined);
    expect(home.map((c) => c.body.MetricDataQueries.length)).toEqual([500, expected - 500]);
    expect(new Set(home.flatMap((c) => c.body.MetricDataQueries.map((q) => q.Id))).size).toBe(expected);
  });

  it('a long window: fewer queries per call, so no call passes 100,800 data points', async () => {
    await fetchCloudWatchHistory(config(), NOW - 3 * 86_400_000, NOW, options());
    for (const call of fake.calls) {
      const periods = (call.body.EndTime - call.body.StartTime) / call.body.MetricDataQueries[0]!.MetricStat.Period;
      expect(periods * call.body.MetricDataQueries.length).toBeLessThanOrEqual(100_800);
    }
  });

  it('keeps gaps as gaps: periods CloudWatch has no data for are absent, not zero', async () => {
    fake.valueOf = (q, t) => (q.MetricStat.Metric.MetricName === 'WriteThrottleEvents' && t % 180 === 0 ? undefined : 3);
    const { history } = await fetchCloudWatchHistory(config(), NOW - 600_000, NOW, options());
    const throttles = history.series.find((s) => s.metricName === 'WriteThrottleEvents' && s.dimensions.TableName === 'open-saves-records')!;
    expect(throttles.points.length).toBeLessThan(10);
    expect(throttles.points.every(([t, v]) => (t / 1000) % 180 !== 0 && v === 3)).toBe(true);
  });

  it('access denied, nothing listening and no credentials: one message each', async () => {
    fake.failWith = { status: 400, type: 'AccessDeniedException', message: 'User: arn:aws:iam::123456789012:user/tester is not authorized to perform: cloudwatch:GetMetricData' };
    await expect(fetchCloudWatchHistory(config(), NOW - 600_000, NOW, options())).rejects.toThrow(/^--cloudwatch: GetMetricData in us-west-2 failed: access denied \(User: .* not authorized/);
    const closed = { clientConfig: { endpoint: 'http://127.0.0.1:9', credentials: TEST_CREDENTIALS }, nowMs: NOW };
    await expect(fetchCloudWatchHistory(config(), NOW - 600_000, NOW, closed)).rejects.toThrow(/failed: CloudWatch unreachable \(ECONNREFUSED\)/);
    const noCredentials = {
      clientConfig: {
        endpoint: fake.url,
        credentials: () => Promise.reject(Object.assign(new Error('Could not load credentials from any providers'), { name: 'CredentialsProviderError' })),
      },
      nowMs: NOW,
    };
    const failure = fetchCloudWatchHistory(config(), NOW - 600_000, NOW, noCredentials);
    await expect(failure).rejects.toBeInstanceOf(ServerMetricsUnavailable);
    await expect(failure).rejects.toThrow(/failed: no AWS credentials \(Could not load credentials from any providers\); set AWS_PROFILE/);
  });
});

describe('npm run analyze -- --cloudwatch --infra-env FILE', () => {
  const saved: Record<string, string | undefined> = {};
  const env = {
    AWS_ENDPOINT_URL_CLOUDWATCH: '',
    AWS_ACCESS_KEY_ID: TEST_CREDENTIALS.accessKeyId,
    AWS_SECRET_ACCESS_KEY: TEST_CREDENTIALS.secretAccessKey,
    AWS_EC2_METADATA_DISABLED: 'true',
    AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
  };
  beforeAll(() => {
    env.AWS_ENDPOINT_URL_CLOUDWATCH = fake.url;
    for (const [name, value] of Object.entries(env)) {
      saved[name] = process.env[name];
      process.env[name] = value;
    }
  });
  afterAll(() => {
    for (const [name, value] of Object.entries(saved)) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
  });

  it('reads the window of the run, sizes the tables it finds throttled and names the load balancer rejecting connections', async () => {
    const envPath = join(tempDir(), 'infra.env');
    writeFileSync(envPath, `${readFileSync(EXAMPLE_ENV, 'utf8')}\nOS_INFRA_WAF_WEB_ACL_ARN=${WEB_ACL_ARN}\n`);
    fake.valueOf = (q) => {
      const name = q.MetricStat.Metric.MetricName;
      if (name === 'WriteThrottleEvents') return 4;
      if (name === 'ConsumedWriteCapacityUnits') return 600;
      if (name === 'RejectedConnectionCount') return 2;
      return name === 'ProvisionedWriteCapacityUnits' ? 10 : 0;
    };
    const out = tempDir();
    const run = await cli([fixture('capacity.json.gz'), '--cloudwatch', '--infra-env', envPath, '--format', 'json,md', '--out-dir', out]);
    expect(run.stderr).not.toMatch(/^error/m);
    const summary = JSON.parse(readFileSync(join(out, 'summary.json'), 'utf8'));
    const first = fake.calls[0]!.body;
    expect(first.StartTime * 1000).toBeLessThanOrEqual(Date.parse(summary.startTime));
    expect(first.EndTime * 1000).toBeGreaterThan(Date.parse(summary.endTime));
    expect(summary.scaling.components.map((c: { name: string }) => c.name)).toEqual(
      expect.arrayContaining(['DynamoDB open-saves-records', 'DynamoDB open-saves-stores', 'pods/HPA', 'ElastiCache open-saves-redis-001', 'WAF rate rule', 'k6 runners']),
    );
    expect(summary.scaling.bottleneck).toMatch(/^DynamoDB /);
    const md = readFileSync(join(out, 'report.md'), 'utf8');
    expect(md).toMatch(/Server metrics: CloudWatch in us-west-2 \(\d+ GetMetricData call\(s\)\)/);
    expect(md).toMatch(/Also: the load balancer rejected connections \(its connection limit\): AWS\/ApplicationELB RejectedConnectionCount LoadBalancer=app\/open-saves-alb\/0123456789abcdef \(Sum\) = 2 first/);
    expect(md).not.toMatch(/Also: S3/);
  });
});
