// The CloudWatch data source and the dashboards of dashboards/grafana/ inside a Grafana.
import { readFileSync } from 'node:fs';
import { Construct } from 'constructs';
import { DATASOURCE_UID } from '../../../dashboards/grafana/model.js';
import { InvalidDefinitionError } from '../../errors.js';
import { GrafanaDashboardResource, GrafanaDataSource, type GrafanaProvider } from './grafana-provider.js';

export interface GrafanaContentConfig {
  readonly provider: GrafanaProvider;
  readonly defaultRegion: string;
  readonly dashboardFiles: Readonly<Record<string, string>>;
}

// Terraform reads "${" in a string as an interpolation, and cdktf's HCL output would not
// keep an escaped "$${" intact, so dashboards must use Grafana's `$variable` form.
export function assertNoInterpolation(file: string, text: string): void {
  const at = text.indexOf('${');
  if (at >= 0) {
    throw new InvalidDefinitionError(`Grafana dashboard ${file}`, `expected variables as $name, got \`${text.slice(at, at + 24)}\` (Terraform would interpolate it)`);
  }
}

export class GrafanaContent extends Construct {
  readonly dataSource: GrafanaDataSource;
  readonly dashboards: GrafanaDashboardResource[] = [];

  constructor(scope: Construct, id: string, config: GrafanaContentConfig) {
    super(scope, id);
    this.dataSource = new GrafanaDataSource(this, 'cloudwatch', {
      provider: config.provider,
      type: 'cloudwatch',
      name: 'CloudWatch',
      uid: DATASOURCE_UID,
      isDefault: true,
      // ec2_iam_role: the workspace's own IAM role, so no keys are stored in Grafana.
      jsonData: { authType: 'ec2_iam_role', defaultRegion: config.defaultRegion },
    });
    for (const [key, file] of Object.entries(config.dashboardFiles)) {
      let json: string;
      try {
        json = JSON.stringify(JSON.parse(readFileSync(file, 'utf8')));
      } catch (error) {
        throw new InvalidDefinitionError(`Grafana dashboard ${file}`, `expected a readable JSON file, got ${(error as Error).message}`);
      }
      assertNoInterpolation(file, json);
      this.dashboards.push(
        new GrafanaDashboardResource(this, `dashboard-${key}`, {
          provider: config.provider,
          configJson: json,
          dependsOn: [this.dataSource],
        }),
      );
    }
  }
}
