// The objectives a capacity step is judged by: data/slo.json (the analysis's default SLO, bundled) per operation,
// with the run's SLO_* overrides. Pure, so a unit test holds it against the analysis's own reading of the same file.
import type { Config } from '../config/config.js';
import sloFile from '../../../data/slo.json' with { type: 'json' };

/** The objectives of data/slo.json (the analysis's default SLO), in milliseconds and as a fraction of calls. */
export type Criterion = 'p50Ms' | 'p90Ms' | 'p95Ms' | 'p99Ms' | 'p999Ms' | 'maxMs' | 'errorRate';
export type Objectives = Partial<Record<Criterion, number>>;

export interface SloTable {
  readonly defaults: Objectives;
  readonly operations: Readonly<Record<string, Objectives>>;
}

/** The latency criteria as k6 trend aggregations. */
export const TREND_AGGREGATION: Readonly<Record<Exclude<Criterion, 'errorRate'>, string>> = {
  p50Ms: 'p(50)',
  p90Ms: 'p(90)',
  p95Ms: 'p(95)',
  p99Ms: 'p(99)',
  p999Ms: 'p(99.9)',
  maxMs: 'max',
};
export const LATENCY_CRITERIA = Object.keys(TREND_AGGREGATION) as Exclude<Criterion, 'errorRate'>[];

export const DATA_SLO: SloTable = sloFile as unknown as SloTable;

/**
 * One operation's objectives: data/slo.json's defaults, its own entry over them, then the run's overrides as
 * scripts/profiles/thresholds.ts applies them: SLO_P95_MS sets p95, SLO_P99_MS p99 (without it, p99 is at least
 * SLO_P95_MS), SLO_ERROR_RATE the error rate.
 */
export function objectivesFor(op: string, config: Pick<Config, 'sloP95Ms' | 'sloP99Ms' | 'sloErrorRate'>, slo: SloTable = DATA_SLO): Objectives {
  const limits: Objectives = {};
  for (const source of [slo.defaults, slo.operations[op] ?? {}]) {
    for (const [key, value] of Object.entries(source)) if (!key.startsWith('$') && typeof value === 'number') limits[key as Criterion] = value;
  }
  if (config.sloP95Ms !== undefined) limits.p95Ms = config.sloP95Ms;
  if (config.sloP99Ms !== undefined) limits.p99Ms = config.sloP99Ms;
  else if (config.sloP95Ms !== undefined && limits.p99Ms !== undefined) limits.p99Ms = Math.max(limits.p99Ms, config.sloP95Ms);
  if (config.sloErrorRate !== undefined) limits.errorRate = config.sloErrorRate;
  return limits;
}
