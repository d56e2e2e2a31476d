// The report's charts, in the order they appear.
import type { AnalysisResult } from '../analyze.js';
import type { ChartSpec } from './chart-spec.js';
import { errorsOverTimeChart } from './errors-over-time.js';
import { latencyDistributionChart } from './latency-distribution.js';
import { latencyOverTimeChart } from './latency-over-time.js';
import { overviewChart } from './overview.js';
import { requestRateChart } from './request-rate.js';
import { utilisationChart } from './utilisation.js';
import { vusChart } from './vus.js';

export function reportCharts(result: AnalysisResult): ChartSpec[] {
  return [
    overviewChart(result),
    latencyOverTimeChart(result, 'p95'),
    latencyOverTimeChart(result, 'p99'),
    latencyDistributionChart(result),
    requestRateChart(result),
    errorsOverTimeChart(result),
    vusChart(result),
    ...[utilisationChart(result)].filter((chart): chart is ChartSpec => chart !== null),
  ];
}
