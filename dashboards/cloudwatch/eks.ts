// EKS nodes and the Open Saves pods, from Container Insights.
import { CONTAINER_INSIGHTS as CI, RECOMMENDED_ALARMS } from '../../catalogue/aws-metrics.js';
import { dashboard, expression, graph, metric, sloLine, text, type DashboardBody } from './widgets.js';

export interface EksDashboardParams {
  readonly region: string;
  readonly cluster: string;
  readonly namespace: string;
  readonly service: string;
}

export function eksDashboard({ region, cluster, namespace, service }: EksDashboardParams): DashboardBody {
  const clusterDims = { [CI.dimensions.cluster]: cluster };
  const serviceDims = { ...clusterDims, [CI.dimensions.namespace]: namespace, [CI.dimensions.service]: service };
  const podDims = { ...clusterDims, [CI.dimensions.namespace]: namespace, [CI.dimensions.podName]: service };
  return dashboard([
    text({ width: 24, markdown: `## EKS \`${cluster}\`, service \`${namespace}/${service}\`\nContainer Insights must be enabled on the cluster.` }),
    graph({
      title: 'Node CPU (%)',
      region,
      series: [metric(CI.namespace, CI.metrics.nodeCpu, clusterDims, { stat: 'Maximum', label: 'max' }), metric(CI.namespace, CI.metrics.nodeCpu, clusterDims, { stat: 'Average', label: 'avg' })],
      annotations: [sloLine('alarm', RECOMMENDED_ALARMS.eksNodeCpu.threshold)],
      yMin: 0,
    }),
    graph({
      title: 'Node memory (%)',
      region,
      series: [metric(CI.namespace, CI.metrics.nodeMemory, clusterDims, { stat: 'Maximum', label: 'max' }), metric(CI.namespace, CI.metrics.nodeMemory, clusterDims, { stat: 'Average', label: 'avg' })],
      annotations: [sloLine('alarm', RECOMMENDED_ALARMS.eksNodeMemory.threshold)],
      yMin: 0,
    }),
    graph({
      title: 'Nodes',
      region,
      series: [metric(CI.namespace, CI.metrics.nodeCount, clusterDims, { stat: 'Average', label: 'nodes' }), metric(CI.namespace, CI.metrics.failedNodeCount, clusterDims, { stat: 'Maximum', label: 'failed nodes' })],
      yMin: 0,
    }),
    graph({
      title: 'Node network (bytes/s)',
      region,
      series: [metric(CI.namespace, CI.metrics.nodeNetwork, clusterDims, { stat: 'Average', label: 'avg per node' })],
    }),
    graph({
      title: 'Pod CPU and memory over their limits (%)',
      region,
      series: [
        metric(CI.namespace, CI.metrics.podCpuOverLimit, serviceDims, { stat: 'Maximum', label: 'CPU / limit' }),
        metric(CI.namespace, CI.metrics.podMemoryOverLimit, serviceDims, { stat: 'Maximum', label: 'memory / limit' }),
      ],
      annotations: [sloLine('alarm', RECOMMENDED_ALARMS.eksPodCpuOverLimit.threshold)],
      yMin: 0,
    }),
    graph({
      title: 'Running pods and container restarts',
      region,
      series: [
        metric(CI.namespace, CI.metrics.runningPods, serviceDims, { stat: 'Average', label: 'running pods' }),
        metric(CI.namespace, CI.metrics.podRestarts, podDims, { stat: 'Maximum', id: 'restarts', visible: false }),
        expression('newRestarts', 'DIFF(restarts)', { label: 'restarts in the minute', yAxis: 'right' }),
      ],
      yMin: 0,
    }),
  ]);
}
