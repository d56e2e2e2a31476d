import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GrafanaWorkspace } from '@cdktf/provider-aws/lib/grafana-workspace/index.js';
import { GrafanaWorkspaceServiceAccountToken } from '@cdktf/provider-aws/lib/grafana-workspace-service-account-token/index.js';
import { IamRolePolicy } from '@cdktf/provider-aws/lib/iam-role-policy/index.js';
import { DataAwsIamPolicyDocument } from '@cdktf/provider-aws/lib/data-aws-iam-policy-document/index.js';
import { TerraformStack, Testing } from 'cdktf';
import { afterAll, describe, expect, it } from 'vitest';
import { GRAFANA_DASHBOARDS } from '../../dashboards/grafana/dashboards.js';
import { grafanaFile, serializeDashboard } from '../../dashboards/grafana/files.js';
import { DATASOURCE_UID } from '../../dashboards/grafana/model.js';
import { GrafanaContent, assertNoInterpolation } from '../constructs/grafana/grafana-content.js';
import { GrafanaDashboardResource, GrafanaDataSource, GrafanaProvider } from '../constructs/grafana/grafana-provider.js';
import { GrafanaContentStack, GrafanaWorkspaceStack } from '../stacks/grafana-stacks.js';
import { exampleConfig } from './support/config.js';
import { allowedMetrics, unknownRefs } from './support/metric-refs.js';
import { dataSourcesOf, resourcesOf } from './support/synth.js';

const CONFIG = exampleConfig();

describe('Grafana dashboard JSON files', () => {
  it.each(Object.keys(GRAFANA_DASHBOARDS))('%s.json is what dashboards.ts builds (run dashboards/grafana/write.ts after a change)', (key) => {
    const build = GRAFANA_DASHBOARDS[key] as () => Parameters<typeof serializeDashboard>[0];
    expect(readFileSync(grafanaFile(key), 'utf8')).toBe(serializeDashboard(build()));
  });

  it.each(Object.keys(GRAFANA_DASHBOARDS))('%s.json imports on its own: a datasource variable and only known metrics', (key) => {
    const model = JSON.parse(readFileSync(grafanaFile(key), 'utf8'));
    expect(model.uid).toMatch(/^[a-z0-9-]{1,40}$/);
    expect(model.templating.list[0]).toMatchObject({ name: 'datasource', type: 'datasource', query: 'cloudwatch' });
    const targets = model.panels.flatMap((panel: { targets: unknown[] }) => panel.targets);
    expect(targets.length).toBeGreaterThan(0);
    for (const target of targets) expect(target.datasource).toEqual({ type: 'cloudwatch', uid: '$datasource' });
    // `${name}` would be a Terraform interpolation once the JSON is in a resource.
    expect(readFileSync(grafanaFile(key), 'utf8')).not.toContain('${');
    const refs = targets.map((t: { namespace: string; metricName: string }) => ({ namespace: t.namespace, metricName: t.metricName }));
    expect(unknownRefs(refs, allowedMetrics())).toEqual([]);
    const ids = model.panels.map((panel: { id: number }) => panel.id);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('draws SLO lines as dashed thresholds and searches wildcard dimensions instead of matching exactly', () => {
    const model = JSON.parse(readFileSync(grafanaFile('k6-client'), 'utf8'));
    const p95 = model.panels.find((panel: { title: string }) => panel.title === 'gRPC latency p95 by operation');
    expect(p95.fieldConfig.defaults).toMatchObject({
      unit: 'ms',
      thresholds: { mode: 'absolute', steps: [{ color: 'green', value: null }, { color: 'orange', value: 250 }, { color: 'red', value: 500 }] },
      custom: { thresholdsStyle: { mode: 'dashed' } },
    });
    expect(p95.targets[0]).toMatchObject({ region: '$region', statistic: 'p95', matchExact: false, dimensions: { op: '*', scenario: '$scenario' } });
    const backends = JSON.parse(readFileSync(grafanaFile('backends'), 'utf8'));
    const cpu = backends.panels.find((panel: { title: string }) => panel.title === 'EKS node CPU and memory (%)');
    expect(cpu.targets.map((t: { matchExact: boolean }) => t.matchExact)).toEqual([true, true]);
  });
});

describe('Grafana provider constructs', () => {
  const synth = Testing.synthScope((scope) => {
    const provider = new GrafanaProvider(scope, 'grafana', { url: 'https://g.example.com', auth: 'token' });
    new GrafanaContent(scope, 'content', {
      provider,
      defaultRegion: 'eu-north-1',
      dashboardFiles: { 'k6-client': grafanaFile('k6-client') },
    });
  });

  it('declares the grafana/grafana provider with its url and auth', () => {
    const doc = JSON.parse(synth);
    expect(doc.terraform.required_providers.grafana).toEqual({ source: 'grafana/grafana', version: '>= 3.0.0, < 5.0.0' });
    expect(synth).toHaveProviderWithProperties(GrafanaProvider, { url: 'https://g.example.com', auth: 'token' });
  });

  it('creates the CloudWatch data source on the workspace role with the uid the dashboards use', () => {
    expect(synth).toHaveResourceWithProperties(GrafanaDataSource, {
      type: 'cloudwatch',
      uid: DATASOURCE_UID,
      json_data_encoded: JSON.stringify({ authType: 'ec2_iam_role', defaultRegion: 'eu-north-1' }),
    });
    expect(synth).not.toHaveResourceWithProperties(GrafanaDataSource, { uid: 'another-uid' });
  });

  it('passes the dashboard file to grafana_dashboard unchanged', () => {
    const dashboards = Object.values(JSON.parse(synth).resource[GrafanaDashboardResource.tfResourceType]) as { config_json: string; overwrite: boolean }[];
    expect(dashboards).toHaveLength(1);
    expect(JSON.parse(dashboards[0]!.config_json)).toEqual(JSON.parse(readFileSync(grafanaFile('k6-client'), 'utf8')));
    expect(dashboards[0]!.overwrite).toBe(true);
  });

  it('keeps the dashboard JSON intact in `cdktf synth --hcl` output', () => {
    const stack = new TerraformStack(Testing.app(), 'hcl');
    const provider = new GrafanaProvider(stack, 'grafana', { url: 'https://g.example.com', auth: 'token' });
    new GrafanaContent(stack, 'content', { provider, defaultRegion: 'eu-north-1', dashboardFiles: { 'k6-client': grafanaFile('k6-client') } });
    const hcl: string = Testing.synthHcl(stack);
    const line = hcl.split('\n').find((l) => l.trim().startsWith('config_json'));
    expect(line).toBeDefined();
    const literal = line!.slice(line!.indexOf('=') + 1).trim();
    // An HCL string literal of escaped JSON: decoding it gives back the dashboard model.
    const decoded = JSON.parse(JSON.parse(literal));
    expect(decoded.uid).toBe('opensaves-k6-client');
    expect(hcl).toMatch(/url\s*=\s*"https:\/\/g\.example\.com"/);
  });

  it('refuses a dashboard that uses ${variable}, naming the file', () => {
    expect(() => assertNoInterpolation('x.json', '{"uid":"$datasource"}')).not.toThrow();
    expect(() => assertNoInterpolation('x.json', '{"uid":"${datasource}"}')).toThrow(/^Grafana dashboard x\.json: expected variables as \$name, got `\$\{datasource\}"\}`/);
  });

  it('names the file when a dashboard file is not JSON', () => {
    expect(() =>
      Testing.synthScope((scope) => {
        const provider = new GrafanaProvider(scope, 'grafana', { url: 'u', auth: 'a' });
        new GrafanaContent(scope, 'content', { provider, defaultRegion: 'r', dashboardFiles: { bad: '/nonexistent/bad.json' } });
      }),
    ).toThrow(/Grafana dashboard \/nonexistent\/bad\.json: expected a readable JSON file/);
  });
});

describe('Grafana stacks', () => {
  // Cross-stack references resolve only when the whole app synthesizes.
  const outdir = mkdtempSync(join(tmpdir(), 'grafana-stacks-'));
  const app = Testing.app({ outdir });
  const workspaceStack = new GrafanaWorkspaceStack(app, 'grafana-workspace', CONFIG);
  new GrafanaContentStack(app, 'grafana-content', { config: CONFIG, workspace: workspaceStack });
  app.synth();
  const read = (stack: string) => {
    const json = readFileSync(join(outdir, 'stacks', stack, 'cdk.tf.json'), 'utf8');
    return { json, doc: JSON.parse(json) };
  };
  const workspace = read('grafana-workspace');
  const content = read('grafana-content');
  afterAll(() => rmSync(outdir, { recursive: true, force: true }));

  it('creates a customer-managed workspace that reads CloudWatch through its own role', () => {
    expect(workspace.json).toHaveResourceWithProperties(GrafanaWorkspace, {
      account_access_type: 'CURRENT_ACCOUNT',
      authentication_providers: ['AWS_SSO'],
      permission_type: 'CUSTOMER_MANAGED',
      data_sources: ['CLOUDWATCH'],
    });
    expect(workspace.json).toHaveResourceWithProperties(IamRolePolicy, { name: 'cloudwatch-read' });
    const read = dataSourcesOf(workspace, 'aws_iam_policy_document').find((d) => d.statement[0].actions.includes('cloudwatch:GetMetricData'));
    expect(read?.statement[0].actions).not.toContain('cloudwatch:PutMetricData');
  });

  it('lets only the Grafana service of this account assume the role', () => {
    expect(workspace.json).toHaveDataSourceWithProperties(DataAwsIamPolicyDocument, {
      statement: [
        {
          actions: ['sts:AssumeRole'],
          principals: [{ type: 'Service', identifiers: ['grafana.amazonaws.com'] }],
          condition: [{ test: 'StringEquals', variable: 'aws:SourceAccount' }],
        },
      ],
    });
  });

  it('issues a provisioning token that lives at most 30 days', () => {
    expect(workspace.json).toHaveResourceWithProperties(GrafanaWorkspaceServiceAccountToken, { seconds_to_live: 30 * 24 * 3600 });
  });

  it('configures the Grafana provider from the workspace stack outputs', () => {
    const provider = content.doc.provider.grafana[0];
    expect(provider.url).toMatch(/^https:\/\/\$\{data\.terraform_remote_state\.[^}]+endpoint\}$/);
    expect(provider.auth).toMatch(/^\$\{data\.terraform_remote_state\.[^}]+key\}$/);
    expect(resourcesOf(content, 'grafana_dashboard')).toHaveLength(Object.keys(GRAFANA_DASHBOARDS).length);
  });
});
