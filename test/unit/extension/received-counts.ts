// Folds what the CloudWatch output sent into per-operation sample counts,
// keyed by CloudWatch metric name, so a test can compare them with k6's
// summary: a counter datum adds its value, a trend datum the number of
// samples it carries (its Counts, or its EMF values).
import type { CborMap, CborValue } from './cbor.js';

/** metric name -> op dimension -> count */
export type CountsByOp = Map<string, Map<string, number>>;

export interface SentDatum {
  namespace: string;
  metric: string;
  dimensions: Record<string, string>;
  /** number of samples (trend) or the value (counter) */
  amount: number;
  /** 1 for high resolution, 60 (or absent) for standard */
  storageResolution: number;
}

export function countByOp(data: SentDatum[]): CountsByOp {
  const counts: CountsByOp = new Map();
  for (const datum of data) {
    const op = datum.dimensions.op;
    if (op === undefined) continue;
    const byOp = counts.get(datum.metric) ?? new Map<string, number>();
    byOp.set(op, (byOp.get(op) ?? 0) + datum.amount);
    counts.set(datum.metric, byOp);
  }
  return counts;
}

interface EMFDirective {
  Namespace: string;
  Dimensions: string[][];
  Metrics: { Name: string; Unit: string; StorageResolution?: number }[];
}

/** Reads EMF documents (one JSON object per line). */
export function dataFromEMF(lines: string[]): SentDatum[] {
  return lines.flatMap((line, index) => {
    const doc = JSON.parse(line) as Record<string, unknown> & { _aws?: { CloudWatchMetrics?: EMFDirective[] } };
    const directives = doc._aws?.CloudWatchMetrics;
    if (!directives) throw new Error(`EMF document ${index + 1} has no _aws.CloudWatchMetrics: ${line}`);
    return directives.flatMap((directive) =>
      directive.Metrics.map((metric) => {
        const dimensions = Object.fromEntries((directive.Dimensions[0] ?? []).map((name) => [name, String(doc[name])]));
        const value = doc[metric.Name];
        // the output sends trends as one array entry per sample, everything else as one number
        const amount = Array.isArray(value) ? value.length : Number(value);
        return { namespace: directive.Namespace, metric: metric.Name, dimensions, amount, storageResolution: metric.StorageResolution ?? 60 };
      }),
    );
  });
}

/** Reads decoded PutMetricData request bodies. */
export function dataFromPutMetricData(bodies: CborValue[]): SentDatum[] {
  return bodies.flatMap((body) => {
    const request = body as CborMap;
    const namespace = String(request.Namespace);
    return ((request.MetricData ?? []) as CborMap[]).map((datum) => {
      const dimensions = Object.fromEntries(((datum.Dimensions ?? []) as CborMap[]).map((d) => [String(d.Name), String(d.Value)]));
      const amount = datum.Counts !== undefined ? sum(datum.Counts as number[]) : Number(datum.Value);
      return { namespace, metric: String(datum.MetricName), dimensions, amount, storageResolution: Number(datum.StorageResolution ?? 60) };
    });
  });
}

function sum(values: number[]): number {
  return values.reduce((total, value) => total + value, 0);
}
