// Significance tests for the baseline comparison, on histogram bins rather than raw samples.

/** Complementary error function (the Chebyshev fit known as erfcc; fractional error below 1.2e-7). */
export function erfc(x: number): number {
  const z = Math.abs(x);
  const t = 1 / (1 + 0.5 * z);
  const r =
    t *
    Math.exp(
      -z * z -
        1.26551223 +
        t * (1.00002368 + t * (0.37409196 + t * (0.09678418 + t * (-0.18628806 + t * (0.27886807 + t * (-1.13520398 + t * (1.48851587 + t * (-0.82215223 + t * 0.17087277)))))))),
    );
  return x >= 0 ? r : 2 - r;
}

export interface TestResult {
  method: string;
  /** standard score; positive means the candidate is larger (slower, or more errors) */
  z: number;
  /** two-sided p-value */
  pValue: number;
}

/**
 * Mann-Whitney U test of candidate against baseline latencies, given as ascending (value, count) bins (values
 * falling in the same histogram bin are ties). Normal approximation with tie correction, fine for the thousands of
 * samples of a load test.
 */
export function mannWhitney(candidate: readonly [number, number][], baseline: readonly [number, number][]): TestResult {
  const n1 = candidate.reduce((sum, [, n]) => sum + n, 0);
  const n2 = baseline.reduce((sum, [, n]) => sum + n, 0);
  const method = 'Mann-Whitney U';
  if (n1 === 0 || n2 === 0) return { method, z: 0, pValue: 1 };
  let i = 0;
  let j = 0;
  let rankBase = 0;
  let rankSum1 = 0;
  let tieTerm = 0;
  while (i < candidate.length || j < baseline.length) {
    const v1 = i < candidate.length ? candidate[i]![0] : Infinity;
    const v2 = j < baseline.length ? baseline[j]![0] : Infinity;
    const value = Math.min(v1, v2);
    const c1 = v1 === value ? candidate[i++]![1] : 0;
    const c2 = v2 === value ? baseline[j++]![1] : 0;
    const tied = c1 + c2;
    // Tied values share the mean of the ranks they occupy.
    rankSum1 += c1 * (rankBase + (tied + 1) / 2);
    rankBase += tied;
    tieTerm += tied * tied * tied - tied;
  }
  const n = n1 + n2;
  const u1 = rankSum1 - (n1 * (n1 + 1)) / 2;
  const mean = (n1 * n2) / 2;
  const variance = ((n1 * n2) / 12) * (n + 1 - tieTerm / (n * (n - 1)));
  if (variance <= 0) return { method, z: 0, pValue: 1 };
  const z = (u1 - mean) / Math.sqrt(variance);
  return { method, z, pValue: erfc(Math.abs(z) / Math.SQRT2) };
}

/** Two-proportion z-test of candidate against baseline error counts. */
export function twoProportion(errors1: number, total1: number, errors2: number, total2: number): TestResult {
  const method = 'two-proportion z-test';
  if (total1 === 0 || total2 === 0) return { method, z: 0, pValue: 1 };
  const pooled = (errors1 + errors2) / (total1 + total2);
  const se = Math.sqrt(pooled * (1 - pooled) * (1 / total1 + 1 / total2));
  if (se === 0) return { method, z: 0, pValue: 1 };
  const z = (errors1 / total1 - errors2 / total2) / se;
  return { method, z, pValue: erfc(Math.abs(z) / Math.SQRT2) };
}
