// The k6 client as CloudWatch sees it through the output extension: request rate,
// per-operation latency percentiles against the SLO, errors, dropped iterations and VUs.
import type { SloThresholds } from '../../infra/config.js';
import { k6MetricName } from '../../infra/k6-metrics.js';
import { operationSeries, type OperationSeries, type Protocol } from '../../infra/operations.js';
import { dashboard, expression, graph, metric, sloLine, text, type DashboardBody, type Series } from './widgets.js';

export interface K6DashboardParams {
  readonly region: string;
  readonly namespace: string;
  readonly scenario: string;
  readonly protocols: readonly Protocol[];
  readonly slo: SloThresholds;
}

const DURATION_METRIC: Record<Protocol, string> = {
  grpc: 'grpc_req_duration',
  http: 'http_req_duration',
};

// Metrics Insights over the whole namespace, so series with the optional testid/instance
// dimensions are included too.
function insights(namespace: string, select: string, scenario: string, groupBy?: string): string {
  const group = groupBy === undefined ? '' : ` GROUP BY ${groupBy}`;
  return `SELECT ${select} FROM "${namespace}" WHERE scenario = '${scenario}'${group}`;
}

function latencySeries(params: K6DashboardParams, ops: readonly OperationSeries[]): Series[] {
  return ops.flatMap((op) =>
    (['p95', 'p99'] as const).map((stat) =>
      metric(
        params.namespace,
        k6MetricName(DURATION_METRIC[op.protocol]),
        { op: op.op, scenario: params.scenario, status: op.successStatus },
        { stat, label: `${op.op} ${stat}` },
      ),
    ),
  );
}

function groupBy<T>(items: readonly T[], key: (item: T) => string): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const item of items) groups.set(key(item), [...(groups.get(key(item)) ?? []), item]);
  return groups;
}

export function k6ClientDashboard(params: K6DashboardParams): DashboardBody {
  const { namespace, region, scenario, slo } = params;
  const requests = k6MetricName('opensaves_requests');
  const errors = k6MetricName('opensaves_errors');
  const latencyWidgets = [...groupBy(operationSeries(params.protocols), (op) => `${op.protocol} ${op.group}`)].map(
    ([title, ops]) =>
      graph({
        title: `${title}: successful call latency p95 / p99 (ms)`,
        region,
        series: latencySeries(params, ops),
        annotations: [sloLine(`SLO p95 ${slo.p95Ms} ms`, slo.p95Ms, '#ff7f0e'), sloLine(`SLO p99 ${slo.p99Ms} ms`, slo.p99Ms)],
        yMin: 0,
      }),
  );

  return dashboard([
    text({
      width: 24,
      markdown: `## k6 client (scenario \`${scenario}\`)\nMetrics sent by the kit's CloudWatch output to \`${namespace}\`. Lines mark the SLO; red areas are over it.`,
    }),
    graph({
      title: 'Request rate (req/s)',
      region,
      series: [
        expression('requests', insights(namespace, `SUM(${requests})`, scenario), { visible: false }),
        expression('rate', 'requests / PERIOD(requests)', { label: 'requests/s' }),
      ],
      yMin: 0,
    }),
    graph({
      title: 'Error rate (% of requests)',
      region,
      series: [
        expression('errs', insights(namespace, `SUM(${errors})`, scenario), { visible: false }),
        expression('reqs', insights(namespace, `SUM(${requests})`, scenario), { visible: false }),
        expression('errorRate', '100 * errs / reqs', { label: 'error %' }),
      ],
      annotations: [sloLine(`SLO ${slo.errorRatePercent} %`, slo.errorRatePercent)],
      yMin: 0,
    }),
    graph({
      title: 'Errors by operation',
      region,
      stacked: true,
      series: [expression('errsByOp', insights(namespace, `SUM(${errors})`, scenario, 'op'))],
    }),
    graph({
      title: 'Dropped iterations (the load generator could not keep up)',
      region,
      series: [expression('dropped', insights(namespace, `SUM(${k6MetricName('dropped_iterations')})`, scenario), { label: 'dropped' })],
      yMin: 0,
    }),
    graph({
      title: 'Virtual users',
      region,
      series: [
        expression('vus', insights(namespace, `MAX(${k6MetricName('vus')})`, scenario, 'instance'), { label: 'VUs' }),
      ],
      yMin: 0,
    }),
    graph({
      title: 'Checks passing (%)',
      region,
      series: [
        expression('checks', insights(namespace, `AVG(${k6MetricName('checks')})`, scenario), { visible: false }),
        expression('checksPct', '100 * checks', { label: 'checks passing %' }),
      ],
    }),
    ...latencyWidgets,
  ]);
}
