// The CloudFront distribution in front of the AWS port. Its metrics live in us-east-1
// whatever the deployment region, so every widget here names that region.
import { CLOUDFRONT as CF, RECOMMENDED_ALARMS } from '../../catalogue/aws-metrics.js';
import { dashboard, graph, metric, sloLine, text, type DashboardBody } from './widgets.js';

export interface CloudFrontDashboardParams {
  readonly distributionId: string;
}

export function cloudFrontDashboard({ distributionId }: CloudFrontDashboardParams): DashboardBody {
  const region = CF.metricsRegion;
  const dims = { [CF.dimensions.distribution]: distributionId, [CF.dimensions.region]: CF.regionDimensionValue };
  return dashboard([
    text({ width: 24, markdown: `## CloudFront \`${distributionId}\`\nNo caching (TTL 0): every request reaches the origin. WAF blocks above 2000 requests per IP per window.` }),
    graph({ title: 'Requests per minute', region, series: [metric(CF.namespace, CF.metrics.requests, dims, { stat: 'Sum', label: 'requests' })], yMin: 0, width: 8 }),
    graph({
      title: 'Error rates (%)',
      region,
      series: [
        metric(CF.namespace, CF.metrics.errorRate4xx, dims, { stat: 'Average', label: '4xx %' }),
        metric(CF.namespace, CF.metrics.errorRate5xx, dims, { stat: 'Average', label: '5xx %' }),
        metric(CF.namespace, CF.metrics.totalErrorRate, dims, { stat: 'Average', label: 'total %' }),
      ],
      annotations: [sloLine('5xx alarm', RECOMMENDED_ALARMS.cloudfront5xxErrorRate.threshold)],
      yMin: 0,
      width: 8,
    }),
    graph({
      title: 'Bytes per minute',
      region,
      series: [
        metric(CF.namespace, CF.metrics.bytesDownloaded, dims, { stat: 'Sum', label: 'to viewers' }),
        metric(CF.namespace, CF.metrics.bytesUploaded, dims, { stat: 'Sum', label: 'from viewers' }),
      ],
      yMin: 0,
      width: 8,
    }),
  ]);
}
