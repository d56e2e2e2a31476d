// What the runner role may do in the results bucket: write new objects under the results
// prefix and nothing else. Mountpoint for Amazon S3 mounts the bucket with the runner pod's
// own credentials (authenticationSource: pod), so this is all it can do there either.
import { DataAwsIamPolicyDocument } from '@cdktf/provider-aws/lib/data-aws-iam-policy-document/index.js';
import { IamRolePolicy } from '@cdktf/provider-aws/lib/iam-role-policy/index.js';
import { Construct } from 'constructs';

export interface ResultsWriterPolicyConfig {
  // The role's id (its name).
  readonly role: string;
  readonly bucketName: string;
  // Without a trailing slash.
  readonly keyPrefix: string;
}

export class ResultsWriterPolicy extends Construct {
  constructor(scope: Construct, id: string, config: ResultsWriterPolicyConfig) {
    super(scope, id);
    const objects = `arn:aws:s3:::${config.bucketName}/${config.keyPrefix}/*`;
    const document = new DataAwsIamPolicyDocument(this, 'document', {
      statement: [
        {
          sid: 'WriteResults',
          effect: 'Allow',
          // Mountpoint writes a file as a multipart upload, and looks a new file's name up first
          // (HeadObject, which needs s3:GetObject) so that it can answer "file exists".
          actions: ['s3:PutObject', 's3:AbortMultipartUpload', 's3:GetObject'],
          resources: [objects],
        },
        {
          sid: 'ListResultsPrefix',
          effect: 'Allow',
          actions: ['s3:ListBucket'],
          resources: [`arn:aws:s3:::${config.bucketName}`],
          // ListBucket takes no object ARN: the prefix condition is its only scope.
          condition: [{ test: 'StringLike', variable: 's3:prefix', values: [`${config.keyPrefix}/*`] }],
        },
      ],
    });
    new IamRolePolicy(this, 'policy', { name: 'write-k6-results', role: config.role, policy: document.json });
  }
}
