// Turns an AWS alarm recommendation (catalogue/aws-metrics.ts) plus a threshold into the arguments of
// aws_cloudwatch_metric_alarm, for single metrics and for metric math / Metrics Insights.
import type { CloudwatchMetricAlarmConfig, CloudwatchMetricAlarmMetricQuery } from '@cdktf/provider-aws/lib/cloudwatch-metric-alarm/index.js';
import type { AlarmRecommendation } from '../../../catalogue/aws-metrics.js';

export interface AlarmTarget {
  readonly name: string;
  readonly description: string;
  readonly recommendation: AlarmRecommendation;
  readonly threshold: number;
  // Missing data during a load test usually means "no traffic yet", not a breach.
  readonly treatMissingData?: 'notBreaching' | 'breaching' | 'missing' | 'ignore';
  readonly actions: readonly string[];
  readonly region?: string;
}

export interface MetricSource {
  readonly namespace: string;
  readonly metricName: string;
  readonly dimensions: Readonly<Record<string, string>>;
}

export interface MathMetric extends MetricSource {
  readonly id: string;
  readonly stat: string;
}

// A query used as input to the alarm's expression: a metric, or a Metrics Insights query.
export type MathInput = MathMetric | { readonly id: string; readonly insightsQuery: string };

const PERCENTILE = /^(p|tm|wm|tc|ts)\d/;

function common(target: AlarmTarget): Omit<CloudwatchMetricAlarmConfig, 'evaluationPeriods' | 'comparisonOperator'> & {
  evaluationPeriods: number;
  comparisonOperator: string;
} {
  return {
    alarmName: target.name,
    alarmDescription: target.description,
    comparisonOperator: target.recommendation.comparison,
    evaluationPeriods: target.recommendation.evaluationPeriods,
    datapointsToAlarm: target.recommendation.datapointsToAlarm,
    threshold: target.threshold,
    treatMissingData: target.treatMissingData ?? 'notBreaching',
    alarmActions: [...target.actions],
    okActions: [...target.actions],
    ...(target.region === undefined ? {} : { region: target.region }),
  };
}

export function singleMetricAlarm(target: AlarmTarget, source: MetricSource): CloudwatchMetricAlarmConfig {
  const stat = target.recommendation.statistic;
  return {
    ...common(target),
    namespace: source.namespace,
    metricName: source.metricName,
    dimensions: { ...source.dimensions },
    period: target.recommendation.periodSeconds,
    ...(PERCENTILE.test(stat) ? { extendedStatistic: stat } : { statistic: stat }),
  };
}

export function mathAlarm(
  target: AlarmTarget,
  inputs: readonly MathInput[],
  resultExpression: string,
  resultLabel: string,
): CloudwatchMetricAlarmConfig {
  const period = target.recommendation.periodSeconds;
  const queries: CloudwatchMetricAlarmMetricQuery[] = inputs.map((input) =>
    'insightsQuery' in input
      ? { id: input.id, expression: input.insightsQuery, period, returnData: false }
      : {
          id: input.id,
          returnData: false,
          metric: {
            namespace: input.namespace,
            metricName: input.metricName,
            dimensions: { ...input.dimensions },
            period,
            stat: input.stat,
          },
        },
  );
  queries.push({ id: 'result', expression: resultExpression, label: resultLabel, returnData: true });
  return { ...common(target), metricQuery: queries };
}
