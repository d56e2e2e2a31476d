// The load balancer in front of the Open Saves pods: requests, p99 target time, 5xx rate.
import type { SloThresholds } from '../../catalogue/deployment.js';
import { ALB } from '../../catalogue/aws-metrics.js';
import { dashboard, expression, graph, metric, sloLine, text, type DashboardBody } from './widgets.js';

export interface AlbDashboardParams {
  readonly region: string;
  readonly loadBalancer: string;
  readonly targetGroup: string;
  readonly slo: SloThresholds;
}

export function albDashboard({ region, loadBalancer, targetGroup, slo }: AlbDashboardParams): DashboardBody {
  const dims = { [ALB.dimensions.loadBalancer]: loadBalancer, [ALB.dimensions.targetGroup]: targetGroup };
  const lbDims = { [ALB.dimensions.loadBalancer]: loadBalancer };
  return dashboard([
    text({ width: 24, markdown: `## Load balancer \`${loadBalancer}\`\nTarget group \`${targetGroup}\`.` }),
    graph({
      title: 'Requests per second',
      region,
      series: [
        metric(ALB.namespace, ALB.metrics.requests, dims, { stat: 'Sum', id: 'requests', visible: false }),
        expression('rps', 'requests / PERIOD(requests)', { label: 'req/s' }),
      ],
      yMin: 0,
      width: 8,
    }),
    graph({
      title: 'Target response time (s)',
      region,
      series: [
        metric(ALB.namespace, ALB.metrics.targetResponseTime, dims, { stat: 'p50', label: 'p50' }),
        metric(ALB.namespace, ALB.metrics.targetResponseTime, dims, { stat: 'p99', label: 'p99' }),
      ],
      annotations: [sloLine(`SLO p99 ${slo.p99Ms} ms`, slo.p99Ms / 1000)],
      yMin: 0,
      width: 8,
    }),
    graph({
      title: '5xx rate (% of requests)',
      region,
      series: [
        metric(ALB.namespace, ALB.metrics.requests, dims, { stat: 'Sum', id: 'reqs', visible: false }),
        metric(ALB.namespace, ALB.metrics.target5xx, dims, { stat: 'Sum', id: 'target5xx', visible: false }),
        metric(ALB.namespace, ALB.metrics.elb5xx, lbDims, { stat: 'Sum', id: 'elb5xx', visible: false }),
        expression('targetRate', '100 * FILL(target5xx, 0) / reqs', { label: 'target 5xx %' }),
        expression('elbRate', '100 * FILL(elb5xx, 0) / reqs', { label: 'load balancer 5xx %' }),
      ],
      annotations: [sloLine(`SLO ${slo.errorRatePercent} %`, slo.errorRatePercent)],
      yMin: 0,
      width: 8,
    }),
    graph({
      title: 'Targets',
      region,
      series: [
        metric(ALB.namespace, ALB.metrics.healthyHosts, dims, { stat: 'Minimum', label: 'healthy' }),
        metric(ALB.namespace, ALB.metrics.unhealthyHosts, dims, { stat: 'Maximum', label: 'unhealthy' }),
      ],
      yMin: 0,
      width: 12,
    }),
    graph({
      title: 'Target 4xx per minute',
      region,
      series: [metric(ALB.namespace, ALB.metrics.target4xx, dims, { stat: 'Sum', label: '4xx' })],
      yMin: 0,
      width: 12,
    }),
  ]);
}
