// The S3 bucket the k6 runners keep their raw samples in: an existing one by name, or a
// private bucket made here. Either way only its name leaves this construct.
import { S3Bucket } from '@cdktf/provider-aws/lib/s3-bucket/index.js';
import { S3BucketLifecycleConfiguration } from '@cdktf/provider-aws/lib/s3-bucket-lifecycle-configuration/index.js';
import { S3BucketPublicAccessBlock } from '@cdktf/provider-aws/lib/s3-bucket-public-access-block/index.js';
import { Construct } from 'constructs';

// S3 allows at most 37 characters before the unique suffix Terraform adds to a bucket_prefix.
const BUCKET_PREFIX_MAX = 37;
const BUCKET_PREFIX_SUFFIX = '-k6-results-';
// A runner killed mid-run leaves its multipart upload open; a run writes one upload per
// runner from start to end, so only uploads older than any run are aborted.
export const ABORT_INCOMPLETE_UPLOADS_AFTER_DAYS = 7;

export interface ResultsBucketConfig {
  // The kit's name prefix (OS_INFRA_PREFIX), for a bucket made here.
  readonly namePrefix: string;
  readonly existingBucket?: string;
  // The key prefix the runners write under, without a trailing slash.
  readonly keyPrefix: string;
}

// A bucket name prefix from the kit's prefix: lower case, letters, digits and dashes.
export function bucketNamePrefix(namePrefix: string): string {
  const cleaned = namePrefix.toLowerCase().replace(/[^a-z0-9-]+/g, '-').replace(/^-+/, '');
  const head = cleaned.slice(0, BUCKET_PREFIX_MAX - BUCKET_PREFIX_SUFFIX.length).replace(/-+$/, '');
  return `${head === '' ? 'opensaves' : head}${BUCKET_PREFIX_SUFFIX}`;
}

export class ResultsBucket extends Construct {
  readonly bucketName: string;

  constructor(scope: Construct, id: string, config: ResultsBucketConfig) {
    super(scope, id);
    if (config.existingBucket !== undefined) {
      this.bucketName = config.existingBucket;
      return;
    }
    // Results outlive the stack: no force_destroy, so a destroy stops at a bucket that holds runs.
    const bucket = new S3Bucket(this, 'bucket', { bucketPrefix: bucketNamePrefix(config.namePrefix) });
    new S3BucketPublicAccessBlock(this, 'private', {
      bucket: bucket.id,
      blockPublicAcls: true,
      blockPublicPolicy: true,
      ignorePublicAcls: true,
      restrictPublicBuckets: true,
    });
    new S3BucketLifecycleConfiguration(this, 'lifecycle', {
      bucket: bucket.id,
      rule: [
        {
          id: 'abort-incomplete-runner-uploads',
          status: 'Enabled',
          filter: [{ prefix: `${config.keyPrefix}/` }],
          abortIncompleteMultipartUpload: [{ daysAfterInitiation: ABORT_INCOMPLETE_UPLOADS_AFTER_DAYS }],
        },
      ],
    });
    this.bucketName = bucket.bucket;
  }
}
