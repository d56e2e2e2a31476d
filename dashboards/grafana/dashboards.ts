// The Grafana dashboards of the kit, kept as JSON in dashboards/grafana/*.json
// (written by `npx tsx dashboards/grafana/write.ts`; a test checks the files are current).
import { ALB, CONTAINER_INSIGHTS as CI, DYNAMODB, ELASTICACHE as EC, S3 } from '../../catalogue/aws-metrics.js';
import { K6_METRICS, k6MetricName } from '../../catalogue/k6-metrics.js';
import { cwTarget, grafanaDashboard, textVariable, type GrafanaDashboard } from './model.js';

// Defaults of the SLO lines; the CloudWatch dashboards take theirs from the configuration.
const SLO_P95_MS = 250;
const SLO_P99_MS = 500;

function k6ClientDashboard(): GrafanaDashboard {
  const ns = K6_METRICS.namespace;
  const perOp = { op: '*', scenario: '$scenario', status: '*' };
  // Without a label, each series of a wildcard ("*") search is named by its dimension values.
  // Never exact: runs that set RUN_ID add a testid dimension to every k6 series.
  const k6 = (refId: string, k6Name: string, statistic: string, dimensions: Record<string, string>, label?: string) =>
    cwTarget({ refId, namespace: ns, metricName: k6MetricName(k6Name), dimensions, statistic, label, matchExact: false });
  return grafanaDashboard(
    'opensaves-k6-client',
    'Open Saves load test: k6 client',
    [
      { title: 'Requests per minute by operation', stacked: true, targets: [k6('A', 'opensaves_requests', 'Sum', perOp)] },
      { title: 'Errors per minute by operation', stacked: true, targets: [k6('A', 'opensaves_errors', 'Sum', perOp)] },
      {
        title: 'gRPC latency p95 by operation',
        unit: 'ms',
        sloLines: [SLO_P95_MS, SLO_P99_MS],
        targets: [k6('A', 'grpc_req_duration', 'p95', perOp)],
      },
      {
        title: 'gRPC latency p99 by operation',
        unit: 'ms',
        sloLines: [SLO_P95_MS, SLO_P99_MS],
        targets: [k6('A', 'grpc_req_duration', 'p99', perOp)],
      },
      {
        title: 'HTTP latency p95 by operation',
        unit: 'ms',
        sloLines: [SLO_P95_MS, SLO_P99_MS],
        targets: [k6('A', 'http_req_duration', 'p95', perOp)],
      },
      {
        title: 'HTTP latency p99 by operation',
        unit: 'ms',
        sloLines: [SLO_P95_MS, SLO_P99_MS],
        targets: [k6('A', 'http_req_duration', 'p99', perOp)],
      },
      { title: 'Dropped iterations', targets: [k6('A', 'dropped_iterations', 'Sum', { scenario: '$scenario' }, 'dropped')] },
      // vus carries no scenario tag: it belongs to the whole run.
      { title: 'Virtual users (largest runner)', targets: [k6('A', 'vus', 'Maximum', {}, 'VUs')] },
    ],
    [textVariable('scenario', 'k6 scenario tag', 'main')],
  );
}

function backendsDashboard(): GrafanaDashboard {
  const t = (refId: string, namespace: string, metricName: string, dimensions: Record<string, string>, statistic: string, label?: string) =>
    cwTarget({ refId, namespace, metricName, dimensions, statistic, label });
  const tableOp = { [DYNAMODB.dimensions.table]: '*', [DYNAMODB.dimensions.operation]: '*' };
  const table = { [DYNAMODB.dimensions.table]: '*' };
  const cache = { [EC.dimensions.cluster]: '*' };
  const lbTg = { [ALB.dimensions.loadBalancer]: '$alb', [ALB.dimensions.targetGroup]: '*' };
  const bucket = { [S3.dimensions.bucket]: '$bucket', [S3.dimensions.filter]: S3.requestMetricsFilterId };
  const cluster = { [CI.dimensions.cluster]: '$cluster' };
  return grafanaDashboard(
    'opensaves-backends',
    'Open Saves load test: service and backends',
    [
      { title: 'EKS node CPU and memory (%)', unit: 'percent', sloLines: [80], targets: [t('A', CI.namespace, CI.metrics.nodeCpu, cluster, 'Maximum', 'node CPU max'), t('B', CI.namespace, CI.metrics.nodeMemory, cluster, 'Maximum', 'node memory max')] },
      { title: 'ALB target response time p99', unit: 's', sloLines: [SLO_P99_MS / 1000], targets: [t('A', ALB.namespace, ALB.metrics.targetResponseTime, lbTg, 'p99', 'p99')] },
      { title: 'ALB requests and target 5xx per minute', targets: [t('A', ALB.namespace, ALB.metrics.requests, lbTg, 'Sum', 'requests'), t('B', ALB.namespace, ALB.metrics.target5xx, lbTg, 'Sum', 'target 5xx')] },
      { title: 'DynamoDB SuccessfulRequestLatency by table and operation', unit: 'ms', targets: [t('A', DYNAMODB.namespace, DYNAMODB.metrics.latency, tableOp, 'Average')] },
      { title: 'DynamoDB throttles', targets: [t('A', DYNAMODB.namespace, DYNAMODB.metrics.readThrottles, table, 'Sum'), t('B', DYNAMODB.namespace, DYNAMODB.metrics.writeThrottles, table, 'Sum')] },
      { title: 'DynamoDB consumed capacity', targets: [t('A', DYNAMODB.namespace, DYNAMODB.metrics.consumedRead, table, 'Sum'), t('B', DYNAMODB.namespace, DYNAMODB.metrics.consumedWrite, table, 'Sum')] },
      { title: 'Redis engine CPU and memory (%)', unit: 'percent', sloLines: [80, 90], targets: [t('A', EC.namespace, EC.metrics.engineCpu, cache, 'Average'), t('B', EC.namespace, EC.metrics.memoryUsage, cache, 'Average')] },
      { title: 'Redis connections and evictions', targets: [t('A', EC.namespace, EC.metrics.connections, cache, 'Average'), t('B', EC.namespace, EC.metrics.evictions, cache, 'Sum')] },
      { title: 'S3 requests and 5xx per minute', targets: [t('A', S3.namespace, S3.metrics.allRequests, bucket, 'Sum', 'requests'), t('B', S3.namespace, S3.metrics.errors5xx, bucket, 'Sum', '5xx')] },
      { title: 'S3 first-byte latency p99', unit: 'ms', targets: [t('A', S3.namespace, S3.metrics.firstByteLatency, bucket, 'p99', 'first byte p99')] },
    ],
    [textVariable('cluster', 'EKS cluster', 'open-saves-cluster'), textVariable('alb', 'ALB (app/name/id)', 'app/open-saves-alb/0123456789abcdef'), textVariable('bucket', 'S3 bucket', 'example-open-saves-blobs')],
  );
}

export const GRAFANA_DASHBOARDS: Readonly<Record<string, () => GrafanaDashboard>> = {
  'k6-client': k6ClientDashboard,
  backends: backendsDashboard,
};
