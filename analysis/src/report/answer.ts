// The answer a run gives, before any table: did it hold, where did it break, what to change. Built once from the
// analysis; the terminal summary, report.html's verdict band and findings, and report.md's opening all read it.
import type { AnalysisResult } from '../analyze.js';
import { operationClass } from '../charts/operation-classes.js';
import { describeCriterion, type SloViolation } from '../verdicts/slo.js';
import { thresholdsPass } from '../verdicts/thresholds.js';
import { ACHIEVED_SHARE } from '../scaling/constants.js';
import { WAF_COMPONENT } from '../scaling/waf.js';
import { formatCount, formatMs, formatPercent, formatRate } from '../format.js';

export interface Verdict {
  pass: boolean;
  /** "SLO held" / "SLO missed", or for capacity runs "Held the SLO up to …" */
  headline: string;
  /** one short clause each: what failed, the k6 thresholds, the baseline */
  details: string[];
}

export interface BottleneckAnswer {
  component: string;
  /** false: nothing saturated, this is the component nearest to it */
  saturated: boolean;
  /** "13 s into the run, at 27 iterations/s offered" */
  when: string | null;
  /** the lever, one sentence; null when nothing needs changing */
  action: string | null;
  /** the recommendation's first sentence: the lever and the figure for the goal */
  detail: string;
  goalRate: number;
  unit: string;
}

export interface KeyFigure {
  label: string;
  value: string;
  /** small print under the value */
  note?: string;
  /** the figure is the problem (errors, dropped iterations) */
  bad?: boolean;
}

export interface Finding {
  /** what was seen, one line */
  text: string;
  /** what to do about it, one line */
  action: string;
  /** id of the report section that has the detail */
  section: string;
}

export interface WorstOperation {
  op: string;
  count: number;
  errorRate: number;
  p95: number | null;
  p99: number | null;
  /** the objective missed furthest, e.g. "p95 1.88 s > 100 ms"; "met" when every objective held */
  missed: string;
}

export interface Answer {
  verdict: Verdict;
  /** capacity runs: the last step that held and the one that broke */
  capacity: { lastHeld: string | null; rate: number | null; broke: string | null } | null;
  bottleneck: BottleneckAnswer | null;
  figures: KeyFigure[];
  findings: Finding[];
  /** the operations furthest past their objectives (all failing ones, worst first) */
  worst: WorstOperation[];
  /** components other than the bottleneck whose setting must change for the goal */
  otherActions: Array<{ component: string; action: string }>;
}

/** "1.88 s" or "96.4 ms": latencies past a second in seconds. */
export function formatLatency(ms: number | null): string {
  if (ms === null) return '–';
  return ms >= 1000 ? `${(ms / 1000).toFixed(2)} s` : `${formatMs(ms)} ms`;
}

function objectiveText(v: SloViolation): string {
  if (v.criterion === 'errorRate') return `errors ${formatPercent(v.observed)} > ${formatPercent(v.limit)}`;
  return `${describeCriterion(v.criterion).replace(' latency', '')} ${formatLatency(v.observed)} > ${formatLatency(v.limit)}`;
}

/** How far past its limit a violation is; error rates over a zero budget count as far past. */
function severity(v: SloViolation): number {
  return v.limit > 0 ? v.observed / v.limit : v.observed > 0 ? 1e6 : 1;
}

/** The whole workload's p95 from the per-operation histograms summary.json keeps ([µs, count, …]). */
export function overallPercentileMs(histograms: Record<string, number[]>, percentile: number): number | null {
  const pairs: Array<[number, number]> = [];
  let total = 0;
  for (const counts of Object.values(histograms)) {
    for (let i = 0; i + 1 < counts.length; i += 2) {
      pairs.push([counts[i]!, counts[i + 1]!]);
      total += counts[i + 1]!;
    }
  }
  if (total === 0) return null;
  pairs.sort((a, b) => a[0] - b[0]);
  const rank = Math.max(1, Math.ceil((percentile / 100) * total - 1e-9));
  let seen = 0;
  for (const [value, n] of pairs) {
    seen += n;
    if (seen >= rank) return value / 1000;
  }
  return pairs[pairs.length - 1]![0] / 1000;
}

function sentenceOne(text: string): string {
  const end = /\.(\s+(?=[A-Z])|$)/.exec(text);
  return end === null ? text : text.slice(0, end.index + 1);
}

export function buildAnswer(result: AnalysisResult): Answer {
  const s = result.summary;
  const violationsByOp = new Map<string, SloViolation[]>();
  for (const v of s.slo.violations) violationsByOp.set(v.op, [...(violationsByOp.get(v.op) ?? []), v]);
  const failedThresholds = s.thresholds.filter((t) => t.pass === false).length;
  const thresholdsOk = thresholdsPass(s.thresholds);
  const pass = s.slo.pass && thresholdsOk && (s.comparison?.pass ?? true);

  const details: string[] = [];
  if (!s.slo.pass) details.push(`${s.slo.violations.length} objective${s.slo.violations.length === 1 ? "" : "s"} failed on ${violationsByOp.size} of ${Object.keys(s.operations).length} operations`);
  if (s.thresholds.length > 0) details.push(thresholdsOk ? `k6 thresholds: all ${s.thresholds.length} passed` : `k6 thresholds: ${failedThresholds} of ${s.thresholds.length} failed`);
  if (s.comparison) details.push(s.comparison.pass ? 'no regression against the baseline' : `regression against the baseline (${s.comparison.operations.filter((o) => o.regression).length} operations)`);

  let capacity: Answer['capacity'] = null;
  let headline = s.slo.pass ? 'SLO held' : 'SLO missed';
  const cap = s.capacity;
  if (cap !== undefined) {
    const failing = cap.firstFailingStep === null ? null : cap.steps[cap.firstFailingStep]!;
    const lastHeld = cap.lastHeldStep ?? null;
    const broke =
      failing === null
        ? null
        : `step ${failing.name} (${formatRate(failing.offeredPerSec)} ${unitOf(result)}/s offered) broke it: ${failing.violations
            .slice(0, 2)
            .map((v) => `${v.op} ${describeCriterion(v.criterion)}`)
            .join(', ')}${failing.violations.length > 2 ? ` and ${failing.violations.length - 2} more` : ''}`;

    capacity = { lastHeld, rate: cap.maxRateHoldingSlo, broke };
    // A capacity run is judged step by step: its answer is how far the SLO held, not the whole run's mix of steps.
    // The words are the capacity scenario's own, so its summary and this one read alike.
    headline =
      lastHeld === null
        ? 'no step held the SLO'
        : `last step that held: ${lastHeld} at ${formatRate(cap.maxRateHoldingSlo)} ${unitOf(result)}/s offered${failing === null ? ' (every step held)' : ''}`;
  }

  const scaling = result.scaling;
  const unit = unitOf(result);
  let bottleneck: BottleneckAnswer | null = null;
  if (scaling !== null && scaling.scaling.bottleneck !== null) {
    const component = scaling.scaling.components.find((c) => c.name === scaling.scaling.bottleneck)!;
    const saturation = scaling.saturations.find((x) => x.component === component.name);
    const startMs = s.startTime === null ? null : Date.parse(s.startTime);
    const when =
      saturation === undefined
        ? null
        : (startMs === null ? '' : `${Math.round((saturation.timeMs - startMs) / 1000)} s into the run`) +
          (saturation.offeredRate === null ? '' : `${startMs === null ? '' : ', '}at ${formatRate(saturation.offeredRate)} ${unit}/s offered`);
    bottleneck = {
      component: component.name,
      saturated: saturation !== undefined,
      when,
      action: component.action,
      detail: sentenceOne(component.recommendation),
      goalRate: scaling.scaling.goalRate,
      unit,
    };
  }
  const otherActions = (scaling?.scaling.components ?? [])
    .filter((c) => c.name !== bottleneck?.component && c.action !== null)
    .map((c) => ({ component: c.name, action: c.action! }));

  return {
    verdict: { pass, headline, details },
    capacity,
    bottleneck,
    figures: keyFigures(result),
    findings: findings(result, violationsByOp, bottleneck),
    worst: worstOperations(result, violationsByOp),
    otherActions,
  };
}

function keyFigures(result: AnalysisResult): KeyFigure[] {
  const s = result.summary;
  const seconds = s.totals.durationSec;
  const started = s.iterations.count;
  const offered = started + s.droppedIterations;
  const configured = typeof s.scenario?.config?.rate === 'number' ? (s.scenario.config.rate as number) : null;
  const figures: KeyFigure[] = [{ label: 'Requests', value: formatCount(s.totals.requests), note: `in ${seconds.toFixed(0)} s, ${formatRate(s.totals.rps)}/s` }];
  if (offered > 0 && seconds > 0) {
    figures.push({
      label: 'Achieved / offered',
      value: `${formatRate(started / seconds)} / ${formatRate(offered / seconds)}`,
      note: `iterations/s over the run${configured === null ? '' : `; RATE ${Number.isInteger(configured) ? formatCount(configured) : formatRate(configured)}`}`,
      bad: started < offered * ACHIEVED_SHARE,
    });
  }
  figures.push({ label: 'p95 latency', value: formatLatency(overallPercentileMs(s.histograms, 95)), note: 'all operations' });
  figures.push({ label: 'Error rate', value: formatPercent(s.totals.errorRate), note: `${formatCount(s.totals.errors)} errors`, bad: s.totals.errors > 0 });
  const checks = s.checks.passes + s.checks.fails;
  if (checks > 0) figures.push({ label: 'Failed checks', value: formatCount(s.checks.fails), note: `of ${formatCount(checks)} (wrong answers)`, bad: s.checks.fails > 0 });
  figures.push({
    label: 'Dropped iterations',
    value: formatCount(s.droppedIterations),
    note: offered > 0 ? `${formatPercent(s.droppedIterations / offered)} of offered` : 'none offered',
    bad: s.droppedIterations > 0,
  });
  return figures;
}

function worstOperations(result: AnalysisResult, violationsByOp: ReadonlyMap<string, SloViolation[]>): WorstOperation[] {
  const s = result.summary;
  const row = (op: string, missed: string): WorstOperation => {
    const o = s.operations[op]!;
    return { op, count: o.count, errorRate: o.errorRate, p95: o.latencyMs.p95, p99: o.latencyMs.p99, missed };
  };
  if (violationsByOp.size > 0) {
    return [...violationsByOp]
      .filter(([op]) => s.operations[op] !== undefined)
      .map(([op, vs]) => ({ op, worst: [...vs].sort((a, b) => severity(b) - severity(a))[0]! }))
      .sort((a, b) => severity(b.worst) - severity(a.worst) || a.op.localeCompare(b.op))
      .map(({ op, worst }) => row(op, objectiveText(worst)));
  }
  // Nothing failed: the slowest operations, so the answer still says where the time goes.
  return Object.entries(s.operations)
    .filter(([, o]) => o.latencyMs.p95 !== null)
    .sort(([, a], [, b]) => (b.latencyMs.p95 ?? 0) - (a.latencyMs.p95 ?? 0))
    .map(([op]) => row(op, 'met'));
}

function findings(result: AnalysisResult, violationsByOp: ReadonlyMap<string, SloViolation[]>, bottleneck: BottleneckAnswer | null): Finding[] {
  const s = result.summary;
  const out: Array<Finding & { rank: number }> = [];
  // Misses that follow from a saturated component point at its action (in the verdict band) rather than repeat it.
  const fixFirst = bottleneck?.saturated && bottleneck.action !== null ? `likely from ${bottleneck.component} saturating: its action first, then run again` : null;

  // Failed objectives, one line per operation class, the class with the worst breach first.
  const byClass = new Map<string, SloViolation[]>();
  for (const vs of violationsByOp.values()) for (const v of vs) byClass.set(operationClass(v.op), [...(byClass.get(operationClass(v.op)) ?? []), v]);
  for (const [cls, vs] of byClass) {
    const ops = [...new Set(vs.map((v) => v.op))];
    const worst = [...vs].sort((a, b) => severity(b) - severity(a))[0]!;
    const errorsOnly = vs.every((v) => v.criterion === 'errorRate');
    const latency = vs.some((v) => v.criterion !== 'errorRate');
    const what = [latency ? 'latency' : null, vs.some((v) => v.criterion === 'errorRate') ? 'errors' : null].filter(Boolean).join(' and ');
    out.push({
      rank: 100 + Math.min(99, severity(worst)),
      text: `${cls}: ${ops.length} operation${ops.length === 1 ? '' : 's'} over budget on ${what}, worst ${worst.op} (${objectiveText(worst)})`,
      action:
        fixFirst ??
        (errorsOnly
          ? 'read the status codes in the operations table and the server logs for these calls'
          : 'find where these calls spend their time on the server (its latency per dependency)'),
      section: 'slo',
    });
  }
  if (s.comparison && !s.comparison.pass) {
    const regressed = s.comparison.operations.filter((o) => o.regression);
    out.push({
      rank: 90,
      text: `Slower than the baseline: ${regressed.slice(0, 3).map((o) => `${o.op} p95 ${o.deltaPct.p95 === null ? '' : `${o.deltaPct.p95 >= 0 ? '+' : ''}${o.deltaPct.p95.toFixed(0)} %`}`).join(', ')}${regressed.length > 3 ? ` and ${regressed.length - 3} more` : ''}`,
      action: 'compare what changed since the baseline run (deployment, settings, data size)',
      section: 'comparison',
    });
  }
  if (s.checks.fails > 0) {
    const failed = Object.entries(s.checks.byName).filter(([, c]) => c.fails > 0).sort(([, a], [, b]) => b.fails - a.fails);
    out.push({
      rank: 95,
      text: `${formatCount(s.checks.fails)} checks failed, most "${failed[0]?.[0] ?? ''}" (${formatCount(failed[0]?.[1].fails ?? 0)})`,
      action: 'a failed check is a wrong answer, not a slow one: read the check table and the scenario log',
      section: 'thresholds',
    });
  }
  if (result.counters.wafBlocked > 0) {
    const waf = result.scaling?.scaling.components.find((c) => c.name === WAF_COMPONENT);
    out.push({
      rank: 98,
      text: `The WAF blocked ${formatCount(result.counters.wafBlocked)} requests (CloudFront's 403 block page, not API errors)`,
      action: lowerFirst(waf?.action ?? "allow-list the runners' egress addresses in the WAF (OS_INFRA_LOAD_EGRESS_CIDRS)"),
      section: 'waf',
    });
  }
  if (result.counters.staleReads > 0) {
    out.push({
      rank: 40,
      text: `${formatCount(result.counters.staleReads)} reads of the run's own writes returned an older state and were read again`,
      action: 'expected of eventually consistent reads; if players must see their last save at once, read it with strong consistency',
      section: 'operations',
    });
  }
  for (const [name, runner] of Object.entries(s.instances)) {
    if (runner.fellBehind === null) continue;
    const b = runner.fellBehind;
    const runnersComponent = result.scaling?.scaling.components.find((c) => c.name === 'k6 runners');
    out.push({
      rank: 60,
      text: `Runner ${name} fell behind at ${b.time.slice(11, 19)}: ${formatRate(b.achievedRate)} of ${formatRate(b.offeredRate)} iterations/s, ${formatRate(b.droppedRate)} dropped/s`,
      action: fellBehindAction(
        bottleneck?.saturated ? bottleneck.component : null,
        runnersComponent?.action ?? null,
        result.scaling?.source != null,
      ),
      // One runner's table is in the scaling section; several runners have a section of their own.
      section: Object.keys(s.instances).length > 1 ? 'instances' : 'scaling',
    });
  }
  if (s.thresholds.length > 0 && !thresholdsPass(s.thresholds) && s.slo.pass) {
    const failed = s.thresholds.filter((t) => t.pass === false);
    out.push({
      rank: 80,
      text: `k6 thresholds failed while the SLO held: ${failed
        .slice(0, 2)
        .map((t) => `${t.metric} ${t.expression}`)
        .join(', ')}${failed.length > 2 ? ` and ${failed.length - 2} more` : ''}`,
      action: "the scenario's thresholds are stricter than data/slo.json here: align the two, or read the thresholds table",
      section: 'thresholds',
    });
  }
  return out.sort((a, b) => b.rank - a.rank).map(({ text, action, section }) => ({ text, action, section }));
}

/** What the run's rates count: iterations, or requests for scripts without iterations. */
function unitOf(result: AnalysisResult): string {
  return result.scaling?.unit ?? (result.summary.iterations.count + result.summary.droppedIterations > 0 ? 'iterations' : 'requests');
}

function lowerFirst(text: string): string {
  return text.length > 0 && /^[A-Z][a-z]/.test(text) ? text[0]!.toLowerCase() + text.slice(1) : text;
}

/**
 * What to do about a runner that fell behind. A server component that saturated is why it fell behind in this run (its
 * VUs waited on the target), so that comes first; the runners' own sizing for the goal rate stays in the scaling section.
 */
export function fellBehindAction(saturatedComponent: string | null, runnersAction: string | null, serverMetricsRead: boolean): string {
  if (saturatedComponent !== null && saturatedComponent !== 'k6 runners') return `its VUs waited on ${saturatedComponent}: fix that first`;
  if (runnersAction !== null) return lowerFirst(runnersAction);
  return serverMetricsRead
    ? 'more VUs (MAX_VUS) or CPU for that runner, or the load spread over more runners'
    : 'too few VUs (MAX_VUS) or CPU on the runner, or the target slowing down: server metrics (--server-metrics, --cloudwatch) tell which';
}
