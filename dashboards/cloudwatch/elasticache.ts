// ElastiCache Redis: engine CPU, memory, connections, hit ratio, evictions, network.
import { ELASTICACHE as EC, RECOMMENDED_ALARMS } from '../../catalogue/aws-metrics.js';
import { dashboard, expression, graph, metric, sloLine, text, type DashboardBody, type Series } from './widgets.js';

export interface ElastiCacheDashboardParams {
  readonly region: string;
  readonly clusterIds: readonly string[];
  readonly memoryPercent: number;
}

export function elastiCacheDashboard({ region, clusterIds, memoryPercent }: ElastiCacheDashboardParams): DashboardBody {
  const perCluster = (name: string, stat: string, suffix = ''): Series[] =>
    clusterIds.map((id) => metric(EC.namespace, name, { [EC.dimensions.cluster]: id }, { stat, label: `${id}${suffix}` }));
  const hitRatio: Series[] = clusterIds.flatMap((id, index) => [
    metric(EC.namespace, EC.metrics.hits, { [EC.dimensions.cluster]: id }, { stat: 'Sum', id: `hits${index}`, visible: false }),
    metric(EC.namespace, EC.metrics.misses, { [EC.dimensions.cluster]: id }, { stat: 'Sum', id: `misses${index}`, visible: false }),
    expression(`ratio${index}`, `100 * hits${index} / (hits${index} + misses${index})`, { label: `${id} hit %` }),
  ]);
  return dashboard([
    text({
      width: 24,
      markdown: '## ElastiCache Redis\nThe AWS port writes `store:*` and `record:*` keys but never reads them, so a low hit ratio is expected.',
    }),
    graph({
      title: 'Engine CPU (%)',
      region,
      series: perCluster(EC.metrics.engineCpu, 'Average'),
      annotations: [sloLine('alarm', RECOMMENDED_ALARMS.elasticacheEngineCpu.threshold)],
      yMin: 0,
      width: 8,
    }),
    graph({
      title: 'Memory used (% of maxmemory)',
      region,
      series: perCluster(EC.metrics.memoryUsage, 'Average'),
      annotations: [sloLine('alarm', memoryPercent)],
      yMin: 0,
      width: 8,
    }),
    graph({
      title: 'Connections',
      region,
      series: [...perCluster(EC.metrics.connections, 'Average', ' current'), ...perCluster(EC.metrics.newConnections, 'Sum', ' new/min')],
      yMin: 0,
      width: 8,
    }),
    graph({ title: 'Cache hit ratio (%)', region, series: hitRatio, yMin: 0, width: 8 }),
    graph({ title: 'Evictions per minute', region, series: perCluster(EC.metrics.evictions, 'Sum'), yMin: 0, width: 8 }),
    graph({
      title: 'Network (bytes/min)',
      region,
      series: [...perCluster(EC.metrics.networkIn, 'Sum', ' in'), ...perCluster(EC.metrics.networkOut, 'Sum', ' out')],
      yMin: 0,
      width: 8,
    }),
  ]);
}
