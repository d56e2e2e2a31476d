// The report's content as neutral sections (headline facts, paragraphs and tables of strings); the Markdown and
// HTML renderers only lay them out.
import type { AnalysisResult } from '../analyze.js';
import { describeCriterion } from '../verdicts/slo.js';
import type { ScalingAnalysis } from '../scaling/index.js';
import { WAF_COMPONENT } from '../scaling/waf.js';
import { thresholdsPass } from '../verdicts/thresholds.js';
import { formatBytes, formatCount, formatDelta, formatMoney, formatMs, formatPercent, formatRate, formatStatusCodes } from '../format.js';
import { buildAnswer } from './answer.js';

export interface Table {
  headers: string[];
  rows: string[][];
  /** index of a column holding PASS/FAIL, for colouring */
  verdictColumn?: number;
  /** report.html sorts it by a click on a column header */
  sortable?: boolean;
}

/** Content shown folded (report.html's <details>): long tables, passes counted rather than listed, the arithmetic. */
export interface Folded {
  summary: string;
  paragraphs: string[];
  tables: Table[];
}

export interface Section {
  id: string;
  title: string;
  paragraphs: string[];
  tables: Table[];
  /** one line each, with what to do about it */
  items?: Array<{ text: string; action: string; section?: string }>;
  folded?: Folded[];
  /** the tables are the summary: they come before the paragraphs */
  tablesFirst?: boolean;
}

/** Tables longer than this are folded, their summary saying what they hold. */
export const LONG_TABLE_ROWS = 12;

/** The table in the open, or folded under `summary` when it is long. */
function openOrFolded(table: Table, summary: string): { tables: Table[]; folded: Folded[] } {
  return table.rows.length > LONG_TABLE_ROWS ? { tables: [], folded: [{ summary, paragraphs: [], tables: [table] }] } : { tables: [table], folded: [] };
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
  const answer = buildAnswer(result);
  const sections: Section[] = [];

  // The answer first: what was found, each with what to do; then what to change; then the tables.
  sections.push({
    id: 'findings',
    title: 'Findings',
    paragraphs: answer.findings.length === 0 ? ['Nothing failed: every objective held, every check passed.'] : [],
    tables: [],
    items: answer.findings.map((f) => ({ text: f.text, action: f.action, section: f.section })),
  });
  if (result.scaling !== null) sections.push(withRunners(scalingSection(result.scaling), s));

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

  sections.push({
    id: 'operations',
    title: 'Operations',
    paragraphs: ['Latencies in ms at the client; percentiles from HDR histograms (3 significant digits). Click a column header to sort.'],
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
        sortable: true,
      },
    ],
  });

  const violations: Table = {
    headers: ['Operation', 'Objective', 'Limit', 'Observed'],
    rows: s.slo.violations.map((v) => [
      v.op,
      describeCriterion(v.criterion),
      v.criterion === 'errorRate' ? formatPercent(v.limit) : `${formatMs(v.limit)} ms`,
      v.criterion === 'errorRate' ? formatPercent(v.observed) : `${formatMs(v.observed)} ms`,
    ]),
  };
  sections.push({
    id: 'slo',
    title: 'SLO verdicts',
    paragraphs: [
      s.slo.pass
        ? `Every operation met its objectives (${s.slo.source}).`
        : `${s.slo.violations.length} objective(s) missed on ${new Set(s.slo.violations.map((v) => v.op)).size} operation(s) (${s.slo.source}); Findings groups them by operation class.`,
    ],
    ...(s.slo.violations.length === 0 ? { tables: [] } : openOrFolded(violations, `The ${s.slo.violations.length} missed objectives`)),
  });

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

  sections.push(thresholdsSection(s));

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

  const housekeeping = housekeepingSection(s);
  if (housekeeping !== null) sections.push(housekeeping);

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
      ...openOrFolded(
        {
          headers: ['Operation', 'Share of mix', 'Cost per million'],
          rows: Object.entries(cost.operations).map(([op, o]) => [op, formatPercent(o.share), formatMoney(o.perMillion, cost.currency)]),
        },
        `The cost of each of the ${Object.keys(cost.operations).length} operations`,
      ),
    });
  }

  sections.push(runDetailsSection(s));
  if (s.warnings.length > 0) sections.push({ id: 'warnings', title: 'Warnings', paragraphs: s.warnings, tables: [] });
  return sections;
}

/** When and what ran: the window, the inputs, the totals k6 counted, the scenario and its effective configuration. */
function runDetailsSection(s: AnalysisResult['summary']): Section {
  const paragraphs: string[] = [
    `${s.startTime ?? '–'} to ${s.endTime ?? '–'} (${s.durationSec.toFixed(1)} s), from ${s.inputs.map((i) => i.path).join(', ')}.`,
    `${formatCount(s.totals.requests)} requests at ${formatRate(s.totals.rps)}/s; ${formatCount(s.totals.errors)} errors (${formatPercent(s.totals.errorRate)}); ` +
      `${formatCount(s.droppedIterations)} dropped iterations; checks ${formatCount(s.checks.passes)} passed, ${formatCount(s.checks.fails)} failed.`,
    `${formatCount(s.iterations.count)} iterations at ${formatRate(s.iterations.rate)}/s, iteration duration p50 ${formatMs(s.iterations.durationMs.p50)} ms, ` +
      `p95 ${formatMs(s.iterations.durationMs.p95)} ms; data sent ${formatBytes(s.data.sentBytes)}, received ${formatBytes(s.data.receivedBytes)}.`,
    `SLO (${s.slo.source}): ${verdictText(s.slo.pass)}.` +
      (s.thresholds.length > 0 ? ` k6 thresholds: ${verdictText(thresholdsPass(s.thresholds))}.` : '') +
      (s.comparison ? ` Comparison with ${s.comparison.baseline}: ${verdictText(s.comparison.pass)}.` : ''),
  ];
  const folded: Folded[] = [];
  if (s.scenario) {
    paragraphs.push(`Scenario ${s.scenario.name ?? '(unnamed)'}, from ${s.scenario.summaryPath}.`);
    for (const note of s.scenario.notes) paragraphs.push(`Note: ${note}`);
    if (s.scenario.config !== null) {
      folded.push({
        summary: 'The effective configuration',
        paragraphs: [],
        tables: [{ headers: ['Setting (effective configuration)', 'Value'], rows: Object.entries(s.scenario.config).map(([key, value]) => [key, configValueText(value)]) }],
      });
    }
  }
  return { id: 'overview', title: 'Run details', paragraphs, tables: [], folded };
}

/** Failed thresholds and checks in the open; the passing ones counted, their tables folded. */
function thresholdsSection(s: AnalysisResult['summary']): Section {
  const thresholdRow = (t: AnalysisResult['summary']['thresholds'][number]): string[] => [
    t.metric,
    t.expression,
    t.observed === null ? '–' : String(Number(t.observed.toFixed(4))),
    verdictText(t.pass),
  ];
  const thresholdHeaders = ['Metric', 'Threshold', 'Observed', 'Result'];
  const failedThresholds = s.thresholds.filter((t) => t.pass === false);
  const otherThresholds = s.thresholds.filter((t) => t.pass !== false);
  const checks = Object.entries(s.checks.byName);
  const checkRow = ([name, c]: [string, { passes: number; fails: number }]): string[] => [name, formatCount(c.passes), formatCount(c.fails), verdictText(c.fails === 0)];
  const checkHeaders = ['Check', 'Passed', 'Failed', 'Result'];
  const failedChecks = checks.filter(([, c]) => c.fails > 0);
  const passedChecks = checks.filter(([, c]) => c.fails === 0);

  const tables: Table[] = [];
  const folded: Folded[] = [];
  if (failedThresholds.length > 0) {
    const table = { headers: thresholdHeaders, rows: failedThresholds.map(thresholdRow), verdictColumn: 3 };
    const placed = openOrFolded(table, `The ${failedThresholds.length} failed thresholds`);
    tables.push(...placed.tables);
    folded.push(...placed.folded);
  }
  if (otherThresholds.length > 0) {
    folded.push({
      summary: `${otherThresholds.length} threshold(s) ${otherThresholds.every((t) => t.pass === true) ? 'passed' : 'passed or not judged'}`,
      paragraphs: [],
      tables: [{ headers: thresholdHeaders, rows: otherThresholds.map(thresholdRow), verdictColumn: 3 }],
    });
  }
  if (failedChecks.length > 0) tables.push({ headers: checkHeaders, rows: failedChecks.map(checkRow), verdictColumn: 3 });
  if (passedChecks.length > 0) {
    folded.push({ summary: `${passedChecks.length} check(s) passed every time`, paragraphs: [], tables: [{ headers: checkHeaders, rows: passedChecks.map(checkRow), verdictColumn: 3 }] });
  }
  const checkText =
    checks.length === 0
      ? 'The run made no checks.'
      : failedChecks.length === 0
        ? `All ${checks.length} checks passed every time (${formatCount(s.checks.passes)} in all).`
        : `${failedChecks.length} of ${checks.length} checks failed ${formatCount(s.checks.fails)} time(s): a failed check is a wrong answer, not a slow one.`;
  return { id: 'thresholds', title: 'k6 thresholds and checks', paragraphs: [thresholdsParagraph(s), checkText], tables, folded };
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
  const evidence = scaling.components.filter((c) => c.evidence.length > 0);
  const toChange = scaling.components.filter((c) => c.action !== null || c.name === scaling.bottleneck);
  const unchanged = scaling.components.filter((c) => !toChange.includes(c));
  const sizedFor = analysis.findings.filter((f) => f.startsWith('Sized for '));
  const story = analysis.findings.filter((f) => !f.startsWith('Sized for '));
  const nothing = (c: (typeof scaling.components)[number]): string =>
    c.saturatedAtRate === null
      ? 'nothing: today’s setting carries the goal'
      : scaling.bottleneck !== null && scaling.bottleneck !== c.name
        ? `nothing of its own: it followed ${scaling.bottleneck}`
        : 'nothing: today’s setting carries the goal';
  return {
    id: 'scaling',
    title: 'Scaling recommendations',
    tablesFirst: true,
    paragraphs: [...sizedFor, ...toChange.map((c) => `${c.name}: ${c.recommendation}`)],
    tables: [
      {
        headers: ['Component', 'Saturated at (offered/s)', 'What to change for the goal'],
        rows: scaling.components.map((c) => [
          c.name + (c.name === scaling.bottleneck ? ' (bottleneck)' : ''),
          c.saturatedAtRate === null ? '–' : formatRate(c.saturatedAtRate),
          c.action ?? nothing(c),
        ]),
      },
    ],
    folded: [
      { summary: 'How the bottleneck was found', paragraphs: story, tables: [] },
      {
        summary: 'Every component’s recommendation, how the figures were computed, and the evidence',
        paragraphs: [...unchanged.map((c) => `${c.name}: ${c.recommendation}`), ...scaling.components.map((c) => `${c.name}, how: ${c.arithmetic}`)],
        tables:
          evidence.length === 0
            ? []
            : [
                {
                  headers: ['Component', 'Evidence', 'Value', 'At'],
                  rows: evidence.flatMap((c) => c.evidence.map((e) => [c.name, e.metric, String(Number(e.value.toPrecision(4))), e.time ? e.time.slice(11, 19) : '–'])),
                },
              ],
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
