// Which CloudWatch metrics a dashboard or alarm names, and which ones the kit allows:
// the AWS ones declared in catalogue/aws-metrics.ts and the k6 ones in data/metric-names.json.
import { ALB, CLOUDFRONT, CONTAINER_INSIGHTS, DYNAMODB, ELASTICACHE, S3, WAFV2 } from '../../../catalogue/aws-metrics.js';
import { K6_METRICS, k6CloudWatchNames } from '../../../catalogue/k6-metrics.js';

export interface MetricRef {
  readonly namespace: string;
  readonly metricName: string;
}

export function allowedMetrics(k6Namespace = K6_METRICS.namespace): Map<string, Set<string>> {
  const allowed = new Map<string, Set<string>>();
  for (const service of [CONTAINER_INSIGHTS, DYNAMODB, S3, ELASTICACHE, ALB, CLOUDFRONT, WAFV2]) {
    allowed.set(service.namespace, new Set(Object.values(service.metrics)));
  }
  allowed.set(k6Namespace, k6CloudWatchNames());
  return allowed;
}

const INSIGHTS = /SELECT\s+\w+\((\w+)\)\s+FROM\s+(?:SCHEMA\()?"([^"]+)"/g;

// Metric references inside one expression: Metrics Insights queries name theirs.
export function expressionRefs(expression: string): MetricRef[] {
  return [...expression.matchAll(INSIGHTS)].map((match) => ({ namespace: match[2] as string, metricName: match[1] as string }));
}

// Rows of a CloudWatch dashboard widget's "metrics" array.
export function widgetRefs(rows: readonly unknown[]): MetricRef[] {
  return rows.flatMap((row) => {
    if (!Array.isArray(row)) return [];
    if (typeof row[0] === 'string' && typeof row[1] === 'string') return [{ namespace: row[0], metricName: row[1] }];
    const options = row[0] as { expression?: string };
    return options.expression === undefined ? [] : expressionRefs(options.expression);
  });
}

export function unknownRefs(refs: readonly MetricRef[], allowed: Map<string, Set<string>>): MetricRef[] {
  return refs.filter((ref) => !allowed.get(ref.namespace)?.has(ref.metricName));
}
