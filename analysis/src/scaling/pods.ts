// Pods and their HPA: CPU over the pod limit, running pods, queueing; sized from the CPU seconds one request costs.
// Kubernetes' HPA measures CPU as a share of the pod's CPU *request* (the AWS port: 70 % of 100m), while a pod can
// burn up to its *limit* (500m): the HPA's replica count and the pods' physical capacity are both shown.
import { CONTAINER_INSIGHTS as CI, MODEL_QUEUE } from '../../../catalogue/aws-metrics.js';
import { findSeries, type ServerMetricSeries } from '../server-metrics/history.js';
import { PORT_DEFAULTS } from './constants.js';
import { evidenceOf, joined, money, num, numberSetting, pick, rateText, roundUp, valueAt, type ScalingContext } from './context.js';
import type { ComponentResult, ScalingEvidence } from './types.js';

export const PODS_COMPONENT = 'pods/HPA';

/**
 * Requests queue for a moment whenever several arrive at once or one holds a pod long, however idle the pods are;
 * queueing counts as saturation only once at least one request per running pod waits, period after period, this long.
 */
const QUEUEING_SECONDS = 3;

export function analysePods(ctx: ScalingContext): ComponentResult | null {
  const cpu = pick(findSeries(ctx.history, { namespace: CI.namespace, metricName: CI.metrics.podCpuOverLimit }), ['Average', 'Maximum']);
  if (cpu === undefined) return null;
  const running = pick(findSeries(ctx.history, { namespace: CI.namespace, metricName: CI.metrics.runningPods }), ['Average', 'Maximum', 'Minimum']);
  const queue = queueSeries(ctx);

  const assumed: string[] = [];
  const given = (value: number | null, fallback: number, label: string): number => {
    if (value !== null) return value;
    assumed.push(`${label} ${fallback}`);
    return fallback;
  };
  const limit = given(numberSetting(ctx, 'pods.cpuLimitMillicores'), PORT_DEFAULTS.cpuLimitMillicores, 'CPU limit (millicores)');
  const request = given(numberSetting(ctx, 'pods.cpuRequestMillicores'), PORT_DEFAULTS.cpuRequestMillicores, 'CPU request (millicores)');
  const target = given(numberSetting(ctx, 'pods.hpa.targetCpuPercent', 'pods.hpaTargetPercent'), PORT_DEFAULTS.hpaTargetPercent, 'HPA target (% of the request)');
  const min = given(numberSetting(ctx, 'pods.min'), PORT_DEFAULTS.podsMin, 'HPA minimum');
  const max = given(numberSetting(ctx, 'pods.max'), PORT_DEFAULTS.podsMax, 'HPA maximum');
  // The HPA's target as a share of the limit, the unit pod_cpu_utilization_over_pod_limit is in.
  const targetOfLimit = (target * request) / limit;

  const points = joined(ctx, cpu);
  const periodSec = ctx.history.periodSeconds;
  let lastPods = numberSetting(ctx, 'pods.initial') ?? min;
  let limitSeconds = 0;
  let requests = 0;
  const utilisation: Array<{ x: number; y: number; timeMs: number }> = [];
  const evidence: ScalingEvidence[] = [];
  let saturatedAtMs: number | null = null;
  let saturatedAtRate: number | null = null;
  const saturate = (series: ServerMetricSeries, p: { timeMs: number; value: number; offered: number | null }): void => {
    evidence.push(evidenceOf(series, p));
    if (saturatedAtMs === null || p.timeMs < saturatedAtMs) {
      saturatedAtMs = p.timeMs;
      saturatedAtRate = p.offered;
    }
  };
  let peak = 0;
  let firstOverTarget = false;
  for (const p of points) {
    const pods = valueAt(running, p.timeMs) ?? lastPods;
    lastPods = pods;
    if (p.requests !== null && p.requests > 0) {
      limitSeconds += (p.value / 100) * pods * periodSec;
      requests += p.requests * periodSec;
    }
    peak = Math.max(peak, p.value);
    utilisation.push({ x: p.offered!, y: p.value, timeMs: p.timeMs });
    // Over the HPA's target with no pod left to add: the HPA cannot help any more.
    if (!firstOverTarget && p.value >= targetOfLimit && pods >= max) {
      firstOverTarget = true;
      saturate(cpu, p);
      if (running !== undefined) evidence.push(evidenceOf(running, { timeMs: p.timeMs, value: pods }));
    }
  }
  // Pods running when requests first queued for long: fewer than the goal needs means the HPA was still scaling out.
  let podsWhenQueued: number | null = null;
  if (queue !== undefined) {
    let podsThen = numberSetting(ctx, 'pods.initial') ?? min;
    const backlog = joined(ctx, queue).map((p) => {
      podsThen = valueAt(running, p.timeMs) ?? podsThen;
      return { ...p, value: p.value >= Math.max(1, podsThen) ? p.value : 0, pods: podsThen };
    });
    const queued = sustained(backlog, roundUp(QUEUEING_SECONDS / periodSec));
    if (queued !== undefined) {
      podsWhenQueued = queued.pods;
      saturate(queue, queued);
      const cpuThen = cpu.points.find(([t]) => t === queued.timeMs);
      if (cpuThen !== undefined) evidence.push(evidenceOf(cpu, { timeMs: cpuThen[0], value: cpuThen[1] }));
    }
  }
  evidence.sort((a, b) => a.time.localeCompare(b.time));

  const limitCores = limit / 1000;
  const perRequest = requests > 0 ? limitSeconds / requests : null;
  let action: string | null = null;
  let recommendation: string;
  let arithmetic: string;
  if (perRequest === null) {
    recommendation = 'No sizing: no requests were served while pod CPU was recorded.';
    arithmetic = 'The pod CPU series has no point inside the run.';
  } else {
    const cpuSeconds = perRequest * limitCores;
    const busyCores = ctx.goalRequests * cpuSeconds;
    // The HPA adds a pod once the average passes its target share of the CPU *request*: the pods it runs for the goal.
    const hpaPodsAt = (requestMillicores: number): number => Math.max(min, roundUp(busyCores / ((requestMillicores / 1000) * (target / 100))));
    const hpaPods = hpaPodsAt(request);
    const limitPods = Math.max(1, roundUp(busyCores / limitCores));
    // The cheapest lever: a request nearer the limit lets the HPA count a pod by what it can burn, so it needs fewer.
    const leverPods = hpaPodsAt(limit);
    const requestLever = request < limit && hpaPods > max;
    const needed = requestLever ? leverPods : hpaPods;
    const pods = (n: number): string => `${n} pod${n === 1 ? '' : 's'}`;
    const rate = rateText(ctx, ctx.goalRate);
    const sizingPrices = ctx.prices.sizing;
    const hourly = (n: number): number | null =>
      sizingPrices === null ? null : n * (limitCores * sizingPrices.podVcpuHour + (PORT_DEFAULTS.memoryLimitMiB / 1024) * sizingPrices.podMemoryGbHour);
    const price = (n: number): string => {
      const amount = hourly(n);
      return amount === null ? '' : ` (about ${money(amount, ctx.prices.currency)} per hour, priced as Fargate)`;
    };
    // Requests queued while fewer pods ran than the goal needs: the pods must be there before the load, not 30 s after.
    const minimumLever = podsWhenQueued !== null && podsWhenQueued < Math.min(needed, max) && min < needed;
    const changes: string[] = [];
    if (requestLever) changes.push(`the pods' CPU request from ${request}m to ${limit}m (their limit)`);
    if (needed > max) changes.push(`the HPA maximum from ${max} to ${pods(needed)}`);
    if (minimumLever) changes.push(`the HPA minimum from ${min} to ${pods(needed)}`);
    if (changes.length > 0) action = `Raise ${changes.join(', and ')}`;
    const minimumWhy = minimumLever ? `; this run queued requests with ${pods(podsWhenQueued!)} running, before the HPA had scaled out` : '';
    if (requestLever) {
      recommendation =
        `${action}: the HPA then runs ${pods(leverPods)} for ${rate}${leverPods <= max ? `, within its maximum of ${max}` : ''}${price(leverPods)}${minimumWhy}. ` +
        `With today's ${request}m request the HPA keeps each pod at ${target} % of ${request}m and would want ${pods(hpaPods)}, past its maximum of ${max}${price(hpaPods)}, ` +
        `though ${pods(limitPods)} at their ${limit}m limits carry the load.`;
    } else if (action !== null) {
      recommendation =
        `${action} for ${rate}: the HPA keeps each pod at ${target} % of its ${request}m CPU request, so it runs ${pods(needed)}${price(needed)}${minimumWhy}.`;
    } else {
      recommendation = `HPA maximum ${max} suffices (${pods(hpaPods)}) for ${rate}: the HPA keeps each pod at ${target} % of its ${request}m CPU request${price(hpaPods)}.`;
    }
    arithmetic =
      `CPU per request = Σ(CPU % of the ${limit}m limit × running pods × ${periodSec} s) / Σ requests = ${num(limitSeconds)} limit-seconds / ${num(requests)} requests ` +
      `× ${limitCores} cores = ${num(cpuSeconds * 1000)} ms CPU. At the goal: ${num(ctx.goalRequests)} requests/s × ${num(cpuSeconds * 1000)} ms = ${num(busyCores)} cores busy; ` +
      `the HPA's share per pod is ${target} % × ${request}m = ${num((request * target) / 100)}m: ${num(busyCores)} / ${num((request * target) / 100000)} = ` +
      `${num(busyCores / ((request / 1000) * (target / 100)))}, rounded up: ${pods(hpaPods)} (at least the minimum ${min})` +
      (request < limit
        ? `; with the request at the ${limit}m limit: ${num(busyCores)} / ${num((limit * target) / 100000)} = ${num(busyCores / ((limit / 1000) * (target / 100)))}, ${pods(leverPods)}`
        : '') +
      `; at the ${limit}m limit: ${num(busyCores)} / ${limitCores} = ${num(busyCores / limitCores)}, ${pods(limitPods)}. The pods saturate when a request per pod queues for 3 s, or when CPU passes the ` +
      `HPA's target (${num(targetOfLimit)} % of the limit) with the maximum of ${pods(max)} running.` +
      (assumed.length > 0 ? ` Assumed (the source does not say; the AWS port's deployment): ${assumed.join(', ')}.` : '');
  }
  return {
    component: { name: PODS_COMPONENT, saturatedAtRate, evidence, action, recommendation, arithmetic },
    saturatedAtMs,
    utilisation: { component: PODS_COMPONENT, basis: `pod CPU as a share of its ${limit}m limit`, points: utilisation },
    peakUtilisation: points.length > 0 ? peak : null,
  };
}

/** A queue of requests waiting for a pod, where the source publishes one (the emulator's model; Container Insights has none). */
function queueSeries(ctx: ScalingContext): ServerMetricSeries | undefined {
  return pick(
    ctx.history.series.filter(
      (s) => s.namespace === MODEL_QUEUE.namespace && s.metricName === MODEL_QUEUE.metrics.queueLength && s.points.length > 0,
    ),
    ['Maximum', 'Average', 'Sum'],
  );
}

/** The first point of the first run of `length` consecutive periods with a queue. */
function sustained<T extends { value: number; timeMs: number }>(points: readonly T[], length: number): T | undefined {
  let start = 0;
  for (let i = 0; i < points.length; i++) {
    if (points[i]!.value <= 0) {
      start = i + 1;
      continue;
    }
    if (i - start + 1 >= length) return points[start];
  }
  return undefined;
}
