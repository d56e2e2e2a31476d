// Reads the summary file the scenarios write from handleSummary (SUMMARY_PATH): k6's end-of-test data plus the
// scenario's name, effective configuration and notes. It is the only place where k6 reports its verdict on
// thresholds of sub-metrics (`grpc_req_duration{op:GetRecord}`), which its JSON output leaves out.
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { ConfigError } from '../config/errors.js';
import { isRecord, readJsonFile } from '../config/json-file.js';
import { parseThresholdExpression, type ThresholdResult } from '../verdicts/thresholds.js';

export const K6_SUMMARY_FILE_NAME = 'summary.json';

export interface K6Summary {
  path: string;
  /** the scenario's name (its `scenario` key), when it wrote one */
  scenario: string | null;
  /** the effective configuration the run used, as the scenario wrote it */
  config: Record<string, unknown> | null;
  notes: string[];
  thresholds: ThresholdResult[];
}

export interface K6SummaryLookup {
  summary: K6Summary | null;
  warnings: string[];
}

const EXPECTED = 'k6 handleSummary data (an object with "metrics" and "root_group")';

/** Reads the file named by --k6-summary; every problem is a ConfigError naming the file. */
export function loadK6Summary(path: string): K6Summary {
  const data = readJsonFile(path, 'k6 summary');
  if (isRecord(data) && 'schemaVersion' in data) {
    throw new ConfigError(
      `k6 summary ${path}: expected ${EXPECTED}, got an analysis summary.json (schemaVersion ${JSON.stringify(data.schemaVersion)}); ` +
        'pass the file the scenario wrote to SUMMARY_PATH',
    );
  }
  if (!isK6SummaryData(data)) throw new ConfigError(`k6 summary ${path}: expected ${EXPECTED}, got ${describeShape(data)}`);
  return fromData(path, data);
}

/**
 * Without --k6-summary: the scenario's summary.json beside the first input, as `make demo` lays a run out. A file
 * there that is not k6 handleSummary data (e.g. this tool's own summary.json) is not used.
 */
export function findK6SummaryBeside(input: string | undefined): K6SummaryLookup {
  if (input === undefined || input === '-') return { summary: null, warnings: [] };
  const path = join(dirname(input), K6_SUMMARY_FILE_NAME);
  if (!existsSync(path)) return { summary: null, warnings: [] };
  let data: unknown;
  try {
    data = readJsonFile(path, 'k6 summary');
  } catch (error) {
    return { summary: null, warnings: [`${(error as Error).message}; not used for k6 thresholds`] };
  }
  if (!isK6SummaryData(data) || 'schemaVersion' in data) return { summary: null, warnings: [] };
  try {
    return { summary: fromData(path, data), warnings: [] };
  } catch (error) {
    return { summary: null, warnings: [`${(error as Error).message}; not used for k6 thresholds`] };
  }
}

function isK6SummaryData(data: unknown): data is Record<string, unknown> & { metrics: Record<string, unknown> } {
  return isRecord(data) && isRecord(data.metrics) && 'root_group' in data;
}

function describeShape(data: unknown): string {
  if (Array.isArray(data)) return 'an array';
  if (!isRecord(data)) return JSON.stringify(data);
  const keys = Object.keys(data);
  return keys.length === 0 ? 'an empty object' : `an object with keys ${keys.slice(0, 8).join(', ')}${keys.length > 8 ? ', …' : ''}`;
}

function fromData(path: string, data: Record<string, unknown> & { metrics: Record<string, unknown> }): K6Summary {
  const thresholds: ThresholdResult[] = [];
  for (const [metric, entry] of Object.entries(data.metrics)) {
    const where = `metrics[${JSON.stringify(metric)}]`;
    if (!isRecord(entry)) throw new ConfigError(`k6 summary ${path}: ${where}: expected an object, got ${describeShape(entry)}`);
    if (entry.thresholds === undefined) continue;
    if (!isRecord(entry.thresholds)) {
      throw new ConfigError(`k6 summary ${path}: ${where}.thresholds: expected an object of {"ok": true|false}, got ${describeShape(entry.thresholds)}`);
    }
    const values = isRecord(entry.values) ? entry.values : {};
    for (const [expression, verdict] of Object.entries(entry.thresholds)) {
      if (!isRecord(verdict) || typeof verdict.ok !== 'boolean') {
        throw new ConfigError(
          `k6 summary ${path}: ${where}.thresholds[${JSON.stringify(expression)}]: expected {"ok": true|false}, got ${JSON.stringify(verdict)}`,
        );
      }
      thresholds.push({ metric, expression, pass: verdict.ok, observed: observedValue(expression, values), source: 'k6-summary' });
    }
  }
  thresholds.sort((a, b) => a.metric.localeCompare(b.metric) || a.expression.localeCompare(b.expression));
  return {
    path,
    scenario: typeof data.scenario === 'string' ? data.scenario : null,
    config: isRecord(data.config) ? data.config : null,
    notes: notesOf(data.notes),
    thresholds,
  };
}

/** The value k6 computed for the threshold's aggregation; k6 writes trend times in milliseconds. */
function observedValue(expression: string, values: Record<string, unknown>): number | null {
  const parsed = parseThresholdExpression(expression);
  if (parsed === null) return null;
  const key = parsed.percentile === null ? parsed.aggregation : `p(${parsed.percentile})`;
  const value = values[key] ?? values[parsed.aggregation];
  return typeof value === 'number' ? value : null;
}

function notesOf(notes: unknown): string[] {
  if (typeof notes === 'string') return [notes];
  return Array.isArray(notes) ? notes.filter((n): n is string => typeof n === 'string') : [];
}
