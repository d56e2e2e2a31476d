// Service-level objectives: loaded from a JSON file (defaults plus per-operation overrides) and checked against
// any set of per-operation statistics (the whole run, or one step of a capacity run).
import { invalid } from '../config/errors.js';
import { isRecord, readJsonFile } from '../config/json-file.js';
import type { OperationFigures } from '../aggregate/operations.js';
import { objectivesOf, SLO_CRITERIA, type RunSloOverrides, type SloCriterion, type SloLimits } from '../../../catalogue/slo-objectives.js';

export { SLO_CRITERIA, type RunSloOverrides, type SloCriterion, type SloLimits } from '../../../catalogue/slo-objectives.js';

export interface SloSpec {
  source: string;
  defaults: SloLimits;
  operations: Record<string, SloLimits>;
  /** the run's SLO_P95_MS, SLO_P99_MS and SLO_ERROR_RATE, applied to every operation as the scenarios apply them */
  runOverrides?: RunSloOverrides;
}

// The config keys of the scenarios' summary file (scripts/lib/config/config.ts) and the variables they come from.
const RUN_OVERRIDE_KEYS = [
  ['sloP95Ms', 'p95Ms', 'SLO_P95_MS'],
  ['sloP99Ms', 'p99Ms', 'SLO_P99_MS'],
  ['sloErrorRate', 'errorRate', 'SLO_ERROR_RATE'],
] as const;

/**
 * The SLO with the overrides a scenario run was given (from its summary file's `config`), so the analysis judges by
 * what the scenario's thresholds and its capacity verdict judged. Unchanged when the run had none.
 */
export function withRunOverrides(spec: SloSpec, runConfig: Record<string, unknown> | null): SloSpec {
  const overrides: RunSloOverrides = {};
  const named: string[] = [];
  for (const [key, criterion, variable] of RUN_OVERRIDE_KEYS) {
    const value = runConfig?.[key];
    if (typeof value === 'number' && Number.isFinite(value) && value >= 0) {
      overrides[criterion] = value;
      named.push(`${variable}=${value}`);
    }
  }
  if (named.length === 0) return spec;
  return { ...spec, source: `${spec.source} with the run's ${named.join(', ')}`, runOverrides: overrides };
}

/** The figures an SLO is checked against, for one operation. */
export interface SloViolation {
  op: string;
  criterion: SloCriterion;
  limit: number;
  observed: number;
}

export interface SloVerdict {
  pass: boolean;
  violations: SloViolation[];
  operations: Record<string, { pass: boolean; checked: SloCriterion[] }>;
}

const PERCENTILE_OF: Record<Exclude<SloCriterion, 'errorRate'>, number> = {
  p50Ms: 50,
  p90Ms: 90,
  p95Ms: 95,
  p99Ms: 99,
  p999Ms: 99.9,
  maxMs: 100,
};

export function loadSlo(path: string): SloSpec {
  const data = readJsonFile(path, 'SLO file');
  if (!isRecord(data)) throw invalid(`SLO file ${path}`, 'a JSON object with "defaults" and "operations"', data);
  const defaults = data.defaults === undefined ? {} : parseLimits(data.defaults, `${path}: defaults`);
  const operations: Record<string, SloLimits> = {};
  if (data.operations !== undefined) {
    if (!isRecord(data.operations)) throw invalid(`${path}: operations`, 'an object keyed by operation name', data.operations);
    for (const [op, limits] of Object.entries(data.operations)) operations[op] = parseLimits(limits, `${path}: operations.${op}`);
  }
  return { source: path, defaults, operations };
}

function parseLimits(value: unknown, where: string): SloLimits {
  if (!isRecord(value)) throw invalid(where, `an object with any of ${SLO_CRITERIA.join(', ')}`, value);
  const limits: SloLimits = {};
  for (const [key, limit] of Object.entries(value)) {
    if (key.startsWith('$')) continue;
    if (!(SLO_CRITERIA as readonly string[]).includes(key)) {
      throw invalid(`${where}.${key}`, `one of ${SLO_CRITERIA.join(', ')}`, key);
    }
    const isRate = key === 'errorRate';
    if (typeof limit !== 'number' || !(limit >= 0) || (isRate && limit > 1)) {
      throw invalid(`${where}.${key}`, isRate ? 'a number from 0 to 1' : 'a number of milliseconds >= 0', limit);
    }
    limits[key as SloCriterion] = limit;
  }
  return limits;
}

/** An operation's objectives under the SLO and the run's overrides, by the rule the capacity scenario shares. */
export function limitsFor(spec: SloSpec, op: string): SloLimits {
  return objectivesOf(spec.defaults, spec.operations[op], spec.runOverrides);
}

export function evaluateSlo(spec: SloSpec, operations: ReadonlyMap<string, OperationFigures>): SloVerdict {
  const violations: SloViolation[] = [];
  const verdicts: SloVerdict['operations'] = {};
  for (const [op, figures] of [...operations].sort(([a], [b]) => a.localeCompare(b))) {
    const limits = limitsFor(spec, op);
    const checked: SloCriterion[] = [];
    let pass = true;
    for (const criterion of SLO_CRITERIA) {
      const limit = limits[criterion];
      if (limit === undefined) continue;
      const observed = criterion === 'errorRate' ? figures.errorRate : figures.latencyMs(PERCENTILE_OF[criterion]);
      if (observed === null) continue;
      checked.push(criterion);
      if (observed > limit) {
        pass = false;
        violations.push({ op, criterion, limit, observed });
      }
    }
    verdicts[op] = { pass, checked };
  }
  return { pass: violations.length === 0, violations, operations: verdicts };
}

export function describeCriterion(criterion: SloCriterion): string {
  return criterion === 'errorRate' ? 'error rate' : criterion === 'maxMs' ? 'max latency' : `${criterion.slice(0, -2).replace('p999', 'p99.9')} latency`;
}
