// The k6 runners: whether the generator kept up with what it offered (dropped iterations), and how many cores and
// runner pods the goal needs, from the generator's measured CPU per request.
import { ACHIEVED_SHARE, K6_CORES_PER_POD, K6_CPU_SECONDS_PER_REQUEST, K6_CPU_SOURCE, K6_CPU_TARGET } from './constants.js';
import type { ClientLoad } from './client-load.js';
import { num, roundUp } from './context.js';
import type { ComponentResult } from './types.js';

export const RUNNERS_COMPONENT = 'k6 runners';

export function analyseRunners(load: ClientLoad, goalRate: number): ComponentResult {
  const goalRequests = goalRate * load.requestsPerIteration;
  const cores = goalRequests * K6_CPU_SECONDS_PER_REQUEST;
  const coresNeeded = cores / K6_CPU_TARGET;
  const pods = Math.max(1, roundUp(coresNeeded / K6_CORES_PER_POD));
  const behind = load.fellBehind;
  const evidence = behind === null ? [] : [
    { metric: 'k6 dropped_iterations (per second)', value: Math.round(behind.dropped * 100) / 100, time: new Date(behind.timeMs).toISOString() },
    { metric: `k6 ${load.unit} achieved per second (offered ${num(behind.offered)})`, value: Math.round(behind.achieved * 100) / 100, time: new Date(behind.timeMs).toISOString() },
  ];
  return {
    component: {
      name: RUNNERS_COMPONENT,
      saturatedAtRate: behind?.offered ?? null,
      evidence,
      recommendation:
        `${num(roundUp(coresNeeded))} core${roundUp(coresNeeded) === 1 ? '' : 's'} for k6 at ${num(goalRate)} ${load.unit}/s: ${pods} runner pod${pods > 1 ? 's' : ''} of ${K6_CORES_PER_POD} vCPU (OS_INFRA_K6_PARALLELISM=${pods})` +
        (behind === null ? '.' : `; this run fell behind from ${num(behind.offered)} ${load.unit}/s (too few VUs, or the generator's CPU).`),
      arithmetic:
        `${num(goalRate)} ${load.unit}/s × ${num(load.requestsPerIteration)} requests per iteration = ${num(goalRequests)} requests/s; ` +
        `× ${num(K6_CPU_SECONDS_PER_REQUEST * 1000)} ms CPU per request (${K6_CPU_SOURCE}; the k6 output has no CPU) = ${num(cores)} cores busy; ` +
        `/ ${K6_CPU_TARGET} (runners kept under ${K6_CPU_TARGET * 100} % CPU) = ${num(coresNeeded)} cores; / ${K6_CORES_PER_POD} per pod, rounded up: ${pods}. ` +
        `Falling behind means achieved below ${ACHIEVED_SHARE * 100} % of offered or dropped iterations above ${Math.round((1 - ACHIEVED_SHARE) * 100)} % of it.`,
    },
    saturatedAtMs: behind?.timeMs ?? null,
    utilisation: null,
    peakUtilisation: null,
  };
}
