// The whole analysis as one function of the configuration: read, aggregate, judge, compare, price.
import { analyseCapacity } from './verdicts/capacity.js';
import { compareRuns, type ComparableOperation } from './verdicts/compare.js';
import { EXIT_GATE_FAILED, EXIT_OK } from './config/constants.js';
import { estimateCost, loadPriceTable } from './verdicts/cost.js';
import { buildDistribution, type Distribution } from './aggregate/distribution.js';
import { DEFAULT_SLO_PATH, type AnalysisConfig } from './config/args.js';
import { loadBaseline } from './baseline.js';
import { findK6SummaryBeside, loadK6Summary } from './input/k6-summary.js';
import { operationViews, viewFigures } from './aggregate/operations.js';
import { scanInputs, type ScanOptions } from './input/scan.js';
import { evaluateSlo, loadSlo, withRunOverrides, type SloVerdict } from './verdicts/slo.js';
import { buildSummary, workloadSecOf, type Summary } from './summary.js';
import type { Capacity } from './verdicts/capacity.js';
import { evaluateThresholds, thresholdsPass } from './verdicts/thresholds.js';
import { buildTimeSeries, type TimeSeries } from './aggregate/timeseries.js';
import { K6_METRICS } from '../../catalogue/k6-metrics.js';
import type { InfraConfig } from '../../catalogue/deployment.js';
import { analyseScaling, type ScalingAnalysis } from './scaling/index.js';
import { ACHIEVED_SHARE } from './scaling/constants.js';
import { runnerRates } from './scaling/runner-rates.js';
import { fetchEmulatorHistory, ServerMetricsUnavailable } from './server-metrics/emulator-source.js';
import type { ServerMetricsHistory } from './server-metrics/history.js';
import { loadInfraEnv } from './server-metrics/infra-env.js';
import type { Aggregate } from './aggregate/aggregate.js';

export interface AnalysisResult {
  summary: Summary;
  series: TimeSeries;
  distribution: Distribution;
  /** null unless server metrics were asked for, the run was a capacity run or the WAF blocked requests */
  scaling: ScalingAnalysis | null;
  /** the scenarios' own counters the report's findings name: stale reads retried, WAF blocks */
  counters: { staleReads: number; wafBlocked: number };
  exitCode: typeof EXIT_OK | typeof EXIT_GATE_FAILED;
}

export interface AnalysisHooks {
  onStart?: (totalBytes: number) => void;
  onProgress?: (bytes: number) => void;
}

export async function analyze(config: Readonly<AnalysisConfig>, hooks: AnalysisHooks = {}): Promise<AnalysisResult> {
  // Configuration files first: a typo there should not cost a multi-GB read.
  const sloFile = loadSlo(config.sloPath);
  const prices = loadPriceTable(config.pricesPath);
  const k6Lookup = config.k6Summary === null ? findK6SummaryBeside(config.inputs[0]) : { summary: loadK6Summary(config.k6Summary), warnings: [] };
  const k6Summary = k6Lookup.summary;
  // The default objectives are the scenarios' own; a run given SLO_* overrides was judged by them, so is the analysis.
  // An --slo file of the user's own is taken as it is.
  const slo = config.sloPath === DEFAULT_SLO_PATH ? withRunOverrides(sloFile, k6Summary?.config ?? null) : sloFile;
  const infra = config.serverMetrics?.kind === 'cloudwatch' ? loadInfraEnv(config.serverMetrics.infraEnvPath) : null;
  const scanOptions: ScanOptions = { bucketMs: config.bucketMs, lenient: config.lenient, workers: config.workers };
  const { aggregate, files, warnings } = await scanInputs(config.inputs, { ...scanOptions, ...hooks });

  const views = operationViews(aggregate);
  // Rates are per second of the workload's span: setup() and teardown() are not part of it.
  const durationSec = workloadSecOf(aggregate);
  const verdict = evaluateSlo(slo, new Map([...views].map(([op, view]) => [op, viewFigures(view)])));
  const series = buildTimeSeries(aggregate);
  // Each runner (instance tag, else output file) on its own: a distributed run reaches its rate only if all keep up.
  const runners = runnerRates(aggregate, series, ACHIEVED_SHARE);
  const capacity = analyseCapacity(series, slo, aggregate.steps, aggregate.startMs ?? 0);
  if (capacity !== null) capacity.findings.push(...wholeRunBeyondSteps(capacity, verdict));
  const totalRequests = [...views.values()].reduce((sum, v) => sum + v.stats.effectiveCount, 0);
  const cost = estimateCost(
    prices,
    new Map([...views].map(([op, view]) => [op, view.stats.effectiveCount])),
    durationSec > 0 ? totalRequests / durationSec : null,
  );

  let comparison = null;
  if (config.baseline !== null) {
    const baseline = await loadBaseline(config.baseline, scanOptions);
    const candidate = new Map<string, ComparableOperation>(
      [...views].map(([op, view]) => [
        op,
        {
          count: view.stats.effectiveCount,
          errors: view.stats.effectiveErrors,
          latency: view.stats.latency.count > 0 ? view.stats.latency : null,
          latencyMs: { p50: null, p95: null, p99: null, mean: null },
        },
      ]),
    );
    comparison = compareRuns(candidate, baseline, config.baseline, config.maxRegressionPct);
  }

  const serverWarnings: string[] = [];
  const server = await readServerMetrics(config, infra, aggregate, serverWarnings);
  const wafBlocks = clientWafBlocks(aggregate);
  const scaling =
    aggregate.startMs !== null && aggregate.endMs !== null && (config.serverMetrics !== null || capacity !== null || (wafBlocks?.count ?? 0) > 0)
      ? analyseScaling({
          history: server.history,
          sourceText: server.sourceText,
          unavailable: server.unavailable,
          series,
          capacity,
          startMs: aggregate.startMs,
          endMs: aggregate.endMs,
          prices,
          goalRate: config.goalRate,
          wafBlocks,
          httpShare: httpShareOf(views),
          configuredRate: configuredRateOf(k6Summary?.config ?? null),
          runners,
        })
      : null;

  // k6's own verdicts cover every threshold, sub-metrics included; without them only whole metrics can be judged.
  const thresholds = k6Summary?.thresholds ?? evaluateThresholds(aggregate, durationSec);
  const summary = buildSummary({
    aggregate,
    files,
    views,
    thresholds,
    k6Summary,
    slo: { ...verdict, source: slo.source },
    warnings: [...warnings, ...k6Lookup.warnings, ...serverWarnings],
    comparison,
    capacity,
    cost,
    scaling: scaling?.scaling ?? null,
    runners,
  });
  const pass = verdict.pass && thresholdsPass(thresholds) && (comparison?.pass ?? true);
  const counters = { staleReads: aggregate.metrics.get(STALE_READS_METRIC)?.sum ?? 0, wafBlocked: wafBlocks?.count ?? 0 };
  return { summary, series, distribution: buildDistribution(views), scaling, counters, exitCode: pass ? EXIT_OK : EXIT_GATE_FAILED };
}

/** When every judged step held but the run as a whole missed its SLO, says so: the two verdicts judge different calls. */
function wholeRunBeyondSteps(capacity: Capacity, verdict: SloVerdict): string[] {
  if (capacity.firstFailingStep !== null || verdict.pass) return [];
  const missed = verdict.violations.map((v) => `${v.op} ${v.criterion}`).join(', ');
  return [
    `Every judged step held, but the run as a whole missed the SLO (${missed}): its calls outside the judged steps (ramps between plateaus, a step cut short) count in the whole-run figures only.`,
  ];
}

interface ServerRead {
  history: ServerMetricsHistory | null;
  sourceText: string | null;
  unavailable: string | null;
}

/** The run window's server metrics; a source that cannot be read is a warning, and the client-side report stands. */
async function readServerMetrics(config: Readonly<AnalysisConfig>, infra: InfraConfig | null, aggregate: Aggregate, warnings: string[]): Promise<ServerRead> {
  const source = config.serverMetrics;
  if (source === null || aggregate.startMs === null || aggregate.endMs === null) return { history: null, sourceText: null, unavailable: null };
  const from = aggregate.startMs;
  const to = aggregate.endMs + 1;
  try {
    if (source.kind === 'emulator') {
      const history = await fetchEmulatorHistory(source.url, from, to);
      return { history, sourceText: `${history.source} from ${source.url}`, unavailable: null };
    }
    // The AWS SDK takes a sixth of a second to load: only a --cloudwatch run pays for it.
    const { fetchCloudWatchHistory } = await import('./server-metrics/cloudwatch-source.js');
    const fetched = await fetchCloudWatchHistory(infra!, from, to);
    warnings.push(...fetched.warnings);
    return { history: fetched.history, sourceText: `CloudWatch in ${infra!.region} (${fetched.calls} GetMetricData call(s))`, unavailable: null };
  } catch (error) {
    if (!(error instanceof ServerMetricsUnavailable)) throw error;
    warnings.push(`${error.message}; the scaling recommendations lack server metrics`);
    return { history: null, sourceText: null, unavailable: `Server metrics unavailable: ${error.message}.` };
  }
}

// The scenarios count CloudFront's WAF block answers in their own counter (data/metric-names.json).
const WAF_BLOCKED_METRIC = K6_METRICS.metrics.get('opensaves_waf_blocked')?.k6Name ?? 'opensaves_waf_blocked';
const STALE_READS_METRIC = K6_METRICS.metrics.get('opensaves_stale_reads')?.k6Name ?? 'opensaves_stale_reads';

function clientWafBlocks(aggregate: Aggregate): { metric: string; count: number; lastTimeMs: number | null } | null {
  const stats = aggregate.metrics.get(WAF_BLOCKED_METRIC);
  if (stats === undefined) return null;
  return { metric: WAF_BLOCKED_METRIC, count: stats.sum, lastTimeMs: stats.nonZero > 0 && Number.isFinite(stats.lastTimeMs) ? stats.lastTimeMs : null };
}

function httpShareOf(views: ReturnType<typeof operationViews>): number {
  let http = 0;
  let all = 0;
  for (const view of views.values()) {
    all += view.stats.effectiveCount;
    if (view.protocol === 'http') http += view.stats.effectiveCount;
  }
  return all === 0 ? 0 : http / all;
}

/** The peak rate the scenario was configured for: its effective RATE, or the highest target of custom STAGES. */
function configuredRateOf(config: Record<string, unknown> | null): number | null {
  if (config === null) return null;
  const stages = config.stages;
  if (Array.isArray(stages) && stages.length > 0) {
    const targets = stages.map((s) => (typeof s === 'object' && s !== null ? (s as { target?: unknown }).target : undefined));
    if (targets.every((t): t is number => typeof t === 'number' && t >= 0)) return Math.max(...targets) || null;
  }
  return typeof config.rate === 'number' && config.rate > 0 ? config.rate : null;
}
