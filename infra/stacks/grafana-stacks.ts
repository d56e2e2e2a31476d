// AWS Managed Grafana in two stacks: the workspace (AWS provider), then its content
// (Grafana provider). The split lets Terraform configure the Grafana provider from known
// values: the endpoint and token exist only once the first stack is applied.
import { AwsProvider } from '@cdktf/provider-aws/lib/provider/index.js';
import { TerraformOutput, TerraformStack } from 'cdktf';
import type { Construct } from 'constructs';
import { GRAFANA_DASHBOARDS } from '../../dashboards/grafana/dashboards.js';
import { grafanaFile } from '../../dashboards/grafana/files.js';
import type { InfraConfig } from '../../catalogue/deployment.js';
import { GrafanaContent } from '../constructs/grafana/grafana-content.js';
import { GrafanaProvider } from '../constructs/grafana/grafana-provider.js';
import { ManagedGrafana } from '../constructs/grafana/grafana-workspace.js';
import { PROJECT_TAGS } from './observability-stack.js';

export class GrafanaWorkspaceStack extends TerraformStack {
  readonly grafana: ManagedGrafana;

  constructor(scope: Construct, id: string, config: InfraConfig) {
    super(scope, id);
    new AwsProvider(this, 'aws', { region: config.region, defaultTags: [{ tags: PROJECT_TAGS }] });
    this.grafana = new ManagedGrafana(this, 'grafana', { name: config.prefix, authProvider: config.grafanaAuthProvider });
    new TerraformOutput(this, 'grafana_url', { value: `https://${this.grafana.workspace.endpoint}` });
  }
}

export interface GrafanaContentStackProps {
  readonly config: InfraConfig;
  readonly workspace: GrafanaWorkspaceStack;
}

export class GrafanaContentStack extends TerraformStack {
  constructor(scope: Construct, id: string, { config, workspace }: GrafanaContentStackProps) {
    super(scope, id);
    const provider = new GrafanaProvider(this, 'grafana', {
      url: `https://${workspace.grafana.workspace.endpoint}`,
      auth: workspace.grafana.token.key,
    });
    new GrafanaContent(this, 'content', {
      provider,
      defaultRegion: config.region,
      dashboardFiles: Object.fromEntries(Object.keys(GRAFANA_DASHBOARDS).map((key) => [key, grafanaFile(key)])),
    });
    this.addDependency(workspace);
  }
}
