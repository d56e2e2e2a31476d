// The summary/ folder: the end-of-test text and summary file the scenarios write from handleSummary.
//
// handleSummary: prints a text summary in k6's layout (k6 prints nothing of its
// own once a script defines handleSummary), writes the full summary as JSON to
// SUMMARY_PATH, and states the effective configuration (never the auth token).
// Its thresholds and per-operation figures are the workload's (`scenario:main`
// sub-metrics); what setup() and teardown() cost is one line of its own.
import { describeConfig, type Config } from '../config/config.js';
import { wafLines } from '../transport/waf.js';
import { latencyMetric, workloadMetric } from '../../profiles/index.js';

interface MetricSummary {
  type: 'counter' | 'gauge' | 'rate' | 'trend';
  contains?: 'time' | 'data' | 'default';
  values: Record<string, number>;
  thresholds?: Record<string, { ok: boolean }>;
}

interface CheckSummary {
  name: string;
  passes: number;
  fails: number;
}

interface GroupSummary {
  path?: string;
  checks?: CheckSummary[];
  groups?: GroupSummary[];
}

export interface SummaryData {
  metrics: Record<string, MetricSummary>;
  root_group: GroupSummary;
  state?: { testRunDurationMs?: number };
}

/** Extra lines a scenario adds under its own heading (e.g. the capacity found). */
export type SummaryNotes = (data: SummaryData) => string[];

export function buildSummary(scenario: string, config: Config, data: SummaryData, notes?: SummaryNotes): Record<string, string> {
  const lines: string[] = [];
  lines.push(`Open Saves ${scenario} scenario: ${describeEmulatorOrDeployment(config)}, profile ${config.profile}`);
  lines.push('', 'effective configuration:');
  const settings = Object.entries(describeConfig(config)).filter(([, value]) => value !== undefined);
  const width = Math.max(...settings.map(([name]) => name.length));
  for (const [name, value] of settings) lines.push(`  ${name.padEnd(width)} ${JSON.stringify(value)}`);
  const extra = notes ? notes(data) : [];
  if (extra.length > 0) lines.push('', `${scenario}:`, ...extra.map((line) => `  ${line}`));
  lines.push(...skippedLines(data));
  lines.push(...staleLines(data));
  if (config.transport === 'http') lines.push(...wafLines(data.metrics.opensaves_waf_blocked?.values.count ?? 0, config.httpUrl));
  lines.push(...housekeepingLines(config, data));
  lines.push('', ...thresholdLines(data), '', ...checkLines(data.root_group), '', ...metricLines(data));
  const outcomes = Object.values(data.metrics).flatMap((metric) => Object.values(metric.thresholds ?? {}));
  // A run stopped in setup() (or with nothing to run) has no thresholds to pass.
  const result = outcomes.length === 0 ? 'no thresholds were evaluated' : outcomes.some((t) => !t.ok) ? 'some thresholds failed' : 'all thresholds passed';
  lines.push('', `RESULT: ${result}`, '');
  return {
    stdout: lines.join('\n'),
    [config.summaryPath]: JSON.stringify({ scenario, config: describeConfig(config), notes: extra, ...data }, null, 2),
  };
}

function describeEmulatorOrDeployment(config: Config): string {
  return config.transport === 'http' ? `REST API at ${config.httpUrl}` : `gRPC at ${config.addr}${config.tls ? ' (TLS)' : ''}`;
}

function skippedLines(data: SummaryData): string[] {
  const skipped = Object.entries(data.metrics)
    .filter(([name]) => name.startsWith('opensaves_skipped_operations{'))
    .map(([name, metric]) => `${skippedLabel(name)} x${metric.values.count ?? 0}`);
  return skipped.length === 0 ? [] : ['', `operations the transport lacks, skipped: ${skipped.join(', ')}`];
}

/** `QueryRecords (tagsAnd)` for opensaves_skipped_operations{op:QueryRecords,query:tagsAnd}. */
function skippedLabel(name: string): string {
  const op = /op:([A-Za-z]+)/.exec(name)?.[1] ?? name;
  const query = /query:([A-Za-z]+)/.exec(name)?.[1];
  return query === undefined ? op : `${op} (${query})`;
}

function staleLines(data: SummaryData): string[] {
  const stale = data.metrics.opensaves_stale_reads?.values.count ?? 0;
  return stale === 0 ? [] : ['', `stale reads (an older state, read again within READ_RETRY_BUDGET_MS): ${stale}`];
}

/**
 * What the requests outside the scenario's iterations (preflight, setup, teardown) cost:
 * the whole request metric less the workload's sub-metric (thresholds.ts lists both).
 */
export function housekeepingLines(config: Config, data: SummaryData): string[] {
  const latency = latencyMetric(config);
  const all = data.metrics[latency]?.values;
  const workload = data.metrics[workloadMetric(latency)]?.values;
  if (all === undefined || workload === undefined) return [];
  const requests = (all.count ?? 0) - (workload.count ?? 0);
  const timeMs = (all.avg ?? 0) * (all.count ?? 0) - (workload.avg ?? 0) * (workload.count ?? 0);
  const errors = (data.metrics.opensaves_errors?.values.count ?? 0) - (data.metrics[workloadMetric('opensaves_errors')]?.values.count ?? 0);
  return [
    '',
    `housekeeping (preflight, setup, teardown; in no threshold or figure below by operation): ${requests} requests, ${errors} errors, ` +
      `${(Math.max(0, timeMs) / 1000).toFixed(2)} s in requests`,
  ];
}

function thresholdLines(data: SummaryData): string[] {
  const lines = ['thresholds:'];
  for (const name of Object.keys(data.metrics).sort()) {
    const metric = data.metrics[name] as MetricSummary;
    for (const [expression, outcome] of Object.entries(metric.thresholds ?? {})) {
      lines.push(`  ${outcome.ok ? '✓' : '✗'} ${name} ${expression} (${formatKey(metric, thresholdStat(expression))})`);
    }
  }
  return lines;
}

function thresholdStat(expression: string): string {
  return /^\s*([a-z]+(\([\d.]+\))?)/.exec(expression)?.[1] ?? '';
}

// k6 files the checks of setup() and teardown() under groups of these paths: housekeeping, not the workload's.
const HOUSEKEEPING_GROUPS: ReadonlySet<string> = new Set(['::setup', '::teardown']);

function checkLines(root: GroupSummary): string[] {
  const checks: CheckSummary[] = [];
  const walk = (group: GroupSummary) => {
    checks.push(...(group.checks ?? []));
    for (const child of group.groups ?? []) if (!HOUSEKEEPING_GROUPS.has(child.path ?? '')) walk(child);
  };
  walk(root);
  const lines = ['checks:'];
  for (const item of checks) {
    const total = item.passes + item.fails;
    lines.push(`  ${item.fails === 0 ? '✓' : '✗'} ${item.name} (${item.passes}/${total})`);
  }
  return lines;
}

function metricLines(data: SummaryData): string[] {
  const names = Object.keys(data.metrics)
    .filter((name) => hasSamples(data.metrics[name] as MetricSummary))
    .sort();
  const width = Math.min(70, Math.max(...names.map((name) => name.length)) + 2);
  return names.map((name) => `  ${name.padEnd(width, '.')} ${formatMetric(data.metrics[name] as MetricSummary)}`);
}

function hasSamples(metric: MetricSummary): boolean {
  if (metric.type === 'rate') return (metric.values.passes ?? 0) + (metric.values.fails ?? 0) > 0;
  if (metric.type === 'trend') return (metric.values.count ?? 1) > 0;
  return true;
}

function formatMetric(metric: MetricSummary): string {
  const values = metric.values;
  switch (metric.type) {
    case 'trend':
      return ['avg', 'min', 'med', 'max', 'p(90)', 'p(95)', 'p(99)']
        .filter((stat) => values[stat] !== undefined)
        .map((stat) => `${stat}=${formatKey(metric, stat)}`)
        .join(' ');
    case 'rate':
      return `${formatKey(metric, 'rate')} (${values.passes ?? 0} of ${(values.passes ?? 0) + (values.fails ?? 0)})`;
    case 'counter':
      return `${formatNumber(values.count ?? 0)} (${formatNumber(values.rate ?? 0)}/s)`;
    case 'gauge':
      return `${formatNumber(values.value ?? 0)} (min ${formatNumber(values.min ?? 0)}, max ${formatNumber(values.max ?? 0)})`;
  }
}

function formatKey(metric: MetricSummary, stat: string): string {
  const value = metric.values[stat];
  if (value === undefined) return 'no data';
  if (metric.type === 'rate') return `${(value * 100).toFixed(2)}%`;
  if (metric.contains === 'time') return value >= 1000 ? `${(value / 1000).toFixed(2)}s` : `${value.toFixed(2)}ms`;
  if (metric.contains === 'data') return `${(value / 1024).toFixed(1)} kB`;
  return formatNumber(value);
}

function formatNumber(value: number): string {
  return Number.isInteger(value) ? String(value) : value.toFixed(2);
}
