// Loads the baseline of a comparison: a summary.json written by an earlier analysis, or raw k6 output.
import { closeSync, openSync, readSync } from 'node:fs';
import type { ComparableOperation } from './verdicts/compare.js';
import { ConfigError, InputError } from './config/errors.js';
import { LatencyHistogram } from './aggregate/histogram.js';
import { isRecord, readJsonFile } from './config/json-file.js';
import { operationViews } from './aggregate/operations.js';
import { scanInputs, type ScanOptions } from './input/scan.js';
import { SCHEMA_VERSION } from './summary.js';

export async function loadBaseline(path: string, scanOptions: ScanOptions): Promise<Map<string, ComparableOperation>> {
  if (looksLikeSummary(path)) return fromSummary(path);
  const { aggregate } = await scanInputs([path], { ...scanOptions, onStart: undefined, onProgress: undefined });
  const operations = new Map<string, ComparableOperation>();
  for (const [op, view] of operationViews(aggregate)) {
    const latency = view.stats.latency;
    operations.set(op, {
      count: view.stats.effectiveCount,
      errors: view.stats.effectiveErrors,
      latency: latency.count > 0 ? latency : null,
      latencyMs: { p50: null, p95: null, p99: null, mean: null },
    });
  }
  return operations;
}

/** A summary.json is one pretty-printed object whose first key is schemaVersion; k6 output is one object per line. */
function looksLikeSummary(path: string): boolean {
  let fd: number;
  try {
    fd = openSync(path, 'r');
  } catch {
    throw new InputError(path, 'no such file (--baseline)');
  }
  try {
    const head = Buffer.alloc(256);
    const read = readSync(fd, head, 0, head.length, 0);
    return /^\{\s*"schemaVersion"/.test(head.subarray(0, read).toString('utf8'));
  } finally {
    closeSync(fd);
  }
}

function fromSummary(path: string): Map<string, ComparableOperation> {
  const data = readJsonFile(path, 'baseline summary');
  if (!isRecord(data) || data.schemaVersion !== SCHEMA_VERSION || !isRecord(data.operations)) {
    throw new ConfigError(`baseline ${path}: expected a summary.json with schemaVersion ${SCHEMA_VERSION} and "operations"`);
  }
  const histograms = isRecord(data.histograms) ? data.histograms : {};
  const operations = new Map<string, ComparableOperation>();
  for (const [op, value] of Object.entries(data.operations)) {
    if (!isRecord(value) || typeof value.count !== 'number' || typeof value.errors !== 'number' || !isRecord(value.latencyMs)) {
      throw new ConfigError(`baseline ${path}: operations.${op} needs count, errors and latencyMs`);
    }
    const ms = value.latencyMs;
    const num = (v: unknown): number | null => (typeof v === 'number' ? v : null);
    const sparse = histograms[op];
    let latency: LatencyHistogram | null = null;
    if (Array.isArray(sparse) && sparse.every((n) => typeof n === 'number') && sparse.length % 2 === 0) {
      latency = new LatencyHistogram();
      const counted = sparse.reduce((sum: number, n, i) => (i % 2 === 1 ? sum + n : sum), 0);
      latency.addSparse(sparse, counted, (num(ms.mean) ?? 0) * counted, num(ms.min), num(ms.max));
    }
    operations.set(op, {
      count: value.count,
      errors: value.errors,
      latency,
      latencyMs: { p50: num(ms.p50), p95: num(ms.p95), p99: num(ms.p99), mean: num(ms.mean) },
    });
  }
  return operations;
}
