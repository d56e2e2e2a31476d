// Response-time distribution: each operation's share of requests in log-spaced latency bins shared by all operations.
import type { OperationView } from './operations.js';

// Ten bins per decade: fine enough to see modes, coarse enough for a readable chart.
const BINS_PER_DECADE = 10;

export interface Distribution {
  /** upper edge of each bin, ms */
  upperMs: number[];
  /** percent of the operation's requests in each bin */
  percent: Record<string, number[]>;
}

export function buildDistribution(views: ReadonlyMap<string, OperationView>): Distribution {
  const timed = [...views.values()].filter((v) => v.stats.latency.count > 0);
  if (timed.length === 0) return { upperMs: [], percent: {} };
  const min = Math.min(...timed.map((v) => v.stats.latency.minMs!));
  const max = Math.max(...timed.map((v) => v.stats.latency.maxMs!));
  const first = Math.floor(Math.log10(Math.max(min, 0.001)) * BINS_PER_DECADE);
  const last = Math.ceil(Math.log10(Math.max(max, 0.001)) * BINS_PER_DECADE);
  const upperMs: number[] = [];
  for (let k = first + 1; k <= Math.max(last, first + 1); k++) upperMs.push(10 ** (k / BINS_PER_DECADE));
  const percent: Record<string, number[]> = {};
  for (const view of timed) {
    const counts = new Array<number>(upperMs.length).fill(0);
    for (const [valueMs, n] of view.stats.latency.entries()) {
      const k = Math.ceil(Math.log10(Math.max(valueMs, 0.001)) * BINS_PER_DECADE) - first - 1;
      counts[Math.min(upperMs.length - 1, Math.max(0, k))]! += n;
    }
    percent[view.op] = counts.map((n) => (100 * n) / view.stats.latency.count);
  }
  return { upperMs, percent };
}
