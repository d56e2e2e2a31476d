// Client-side SLO alarms on what k6 measured: p95 and p99 of successful calls per
// operation, and the error rate over all operations.
import { CloudwatchMetricAlarm } from '@cdktf/provider-aws/lib/cloudwatch-metric-alarm/index.js';
import { Construct } from 'constructs';
import type { SloThresholds } from '../../../catalogue/deployment.js';
import { RECOMMENDED_ALARMS as REC } from '../../../catalogue/aws-metrics.js';
import { k6MetricName } from '../../../catalogue/k6-metrics.js';
import { durationMetricName, insightsQuery, successDimensions, type K6SeriesFilter } from '../../../dashboards/k6-queries.js';
import { operationSeries, type Protocol } from '../../../catalogue/operations.js';
import { mathAlarm, singleMetricAlarm } from './alarm-definitions.js';

export interface K6AlarmsConfig {
  readonly prefix: string;
  readonly filter: K6SeriesFilter;
  readonly protocols: readonly Protocol[];
  readonly slo: SloThresholds;
  readonly actions: readonly string[];
}

export class K6Alarms extends Construct {
  readonly latencyAlarms: CloudwatchMetricAlarm[] = [];
  readonly errorRateAlarm: CloudwatchMetricAlarm;

  constructor(scope: Construct, id: string, config: K6AlarmsConfig) {
    super(scope, id);
    const { prefix, filter, slo } = config;
    const { namespace, scenario } = filter;
    for (const op of operationSeries(config.protocols)) {
      for (const [stat, thresholdMs] of [['p95', slo.p95Ms], ['p99', slo.p99Ms]] as const) {
        const name = `${prefix}-k6-${op.protocol}-${op.op}-${stat}`;
        this.latencyAlarms.push(
          new CloudwatchMetricAlarm(
            this,
            `${op.protocol}-${op.op}-${stat}`,
            singleMetricAlarm(
              {
                name,
                description: `${op.protocol} ${op.op} ${stat} above ${thresholdMs} ms in scenario ${scenario}`,
                recommendation: { ...REC.k6Latency, statistic: stat },
                threshold: thresholdMs,
                actions: config.actions,
              },
              { namespace, metricName: durationMetricName(op.protocol), dimensions: successDimensions(filter, op) },
            ),
          ),
        );
      }
    }

    // Metrics Insights adds up every op/status series, which a plain metric alarm cannot.
    const sumOf = (k6Name: string) => insightsQuery(filter, `SUM(${k6MetricName(k6Name)})`);
    this.errorRateAlarm = new CloudwatchMetricAlarm(
      this,
      'error-rate',
      mathAlarm(
        {
          name: `${prefix}-k6-error-rate`,
          description: `More than ${slo.errorRatePercent} % of k6 requests failed in scenario ${scenario}`,
          recommendation: REC.k6ErrorRate,
          threshold: slo.errorRatePercent,
          actions: config.actions,
        },
        [
          { id: 'errors', insightsQuery: sumOf('opensaves_errors') },
          { id: 'requests', insightsQuery: sumOf('opensaves_requests') },
        ],
        '100 * FILL(errors, 0) / requests',
        'k6 error %',
      ),
    );
  }
}
