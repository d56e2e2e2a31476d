// The k6 runners: whether the generators kept up with what they offered (dropped iterations), each runner of a
// distributed run on its own, and how many cores and runner pods the goal needs, from the generator's measured CPU
// per request, spread over that many runners.
import { ACHIEVED_SHARE, K6_CORES_PER_POD, K6_CPU_SECONDS_PER_REQUEST, K6_CPU_SOURCE, K6_CPU_TARGET } from './constants.js';
import type { ClientLoad } from './client-load.js';
import { num, roundUp } from './context.js';
import type { RunnerRates } from './runner-rates.js';
import type { ComponentResult, ScalingEvidence } from './types.js';

export const RUNNERS_COMPONENT = 'k6 runners';

/** The runners that made any load (a file with only setup() samples is not a runner of the workload). */
function loaded(runners: readonly RunnerRates[]): RunnerRates[] {
  return runners.filter((r) => r.iterations + r.droppedIterations > 0 || r.requests > 0);
}

function behindOf(runners: readonly RunnerRates[]): RunnerRates[] {
  return runners.filter((r) => r.fellBehind !== null).sort((a, b) => a.fellBehind!.timeMs - b.fellBehind!.timeMs);
}

export function analyseRunners(
  load: ClientLoad,
  goalRate: number,
  runners: readonly RunnerRates[] = [],
  serverSaturated: { name: string; atMs: number } | null = null,
): ComponentResult {
  const goalRequests = goalRate * load.requestsPerIteration;
  const cores = goalRequests * K6_CPU_SECONDS_PER_REQUEST;
  const coresNeeded = cores / K6_CPU_TARGET;
  const pods = Math.max(1, roundUp(coresNeeded / K6_CORES_PER_POD));
  const active = loaded(runners);
  const behindRunners = behindOf(active);
  const whole = load.fellBehind;
  const unit = load.unit;
  const at = (ms: number): string => new Date(ms).toISOString();
  const round2 = (value: number): number => Math.round(value * 100) / 100;

  const evidence: ScalingEvidence[] = [];
  for (const r of behindRunners) {
    const b = r.fellBehind!;
    evidence.push(
      { metric: `k6 dropped_iterations of runner ${r.name} (per second)`, value: round2(b.dropped), time: at(b.timeMs) },
      { metric: `k6 ${unit} achieved per second by runner ${r.name} (offered ${num(b.offered)})`, value: round2(b.achieved), time: at(b.timeMs) },
    );
  }
  if (whole !== null && behindRunners.length === 0) {
    evidence.push(
      { metric: 'k6 dropped_iterations (per second)', value: round2(whole.dropped), time: at(whole.timeMs) },
      { metric: `k6 ${unit} achieved per second (offered ${num(whole.offered)})`, value: round2(whole.achieved), time: at(whole.timeMs) },
    );
  }
  // Saturated from the first moment any runner, or the run as a whole, fell behind; the rate is the run's offered load then.
  const firstRunner = behindRunners[0]?.fellBehind ?? null;
  const saturatedAtMs = [firstRunner?.timeMs, whole?.timeMs].filter((t): t is number => t !== undefined).sort((a, b) => a - b)[0] ?? null;
  const saturatedAtRate =
    saturatedAtMs === null ? null : saturatedAtMs === whole?.timeMs ? whole.offered : (load.offeredAt(saturatedAtMs, 1) ?? firstRunner!.offered);

  const perPod = goalRate / pods;
  const thisRun =
    active.length > 1
      ? `; this run: ${active.length} runners at ${num(load.peakOfferedRate / active.length)} ${unit}/s each at its peak`
      : '';
  let behindText = '';
  if (behindRunners.length > 0) {
    const names = behindRunners.map((r) => `${r.name} (from ${num((r.fellBehind!.timeMs - load.startMs) / 1000)} s: ${num(r.fellBehind!.achieved)} of ${num(r.fellBehind!.offered)} ${unit}/s)`);
    behindText =
      `; ${names.join(', ')} fell behind, so the run did not reach the rate it offered: ` +
      'more VUs (MAX_VUS) or more CPU for that runner, or the load spread over more runners.';
  } else if (whole !== null) {
    behindText = `; this run fell behind from ${num(whole.offered)} ${unit}/s (too few VUs, or the generator's CPU).`;
  }
  // The lever: more runner pods when the goal needs more than this run used; when they fell behind on their own (no
  // server component saturated first, whose waits would hold the VUs), more VUs or CPU per runner.
  const used = Math.max(1, active.length);
  const ownFault = saturatedAtMs !== null && (serverSaturated === null || serverSaturated.atMs > saturatedAtMs);
  if (saturatedAtMs !== null && !ownFault) {
    behindText = `; this run fell behind from ${num(saturatedAtRate!)} ${unit}/s because its VUs waited on ${serverSaturated!.name}, which saturated first.`;
  }
  const sized = `${pods} runner pod${pods > 1 ? 's' : ''} of ${K6_CORES_PER_POD} vCPU (OS_INFRA_K6_PARALLELISM=${pods})`;
  const action =
    pods > used
      ? `Run ${sized}`
      : ownFault
        ? 'Give the runners more VUs (MAX_VUS) or more CPU, or spread the load over more runners'
        : null;
  const coresText = `${num(roundUp(coresNeeded))} core${roundUp(coresNeeded) === 1 ? '' : 's'} for k6 at ${num(goalRate)} ${unit}/s`;
  return {
    component: {
      name: RUNNERS_COMPONENT,
      saturatedAtRate,
      evidence,
      action,
      recommendation:
        (pods > used ? `${action}: ${coresText}` : `${action === null ? '' : `${action}. `}${coresText}: ${sized}`) +
        (pods > 1 ? `, ${num(perPod)} ${unit}/s each (or ${pods} k6 processes with --execution-segment)` : '') +
        thisRun +
        (behindText === '' ? '.' : behindText),
      arithmetic:
        `${num(goalRate)} ${unit}/s × ${num(load.requestsPerIteration)} requests per iteration = ${num(goalRequests)} requests/s; ` +
        `× ${num(K6_CPU_SECONDS_PER_REQUEST * 1000)} ms CPU per request (${K6_CPU_SOURCE}; the k6 output has no CPU) = ${num(cores)} cores busy; ` +
        `/ ${K6_CPU_TARGET} (runners kept under ${K6_CPU_TARGET * 100} % CPU) = ${num(coresNeeded)} cores; / ${K6_CORES_PER_POD} per pod, rounded up: ${pods}` +
        (pods > 1 ? `; the goal split evenly over them: ${num(perPod)} ${unit}/s and ${num(coresNeeded / pods)} cores each` : '') +
        '. ' +
        `Falling behind (the run, or any one runner on its own share) means achieved below ${ACHIEVED_SHARE * 100} % of offered or dropped iterations above ${Math.round((1 - ACHIEVED_SHARE) * 100)} % of it, for 3 s running.`,
    },
    saturatedAtMs,
    utilisation: null,
    peakUtilisation: null,
  };
}

/**
 * The runners in plain sentences: each one's offered and achieved rate, and, when one fell behind, that it is why
 * the run's rate was not reached (after a saturated server component, its VUs were waiting on the target).
 */
export function runnerFindings(runners: readonly RunnerRates[], load: ClientLoad, serverSaturated: { name: string; atMs: number } | null): string[] {
  const active = loaded(runners);
  const behindRunners = behindOf(active);
  if (active.length <= 1 && behindRunners.length === 0) return [];
  const unit = `${load.unit}/s`;
  const rate = (r: RunnerRates): string =>
    r.offeredRate === null ? `${num(r.requests)} requests` : `${num(r.achievedRate ?? 0)} of ${num(r.offeredRate)} ${unit} offered, ${num(r.droppedIterations)} dropped`;
  const out = [
    `${active.length} k6 runner${active.length === 1 ? '' : 's'}: ${active.map((r) => `${r.name} ${rate(r)}`).join('; ')}` +
      (behindRunners.length === 0 ? '; every runner kept up with its share.' : '.'),
  ];
  for (const r of behindRunners) {
    const b = r.fellBehind!;
    const offeredThen = load.offeredAt(b.timeMs, 1);
    const lead =
      `Runner ${r.name} fell behind ${num((b.timeMs - load.startMs) / 1000)} s into the run (${num(b.achieved)} of ${num(b.offered)} ${unit} achieved, ` +
      `${num(b.dropped)} dropped/s), so the run did not reach the rate it offered${offeredThen === null ? '' : ` (${num(offeredThen)} ${unit} then)`}`;
    // After a server component saturated, the runner's VUs were waiting on it: the runner is the symptom, not the cause.
    out.push(
      serverSaturated !== null && serverSaturated.atMs <= b.timeMs
        ? `${lead}; it fell behind after ${serverSaturated.name} saturated, with its VUs waiting on the target: size ${serverSaturated.name} first.`
        : `${lead}, because of that runner: give it more VUs (MAX_VUS) or more CPU, or spread the load over more runners.`,
    );
  }
  return out;
}
