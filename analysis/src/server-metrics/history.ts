// Checks that a JSON value is a ServerMetricsHistory (catalogue/server-metrics.ts), whichever source sent it, and
// finds series in one by CloudWatch namespace, name, dimensions and statistic.
import type { ServerMetricSeries, ServerMetricsHistory } from '../../../catalogue/server-metrics.js';
import { isRecord } from '../config/json-file.js';

export type { ServerMetricSeries, ServerMetricsHistory };

/** A history that does not have the shape: `where` names the field, like the price table's messages. */
export class HistoryShapeError extends Error {
  constructor(
    readonly where: string,
    readonly expected: string,
    readonly got: unknown,
  ) {
    super(`${where}: expected ${expected}, got \`${shortJson(got)}\``);
    this.name = 'HistoryShapeError';
  }
}

function shortJson(value: unknown): string {
  const text = typeof value === 'string' ? value : JSON.stringify(value) ?? String(value);
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}

const finite = (value: unknown): value is number => typeof value === 'number' && Number.isFinite(value);

export function parseHistory(value: unknown): ServerMetricsHistory {
  if (!isRecord(value)) throw new HistoryShapeError('history', 'a JSON object with source, from, to, periodSeconds, series, settings', value);
  const { source, from, to, periodSeconds, series, settings } = value;
  if (typeof source !== 'string') throw new HistoryShapeError('source', 'a string', source);
  if (!finite(from)) throw new HistoryShapeError('from', 'epoch milliseconds', from);
  if (!finite(to) || to < from) throw new HistoryShapeError('to', `epoch milliseconds >= from (${from})`, to);
  if (!finite(periodSeconds) || periodSeconds <= 0) throw new HistoryShapeError('periodSeconds', 'a number of seconds > 0', periodSeconds);
  if (!Array.isArray(series)) throw new HistoryShapeError('series', 'an array', series);
  const parsedSeries = series.map((entry, i) => parseSeries(entry, `series[${i}]`));
  const parsedSettings: Record<string, number | string> = {};
  if (settings !== undefined) {
    if (!isRecord(settings)) throw new HistoryShapeError('settings', 'an object of numbers and strings', settings);
    for (const [key, setting] of Object.entries(settings)) {
      if (typeof setting !== 'string' && !finite(setting)) throw new HistoryShapeError(`settings.${key}`, 'a number or a string', setting);
      parsedSettings[key] = setting;
    }
  }
  return { source, from, to, periodSeconds, series: parsedSeries, settings: parsedSettings };
}

function parseSeries(value: unknown, where: string): ServerMetricSeries {
  if (!isRecord(value)) throw new HistoryShapeError(where, 'an object with namespace, metricName, dimensions, statistic, unit, points', value);
  for (const key of ['namespace', 'metricName', 'statistic'] as const) {
    if (typeof value[key] !== 'string' || value[key] === '') throw new HistoryShapeError(`${where}.${key}`, 'a non-empty string', value[key]);
  }
  const unit = value.unit ?? 'None';
  if (typeof unit !== 'string') throw new HistoryShapeError(`${where}.unit`, 'a string', unit);
  const dimensions = value.dimensions ?? {};
  if (!isRecord(dimensions) || !Object.values(dimensions).every((v) => typeof v === 'string')) {
    throw new HistoryShapeError(`${where}.dimensions`, 'an object of strings', dimensions);
  }
  if (!Array.isArray(value.points)) throw new HistoryShapeError(`${where}.points`, 'an array of [epoch ms, value]', value.points);
  const points: Array<[number, number]> = [];
  value.points.forEach((point, i) => {
    if (!Array.isArray(point) || point.length !== 2 || !finite(point[0]) || !finite(point[1])) {
      throw new HistoryShapeError(`${where}.points[${i}]`, '[epoch ms, value]', point);
    }
    points.push([point[0], point[1]]);
  });
  points.sort((a, b) => a[0] - b[0]);
  return {
    namespace: value.namespace as string,
    metricName: value.metricName as string,
    dimensions: dimensions as Record<string, string>,
    statistic: value.statistic as string,
    unit,
    points,
  };
}

export interface SeriesQuery {
  namespace: string;
  metricName: string;
  /** every dimension given must match; dimensions not given may be anything */
  dimensions?: Record<string, string>;
  statistic?: string;
}

export function findSeries(history: ServerMetricsHistory, query: SeriesQuery): ServerMetricSeries[] {
  return history.series.filter(
    (s) =>
      s.namespace === query.namespace &&
      s.metricName === query.metricName &&
      (query.statistic === undefined || s.statistic === query.statistic) &&
      Object.entries(query.dimensions ?? {}).every(([name, value]) => s.dimensions[name] === value),
  );
}

/** "AWS/DynamoDB WriteThrottleEvents TableName=open-saves-records (Sum)": how evidence names a series. */
export function seriesLabel(series: Pick<ServerMetricSeries, 'namespace' | 'metricName' | 'dimensions' | 'statistic'>): string {
  const dims = Object.entries(series.dimensions).map(([name, value]) => `${name}=${value}`);
  return `${series.namespace} ${series.metricName}${dims.length > 0 ? ` ${dims.join(' ')}` : ''} (${series.statistic})`;
}
