// The service-level objectives' shape and the one rule that gives an operation its objectives: the SLO's defaults,
// the operation's own entry over them, then a run's SLO_P95_MS, SLO_P99_MS and SLO_ERROR_RATE as the scenarios'
// thresholds apply them. The capacity scenario judges its steps by it and the analysis its verdicts, so the two give
// one answer. Plain data and functions with no imports, so the k6 bundles and Node both load it.

export const SLO_CRITERIA = ['p50Ms', 'p90Ms', 'p95Ms', 'p99Ms', 'p999Ms', 'maxMs', 'errorRate'] as const;
export type SloCriterion = (typeof SLO_CRITERIA)[number];
export type SloLimits = Partial<Record<SloCriterion, number>>;

/** What a scenario run was given with SLO_P95_MS, SLO_P99_MS or SLO_ERROR_RATE. */
export interface RunSloOverrides {
  p95Ms?: number;
  p99Ms?: number;
  errorRate?: number;
}

/**
 * One operation's objectives: `defaults`, `own` over them, then the run's overrides: SLO_P95_MS sets p95, SLO_P99_MS
 * p99 (without it p99 is at least SLO_P95_MS), SLO_ERROR_RATE the error rate.
 */
export function objectivesOf(defaults: SloLimits, own: SloLimits | undefined, overrides: RunSloOverrides | undefined): SloLimits {
  const limits: SloLimits = { ...defaults, ...own };
  if (overrides === undefined) return limits;
  if (overrides.p95Ms !== undefined) limits.p95Ms = overrides.p95Ms;
  if (overrides.p99Ms !== undefined) limits.p99Ms = overrides.p99Ms;
  else if (overrides.p95Ms !== undefined && limits.p99Ms !== undefined) limits.p99Ms = Math.max(limits.p99Ms, overrides.p95Ms);
  if (overrides.errorRate !== undefined) limits.errorRate = overrides.errorRate;
  return limits;
}
