// One view of each operation across request metrics: an op timed by both gRPC and HTTP is reported once.
import { Counts, OperationStats, type Aggregate } from './aggregate.js';
import type { OperationFigures } from './slo.js';

export interface OperationView {
  op: string;
  /** request counts and latency; latency.count is 0 for operations known only from counters */
  stats: OperationStats;
  source: 'request-duration' | 'counter';
}

export function operationViews(aggregate: Aggregate): Map<string, OperationView> {
  const views = new Map<string, OperationView>();
  for (const [op, byMetric] of aggregate.operations) {
    const merged = new OperationStats();
    for (const stats of byMetric.values()) {
      merged.merge(stats.toJSON());
      merged.latency.add(stats.latency);
    }
    views.set(op, { op, stats: merged, source: 'request-duration' });
  }
  // Counters fill in operations k6 does not time (streaming RPCs); timed operations keep their own counts.
  for (const [op, counts] of aggregate.counterOperations) {
    if (views.has(op)) continue;
    const stats = new OperationStats();
    stats.merge(counts.toJSON());
    views.set(op, { op, stats, source: 'counter' });
  }
  return new Map([...views].sort(([a], [b]) => a.localeCompare(b)));
}

export function figuresOf(counts: Counts, latencyMs: (percentile: number) => number | null): OperationFigures {
  return { count: counts.count, errorRate: counts.count === 0 ? 0 : counts.errors / counts.count, latencyMs };
}

export function viewFigures(view: OperationView): OperationFigures {
  const latency = view.stats.latency;
  return figuresOf(view.stats, (p) => (p >= 100 ? latency.maxMs : latency.percentileMs(p)));
}
