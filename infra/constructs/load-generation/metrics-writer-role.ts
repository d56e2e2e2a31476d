// The IAM role the k6 runner pods assume through IRSA. Its own policy lets it put metric
// data, and only into the load test's namespace; the load-generation stack adds writing
// results under one S3 prefix (ResultsWriterPolicy) and reading the configured secrets.
import { DataAwsIamPolicyDocument } from '@cdktf/provider-aws/lib/data-aws-iam-policy-document/index.js';
import { IamRole } from '@cdktf/provider-aws/lib/iam-role/index.js';
import { IamRolePolicy } from '@cdktf/provider-aws/lib/iam-role-policy/index.js';
import { Fn } from 'cdktf';
import { Construct } from 'constructs';

export interface MetricsWriterRoleConfig {
  readonly name: string;
  // The cluster's OIDC issuer URL and the ARN of its IAM OIDC provider.
  readonly oidcIssuerUrl: string;
  readonly oidcProviderArn: string;
  readonly kubernetesNamespace: string;
  readonly serviceAccountName: string;
  readonly metricNamespace: string;
}

export class MetricsWriterRole extends Construct {
  readonly role: IamRole;

  constructor(scope: Construct, id: string, config: MetricsWriterRoleConfig) {
    super(scope, id);
    // Condition keys are the issuer without its scheme, e.g. oidc.eks.<region>.amazonaws.com/id/<ID>:sub
    const issuer = Fn.replace(config.oidcIssuerUrl, 'https://', '');
    const trust = new DataAwsIamPolicyDocument(this, 'trust', {
      statement: [
        {
          effect: 'Allow',
          actions: ['sts:AssumeRoleWithWebIdentity'],
          principals: [{ type: 'Federated', identifiers: [config.oidcProviderArn] }],
          condition: [
            {
              test: 'StringEquals',
              variable: `${issuer}:sub`,
              values: [`system:serviceaccount:${config.kubernetesNamespace}:${config.serviceAccountName}`],
            },
            { test: 'StringEquals', variable: `${issuer}:aud`, values: ['sts.amazonaws.com'] },
          ],
        },
      ],
    });
    const putMetrics = new DataAwsIamPolicyDocument(this, 'put-metric-data', {
      statement: [
        {
          effect: 'Allow',
          actions: ['cloudwatch:PutMetricData'],
          // PutMetricData has no resource ARNs; the namespace condition is the only scope.
          resources: ['*'],
          condition: [{ test: 'StringEquals', variable: 'cloudwatch:namespace', values: [config.metricNamespace] }],
        },
      ],
    });
    this.role = new IamRole(this, 'role', { name: config.name, assumeRolePolicy: trust.json });
    new IamRolePolicy(this, 'policy', { name: 'put-metric-data', role: this.role.id, policy: putMetrics.json });
  }
}
