// The whole analysis as one function of the configuration: read, aggregate, judge, compare, price.
import { analyseCapacity } from './capacity.js';
import { compareRuns, type ComparableOperation } from './compare.js';
import { EXIT_GATE_FAILED, EXIT_OK } from './constants.js';
import { estimateCost, loadPriceTable } from './cost.js';
import { buildDistribution, type Distribution } from './distribution.js';
import type { AnalysisConfig } from './args.js';
import { loadBaseline } from './baseline.js';
import { findK6SummaryBeside, loadK6Summary } from './k6-summary.js';
import { operationViews, viewFigures } from './operations.js';
import { scanInputs, type ScanOptions } from './scan.js';
import { evaluateSlo, loadSlo } from './slo.js';
import { buildSummary, durationSecOf, type Summary } from './summary.js';
import { evaluateThresholds, thresholdsPass } from './thresholds.js';
import { buildTimeSeries, type TimeSeries } from './timeseries.js';

export interface AnalysisResult {
  summary: Summary;
  series: TimeSeries;
  distribution: Distribution;
  exitCode: typeof EXIT_OK | typeof EXIT_GATE_FAILED;
}

export interface AnalysisHooks {
  onStart?: (totalBytes: number) => void;
  onProgress?: (bytes: number) => void;
}

export async function analyze(config: Readonly<AnalysisConfig>, hooks: AnalysisHooks = {}): Promise<AnalysisResult> {
  // Configuration files first: a typo there should not cost a multi-GB read.
  const slo = loadSlo(config.sloPath);
  const prices = loadPriceTable(config.pricesPath);
  const k6Lookup = config.k6Summary === null ? findK6SummaryBeside(config.inputs[0]) : { summary: loadK6Summary(config.k6Summary), warnings: [] };
  const k6Summary = k6Lookup.summary;
  const scanOptions: ScanOptions = { bucketMs: config.bucketMs, lenient: config.lenient, workers: config.workers };
  const { aggregate, files, warnings } = await scanInputs(config.inputs, { ...scanOptions, ...hooks });

  const views = operationViews(aggregate);
  const durationSec = durationSecOf(aggregate);
  const verdict = evaluateSlo(slo, new Map([...views].map(([op, view]) => [op, viewFigures(view)])));
  const series = buildTimeSeries(aggregate);
  const capacity = analyseCapacity(series, slo, aggregate.steps, aggregate.startMs ?? 0);
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

  // k6's own verdicts cover every threshold, sub-metrics included; without them only whole metrics can be judged.
  const thresholds = k6Summary?.thresholds ?? evaluateThresholds(aggregate, durationSec);
  const summary = buildSummary({
    aggregate,
    files,
    views,
    thresholds,
    k6Summary,
    slo: { ...verdict, source: slo.source },
    warnings: [...warnings, ...k6Lookup.warnings],
    comparison,
    capacity,
    cost,
  });
  const pass = verdict.pass && thresholdsPass(thresholds) && (comparison?.pass ?? true);
  return { summary, series, distribution: buildDistribution(views), exitCode: pass ? EXIT_OK : EXIT_GATE_FAILED };
}
