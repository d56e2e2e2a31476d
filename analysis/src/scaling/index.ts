// The scaling analysis: joins the server metrics of the run window with what k6 offered, finds per component the
// load at which it saturated, names the one that broke first (lined up with the client-side SLO knee) and sizes each
// for a goal rate.
import type { Capacity } from '../verdicts/capacity.js';
import type { PriceTable } from '../verdicts/cost.js';
import type { ServerMetricsHistory } from '../server-metrics/history.js';
import type { TimeSeries } from '../aggregate/timeseries.js';
import { analyseCache, clustersIn } from './cache.js';
import { clientLoad, type ClientLoad } from './client-load.js';
import { ACHIEVED_SHARE } from './constants.js';
import { housekeepingInEveryPeriod, joined, num, type ScalingContext } from './context.js';
import { seriesLabel } from '../server-metrics/history.js';
import { ALB, CLOUDFRONT, S3 } from '../../../catalogue/aws-metrics.js';
import { analyseTable, tablesIn } from './dynamodb.js';
import { analysePods } from './pods.js';
import { analyseRunners, RUNNERS_COMPONENT, runnerFindings } from './runners.js';
import type { RunnerRates } from './runner-rates.js';
import type { ComponentResult, ScalingAnalysis } from './types.js';
import { analyseWaf, type ClientWafBlocks } from './waf.js';

export type { Scaling, ScalingAnalysis, ScalingComponent, UtilisationLine } from './types.js';

export interface ScalingInput {
  /** null when no source was asked for, or it could not be read (then `unavailable` says why) */
  history: ServerMetricsHistory | null;
  /** "emulator-model from http://127.0.0.1:8080" */
  sourceText: string | null;
  unavailable: string | null;
  series: TimeSeries;
  capacity: Capacity | null;
  startMs: number;
  endMs: number;
  prices: PriceTable;
  /** --goal-rate; null: the run's configured peak rate, else its peak offered rate */
  goalRate: number | null;
  /** the scenario's configured peak rate (its summary's RATE or highest stage), when known */
  configuredRate: number | null;
  wafBlocks: ClientWafBlocks | null;
  /** share of the run's requests made over HTTP: the port's WAF sits in front of its HTTP API only */
  httpShare: number;
  /** each runner's rates (runner-rates.ts); a run of several runners is sized and explained per runner */
  runners?: RunnerRates[];
}

export function analyseScaling(input: ScalingInput): ScalingAnalysis {
  const load = clientLoad(input.series, input.capacity, input.startMs, input.endMs, ACHIEVED_SHARE);
  const goalRate = input.goalRate ?? input.configuredRate ?? load.peakOfferedRate;
  const goalSource =
    input.goalRate !== null
      ? '--goal-rate'
      : input.configuredRate !== null
        ? "the run's configured peak rate (RATE in the scenario summary); --goal-rate N sizes for another"
        : "the run's peak offered rate; --goal-rate N sizes for another";
  const findings: string[] = [];
  const unit = `${load.unit}/s`;
  findings.push(
    `Sized for ${num(goalRate)} ${unit} (${goalSource}), ` +
      `${num(goalRate * load.requestsPerIteration)} requests/s at the run's ${num(load.requestsPerIteration)} requests per iteration.`,
  );

  const results: ComponentResult[] = [];
  if (input.history !== null) {
    const h = input.history;
    findings.unshift(
      `Server metrics: ${input.sourceText ?? h.source}, ${h.series.length} series at ${h.periodSeconds} s periods from ${new Date(h.from).toISOString()} to ${new Date(h.to).toISOString()}.`,
    );
    const ctx: ScalingContext = { history: h, load, goalRate, goalRequests: goalRate * load.requestsPerIteration, prices: input.prices };
    if (housekeepingInEveryPeriod(ctx)) {
      findings.push(
        `Every ${h.periodSeconds} s period of the server metrics also holds requests of setup() or teardown(): the per-request figures count them as served requests (a run longer than a few periods keeps them apart).`,
      );
    }
    const pods = analysePods(ctx);
    if (pods !== null) results.push(pods);
    for (const table of tablesIn(ctx)) {
      const result = analyseTable(ctx, table);
      if (result !== null) results.push(result);
    }
    for (const cluster of clustersIn(ctx)) {
      const result = analyseCache(ctx, cluster);
      if (result !== null) results.push(result);
    }
    const waf = analyseWaf(ctx, input.wafBlocks, input.httpShare);
    if (waf !== null) results.push(waf);
    if (results.length === 0) findings.push(`The server metrics hold no series the scaling analysis reads (pods, DynamoDB, ElastiCache, WAF).`);
    findings.push(...errorSignals(ctx));
  } else {
    findings.unshift(
      input.unavailable ??
        'No server metrics (--server-metrics URL for the emulator with --model, or --cloudwatch --infra-env FILE for a deployment): only the k6 runners are sized.',
    );
    const waf = analyseWaf(null, input.wafBlocks, input.httpShare);
    if (waf !== null) results.push(waf);
  }
  const server = results.filter((r) => r.saturatedAtMs !== null).sort((a, b) => a.saturatedAtMs! - b.saturatedAtMs!)[0];
  const serverSaturated = server === undefined ? null : { name: server.component.name, atMs: server.saturatedAtMs! };
  results.push(analyseRunners(load, goalRate, input.runners ?? [], serverSaturated));

  const bottleneck = chooseBottleneck(results, input.history !== null);
  findings.push(...bottleneckFindings(bottleneck, results, load, input.capacity !== null));
  findings.push(...runnerFindings(input.runners ?? [], load, serverSaturated));
  return {
    scaling: { goalRate: Math.round(goalRate * 100) / 100, bottleneck: bottleneck?.result.component.name ?? null, components: results.map((r) => r.component) },
    findings,
    utilisation: results.flatMap((r) => (r.utilisation === null || r.utilisation.points.length === 0 ? [] : [r.utilisation])),
    saturations: results
      .filter((r) => r.saturatedAtMs !== null)
      .sort((a, b) => a.saturatedAtMs! - b.saturatedAtMs!)
      .map((r) => ({ component: r.component.name, timeMs: r.saturatedAtMs!, offeredRate: r.component.saturatedAtRate })),
    unit: load.unit,
    source: input.sourceText,
  };
}

interface Bottleneck {
  result: ComponentResult;
  saturated: boolean;
}

function chooseBottleneck(results: readonly ComponentResult[], haveServer: boolean): Bottleneck | null {
  // The runners fall behind when the target slows down too (their VUs wait), so a server component that saturated
  // is the better explanation; the runners are the bottleneck only when nothing on the server side saturated.
  const saturated = results
    .filter((r) => r.saturatedAtMs !== null)
    .sort((a, b) => a.saturatedAtMs! - b.saturatedAtMs! || Number(a.component.name === RUNNERS_COMPONENT) - Number(b.component.name === RUNNERS_COMPONENT));
  const server = saturated.filter((r) => r.component.name !== RUNNERS_COMPONENT);
  if (server.length > 0) return { result: server[0]!, saturated: true };
  if (!haveServer) return saturated.length > 0 ? { result: saturated[0]!, saturated: true } : null;
  if (saturated.length > 0) return { result: saturated[0]!, saturated: true };
  const nearest = results.filter((r) => r.peakUtilisation !== null).sort((a, b) => b.peakUtilisation! - a.peakUtilisation!)[0];
  return nearest === undefined ? null : { result: nearest, saturated: false };
}

function bottleneckFindings(bottleneck: Bottleneck | null, results: readonly ComponentResult[], load: ClientLoad, stepRun: boolean): string[] {
  const out: string[] = [];
  const at = (ms: number): string => `${num((ms - load.startMs) / 1000)} s into the run`;
  const unit = `${load.unit}/s`;
  if (bottleneck === null) {
    out.push('No component showed saturation or utilisation to rank.');
  } else if (!bottleneck.saturated) {
    out.push(
      `No component saturated; nearest is ${bottleneck.result.component.name} at ${num(bottleneck.result.peakUtilisation!)} % of its saturation point.`,
    );
  } else {
    const r = bottleneck.result;
    const first = r.component.evidence[0];
    out.push(
      `${r.component.name} saturated first, ${at(r.saturatedAtMs!)}` +
        (r.component.saturatedAtRate === null ? '' : ` at ${num(r.component.saturatedAtRate)} ${unit} offered`) +
        (first === undefined ? '.' : `: ${first.metric} = ${num(first.value)}.`),
    );
    const others = results.filter((o) => o !== r && o.saturatedAtMs !== null).sort((a, b) => a.saturatedAtMs! - b.saturatedAtMs!);
    if (others.length > 0) {
      out.push(
        `Then: ${others.map((o) => `${o.component.name} ${at(o.saturatedAtMs!)}${o.component.saturatedAtRate === null ? '' : ` (${num(o.component.saturatedAtRate)} ${unit})`}`).join('; ')}.`,
      );
    }
  }
  const knee = load.knee;
  if (knee === null) {
    // Only what is known: a run without steps has no knee, whatever its whole-run SLO verdict.
    out.push(stepRun ? 'Every step held the client-side SLO, so there is no knee to line up with.' : 'Not a step run, so there is no SLO knee to line up with.');
  } else if (bottleneck?.saturated) {
    const saturatedAt = bottleneck.result.saturatedAtMs!;
    const name = bottleneck.result.component.name;
    const broke = knee.brokenBy.length > 0 ? ` (${knee.brokenBy.join(', ')})` : '';
    const step = `The SLO broke at step ${knee.step} (${num(knee.offeredRate)} ${unit}, from ${at(knee.timeMs)})${broke}`;
    const delta = (saturatedAt - knee.timeMs) / 1000;
    out.push(
      saturatedAt <= knee.endMs
        ? `${step}; ${name} saturated ${delta <= 0 ? `${num(-delta)} s before that step began` : `${num(delta)} s into it`}: it is what broke the SLO.`
        : `${step}, ${num((saturatedAt - knee.endMs) / 1000)} s before ${name} saturated: the SLO broke for another reason first (latency or errors without a saturated component).`,
    );
  } else {
    out.push(`The SLO broke at step ${knee.step} (${num(knee.offeredRate)} ${unit}, ${at(knee.timeMs)}) while no component had saturated.`);
  }
  return out;
}

// Errors in front of and behind the pods that no component is sized for, but that say where requests failed.
const ERROR_SIGNALS: ReadonlyArray<{ namespace: string; metricName: string; what: string }> = [
  { namespace: ALB.namespace, metricName: ALB.metrics.rejectedConnections, what: 'the load balancer rejected connections (its connection limit)' },
  { namespace: ALB.namespace, metricName: ALB.metrics.elb5xx, what: 'the load balancer answered 5xx itself (no healthy target, or targets too slow)' },
  { namespace: ALB.namespace, metricName: ALB.metrics.target5xx, what: 'the pods answered 5xx' },
  { namespace: S3.namespace, metricName: S3.metrics.errors5xx, what: 'S3 answered 5xx (503 SlowDown: more than a prefix sustains)' },
  { namespace: CLOUDFRONT.namespace, metricName: CLOUDFRONT.metrics.errorRate5xx, what: 'CloudFront answered 5xx' },
];

function errorSignals(ctx: ScalingContext): string[] {
  const out: string[] = [];
  for (const signal of ERROR_SIGNALS) {
    for (const series of ctx.history.series.filter((s) => s.namespace === signal.namespace && s.metricName === signal.metricName)) {
      const first = joined(ctx, series).find((p) => p.value > 0);
      if (first === undefined) continue;
      out.push(
        `Also: ${signal.what}: ${seriesLabel(series)} = ${num(first.value)} first ${num((first.timeMs - ctx.load.startMs) / 1000)} s into the run, ` +
          `at ${num(first.offered!)} ${ctx.load.unit}/s offered.`,
      );
    }
  }
  return out;
}
