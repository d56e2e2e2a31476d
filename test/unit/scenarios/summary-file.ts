// Reads what handleSummary wrote to SUMMARY_PATH.
import { readFileSync } from 'node:fs';

export interface MetricValues {
  values: Record<string, number>;
  thresholds?: Record<string, { ok: boolean }>;
}

export interface SummaryFile {
  scenario: string;
  config: Record<string, unknown>;
  notes: string[];
  metrics: Record<string, MetricValues>;
}

export function readSummary(path: string): SummaryFile {
  return JSON.parse(readFileSync(path, 'utf8')) as SummaryFile;
}

export function count(summary: SummaryFile, metric: string): number {
  return summary.metrics[metric]?.values.count ?? 0;
}

export function failedThresholds(summary: SummaryFile): string[] {
  return Object.entries(summary.metrics).flatMap(([name, metric]) =>
    Object.entries(metric.thresholds ?? {})
      .filter(([, outcome]) => !outcome.ok)
      .map(([expression]) => `${name} ${expression}`),
  );
}
