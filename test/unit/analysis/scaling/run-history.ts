// A server history made from a real k6 run's own per-second rates, so the scaling analysis has known per-request
// costs to find: the records table consumes 2 WCU per request against 20 provisioned, pod CPU is 0.5 % per request/s.
import { analyze } from '../../../../analysis/src/analyze.js';
import { parseArgs } from '../../../../analysis/src/config/args.js';
import { CONTAINER_INSIGHTS as CI, DYNAMODB } from '../../../../catalogue/aws-metrics.js';
import type { ServerMetricsHistory } from '../../../../catalogue/server-metrics.js';

/** The records table consumes 2 WCU per request the run made in each second; 20 WCU are provisioned. */
export async function historyOfTheRun(run: string, outDir: string): Promise<ServerMetricsHistory> {
  const { series } = await analyze(parseArgs([run, '--bucket', '1s', '--out-dir', outDir]));
  const table = { [DYNAMODB.dimensions.table]: 'open-saves-records' };
  const service = { [CI.dimensions.cluster]: 'local', [CI.dimensions.namespace]: 'default', [CI.dimensions.service]: 'open-saves' };
  const wanted = series.requestsPerSec.map((r) => 2 * r);
  const points = (f: (i: number) => number): Array<[number, number]> => series.startsMs.map((t, i) => [t, f(i)]);
  return {
    source: 'emulator-model',
    from: series.startsMs[0]!,
    to: series.startsMs[series.startsMs.length - 1]! + 1000,
    periodSeconds: 1,
    settings: { 'dynamodb.records.mode': 'provisioned', 'dynamodb.records.wcu': 20, 'pods.min': 2, 'pods.max': 4, 'pods.cpuLimitMillicores': 500, 'pods.hpaTargetPercent': 70 },
    series: [
      { namespace: DYNAMODB.namespace, metricName: DYNAMODB.metrics.consumedWrite, dimensions: table, statistic: 'Sum', unit: 'Count', points: points((i) => Math.min(20, wanted[i]!)) },
      { namespace: DYNAMODB.namespace, metricName: DYNAMODB.metrics.writeThrottles, dimensions: table, statistic: 'Sum', unit: 'Count', points: points((i) => Math.max(0, wanted[i]! - 20) / 2) },
      { namespace: CI.namespace, metricName: CI.metrics.podCpuOverLimit, dimensions: service, statistic: 'Average', unit: 'Percent', points: points((i) => series.requestsPerSec[i]! * 0.5) },
    ],
  };
}

