// Composite alarms: one per group of alarms, and "load test unhealthy" over all groups,
// so a single notification says the run is no longer meaningful.
import { CloudwatchCompositeAlarm } from '@cdktf/provider-aws/lib/cloudwatch-composite-alarm/index.js';
import type { CloudwatchMetricAlarm } from '@cdktf/provider-aws/lib/cloudwatch-metric-alarm/index.js';
import { Construct } from 'constructs';
import { ALARM_LIMITS } from '../../../catalogue/aws-metrics.js';
import { InvalidDefinitionError } from '../../errors.js';

export type ChildAlarm = CloudwatchMetricAlarm | CloudwatchCompositeAlarm;

export interface CompositeAlarmConfig {
  readonly name: string;
  readonly description: string;
  readonly children: readonly ChildAlarm[];
  readonly actions: readonly string[];
}

export function anyInAlarm(names: readonly string[]): string {
  return names.map((name) => `ALARM("${name}")`).join(' OR ');
}

export class CompositeAlarm extends Construct {
  readonly alarm: CloudwatchCompositeAlarm;

  constructor(scope: Construct, id: string, config: CompositeAlarmConfig) {
    super(scope, id);
    if (config.children.length === 0) throw new InvalidDefinitionError(`composite alarm ${config.name}`, 'no alarms to watch');
    // The rule references children by token; their configured names give its real length.
    const ruleLength = anyInAlarm(config.children.map((child) => child.alarmNameInput ?? '')).length;
    if (ruleLength > ALARM_LIMITS.maxCompositeRuleLength) {
      throw new InvalidDefinitionError(
        `composite alarm ${config.name}`,
        `rule of ${ruleLength} characters, more than ${ALARM_LIMITS.maxCompositeRuleLength}`,
      );
    }
    this.alarm = new CloudwatchCompositeAlarm(this, 'alarm', {
      alarmName: config.name,
      alarmDescription: config.description,
      // Referencing the child resources orders creation after them.
      alarmRule: anyInAlarm(config.children.map((child) => child.alarmName)),
      alarmActions: [...config.actions],
      okActions: [...config.actions],
    });
  }

}
