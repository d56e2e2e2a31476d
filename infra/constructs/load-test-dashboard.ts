// One CloudWatch dashboard from a typed body built in dashboards/cloudwatch/.
import { CloudwatchDashboard } from '@cdktf/provider-aws/lib/cloudwatch-dashboard/index.js';
import { Construct } from 'constructs';
import { assertDashboardWithinLimits } from '../../dashboards/cloudwatch/validate.js';
import type { DashboardBody } from '../../dashboards/cloudwatch/widgets.js';
import { InvalidDefinitionError } from '../errors.js';

export interface LoadTestDashboardConfig {
  readonly name: string;
  readonly body: DashboardBody;
}

export class LoadTestDashboard extends Construct {
  readonly dashboard: CloudwatchDashboard;

  constructor(scope: Construct, id: string, config: LoadTestDashboardConfig) {
    super(scope, id);
    assertDashboardWithinLimits(config.name, config.body);
    const body = JSON.stringify(config.body);
    // Terraform would read "${" in the body as an interpolation.
    if (body.includes('${')) {
      throw new InvalidDefinitionError(`dashboard ${config.name}`, 'body contains "${", which Terraform would interpolate');
    }
    this.dashboard = new CloudwatchDashboard(this, 'dashboard', { dashboardName: config.name, dashboardBody: body });
  }
}
