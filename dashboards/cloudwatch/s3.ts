// The blob bucket: request counts, 4xx/5xx rates, first-byte and total latency, bytes.
// These are S3 request metrics, published only with the bucket metrics configuration
// the observability stack creates (FilterId EntireBucket).
import { RECOMMENDED_ALARMS, S3 } from '../../catalogue/aws-metrics.js';
import { dashboard, expression, graph, metric, sloLine, text, type DashboardBody } from './widgets.js';

export interface S3DashboardParams {
  readonly region: string;
  readonly bucket: string;
}

export function s3Dashboard({ region, bucket }: S3DashboardParams): DashboardBody {
  const dims = { [S3.dimensions.bucket]: bucket, [S3.dimensions.filter]: S3.requestMetricsFilterId };
  const s3 = (name: string, stat: string, label: string, extra: { id?: string; visible?: boolean } = {}) =>
    metric(S3.namespace, name, dims, { stat, label, ...extra });
  const errorThresholdPct = 100 * RECOMMENDED_ALARMS.s3Errors5xx.threshold;
  return dashboard([
    text({ width: 24, markdown: `## S3 \`${bucket}\`\nBlob objects at \`<store_id>/<record_id>/<blob_key>\`. Request metrics appear about 15 minutes after the metrics configuration is created.` }),
    graph({
      title: 'Requests per minute',
      region,
      series: [
        s3(S3.metrics.getRequests, 'Sum', 'GET'),
        s3(S3.metrics.putRequests, 'Sum', 'PUT'),
        s3(S3.metrics.headRequests, 'Sum', 'HEAD'),
        s3(S3.metrics.deleteRequests, 'Sum', 'DELETE'),
      ],
      yMin: 0,
      width: 8,
    }),
    graph({
      title: '4xx and 5xx rate (% of requests)',
      region,
      series: [
        s3(S3.metrics.allRequests, 'Sum', 'all', { id: 'all', visible: false }),
        s3(S3.metrics.errors4xx, 'Sum', '4xx', { id: 'e4', visible: false }),
        s3(S3.metrics.errors5xx, 'Sum', '5xx', { id: 'e5', visible: false }),
        expression('rate4xx', '100 * e4 / all', { label: '4xx %' }),
        expression('rate5xx', '100 * e5 / all', { label: '5xx %' }),
      ],
      annotations: [sloLine(`5xx alarm ${errorThresholdPct} %`, errorThresholdPct)],
      yMin: 0,
      width: 8,
    }),
    graph({
      title: 'Latency p99 (ms)',
      region,
      series: [s3(S3.metrics.firstByteLatency, 'p99', 'first byte p99'), s3(S3.metrics.totalRequestLatency, 'p99', 'total p99')],
      yMin: 0,
      width: 8,
    }),
    graph({
      title: 'Bytes per minute',
      region,
      series: [s3(S3.metrics.bytesDownloaded, 'Sum', 'downloaded'), s3(S3.metrics.bytesUploaded, 'Sum', 'uploaded')],
      yMin: 0,
      width: 12,
    }),
    graph({
      title: 'Average object size moved per request (bytes)',
      region,
      series: [
        s3(S3.metrics.bytesUploaded, 'Sum', 'up', { id: 'up', visible: false }),
        s3(S3.metrics.putRequests, 'Sum', 'puts', { id: 'puts', visible: false }),
        s3(S3.metrics.bytesDownloaded, 'Sum', 'down', { id: 'down', visible: false }),
        s3(S3.metrics.getRequests, 'Sum', 'gets', { id: 'gets', visible: false }),
        expression('perPut', 'up / puts', { label: 'bytes per PUT' }),
        expression('perGet', 'down / gets', { label: 'bytes per GET' }),
      ],
      yMin: 0,
      width: 12,
    }),
  ]);
}
