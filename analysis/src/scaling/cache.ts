// One component per ElastiCache cluster: memory, engine CPU, evictions, hit rate; a node type sized from the memory
// the run's writes filled and the engine CPU one request costs.
import { ELASTICACHE as EC } from '../../../catalogue/aws-metrics.js';
import { findSeries, type ServerMetricSeries } from '../server-metrics/history.js';
import { CACHE_ENGINE_CPU_LIMIT_PERCENT, CACHE_MEMORY_TARGET_PERCENT } from './constants.js';
import { evidenceOf, joined, money, num, numberSetting, pick, rateText, roundUp, type ScalingContext } from './context.js';
import type { ComponentResult, ScalingEvidence } from './types.js';

const GIB = 1024 ** 3;

export function cacheComponentName(cluster: string): string {
  return `ElastiCache ${cluster}`;
}

export function clustersIn(ctx: ScalingContext): string[] {
  const ids = new Set<string>();
  for (const s of ctx.history.series) {
    const id = s.namespace === EC.namespace ? s.dimensions[EC.dimensions.cluster] : undefined;
    if (id !== undefined) ids.add(id);
  }
  return [...ids].sort();
}

export function analyseCache(ctx: ScalingContext, cluster: string): ComponentResult | null {
  const dims = { [EC.dimensions.cluster]: cluster };
  const series = (metricName: string, stats: string[]): ServerMetricSeries | undefined =>
    pick(findSeries(ctx.history, { namespace: EC.namespace, metricName, dimensions: dims }), stats);
  const memory = series(EC.metrics.memoryUsage, ['Average', 'Maximum']);
  const engine = series(EC.metrics.engineCpu, ['Average', 'Maximum']) ?? series(EC.metrics.hostCpu, ['Average', 'Maximum']);
  const evictions = series(EC.metrics.evictions, ['Sum']);
  const hits = series(EC.metrics.hits, ['Sum']);
  const misses = series(EC.metrics.misses, ['Sum']);
  if (memory === undefined && engine === undefined && evictions === undefined) return null;
  const memoryBytes =
    numberSetting(ctx, `cache.${cluster}.memoryBytes`, 'cache.memoryBytes', 'cache.maxMemoryBytes') ??
    mib(numberSetting(ctx, `cache.${cluster}.memoryMiB`, 'cache.memoryMiB', 'cache.memoryMb', 'cache.maxMemoryMb'));

  const name = cacheComponentName(cluster);
  const evidence: ScalingEvidence[] = [];
  let saturatedAtMs: number | null = null;
  let saturatedAtRate: number | null = null;
  const mark = (s: ServerMetricSeries, p: { timeMs: number; value: number; offered: number | null }): void => {
    evidence.push(evidenceOf(s, p));
    if (saturatedAtMs === null || p.timeMs < saturatedAtMs) {
      saturatedAtMs = p.timeMs;
      saturatedAtRate = p.offered;
    }
  };
  const evicted = evictions === undefined ? [] : joined(ctx, evictions);
  const firstEviction = evicted.find((p) => p.value > 0);
  if (firstEviction !== undefined && evictions !== undefined) mark(evictions, firstEviction);
  const engineHot = engine === undefined ? undefined : joined(ctx, engine).find((p) => p.value >= CACHE_ENGINE_CPU_LIMIT_PERCENT);
  if (engineHot !== undefined && engine !== undefined) mark(engine, engineHot);
  const totalEvictions = evicted.reduce((sum, p) => sum + p.value, 0);

  const utilisation = new Map<number, { x: number; y: number; timeMs: number }>();
  const note = (timeMs: number, x: number, y: number): void => {
    const previous = utilisation.get(timeMs);
    if (previous === undefined || y > previous.y) utilisation.set(timeMs, { x, y, timeMs });
  };
  const memoryPoints = memory === undefined ? [] : joined(ctx, memory);
  for (const p of memoryPoints) note(p.timeMs, p.offered!, (100 * p.value) / CACHE_MEMORY_TARGET_PERCENT);
  const enginePoints = engine === undefined ? [] : joined(ctx, engine);
  let cpuSum = 0;
  let requestSum = 0;
  for (const p of enginePoints) {
    note(p.timeMs, p.offered!, (100 * p.value) / CACHE_ENGINE_CPU_LIMIT_PERCENT);
    if (p.requests !== null && p.requests > 0) {
      cpuSum += p.value;
      requestSum += p.requests;
    }
  }

  // Memory holds what the run wrote, so it grows with the number of writes. With a key TTL longer than the run, the
  // steady state at the goal holds a TTL's worth of the run's growth per iteration; without one, a run of the same
  // length at the goal rate writes goal / mean-offered times as much.
  const peakPercent = memoryPoints.reduce((max, p) => Math.max(max, p.value), 0);
  const meanOffered = memoryPoints.length === 0 ? 0 : memoryPoints.reduce((sum, p) => sum + p.offered!, 0) / memoryPoints.length;
  const ttlSeconds = numberSetting(ctx, `cache.${cluster}.ttlSeconds`, 'cache.ttlSeconds');
  const first = memoryPoints[0];
  const last = memoryPoints[memoryPoints.length - 1];
  const iterations = memoryPoints.reduce((sum, p) => sum + p.offered! * ctx.history.periodSeconds, 0);
  const spanSeconds = first === undefined || last === undefined ? 0 : (last.timeMs - first.timeMs) / 1000 + ctx.history.periodSeconds;
  const growthPerIteration = first !== undefined && last !== undefined && iterations > 0 ? Math.max(0, last.value - first.value) / iterations : null;
  const useTtl = ttlSeconds !== null && ttlSeconds > spanSeconds && growthPerIteration !== null;
  const growth = meanOffered > 0 ? ctx.goalRate / meanOffered : 1;
  const cpuPerRequest = requestSum > 0 ? cpuSum / requestSum : null;
  const cpuAtGoal = cpuPerRequest === null ? null : cpuPerRequest * ctx.goalRequests;
  const shards = cpuAtGoal === null ? 1 : Math.max(1, roundUp(cpuAtGoal / CACHE_ENGINE_CPU_LIMIT_PERCENT));

  const parts: string[] = [];
  const steps: string[] = [];
  // Whether today's node falls short at the goal: it evicted or ran hot, or the goal needs more memory or shards.
  let shortAtGoal = saturatedAtMs !== null || shards > 1;
  const hitsTotal = sum(hits);
  const missesTotal = sum(misses);
  if (hitsTotal + missesTotal > 0) steps.push(`Hit rate over the run ${num((100 * hitsTotal) / (hitsTotal + missesTotal))} %.`);
  if (memoryPoints.length > 0) {
    const of = memoryBytes === null ? 'the node' : `${num(memoryBytes / 2 ** 20)} MiB`;
    const neededPercent = useTtl ? first!.value + growthPerIteration! * ctx.goalRate * ttlSeconds! : peakPercent * growth;
    if (neededPercent > CACHE_MEMORY_TARGET_PERCENT) shortAtGoal = true;
    steps.push(
      (useTtl
        ? `Memory: grew ${num(last!.value - first!.value)} points of ${of} over ${num(iterations)} iterations = ${num(growthPerIteration!)} per iteration; ` +
          `keys live ${num(ttlSeconds!)} s (cache TTL), so at the goal ${num(first!.value)} + ${num(growthPerIteration!)} × ${num(ctx.goalRate)} × ${num(ttlSeconds!)} = ${num(neededPercent)} %`
        : `Memory: peak ${num(peakPercent)} % of ${of} at a mean ${rateText(ctx, meanOffered)}; × ${num(ctx.goalRate)} / ${num(meanOffered)} = ${num(neededPercent)} %`) +
        (totalEvictions > 0 ? ` (at least: ${num(totalEvictions)} keys were evicted, so the peak understates what the writes needed)` : '') +
        `; kept under ${CACHE_MEMORY_TARGET_PERCENT} % (the memory alarm).`,
    );
    if (memoryBytes !== null) {
      const neededBytes = (memoryBytes * neededPercent) / 100;
      const nodeBytes = neededBytes / (CACHE_MEMORY_TARGET_PERCENT / 100);
      steps.push(`${num(neededBytes / 2 ** 20)} MiB / ${CACHE_MEMORY_TARGET_PERCENT / 100} = ${num(nodeBytes / 2 ** 20)} MiB per node.`);
      const node = ctx.prices.sizing?.cacheNodes.find((n) => n.memoryGiB * GIB >= nodeBytes / shards) ?? null;
      if (node !== null) {
        parts.push(`${shards > 1 ? `${shards} shards of ` : ''}${node.type} (${node.memoryGiB} GiB, ${money(node.hourly * shards, ctx.prices.currency)} per hour)`);
      } else {
        parts.push(`${num(nodeBytes / GIB)} GiB of memory${ctx.prices.sizing === null ? '' : ' (more than the largest node type in the price table: shard)'}`);
      }
    } else {
      parts.push(`memory for ${num(neededPercent / (CACHE_MEMORY_TARGET_PERCENT / 100))} % of today's node`);
    }
  }
  if (cpuAtGoal !== null) {
    steps.push(
      `Engine CPU per request/s = Σ engine CPU % / Σ requests/s over the periods = ${num(cpuSum)} / ${num(requestSum)} = ${num(cpuPerRequest!)} %; ` +
        `× ${num(ctx.goalRequests)} requests/s = ${num(cpuAtGoal)} % of one engine thread; ` +
        `under ${CACHE_ENGINE_CPU_LIMIT_PERCENT} % per node: ${shards} shard${shards > 1 ? 's' : ''}.`,
    );
    if (parts.length === 0) parts.push(`${shards} shard${shards > 1 ? 's' : ''}`);
  }
  const action = parts.length > 0 && shortAtGoal ? `Use ${parts.join(', ')}` : null;
  const recommendation =
    parts.length === 0
      ? `No sizing: no memory or CPU series for ${cluster} inside the run.`
      : action !== null
        ? `${action} for ${rateText(ctx, ctx.goalRate)}${totalEvictions > 0 ? `; the current node evicted ${num(totalEvictions)} keys` : ''}.`
        : `Today's node carries ${rateText(ctx, ctx.goalRate)}; the smallest that would: ${parts.join(', ')}.`;
  const line = [...utilisation.values()];
  return {
    component: { name, saturatedAtRate, evidence, action, recommendation, arithmetic: steps.join(' ') },
    saturatedAtMs,
    utilisation:
      line.length === 0
        ? null
        : { component: name, basis: `memory as a share of ${CACHE_MEMORY_TARGET_PERCENT} %, engine CPU of ${CACHE_ENGINE_CPU_LIMIT_PERCENT} % (the higher)`, points: line },
    peakUtilisation: line.length === 0 ? null : Math.max(...line.map((p) => p.y)),
  };
}

function mib(value: number | null): number | null {
  return value === null ? null : value * 2 ** 20;
}

function sum(series: ServerMetricSeries | undefined): number {
  return series === undefined ? 0 : series.points.reduce((total, [, value]) => total + value, 0);
}

