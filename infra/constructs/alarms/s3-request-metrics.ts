// S3 publishes request metrics (AllRequests, 4xxErrors, FirstByteLatency, ...) only for a
// bucket with a metrics configuration; its id becomes the FilterId dimension.
import { S3BucketMetric } from '@cdktf/provider-aws/lib/s3-bucket-metric/index.js';
import { Construct } from 'constructs';
import { S3 } from '../../../catalogue/aws-metrics.js';

export interface S3RequestMetricsConfig {
  readonly bucket: string;
}

export class S3RequestMetrics extends Construct {
  readonly metric: S3BucketMetric;

  constructor(scope: Construct, id: string, config: S3RequestMetricsConfig) {
    super(scope, id);
    // No filter: the whole bucket, matching the console's default "EntireBucket".
    this.metric = new S3BucketMetric(this, 'entire-bucket', { bucket: config.bucket, name: S3.requestMetricsFilterId });
  }
}
