import { CloudwatchCompositeAlarm } from '@cdktf/provider-aws/lib/cloudwatch-composite-alarm/index.js';
import { CloudwatchMetricAlarm } from '@cdktf/provider-aws/lib/cloudwatch-metric-alarm/index.js';
import { Testing } from 'cdktf';
import type { Construct } from 'constructs';
import { describe, expect, it } from 'vitest';
import { ALARM_LIMITS } from '../../catalogue/aws-metrics.js';
import { CompositeAlarm, anyInAlarm } from '../constructs/alarms/health-alarm.js';
import { InvalidDefinitionError } from '../errors.js';
import './support/synth.js';

function childAlarms(scope: Construct, count: number, nameLength = 20): CloudwatchMetricAlarm[] {
  return Array.from({ length: count }, (_, i) =>
    new CloudwatchMetricAlarm(scope, `child-${i}`, {
      alarmName: `${i}-`.padEnd(nameLength, 'x'),
      comparisonOperator: 'GreaterThanThreshold',
      evaluationPeriods: 1,
      metricName: 'M',
      namespace: 'N',
      period: 60,
      statistic: 'Sum',
      threshold: 1,
    }),
  );
}

describe('CompositeAlarm', () => {
  it('goes into ALARM when any child does, and notifies the given actions', () => {
    const synth = Testing.synthScope((scope) => {
      new CompositeAlarm(scope, 'health', { name: 'unhealthy', description: 'd', children: childAlarms(scope, 2), actions: ['topic'] });
    });
    expect(synth).toHaveResourceWithProperties(CloudwatchCompositeAlarm, {
      alarm_name: 'unhealthy',
      alarm_rule: 'ALARM("${aws_cloudwatch_metric_alarm.child-0.alarm_name}") OR ALARM("${aws_cloudwatch_metric_alarm.child-1.alarm_name}")',
      alarm_actions: ['topic'],
      ok_actions: ['topic'],
    });
  });

  it('builds the rule from alarm names', () => {
    expect(anyInAlarm(['a', 'b'])).toBe('ALARM("a") OR ALARM("b")');
  });

  it('refuses a rule longer than CloudWatch accepts and an empty one', () => {
    const perChild = anyInAlarm(['x'.repeat(200)]).length + ' OR '.length;
    const tooMany = Math.ceil(ALARM_LIMITS.maxCompositeRuleLength / perChild) + 1;
    expect(() =>
      Testing.synthScope((scope) => {
        new CompositeAlarm(scope, 'health', { name: 'big', description: 'd', children: childAlarms(scope, tooMany, 200), actions: [] });
      }),
    ).toThrow(/composite alarm big: rule of \d+ characters, more than 10240/);
    expect(() =>
      Testing.synthScope((scope) => {
        new CompositeAlarm(scope, 'health', { name: 'empty', description: 'd', children: [], actions: [] });
      }),
    ).toThrow(/composite alarm empty: no alarms to watch/);
    try {
      Testing.synthScope((scope) => new CompositeAlarm(scope, 'health', { name: 'empty', description: 'd', children: [], actions: [] }));
    } catch (error) {
      expect(error).toBeInstanceOf(InvalidDefinitionError);
      expect(error).toMatchObject({ name: 'InvalidDefinitionError', subject: 'composite alarm empty', reason: 'no alarms to watch' });
    }
  });
});
