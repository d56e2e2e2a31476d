// What every component's analysis reads: the server history, the client load, the goal and the prices, plus the
// small helpers that join a server series with the client's rates.
import type { PriceTable } from '../verdicts/cost.js';
import { seriesLabel, type ServerMetricSeries, type ServerMetricsHistory } from '../server-metrics/history.js';
import type { ClientLoad } from './client-load.js';
import type { ScalingEvidence } from './types.js';

export interface ScalingContext {
  history: ServerMetricsHistory;
  load: ClientLoad;
  /** iterations/s (or requests/s for runs without iterations) */
  goalRate: number;
  /** goalRate × requests per iteration */
  goalRequests: number;
  prices: PriceTable;
}

export function periodMs(ctx: ScalingContext): number {
  return ctx.history.periodSeconds * 1000;
}

/** A setting by its first key present; numbers given as strings ("500") are read as numbers. */
export function numberSetting(ctx: ScalingContext, ...keys: string[]): number | null {
  for (const key of keys) {
    const value = ctx.history.settings[key];
    if (typeof value === 'number') return value;
    if (typeof value === 'string' && value.trim() !== '' && Number.isFinite(Number(value))) return Number(value);
  }
  return null;
}

export function textSetting(ctx: ScalingContext, ...keys: string[]): string | null {
  for (const key of keys) {
    const value = ctx.history.settings[key];
    if (typeof value === 'string') return value;
  }
  return null;
}

export interface JoinedPoint {
  timeMs: number;
  value: number;
  /** offered rate over the point's period, null when the run did not cover it */
  offered: number | null;
  /** achieved requests/s over the point's period */
  requests: number | null;
}

// A period whose requests are more than this share housekeeping (setup, teardown, cleanup) is left out of the join.
const HOUSEKEEPING_SHARE = 0.01;

/**
 * The series' points with the client's rates over each point's period. Points outside the run and those without
 * offered load are dropped, and so are those where setup(), teardown() or dist/cleanup.js made more than 1 % of the
 * requests: the server served those calls, the workload's request rate does not count them, and they are not the mix
 * the goal rate sizes for. When every period holds housekeeping (a run shorter than CloudWatch's periods), all
 * periods with offered load are kept and their housekeeping requests count as served requests (housekeepingInEveryPeriod
 * says so to the reader).
 */
export function joined(ctx: ScalingContext, series: ServerMetricSeries): JoinedPoint[] {
  const width = periodMs(ctx);
  const points = series.points
    .map(([timeMs, value]) => ({
      timeMs,
      value,
      offered: ctx.load.offeredAt(timeMs, width),
      requests: ctx.load.requestsAt(timeMs, width),
      housekeeping: ctx.load.housekeepingAt(timeMs, width) ?? 0,
    }))
    .filter((p) => p.offered !== null && p.offered > 0);
  const clean = points.filter((p) => isClean(p.requests, p.housekeeping));
  if (clean.length > 0) return clean.map(({ timeMs, value, offered, requests }) => ({ timeMs, value, offered, requests }));
  return points.map(({ timeMs, value, offered, requests, housekeeping }) => ({ timeMs, value, offered, requests: (requests ?? 0) + housekeeping }));
}

function isClean(requests: number | null, housekeeping: number): boolean {
  return housekeeping <= HOUSEKEEPING_SHARE * ((requests ?? 0) + housekeeping);
}

/** Whether every period of the history that offered load also holds housekeeping, so the join keeps them all. */
export function housekeepingInEveryPeriod(ctx: ScalingContext): boolean {
  const width = periodMs(ctx);
  let offered = 0;
  for (let t = ctx.history.from - (ctx.history.from % width); t < ctx.history.to; t += width) {
    const rate = ctx.load.offeredAt(t, width);
    if (rate === null || rate <= 0) continue;
    offered++;
    if (isClean(ctx.load.requestsAt(t, width), ctx.load.housekeepingAt(t, width) ?? 0)) return false;
  }
  return offered > 0;
}

export function evidenceOf(series: ServerMetricSeries, point: { timeMs: number; value: number }): ScalingEvidence {
  return { metric: seriesLabel(series), value: round(point.value, 4), time: new Date(point.timeMs).toISOString() };
}

/** Values at a time, for lining up two series of one source (same period, same timestamps). */
export function valueAt(series: ServerMetricSeries | undefined, timeMs: number): number | null {
  if (series === undefined) return null;
  const point = series.points.find(([t]) => t === timeMs);
  return point === undefined ? null : point[1];
}

/** Prefers the first statistic in `stats` that the list has; series without extra dimensions first. */
export function pick(list: readonly ServerMetricSeries[], stats: readonly string[]): ServerMetricSeries | undefined {
  for (const stat of stats) {
    const matching = list.filter((s) => s.statistic === stat && s.points.length > 0);
    if (matching.length > 0) return [...matching].sort((a, b) => Object.keys(a.dimensions).length - Object.keys(b.dimensions).length)[0];
  }
  return undefined;
}

/** Rounds up, forgiving floating-point dust: 2.0000000001 pods is 2 pods. */
export function roundUp(value: number): number {
  return Math.ceil(value - 1e-9);
}

export function round(value: number, digits = 2): number {
  const factor = 10 ** digits;
  return Math.round(value * factor) / factor;
}

/** 1234.5 -> "1,235"; small values keep up to three significant digits. */
export function num(value: number): string {
  if (!Number.isFinite(value)) return String(value);
  if (value === 0) return '0';
  const abs = Math.abs(value);
  if (Number.isInteger(value) || abs >= 100) return Math.round(value).toLocaleString('en-US');
  if (abs >= 10) return value.toFixed(1);
  if (abs >= 1) return value.toFixed(2);
  if (abs === 0) return '0';
  return value.toPrecision(3);
}

export function money(amount: number, currency: string): string {
  return `${amount >= 100 ? amount.toFixed(0) : amount >= 1 ? amount.toFixed(2) : amount.toPrecision(3)} ${currency}`;
}

/** offered load in words: "120 iterations/s" */
export function rateText(ctx: ScalingContext, rate: number): string {
  return `${num(rate)} ${ctx.load.unit}/s`;
}
