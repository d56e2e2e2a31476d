// The report's content as neutral sections (headline facts, paragraphs and tables of strings); the Markdown and
// HTML renderers only lay them out.
import type { AnalysisResult } from '../analyze.js';
import { describeCriterion } from '../verdicts/slo.js';
import type { ScalingAnalysis } from '../scaling/index.js';
import { WAF_COMPONENT } from '../scaling/waf.js';
import { thresholdsPass } from '../verdicts/thresholds.js';
import { formatBytes, formatCount, formatDelta, formatMoney, formatMs, formatPercent, formatRate, formatStatusCodes } from '../format.js';

export interface Table {
  headers: string[];
  rows: string[][];
  /** index of a column holding PASS/FAIL, for colouring */
  verdictColumn?: number;
}

export interface Section {
  id: string;
  title: string;
  paragraphs: string[];
  tables: Table[];
}

export function verdictText(pass: boolean | null): string {
  return pass === null ? 'n/a' : pass ? 'PASS' : 'FAIL';
}

function configValueText(value: unknown): string {
  if (typeof value === 'string') return value;
  if (Array.isArray(value) && value.every((v) => typeof v !== 'object' || v === null)) return value.map(String).join(', ');
  return JSON.stringify(value);
}

function thresholdsParagraph(s: AnalysisResult['summary']): string {
  if (s.scenario) {
    const failed = s.thresholds.filter((t) => t.pass === false).length;
    return (
      `${s.thresholds.length} threshold(s) as k6 judged them at the end of the run, sub-metrics included (from ${s.scenario.summaryPath}); ` +
      `${failed === 0 ? 'all passed' : `${failed} failed`}. Observed is the value k6 computed for the threshold's aggregation.`
    );
  }
  const missing = 'No k6 summary was given (--k6-summary) or found beside the input, so thresholds on sub-metrics cannot be shown.';
  return s.thresholds.length === 0
    ? `The run declared no thresholds on whole metrics. ${missing}`
    : `Thresholds on whole metrics, re-evaluated from the k6 output. ${missing}`;
}

export function reportSections(result: AnalysisResult): Section[] {
  const s = result.summary;
  const sections: Section[] = [];

  const overview: string[] = [
    `${s.startTime ?? '–'} to ${s.endTime ?? '–'} (${s.durationSec.toFixed(1)} s), from ${s.inputs.map((i) => i.path).join(', ')}.`,
    `${formatCount(s.totals.requests)} requests at ${formatRate(s.totals.rps)}/s; ${formatCount(s.totals.errors)} errors (${formatPercent(s.totals.errorRate)}); ` +
      `${formatCount(s.droppedIterations)} dropped iterations; checks ${formatCount(s.checks.passes)} passed, ${formatCount(s.checks.fails)} failed.`,
    `${formatCount(s.iterations.count)} iterations at ${formatRate(s.iterations.rate)}/s, iteration duration p50 ${formatMs(s.iterations.durationMs.p50)} ms, ` +
      `p95 ${formatMs(s.iterations.durationMs.p95)} ms; data sent ${formatBytes(s.data.sentBytes)}, received ${formatBytes(s.data.receivedBytes)}.`,
    `SLO (${s.slo.source}): ${verdictText(s.slo.pass)}.` +
      (s.thresholds.length > 0 ? ` k6 thresholds: ${verdictText(thresholdsPass(s.thresholds))}.` : '') +
      (s.comparison ? ` Comparison with ${s.comparison.baseline}: ${verdictText(s.comparison.pass)}.` : ''),
  ];
  const overviewTables: Table[] = [];
  if (s.scenario) {
    overview.push(`Scenario ${s.scenario.name ?? '(unnamed)'}, from ${s.scenario.summaryPath}.`);
    for (const note of s.scenario.notes) overview.push(`Note: ${note}`);
    if (s.scenario.config !== null) {
      overviewTables.push({
        headers: ['Setting (effective configuration)', 'Value'],
        rows: Object.entries(s.scenario.config).map(([key, value]) => [key, configValueText(value)]),
      });
    }
  }
  sections.push({ id: 'overview', title: 'Overview', paragraphs: overview, tables: overviewTables });

  sections.push({
    id: 'operations',
    title: 'Operations',
    paragraphs: ['Latencies in ms at the client; percentiles from HDR histograms (3 significant digits).'],
    tables: [
      {
        headers: ['Operation', 'Count', 'Req/s', 'Errors', 'Error rate', 'Status codes', 'min', 'mean', 'p50', 'p90', 'p95', 'p99', 'p99.9', 'max', 'SLO'],
        rows: Object.entries(s.operations).map(([op, o]) => [
          o.source === 'counter' ? `${op} (counter only)` : op,
          formatCount(o.count),
          formatRate(o.rps),
          formatCount(o.errors),
          formatPercent(o.errorRate),
          formatStatusCodes(o.statusCodes, o.protocol),
          formatMs(o.latencyMs.min),
          formatMs(o.latencyMs.mean),
          formatMs(o.latencyMs.p50),
          formatMs(o.latencyMs.p90),
          formatMs(o.latencyMs.p95),
          formatMs(o.latencyMs.p99),
          formatMs(o.latencyMs.p999),
          formatMs(o.latencyMs.max),
          verdictText(s.slo.operations[op]?.pass ?? null),
        ]),
        verdictColumn: 14,
      },
    ],
  });

  sections.push({
    id: 'slo',
    title: 'SLO verdicts',
    paragraphs: [s.slo.pass ? 'Every operation met its objectives.' : `${s.slo.violations.length} objective(s) missed.`],
    tables:
      s.slo.violations.length === 0
        ? []
        : [
            {
              headers: ['Operation', 'Objective', 'Limit', 'Observed'],
              rows: s.slo.violations.map((v) => [
                v.op,
                describeCriterion(v.criterion),
                v.criterion === 'errorRate' ? formatPercent(v.limit) : `${formatMs(v.limit)} ms`,
                v.criterion === 'errorRate' ? formatPercent(v.observed) : `${formatMs(v.observed)} ms`,
              ]),
            },
          ],
  });

  sections.push({
    id: 'thresholds',
    title: 'k6 thresholds and checks',
    paragraphs: [thresholdsParagraph(s)],
    tables: [
      ...(s.thresholds.length === 0
        ? []
        : [
            {
              headers: ['Metric', 'Threshold', 'Observed', 'Result'],
              rows: s.thresholds.map((t) => [t.metric, t.expression, t.observed === null ? '–' : String(Number(t.observed.toFixed(4))), verdictText(t.pass)]),
              verdictColumn: 3,
            },
          ]),
      {
        headers: ['Check', 'Passed', 'Failed', 'Result'],
        rows: Object.entries(s.checks.byName).map(([name, c]) => [name, formatCount(c.passes), formatCount(c.fails), verdictText(c.fails === 0)]),
        verdictColumn: 3,
      },
    ],
  });

  const housekeeping = housekeepingSection(s);
  if (housekeeping !== null) sections.push(housekeeping);

  if (s.comparison) {
    const c = s.comparison;
    sections.push({
      id: 'comparison',
      title: 'Comparison with baseline',
      paragraphs: [
        `Baseline ${c.baseline}. An operation regresses when its p50 or p95 is more than ${c.maxRegressionPct}% slower and a Mann-Whitney U test ` +
          `finds the latencies different (p < ${c.significance}), or when its error rate rose by more than 0.5 points (two-proportion z-test, p < ${c.significance}).`,
        ...(c.onlyInBaseline.length > 0 ? [`Only in the baseline: ${c.onlyInBaseline.join(', ')}.`] : []),
        ...(c.onlyInCandidate.length > 0 ? [`Only in this run: ${c.onlyInCandidate.join(', ')}.`] : []),
      ],
      tables: [
        {
          headers: ['Operation', 'Count (base → now)', 'p50 Δ', 'p95 Δ', 'p99 Δ', 'p95 (base → now)', 'Error rate (base → now)', 'Latency test p', 'Result'],
          rows: c.operations.map((o) => [
            o.op,
            `${formatCount(o.baseline.count)} → ${formatCount(o.candidate.count)}`,
            formatDelta(o.deltaPct.p50),
            formatDelta(o.deltaPct.p95),
            formatDelta(o.deltaPct.p99),
            `${formatMs(o.baseline.p95)} → ${formatMs(o.candidate.p95)}`,
            `${formatPercent(o.baseline.errorRate)} → ${formatPercent(o.candidate.errorRate)}`,
            o.latencyTest === null ? '–' : o.latencyTest.pValue < 1e-4 ? '<0.0001' : o.latencyTest.pValue.toFixed(4),
            o.regression ? `FAIL: ${o.reasons.join('; ')}` : 'PASS',
          ]),
          verdictColumn: 8,
        },
      ],
    });
  }

  if (s.capacity) {
    const cap = s.capacity;
    sections.push({
      id: 'capacity',
      title: 'Capacity',
      paragraphs: [...cap.findings, 'Offered and achieved are iterations per second (iterations started plus dropped, and started).'],
      tables: [
        {
          headers: ['Step', 'Start', 'Offered/s', 'Achieved/s', 'Requests/s', 'Dropped/s', 'Error rate', 'SLO'],
          rows: cap.steps.map((st) => [
            st.name,
            `${Math.round(st.startSec)} s`,
            formatRate(st.offeredPerSec),
            formatRate(st.achievedPerSec),
            formatRate(st.requestsPerSec),
            formatRate(st.droppedPerSec),
            formatPercent(st.errorRate),
            st.pass ? 'PASS' : `FAIL: ${st.violations.map((v) => `${v.op} ${describeCriterion(v.criterion)}`).join(', ')}`,
          ]),
          verdictColumn: 7,
        },
      ],
    });
  }

  if (s.cost) {
    const cost = s.cost;
    sections.push({
      id: 'cost',
      title: 'Cost on AWS',
      paragraphs: [
        `The measured mix costs ${formatMoney(cost.perMillionOperations, cost.currency)} per million operations in ${cost.region} ` +
          `(DynamoDB on-demand, S3 requests, transfer out; prices and per-operation usage from ${cost.source}). ` +
          `This run: ${formatMoney(cost.runCost, cost.currency)}` +
          (cost.perHourAtMeasuredRate === null ? '.' : `; one hour at the measured rate: ${formatMoney(cost.perHourAtMeasuredRate, cost.currency)}.`),
        ...(cost.unpriced.length > 0 ? [`Not priced (no entry in the price table): ${cost.unpriced.join(', ')}.`] : []),
      ],
      tables: [
        {
          headers: ['Operation', 'Share of mix', 'Cost per million'],
          rows: Object.entries(cost.operations).map(([op, o]) => [op, formatPercent(o.share), formatMoney(o.perMillion, cost.currency)]),
        },
      ],
    });
  }

  if (result.scaling !== null) sections.push(withRunners(scalingSection(result.scaling), s));
  const waf = wafParagraphs(result);
  if (waf.length > 0) sections.push({ id: 'waf', title: 'WAF blocks', paragraphs: waf, tables: [] });

  if (Object.keys(s.instances).length > 1) {
    sections.push({
      id: 'instances',
      title: 'Load generators',
      paragraphs: [RUNNERS_PARAGRAPH],
      tables: [runnersTable(s)],
    });
  }

  if (s.warnings.length > 0) sections.push({ id: 'warnings', title: 'Warnings', paragraphs: s.warnings, tables: [] });
  return sections;
}

const PHASE_LABELS: Record<string, string> = { setup: 'setup() (preflight included)', teardown: 'teardown()', cleanup: 'dist/cleanup.js' };

/** Requests outside the scenario's iterations, in one small table: their cost stays visible, apart from the workload. */
function housekeepingSection(s: AnalysisResult['summary']): Section | null {
  const phases = Object.entries(s.housekeeping.phases);
  if (phases.length === 0) return null;
  const seconds = (sec: number): string => `${sec.toFixed(1)} s`;
  return {
    id: 'housekeeping',
    title: 'Housekeeping',
    paragraphs: [
      "Requests made outside the scenario's iterations (k6 group ::setup or ::teardown, scenario cleanup): " +
        `${formatCount(s.housekeeping.requests)} in all, in no other figure of this report. Errors are as the scenario judged them.`,
    ],
    tables: [
      {
        headers: ['Phase', 'Requests', 'Errors', 'Time in requests', 'Wall time', 'Most requests'],
        rows: phases.map(([phase, p]) => [
          PHASE_LABELS[phase] ?? phase,
          formatCount(p.requests),
          formatCount(p.errors),
          seconds(p.requestTimeSec),
          seconds(p.wallTimeSec),
          Object.entries(p.operations)
            .sort(([, a], [, b]) => b.requests - a.requests)
            .slice(0, 3)
            .map(([op, o]) => `${op} ${formatCount(o.requests)}`)
            .join(', '),
        ]),
      },
    ],
  };
}

const RUNNERS_PARAGRAPH =
  'Per k6 runner (the instance tag, else the output file): offered is iterations started plus dropped per second, over the time buckets it offered load in; ' +
  'a runner fell behind when it achieved under 95 % of its offered rate, or dropped more than 5 % of it, for 3 s running.';

/** One row per runner: what it offered and achieved, and whether it kept up. */
function runnersTable(s: AnalysisResult['summary']): Table {
  return {
    headers: ['Runner', 'Requests', 'Errors', 'Error rate', 'Iterations', 'Offered/s', 'Achieved/s', 'Dropped', 'Kept up'],
    rows: Object.entries(s.instances).map(([name, i]) => [
      name,
      formatCount(i.requests),
      formatCount(i.errors),
      formatPercent(i.errorRate),
      formatCount(i.iterations),
      formatRate(i.offeredRate),
      formatRate(i.achievedRate),
      formatCount(i.droppedIterations),
      i.fellBehind === null
        ? i.offeredRate === null ? '–' : 'PASS'
        : `FAIL: fell behind at ${i.fellBehind.time.slice(11, 19)} (${formatRate(i.fellBehind.achievedRate)} of ${formatRate(i.fellBehind.offeredRate)}/s, ${formatRate(i.fellBehind.droppedRate)} dropped/s)`,
    ]),
    verdictColumn: 8,
  };
}

/** The scaling section with the runners' table: a rate not reached is explained per runner (scaling/runners.ts). */
function withRunners(section: Section, s: AnalysisResult['summary']): Section {
  const runners = Object.values(s.instances);
  if (runners.length < 2 && runners.every((i) => i.fellBehind === null)) return section;
  return { ...section, tables: [...section.tables, runnersTable(s)] };
}

function scalingSection(analysis: ScalingAnalysis): Section {
  const { scaling } = analysis;
  return {
    id: 'scaling',
    title: 'Scaling recommendations',
    paragraphs: [
      ...analysis.findings,
      ...scaling.components.map((c) => `${c.name}: ${c.recommendation} How: ${c.arithmetic}`),
    ],
    tables: [
      {
        headers: ['Component', 'Saturated at (offered/s)', 'Evidence', 'Recommendation'],
        rows: scaling.components.map((c) => [
          c.name + (c.name === scaling.bottleneck ? ' (bottleneck)' : ''),
          c.saturatedAtRate === null ? '–' : formatRate(c.saturatedAtRate),
          c.evidence.length === 0 ? '–' : c.evidence.map((e) => `${e.metric} = ${Number(e.value.toPrecision(4))}${e.time ? ` at ${e.time.slice(11, 19)}` : ''}`).join('; '),
          c.recommendation,
        ]),
      },
    ],
  };
}

/** The client's view of WAF blocks (the scenarios' opensaves_waf_blocked counter), with what to do about them. */
function wafParagraphs(result: AnalysisResult): string[] {
  const waf = result.scaling?.scaling.components.find((c) => c.name === WAF_COMPONENT);
  const blocked = waf?.evidence.find((e) => e.metric.startsWith('k6 '));
  if (waf === undefined || blocked === undefined || blocked.value <= 0) return [];
  return [
    `k6 counted ${formatCount(blocked.value)} requests blocked by the WAF (${blocked.metric.slice(3)}): CloudFront's 403 "Request blocked" answers, not API errors.`,
    waf.recommendation,
  ];
}
