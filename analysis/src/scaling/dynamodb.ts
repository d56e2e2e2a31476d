// One component per DynamoDB table: consumed against provisioned RCU/WCU and throttles; sized from the units one
// request consumes, with headroom, or priced on-demand.
import { DYNAMODB, DYNAMODB_OPERATIONS } from '../../../catalogue/aws-metrics.js';
import { findSeries, type ServerMetricSeries } from '../server-metrics/history.js';
import { DYNAMODB_HEADROOM } from './constants.js';
import { evidenceOf, joined, money, num, numberSetting, pick, rateText, roundUp, textSetting, valueAt, type ScalingContext } from './context.js';
import type { ComponentResult, ScalingEvidence } from './types.js';

const ROLES = Object.keys(DYNAMODB_OPERATIONS) as Array<keyof typeof DYNAMODB_OPERATIONS>;

export function tableComponentName(table: string): string {
  return `DynamoDB ${table}`;
}

/** The tables the history has DynamoDB series for. */
export function tablesIn(ctx: ScalingContext): string[] {
  const names = new Set<string>();
  for (const s of ctx.history.series) {
    const table = s.namespace === DYNAMODB.namespace ? s.dimensions[DYNAMODB.dimensions.table] : undefined;
    if (table !== undefined) names.add(table);
  }
  return [...names].sort();
}

/** "records" for open-saves-records: the key the settings use for a table's role. */
function roleOf(table: string): string | null {
  return ROLES.find((role) => table === role || table.endsWith(`-${role}`) || table.endsWith(`_${role}`)) ?? null;
}

interface Side {
  kind: 'read' | 'write';
  unit: 'RCU' | 'WCU';
  consumed: ServerMetricSeries | undefined;
  provisioned: ServerMetricSeries | undefined;
  throttles: ServerMetricSeries | undefined;
  setting: number | null;
  /** on-demand: the table's maximum throughput setting, if any */
  maximum: number | null;
}

export function analyseTable(ctx: ScalingContext, table: string): ComponentResult | null {
  const dims = { [DYNAMODB.dimensions.table]: table };
  // Table-level series have only the TableName dimension (latency is per operation, left out here).
  const series = (metricName: string, stats: string[]) =>
    pick(
      findSeries(ctx.history, { namespace: DYNAMODB.namespace, metricName, dimensions: dims }).filter((s) => Object.keys(s.dimensions).length === 1),
      stats,
    );
  const role = roleOf(table);
  const keys = (suffix: string): string[] => [`dynamodb.${table}.${suffix}`, ...(role === null ? [] : [`dynamodb.${role}.${suffix}`])];
  const sides: Side[] = [
    {
      kind: 'write',
      unit: 'WCU',
      consumed: series(DYNAMODB.metrics.consumedWrite, ['Sum']),
      provisioned: series(DYNAMODB.metrics.provisionedWrite, ['Average', 'Maximum', 'Minimum']),
      throttles: series(DYNAMODB.metrics.writeThrottles, ['Sum']),
      setting: numberSetting(ctx, ...keys('wcu')),
      maximum: numberSetting(ctx, ...keys('maxWcu')),
    },
    {
      kind: 'read',
      unit: 'RCU',
      consumed: series(DYNAMODB.metrics.consumedRead, ['Sum']),
      provisioned: series(DYNAMODB.metrics.provisionedRead, ['Average', 'Maximum', 'Minimum']),
      throttles: series(DYNAMODB.metrics.readThrottles, ['Sum']),
      setting: numberSetting(ctx, ...keys('rcu')),
      maximum: numberSetting(ctx, ...keys('maxRcu')),
    },
  ];
  if (sides.every((side) => side.consumed === undefined)) return null;
  const modeSetting = textSetting(ctx, ...keys('mode'));
  const provisionedMode = modeSetting !== null ? !/on.?demand|pay.?per.?request/i.test(modeSetting) : sides.some((s) => s.provisioned !== undefined || s.setting !== null);

  const name = tableComponentName(table);
  const periodSec = ctx.history.periodSeconds;
  const evidence: ScalingEvidence[] = [];
  let saturatedAtMs: number | null = null;
  let saturatedAtRate: number | null = null;
  const utilisationByTime = new Map<number, { x: number; y: number; timeMs: number }>();
  const sized: Array<{ side: Side; perRequest: number; atGoal: number; provision: number; current: number | null; lowerBound: boolean; consumed: number; requests: number }> = [];

  for (const side of sides) {
    if (side.consumed === undefined) continue;
    const points = joined(ctx, side.consumed);
    let consumed = 0;
    let requests = 0;
    let allConsumed = 0;
    let allRequests = 0;
    for (const p of points) {
      const throttled = (valueAt(side.throttles, p.timeMs) ?? 0) > 0;
      if (p.requests !== null && p.requests > 0) {
        allConsumed += p.value;
        allRequests += p.requests * periodSec;
        // Throttled requests consume nothing: the units per request come from periods without throttling.
        if (!throttled) {
          consumed += p.value;
          requests += p.requests * periodSec;
        }
      }
      const capacity = provisionedMode ? (valueAt(side.provisioned, p.timeMs) ?? side.setting) : side.maximum;
      if (capacity !== null && capacity > 0) {
        const share = (100 * p.value) / periodSec / capacity;
        const previous = utilisationByTime.get(p.timeMs);
        if (previous === undefined || share > previous.y) utilisationByTime.set(p.timeMs, { x: p.offered!, y: share, timeMs: p.timeMs });
      }
    }
    // Consuming more than provisioned draws on burst capacity (up to 300 s of unused units): the table is past what it
    // sustains, and throttles as soon as the burst is spent.
    const overCapacity = provisionedMode
      ? points.find((p) => {
          const capacity = valueAt(side.provisioned, p.timeMs) ?? side.setting;
          return capacity !== null && capacity > 0 && p.value / periodSec > capacity;
        })
      : undefined;
    if (overCapacity !== undefined) {
      evidence.push(evidenceOf(side.consumed, overCapacity));
      if (saturatedAtMs === null || overCapacity.timeMs < saturatedAtMs) {
        saturatedAtMs = overCapacity.timeMs;
        saturatedAtRate = overCapacity.offered;
      }
    }
    if (side.throttles !== undefined) {
      const first = joined(ctx, side.throttles).find((p) => p.value > 0);
      if (first !== undefined) {
        evidence.push(evidenceOf(side.throttles, first));
        const used = side.consumed.points.find(([t]) => t === first.timeMs);
        if (used !== undefined) evidence.push(evidenceOf(side.consumed, { timeMs: used[0], value: used[1] }));
        if (saturatedAtMs === null || first.timeMs < saturatedAtMs) {
          saturatedAtMs = first.timeMs;
          saturatedAtRate = first.offered;
        }
      }
    }
    const lowerBound = requests === 0;
    const units = lowerBound ? allConsumed : consumed;
    const served = lowerBound ? allRequests : requests;
    if (served === 0 || units === 0) continue;
    const perRequest = units / served;
    const atGoal = ctx.goalRequests * perRequest;
    const current = provisionedMode ? (side.setting ?? lastValue(side.provisioned)) : side.maximum;
    sized.push({ side, perRequest, atGoal, provision: roundUp(atGoal * (1 + DYNAMODB_HEADROOM)), current, lowerBound, consumed: units, requests: served });
  }

  const headroom = `${Math.round(DYNAMODB_HEADROOM * 100)} %`;
  const sizing = ctx.prices.sizing;
  const p = ctx.prices.prices;
  const currency = ctx.prices.currency;
  const onDemandHourly = sized.reduce(
    (sum, s) => sum + s.atGoal * 3600 * (s.side.kind === 'write' ? p.dynamodbWriteRequestUnit : p.dynamodbReadRequestUnit),
    0,
  );
  const provisionedHourly =
    sizing === null ? null : sized.reduce((sum, s) => sum + s.provision * (s.side.kind === 'write' ? sizing.dynamodbProvisionedWcuHour : sizing.dynamodbProvisionedRcuHour), 0);

  let recommendation: string;
  // The lever: a setting to raise (provisioned units, or an on-demand table's maximum); none when today's carries the goal.
  let action: string | null = null;
  if (sized.length === 0) {
    recommendation = `No sizing: ${table} consumed no capacity while requests were served.`;
  } else if (provisionedMode) {
    const settings = sized.map((s) => `${num(s.provision)} ${s.side.unit}${s.current === null ? '' : ` (now ${num(s.current)})`}`).join(' and ');
    if (saturatedAtMs !== null || sized.some((s) => s.current === null || s.provision > s.current)) action = `Provision ${table} with ${settings}`;
    recommendation =
      `Provision ${table} with ${settings} for ${rateText(ctx, ctx.goalRate)} (${headroom} headroom over ` +
      `${sized.map((s) => `${num(s.atGoal)} ${s.side.unit}`).join(' and ')} consumed)` +
      (provisionedHourly === null ? '' : `, ${money(provisionedHourly, currency)} per hour`) +
      `; or on-demand at ${money(onDemandHourly, currency)} per hour at that rate.`;
  } else {
    const maxima = sized.filter((s) => s.current !== null && s.atGoal > s.current);
    if (maxima.length > 0) action = `Raise ${table}'s maximum throughput to ${maxima.map((s) => `${num(roundUp(s.atGoal * (1 + DYNAMODB_HEADROOM)))} ${s.side.unit} (now ${num(s.current!)})`).join(' and ')}`;
    recommendation =
      (action !== null ? `${action}; on-demand, ` : `Keep ${table} on-demand: `) +
      `${sized.map((s) => `${num(s.atGoal)} ${s.side.unit}/s`).join(' and ')} at ${rateText(ctx, ctx.goalRate)} cost ` +
      `${money(onDemandHourly, currency)} per hour` +
      (provisionedHourly === null ? '.' : `; provisioned with ${headroom} headroom (${sized.map((s) => `${num(s.provision)} ${s.side.unit}`).join(', ')}) would cost ${money(provisionedHourly, currency)} per hour.`);
  }
  const arithmetic =
    sized
      .map(
        (s) =>
          `${s.side.unit} per request = ${num(s.consumed)} consumed / ${num(s.requests)} requests${s.lowerBound ? ' (every period throttled: a lower bound)' : ' (periods without throttling)'} ` +
          `= ${num(s.perRequest)}; at the goal ${num(ctx.goalRequests)} requests/s × ${num(s.perRequest)} = ${num(s.atGoal)} ${s.side.unit}; ` +
          `+ ${headroom} headroom = ${num(s.atGoal * (1 + DYNAMODB_HEADROOM))}, rounded up: ${num(s.provision)} ${s.side.unit}.`,
      )
      .join(' ') +
    (sized.length > 0
      ? ` On-demand: ${sized.map((s) => `${num(s.atGoal)} × 3,600 × ${s.side.kind === 'write' ? p.dynamodbWriteRequestUnit : p.dynamodbReadRequestUnit}`).join(' + ')} = ${money(onDemandHourly, currency)} per hour` +
        (provisionedHourly === null || sizing === null
          ? '.'
          : `; provisioned: ${sized.map((s) => `${num(s.provision)} × ${s.side.kind === 'write' ? sizing.dynamodbProvisionedWcuHour : sizing.dynamodbProvisionedRcuHour}`).join(' + ')} = ${money(provisionedHourly, currency)} per hour (prices from ${ctx.prices.source}).`)
      : '');

  const utilisation = [...utilisationByTime.values()];
  return {
    component: { name, saturatedAtRate, evidence, action, recommendation, arithmetic },
    saturatedAtMs,
    utilisation:
      utilisation.length === 0
        ? null
        : { component: name, basis: `consumed as a share of ${provisionedMode ? 'provisioned capacity' : 'the maximum throughput'} (the higher of reads and writes)`, points: utilisation },
    peakUtilisation: utilisation.length === 0 ? null : Math.max(...utilisation.map((u) => u.y)),
  };
}

function lastValue(series: ServerMetricSeries | undefined): number | null {
  const last = series?.points[series.points.length - 1];
  return last === undefined ? null : last[1];
}
