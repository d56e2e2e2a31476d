// One view of each operation across request metrics: an op timed by both gRPC and HTTP is reported once.
import { Counts, OperationStats, type Aggregate } from './aggregate.js';
import type { Protocol } from '../format.js';

/** What the objectives judge of one operation: its count, error rate and latency at any percentile. */
export interface OperationFigures {
  count: number;
  errorRate: number;
  /** latency at a percentile in ms (max for 100), null when the operation has no latency samples */
  latencyMs(percentile: number): number | null;
}

export interface OperationView {
  op: string;
  /** request counts and latency; latency.count is 0 for operations known only from counters */
  stats: OperationStats;
  source: 'request-duration' | 'counter';
  /** which status space the codes are in: gRPC codes, HTTP codes, or both/unknown (counter only) */
  protocol: Protocol;
}

export function operationViews(aggregate: Aggregate): Map<string, OperationView> {
  const views = new Map<string, OperationView>();
  const ops = new Set([...aggregate.operations.keys(), ...aggregate.counterOperations.keys()]);
  for (const op of ops) {
    const merged = new OperationStats();
    for (const stats of aggregate.operations.get(op)?.values() ?? []) {
      merged.merge(stats.toJSON());
      merged.latency.add(stats.latency);
    }
    // The scenarios' counters carry their verdict on each call (Counts.effectiveErrors uses it).
    const counters = aggregate.counterOperations.get(op);
    if (counters !== undefined) merged.merge(counters.toJSON());
    const metrics = [...(aggregate.operations.get(op)?.keys() ?? [])];
    const protocol: Protocol =
      metrics.length !== 1 ? 'unknown' : metrics[0] === 'grpc_req_duration' ? 'grpc' : metrics[0] === 'http_req_duration' ? 'http' : 'unknown';
    views.set(op, { op, stats: merged, source: merged.count > 0 ? 'request-duration' : 'counter', protocol });
  }
  return new Map([...views].sort(([a], [b]) => a.localeCompare(b)));
}

export function figuresOf(counts: Counts, latencyMs: (percentile: number) => number | null): OperationFigures {
  const count = counts.effectiveCount;
  return { count, errorRate: count === 0 ? 0 : counts.effectiveErrors / count, latencyMs };
}

export function viewFigures(view: OperationView): OperationFigures {
  const latency = view.stats.latency;
  return figuresOf(view.stats, (p) => (p >= 100 ? latency.maxMs : latency.percentileMs(p)));
}
