// The k6 client metrics as CloudWatch sees them, read from data/metric-names.json:
// the one list shared with the CloudWatch output extension, so a dashboard can only
// plot what the extension sends.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export const METRIC_NAMES_FILE = fileURLToPath(new URL('../data/metric-names.json', import.meta.url));

export type K6MetricType = 'trend' | 'counter' | 'rate' | 'gauge';

export interface K6Metric {
  readonly k6Name: string;
  readonly name: string;
  readonly unit: string;
  readonly type: K6MetricType;
}

export interface K6MetricCatalog {
  readonly namespace: string;
  readonly defaultDimensions: readonly string[];
  readonly optionalDimensions: readonly string[];
  readonly metrics: ReadonlyMap<string, K6Metric>;
}

export class MetricCatalogError extends Error {
  constructor(file: string, field: string, expected: string, got: unknown) {
    super(`invalid ${field} in ${file}; reason: expected ${expected}, got \`${JSON.stringify(got)}\``);
    this.name = 'MetricCatalogError';
  }
}

const METRIC_TYPES: readonly string[] = ['trend', 'counter', 'rate', 'gauge'];

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function stringList(file: string, field: string, value: unknown): string[] {
  if (!Array.isArray(value) || !value.every((item) => typeof item === 'string' && item !== '')) {
    throw new MetricCatalogError(file, field, 'an array of non-empty strings', value);
  }
  return value as string[];
}

export function parseMetricCatalog(raw: unknown, file: string): K6MetricCatalog {
  if (!isRecord(raw)) throw new MetricCatalogError(file, 'document', 'a JSON object', raw);
  if (typeof raw.namespace !== 'string' || raw.namespace === '') {
    throw new MetricCatalogError(file, 'namespace', 'a non-empty string', raw.namespace);
  }
  if (!isRecord(raw.dimensions)) throw new MetricCatalogError(file, 'dimensions', 'an object', raw.dimensions);
  const defaultDimensions = stringList(file, 'dimensions.default', raw.dimensions.default);
  const optionalDimensions = stringList(file, 'dimensions.optional', raw.dimensions.optional ?? []);
  if (!isRecord(raw.metrics)) throw new MetricCatalogError(file, 'metrics', 'an object', raw.metrics);

  const metrics = new Map<string, K6Metric>();
  for (const [k6Name, entry] of Object.entries(raw.metrics)) {
    const field = `metrics.${k6Name}`;
    if (!isRecord(entry)) throw new MetricCatalogError(file, field, 'an object', entry);
    if (typeof entry.name !== 'string' || !/^[A-Za-z][A-Za-z0-9_]*$/.test(entry.name)) {
      throw new MetricCatalogError(file, `${field}.name`, 'a CloudWatch metric name', entry.name);
    }
    if (typeof entry.unit !== 'string') throw new MetricCatalogError(file, `${field}.unit`, 'a string', entry.unit);
    if (typeof entry.type !== 'string' || !METRIC_TYPES.includes(entry.type)) {
      throw new MetricCatalogError(file, `${field}.type`, METRIC_TYPES.join(' | '), entry.type);
    }
    metrics.set(k6Name, { k6Name, name: entry.name, unit: entry.unit, type: entry.type as K6MetricType });
  }
  return { namespace: raw.namespace, defaultDimensions, optionalDimensions, metrics };
}

export function loadMetricCatalog(file: string = METRIC_NAMES_FILE): K6MetricCatalog {
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    throw new MetricCatalogError(file, 'document', 'readable JSON', (error as Error).message);
  }
  return parseMetricCatalog(raw, file);
}

export const K6_METRICS: K6MetricCatalog = loadMetricCatalog();

// The CloudWatch name of a k6 metric; throws if the shared list lacks it, so a typo
// fails at synth time instead of drawing an empty graph.
export function k6MetricName(k6Name: string, catalog: K6MetricCatalog = K6_METRICS): string {
  const metric = catalog.metrics.get(k6Name);
  if (metric === undefined) {
    throw new MetricCatalogError(METRIC_NAMES_FILE, `metrics.${k6Name}`, 'an entry for this k6 metric', undefined);
  }
  return metric.name;
}

export function k6CloudWatchNames(catalog: K6MetricCatalog = K6_METRICS): Set<string> {
  return new Set([...catalog.metrics.values()].map((metric) => metric.name));
}
