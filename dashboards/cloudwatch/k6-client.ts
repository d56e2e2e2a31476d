// The k6 client as CloudWatch sees it through the output extension: request rate,
// per-operation latency percentiles against the SLO, errors, dropped iterations and VUs.
import type { SloThresholds } from '../../catalogue/deployment.js';
import { k6MetricName } from '../../catalogue/k6-metrics.js';
import { durationMetricName, insightsQuery, successDimensions, type K6SeriesFilter } from '../k6-queries.js';
import { operationSeries, type OperationSeries, type Protocol } from '../../catalogue/operations.js';
import { dashboard, expression, graph, metric, sloLine, text, type DashboardBody, type Series } from './widgets.js';

export interface K6DashboardParams {
  readonly region: string;
  readonly filter: K6SeriesFilter;
  readonly protocols: readonly Protocol[];
  readonly slo: SloThresholds;
}

function latencySeries(filter: K6SeriesFilter, ops: readonly OperationSeries[]): Series[] {
  return ops.flatMap((op) =>
    (['p95', 'p99'] as const).map((stat) =>
      metric(filter.namespace, durationMetricName(op.protocol), successDimensions(filter, op), { stat, label: `${op.op} ${stat}` }),
    ),
  );
}

function groupBy<T>(items: readonly T[], key: (item: T) => string): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const item of items) groups.set(key(item), [...(groups.get(key(item)) ?? []), item]);
  return groups;
}

export function k6ClientDashboard({ region, filter, protocols, slo }: K6DashboardParams): DashboardBody {
  const query = (select: string, groupByDimension?: string) =>
    insightsQuery(filter, select, groupByDimension === undefined ? {} : { groupBy: groupByDimension });
  const requests = k6MetricName('opensaves_requests');
  const errors = k6MetricName('opensaves_errors');
  const latencyWidgets = [...groupBy(operationSeries(protocols), (op) => `${op.protocol} ${op.group}`)].map(([title, ops]) =>
    graph({
      title: `${title}: successful call latency p95 / p99 (ms)`,
      region,
      series: latencySeries(filter, ops),
      annotations: [sloLine(`SLO p95 ${slo.p95Ms} ms`, slo.p95Ms, '#ff7f0e'), sloLine(`SLO p99 ${slo.p99Ms} ms`, slo.p99Ms)],
      yMin: 0,
    }),
  );
  const run = filter.runId === undefined ? '' : `, run \`${filter.runId}\``;

  return dashboard([
    text({
      width: 24,
      markdown: `## k6 client (scenario \`${filter.scenario}\`${run})\nMetrics sent by the kit's CloudWatch output to \`${filter.namespace}\`. Lines mark the SLO; red areas are over it.`,
    }),
    graph({
      title: 'Request rate (req/s)',
      region,
      series: [
        expression('requests', query(`SUM(${requests})`), { visible: false }),
        expression('rate', 'requests / PERIOD(requests)', { label: 'requests/s' }),
      ],
      yMin: 0,
    }),
    graph({
      title: 'Error rate (% of requests)',
      region,
      series: [
        expression('errs', query(`SUM(${errors})`), { visible: false }),
        expression('reqs', query(`SUM(${requests})`), { visible: false }),
        expression('errorRate', '100 * errs / reqs', { label: 'error %' }),
      ],
      annotations: [sloLine(`SLO ${slo.errorRatePercent} %`, slo.errorRatePercent)],
      yMin: 0,
    }),
    graph({ title: 'Errors by operation', region, stacked: true, series: [expression('errsByOp', query(`SUM(${errors})`, 'op'))] }),
    graph({
      title: 'Dropped iterations (the load generator could not keep up)',
      region,
      series: [expression('dropped', query(`SUM(${k6MetricName('dropped_iterations')})`), { label: 'dropped' })],
      yMin: 0,
    }),
    graph({
      // Every runner reports its VUs under the same dimensions, so this is the busiest runner.
      title: 'Virtual users (largest runner)',
      region,
      series: [expression('vus', insightsQuery(filter, `MAX(${k6MetricName('vus')})`, { perScenario: false }), { label: 'VUs' })],
      yMin: 0,
    }),
    graph({
      title: 'Checks passing (%)',
      region,
      series: [
        expression('checks', query(`AVG(${k6MetricName('checks')})`), { visible: false }),
        expression('checksPct', '100 * checks', { label: 'checks passing %' }),
      ],
    }),
    ...latencyWidgets,
  ]);
}
