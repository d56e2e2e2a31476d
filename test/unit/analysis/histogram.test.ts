import { describe, expect, it } from 'vitest';
import { BucketHistogram, LatencyHistogram } from '../../../analysis/src/aggregate/histogram.js';
import { exactPercentile } from './helpers.js';

// Log-normal latencies from 10 us to minutes: the spread the HDR range must cover.
function latencies(n: number, seed: number): number[] {
  let state = seed;
  const random = (): number => ((state = (state * 48271) % 2147483647) / 2147483647);
  return Array.from({ length: n }, () => Math.exp(Math.log(5) + 2 * Math.sqrt(-2 * Math.log(random())) * Math.cos(2 * Math.PI * random())) / 10);
}

describe('LatencyHistogram', () => {
  const values = latencies(200_000, 7);
  const sorted = [...values].sort((a, b) => a - b);
  const histogram = new LatencyHistogram();
  for (const v of values) histogram.record(v);

  it.each([50, 90, 95, 99, 99.9])('p%s is within 0.1% of the exact nearest-rank value', (p) => {
    const exact = exactPercentile(sorted, p);
    expect(Math.abs(histogram.percentileMs(p)! - exact) / exact).toBeLessThanOrEqual(0.001);
  });

  it('keeps exact count, min, max and mean', () => {
    expect(histogram.count).toBe(values.length);
    expect(histogram.minMs).toBe(sorted[0]);
    expect(histogram.maxMs).toBe(sorted[sorted.length - 1]);
    expect(histogram.meanMs).toBeCloseTo(values.reduce((a, b) => a + b, 0) / values.length, 9);
  });

  it('survives serialisation and merging: two halves equal the whole', () => {
    const [a, b] = [new LatencyHistogram(), new LatencyHistogram()];
    values.forEach((v, i) => (i % 2 === 0 ? a : b).record(v));
    const merged = LatencyHistogram.fromJSON(JSON.parse(JSON.stringify(a.toJSON())));
    merged.add(b);
    for (const p of [50, 99, 99.9]) expect(merged.percentileMs(p)).toBe(histogram.percentileMs(p));
    expect([merged.count, merged.minMs, merged.maxMs]).toEqual([histogram.count, histogram.minMs, histogram.maxMs]);
  });

  it('reports no percentile, min or mean when empty rather than zero', () => {
    const empty = new LatencyHistogram();
    expect([empty.percentileMs(50), empty.minMs, empty.meanMs]).toEqual([null, null, null]);
  });
});

describe('BucketHistogram', () => {
  it('estimates percentiles within 3% and merges through its sparse form', () => {
    const values = latencies(50_000, 11);
    const sorted = [...values].sort((a, b) => a - b);
    const first = new BucketHistogram();
    const second = new BucketHistogram();
    values.forEach((v, i) => (i < 20_000 ? first : second).record(v));
    const merged = BucketHistogram.fromSparse(first.toSparse());
    merged.add(second);
    expect(merged.count).toBe(values.length);
    for (const p of [50, 95, 99]) {
      const exact = exactPercentile(sorted, p);
      expect(Math.abs(merged.percentileMs(p)! - exact) / exact).toBeLessThan(0.03);
    }
  });
});
