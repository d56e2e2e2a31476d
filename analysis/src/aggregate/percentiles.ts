// Percentile keys in one place: summary.json, tables and charts all name p99.9 the same way.
import { REPORTED_PERCENTILES } from '../config/constants.js';

export type PercentileKey = 'p50' | 'p90' | 'p95' | 'p99' | 'p999';

/** 99.9 -> "p999", 50 -> "p50" (the summary.json schema drops the decimal point). */
export function percentileKey(percentile: number): PercentileKey {
  return `p${String(percentile).replace('.', '')}` as PercentileKey;
}

/** 99.9 -> "p99.9", for people. */
export function percentileLabel(percentile: number): string {
  return `p${percentile}`;
}

export const PERCENTILE_KEYS: readonly PercentileKey[] = REPORTED_PERCENTILES.map(percentileKey);
