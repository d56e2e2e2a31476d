// The objectives a capacity step is judged by: data/slo.json (the analysis's default SLO, bundled) per operation,
// with the run's SLO_* overrides, by the rule the analysis uses too (catalogue/slo-objectives.ts). Pure, so a unit
// test holds it against the analysis's own reading of the same file.
import type { Config } from '../config/config.js';
import { objectivesOf, type SloCriterion, type SloLimits } from '../../../catalogue/slo-objectives.js';
import sloFile from '../../../data/slo.json' with { type: 'json' };

/** The objectives of data/slo.json (the analysis's default SLO), in milliseconds and as a fraction of calls. */
export type Criterion = SloCriterion;
export type Objectives = SloLimits;

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

/** One operation's objectives: data/slo.json's entries (its `$` notes left out), with the run's SLO_* overrides. */
export function objectivesFor(op: string, config: Pick<Config, 'sloP95Ms' | 'sloP99Ms' | 'sloErrorRate'>, slo: SloTable = DATA_SLO): Objectives {
  return objectivesOf(limitsOf(slo.defaults), limitsOf(slo.operations[op] ?? {}), {
    p95Ms: config.sloP95Ms,
    p99Ms: config.sloP99Ms,
    errorRate: config.sloErrorRate,
  });
}

/** The numeric objectives of one entry of the file; its `$` keys are notes for readers. */
function limitsOf(entry: Objectives): Objectives {
  const limits: Objectives = {};
  for (const [key, value] of Object.entries(entry)) if (!key.startsWith('$') && typeof value === 'number') limits[key as Criterion] = value;
  return limits;
}
