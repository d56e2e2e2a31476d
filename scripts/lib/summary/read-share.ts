// The share of read iterations achieved, for the summary of mix-driven scenarios.
import type { SummaryData } from './summary.js';

/** `sole`: the one operation of a single-operation mix, whose iterations are not split into read and write. */
export function readShareLines(summary: SummaryData, readRatio: number, sole?: string): string[] {
  if (sole !== undefined) return [`every iteration: ${sole} (the mix weighs one operation; READ_RATIO ${readRatio} does not apply)`];
  const reads = summary.metrics['iterations{class:read}']?.values.count ?? 0;
  const writes = summary.metrics['iterations{class:write}']?.values.count ?? 0;
  const total = reads + writes;
  const share = total === 0 ? 'no iterations' : `${((reads / total) * 100).toFixed(1)}%`;
  return [`read iterations: ${share} of ${total} (READ_RATIO ${readRatio})`];
}
