// Lets the runner role read the Secrets Manager secrets named in OS_INFRA_K6_SECRET_ENV, and
// no others: the Secrets Store CSI driver's AWS provider fetches them with the pod's role.
import { DataAwsIamPolicyDocument } from '@cdktf/provider-aws/lib/data-aws-iam-policy-document/index.js';
import { IamRolePolicy } from '@cdktf/provider-aws/lib/iam-role-policy/index.js';
import { Construct } from 'constructs';

export interface SecretsReaderPolicyConfig {
  readonly role: string;
  readonly secretArns: readonly string[];
}

export class SecretsReaderPolicy extends Construct {
  constructor(scope: Construct, id: string, config: SecretsReaderPolicyConfig) {
    super(scope, id);
    const document = new DataAwsIamPolicyDocument(this, 'document', {
      statement: [
        {
          effect: 'Allow',
          actions: ['secretsmanager:GetSecretValue', 'secretsmanager:DescribeSecret'],
          resources: [...new Set(config.secretArns)],
        },
      ],
    });
    new IamRolePolicy(this, 'policy', { name: 'read-k6-secrets', role: config.role, policy: document.json });
  }
}
