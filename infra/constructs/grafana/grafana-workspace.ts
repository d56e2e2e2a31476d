// An AWS Managed Grafana workspace that reads CloudWatch through its own IAM role, plus a
// service-account token the Grafana provider uses to put data sources and dashboards in it.
import { DataAwsCallerIdentity } from '@cdktf/provider-aws/lib/data-aws-caller-identity/index.js';
import { DataAwsIamPolicyDocument } from '@cdktf/provider-aws/lib/data-aws-iam-policy-document/index.js';
import { GrafanaWorkspace } from '@cdktf/provider-aws/lib/grafana-workspace/index.js';
import { GrafanaWorkspaceServiceAccount } from '@cdktf/provider-aws/lib/grafana-workspace-service-account/index.js';
import { GrafanaWorkspaceServiceAccountToken } from '@cdktf/provider-aws/lib/grafana-workspace-service-account-token/index.js';
import { IamRole } from '@cdktf/provider-aws/lib/iam-role/index.js';
import { IamRolePolicy } from '@cdktf/provider-aws/lib/iam-role-policy/index.js';
import { Construct } from 'constructs';

export interface ManagedGrafanaConfig {
  readonly name: string;
  readonly authProvider: 'AWS_SSO' | 'SAML';
  // The token expires; re-apply to rotate it (AWS allows at most 30 days).
  readonly tokenSecondsToLive?: number;
}

// What the CloudWatch data source needs, read-only
// (https://docs.aws.amazon.com/grafana/latest/userguide/adding--CloudWatch-manual.html).
export const GRAFANA_CLOUDWATCH_READ_ACTIONS = [
  'cloudwatch:DescribeAlarmsForMetric',
  'cloudwatch:DescribeAlarmHistory',
  'cloudwatch:DescribeAlarms',
  'cloudwatch:ListMetrics',
  'cloudwatch:GetMetricData',
  'cloudwatch:GetInsightRuleReport',
  'ec2:DescribeTags',
  'ec2:DescribeInstances',
  'ec2:DescribeRegions',
  'tag:GetResources',
] as const;

const THIRTY_DAYS = 30 * 24 * 3600;

export class ManagedGrafana extends Construct {
  readonly role: IamRole;
  readonly workspace: GrafanaWorkspace;
  readonly token: GrafanaWorkspaceServiceAccountToken;

  constructor(scope: Construct, id: string, config: ManagedGrafanaConfig) {
    super(scope, id);
    const caller = new DataAwsCallerIdentity(this, 'caller');
    const trust = new DataAwsIamPolicyDocument(this, 'trust', {
      statement: [
        {
          effect: 'Allow',
          actions: ['sts:AssumeRole'],
          principals: [{ type: 'Service', identifiers: ['grafana.amazonaws.com'] }],
          // Only workspaces of this account may use the role (confused-deputy guard).
          condition: [{ test: 'StringEquals', variable: 'aws:SourceAccount', values: [caller.accountId] }],
        },
      ],
    });
    const read = new DataAwsIamPolicyDocument(this, 'cloudwatch-read', {
      statement: [{ effect: 'Allow', actions: [...GRAFANA_CLOUDWATCH_READ_ACTIONS], resources: ['*'] }],
    });
    this.role = new IamRole(this, 'role', { name: `${config.name}-grafana`, assumeRolePolicy: trust.json });
    new IamRolePolicy(this, 'role-policy', { name: 'cloudwatch-read', role: this.role.id, policy: read.json });

    this.workspace = new GrafanaWorkspace(this, 'workspace', {
      name: config.name,
      accountAccessType: 'CURRENT_ACCOUNT',
      authenticationProviders: [config.authProvider],
      permissionType: 'CUSTOMER_MANAGED',
      roleArn: this.role.arn,
      dataSources: ['CLOUDWATCH'],
    });
    const account = new GrafanaWorkspaceServiceAccount(this, 'provisioner', {
      workspaceId: this.workspace.id,
      name: 'cdktf-provisioner',
      grafanaRole: 'ADMIN',
    });
    this.token = new GrafanaWorkspaceServiceAccountToken(this, 'provisioner-token', {
      workspaceId: this.workspace.id,
      serviceAccountId: account.serviceAccountId,
      name: 'cdktf',
      secondsToLive: config.tokenSecondsToLive ?? THIRTY_DAYS,
    });
  }
}
