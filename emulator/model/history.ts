// The model's CloudWatch-shaped history: one value per series per second, in a ring
// of `capacitySeconds` slots shared by all series (typed arrays, so 6 hours of ~40
// series stay a few MB), answered as catalogue/server-metrics.ts's ServerMetricsHistory.
import type { ServerMetricSeries, ServerMetricsHistory } from '../../catalogue/server-metrics.js';

export interface SeriesKey {
  namespace: string;
  metricName: string;
  dimensions: Record<string, string>;
  statistic: string;
  unit: string;
}

interface StoredSeries {
  key: SeriesKey;
  values: Float64Array;
}

export class MetricHistory {
  private readonly seconds: Float64Array;
  private readonly series = new Map<string, StoredSeries>();
  /** slots written so far (the newest is at (written - 1) % capacity) */
  private written = 0;

  constructor(readonly capacitySeconds: number) {
    this.seconds = new Float64Array(capacitySeconds).fill(NaN);
  }

  /** Starts the slot of epoch second `second`; values put afterwards land in it. */
  beginSecond(second: number): void {
    const slot = this.written % this.capacitySeconds;
    this.seconds[slot] = second;
    for (const stored of this.series.values()) stored.values[slot] = NaN;
    this.written++;
  }

  put(key: SeriesKey, value: number): void {
    if (this.written === 0 || !Number.isFinite(value)) return;
    const id = `${key.namespace}\u0000${key.metricName}\u0000${key.statistic}\u0000${JSON.stringify(key.dimensions)}`;
    let stored = this.series.get(id);
    if (!stored) {
      stored = { key, values: new Float64Array(this.capacitySeconds).fill(NaN) };
      this.series.set(id, stored);
    }
    stored.values[(this.written - 1) % this.capacitySeconds] = value;
  }

  /** Epoch ms of the end of the newest recorded second; undefined before the first. */
  get newestEndMs(): number | undefined {
    return this.written === 0 ? undefined : (this.seconds[(this.written - 1) % this.capacitySeconds]! + 1) * 1000;
  }

  get oldestStartMs(): number | undefined {
    if (this.written === 0) return undefined;
    const oldestSlot = this.written <= this.capacitySeconds ? 0 : this.written % this.capacitySeconds;
    return this.seconds[oldestSlot]! * 1000;
  }

  /** The points whose period starts in [from, to), every series (also those with no point in the window). */
  query(from: number, to: number, source: string, settings: Record<string, number | string>): ServerMetricsHistory {
    const count = Math.min(this.written, this.capacitySeconds);
    const first = this.written - count;
    const series: ServerMetricSeries[] = [];
    for (const stored of this.series.values()) {
      const points: Array<[number, number]> = [];
      for (let i = first; i < this.written; i++) {
        const slot = i % this.capacitySeconds;
        const start = this.seconds[slot]! * 1000;
        const value = stored.values[slot]!;
        if (start >= from && start < to && !Number.isNaN(value)) points.push([start, round(value)]);
      }
      series.push({ ...stored.key, dimensions: { ...stored.key.dimensions }, points });
    }
    return { source, from, to, periodSeconds: 1, series, settings };
  }
}

function round(value: number): number {
  return Math.round(value * 1e6) / 1e6;
}
