// The CloudFront distribution in front of the AWS port. Its metrics live in us-east-1
// whatever the deployment region, so every widget here names that region.
import { CLOUDFRONT as CF, RECOMMENDED_ALARMS, WAFV2 } from '../../catalogue/aws-metrics.js';
import { dashboard, expression, graph, metric, sloLine, text, type DashboardBody, type WidgetSpec } from './widgets.js';

export interface CloudFrontDashboardParams {
  readonly distributionId: string;
  // The port's CloudFront web ACL; unknown, the WAF graph shows every CloudFront web ACL.
  readonly webAclName?: string;
}

// WAF answers before CloudFront counts an error, so a rate-limited run shows here first.
function wafGraph(webAclName: string | undefined): WidgetSpec {
  const { dimensions: d, metrics: m } = WAFV2;
  const layout = { region: WAFV2.metricsRegion, yMin: 0, width: 12 };
  if (webAclName === undefined) {
    // CloudFront web ACLs publish with WebACL and Rule only, so this schema leaves regional ones out.
    const search = `SEARCH('{${WAFV2.namespace},${d.rule},${d.webAcl}} MetricName="${m.blocked}" ${d.rule}="${WAFV2.allRulesValue}"', 'Sum', 60)`;
    return graph({ title: 'WAF blocked requests per minute (every CloudFront web ACL)', series: [expression('wafBlocked', search)], ...layout });
  }
  const dims = { [d.webAcl]: webAclName, [d.rule]: WAFV2.allRulesValue };
  return graph({
    title: `WAF requests per minute (${webAclName})`,
    series: [metric(WAFV2.namespace, m.blocked, dims, { stat: 'Sum', label: 'blocked' }), metric(WAFV2.namespace, m.allowed, dims, { stat: 'Sum', label: 'allowed' })],
    ...layout,
  });
}

export function cloudFrontDashboard({ distributionId, webAclName }: CloudFrontDashboardParams): DashboardBody {
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
    wafGraph(webAclName),
  ]);
}
