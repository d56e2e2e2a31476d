// Pods and their HPA: CPU over the pod limit against the HPA target, running pods, queueing; sized from the CPU
// seconds one request costs.
import { CONTAINER_INSIGHTS as CI } from '../../../catalogue/aws-metrics.js';
import { findSeries } from '../server-metrics/history.js';
import { PORT_DEFAULTS } from './constants.js';
import { evidenceOf, joined, money, num, numberSetting, pick, rateText, valueAt, type ScalingContext } from './context.js';
import type { ComponentResult, ScalingEvidence } from './types.js';

export const PODS_COMPONENT = 'pods/HPA';

export function analysePods(ctx: ScalingContext): ComponentResult | null {
  const cpu = pick(findSeries(ctx.history, { namespace: CI.namespace, metricName: CI.metrics.podCpuOverLimit }), ['Average', 'Maximum']);
  if (cpu === undefined) return null;
  const running = pick(findSeries(ctx.history, { namespace: CI.namespace, metricName: CI.metrics.runningPods }), ['Average', 'Maximum', 'Minimum']);
  const queue = queueSeries(ctx);

  const given = (value: number | null, fallback: number): { value: number; assumed: boolean } =>
    value === null ? { value: fallback, assumed: true } : { value, assumed: false };
  const limit = given(numberSetting(ctx, 'pods.cpuLimitMillicores', 'pods.cpuLimitMilli'), PORT_DEFAULTS.cpuLimitMillicores);
  const target = given(numberSetting(ctx, 'pods.hpaTargetPercent', 'pods.hpaCpuTargetPercent', 'pods.cpuTargetPercent', 'hpa.targetPercent'), PORT_DEFAULTS.hpaTargetPercent);
  const min = given(numberSetting(ctx, 'pods.min', 'hpa.min'), PORT_DEFAULTS.podsMin);
  const max = given(numberSetting(ctx, 'pods.max', 'hpa.max'), PORT_DEFAULTS.podsMax);
  const assumed = [limit.assumed && `CPU limit ${limit.value}m`, target.assumed && `HPA target ${target.value} %`, max.assumed && `HPA max ${max.value}`]
    .filter(Boolean)
    .join(', ');

  const points = joined(ctx, cpu);
  const periodSec = ctx.history.periodSeconds;
  let lastPods = min.value;
  let limitSeconds = 0;
  let requests = 0;
  const utilisation: Array<{ x: number; y: number }> = [];
  const evidence: ScalingEvidence[] = [];
  let saturatedAtMs: number | null = null;
  let saturatedAtRate: number | null = null;
  let peak = 0;
  for (const p of points) {
    const pods = valueAt(running, p.timeMs) ?? lastPods;
    lastPods = pods;
    if (p.requests !== null && p.requests > 0) {
      limitSeconds += (p.value / 100) * pods * periodSec;
      requests += p.requests * periodSec;
    }
    const share = (100 * p.value) / target.value;
    peak = Math.max(peak, share);
    utilisation.push({ x: p.offered!, y: share });
    if (saturatedAtMs === null && p.value >= target.value) {
      saturatedAtMs = p.timeMs;
      saturatedAtRate = p.offered;
      evidence.push(evidenceOf(cpu, p));
      if (running !== undefined) evidence.push(evidenceOf(running, { timeMs: p.timeMs, value: pods }));
    }
  }
  if (queue !== undefined) {
    const queued = joined(ctx, queue).find((p) => p.value > 0);
    if (queued !== undefined) {
      evidence.push(evidenceOf(queue, queued));
      if (saturatedAtMs === null || queued.timeMs < saturatedAtMs) {
        saturatedAtMs = queued.timeMs;
        saturatedAtRate = queued.offered;
      }
    }
  }

  const limitCores = limit.value / 1000;
  const perRequest = requests > 0 ? limitSeconds / requests : null;
  let recommendation: string;
  let arithmetic: string;
  if (perRequest === null) {
    recommendation = `No sizing: no requests were served while pod CPU was recorded.`;
    arithmetic = 'The pod CPU series has no point inside the run.';
  } else {
    const cpuSeconds = perRequest * limitCores;
    const podsNeeded = Math.max(min.value, Math.ceil((ctx.goalRequests * perRequest) / (target.value / 100)));
    const sizing = podsNeeded > max.value ? `raise the HPA maximum from ${max.value} to ${podsNeeded} pods` : `HPA maximum ${max.value} suffices (${podsNeeded} pods needed)`;
    const sizingPrices = ctx.prices.sizing;
    const hourly = sizingPrices === null ? null : podsNeeded * (limitCores * sizingPrices.podVcpuHour + (PORT_DEFAULTS.memoryLimitMiB / 1024) * sizingPrices.podMemoryGbHour);
    recommendation =
      `${sizing} at ${target.value} % CPU target, ${limit.value}m CPU limit, minimum ${min.value}, for ${rateText(ctx, ctx.goalRate)}` +
      (hourly === null ? '.' : ` (about ${money(hourly, ctx.prices.currency)} per hour as Fargate pods).`);
    arithmetic =
      `CPU per request = Σ(CPU % of limit × running pods × ${periodSec} s) / Σ requests = ${num(limitSeconds)} limit-seconds / ${num(requests)} requests ` +
      `= ${num(perRequest * 1000)} ms of a pod limit = ${num(cpuSeconds * 1000)} ms CPU (limit ${limit.value}m). ` +
      `At the goal: ${num(ctx.goalRequests)} requests/s × ${num(perRequest)} = ${num(ctx.goalRequests * perRequest)} pod limits busy; ` +
      `at ${target.value} % target each pod carries ${target.value / 100}: ${num(ctx.goalRequests * perRequest)} / ${target.value / 100} = ` +
      `${num((ctx.goalRequests * perRequest) / (target.value / 100))}, rounded up: ${podsNeeded} pods (at least the minimum ${min.value}).` +
      (assumed ? ` Assumed (the source does not say; the AWS port's deployment): ${assumed}.` : '');
  }
  return {
    component: { name: PODS_COMPONENT, saturatedAtRate, evidence, recommendation, arithmetic },
    saturatedAtMs,
    utilisation: { component: PODS_COMPONENT, basis: `pod CPU as a share of the HPA target (${target.value} % of the limit)`, points: utilisation },
    peakUtilisation: points.length > 0 ? peak : null,
  };
}

/** A queue length the source publishes for the pods (the emulator's model does; Container Insights has none). */
function queueSeries(ctx: ScalingContext) {
  const candidates = ctx.history.series.filter((s) => s.namespace === CI.namespace && /queue/i.test(s.metricName) && s.points.length > 0);
  return pick(candidates, ['Maximum', 'Average', 'Sum']);
}
