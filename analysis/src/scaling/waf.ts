// The WAF's per-address rate rule: blocked requests (server side, and the k6 runs' own opensaves_waf_blocked count),
// requests per address per window against the limit; sized as a limit, or as an allow-list for the runners.
import { WAFV2 } from '../../../catalogue/aws-metrics.js';
import { findSeries } from '../server-metrics/history.js';
import { evidenceOf, joined, num, numberSetting, pick, roundUp, textSetting, type ScalingContext } from './context.js';
import type { ComponentResult, ScalingEvidence } from './types.js';

export const WAF_COMPONENT = 'WAF rate rule';
/** The AWS port's CloudFront rule (shared/spec/open-saves-aws-http.md section 1): 2,000 per address per 5 minutes. */
const PORT_WAF = { limit: 2000, windowSeconds: 300 };

export interface ClientWafBlocks {
  /** the k6 metric, e.g. opensaves_waf_blocked */
  metric: string;
  count: number;
  /** epoch ms of the last block k6 recorded */
  lastTimeMs: number | null;
}

export function analyseWaf(ctx: ScalingContext | null, client: ClientWafBlocks | null, httpShare: number): ComponentResult | null {
  const blockedSeries = ctx === null ? undefined : pick(findSeries(ctx.history, { namespace: WAFV2.namespace, metricName: WAFV2.metrics.blocked }), ['Sum']);
  const limitSetting = ctx === null ? null : numberSetting(ctx, 'waf.limit');
  const windowSetting = ctx === null ? null : numberSetting(ctx, 'waf.windowSeconds', 'waf.windowS', 'waf.window');
  const clientBlocked = client !== null && client.count > 0;
  if (blockedSeries === undefined && limitSetting === null && !clientBlocked) return null;
  const limit = limitSetting ?? PORT_WAF.limit;
  const windowSeconds = windowSetting ?? PORT_WAF.windowSeconds;
  const assumed = limitSetting === null ? ` (the AWS port's rule; the source does not say)` : '';
  const rule =
    (ctx === null ? null : textSetting(ctx, 'waf.rule')) ??
    (blockedSeries === undefined ? null : blockedSeries.dimensions[WAFV2.dimensions.rule] ?? null) ??
    'the per-address rate-based rule';

  const evidence: ScalingEvidence[] = [];
  let saturatedAtMs: number | null = null;
  let saturatedAtRate: number | null = null;
  const utilisation: Array<{ x: number; y: number; timeMs: number }> = [];
  if (ctx !== null && blockedSeries !== undefined) {
    const first = joined(ctx, blockedSeries).find((p) => p.value > 0);
    if (first !== undefined) {
      evidence.push(evidenceOf(blockedSeries, first));
      saturatedAtMs = first.timeMs;
      saturatedAtRate = first.offered;
    }
  }
  if (ctx !== null && httpShare > 0) {
    // Every runner of a local run shares one address, as a runner pool behind one NAT address does.
    // Only HTTP requests pass the WAF (CloudFront is in front of the port's HTTP API).
    const width = ctx.history.periodSeconds * 1000;
    for (let t = ctx.load.startMs - (ctx.load.startMs % width); t <= ctx.load.endMs; t += width) {
      const offered = ctx.load.offeredAt(t, width);
      const inWindow = ctx.load.requestsAt(t + width - windowSeconds * 1000, windowSeconds * 1000);
      if (offered === null || inWindow === null || offered <= 0) continue;
      const covered = Math.min(windowSeconds, (t + width - ctx.load.startMs) / 1000);
      utilisation.push({ x: offered, y: (100 * httpShare * inWindow * covered) / limit, timeMs: t });
    }
  }
  if (clientBlocked) {
    evidence.push({ metric: `k6 ${client.metric}`, value: client.count, time: client.lastTimeMs === null ? '' : new Date(client.lastTimeMs).toISOString() });
  }

  const perAddressAllowed = limit / windowSeconds;
  const goalRequests = ctx === null ? null : ctx.goalRequests * (httpShare > 0 ? httpShare : 1);
  const neededLimit = goalRequests === null ? null : roundUp(goalRequests * windowSeconds);
  const blocked = saturatedAtMs !== null || clientBlocked;
  const leverText = "Allow-list the runners' egress addresses in the WAF (infra/: OS_INFRA_LOAD_EGRESS_CIDRS, the WAF allow-list stack) or target the ALB behind CloudFront";
  // The lever is the allow-list; a gRPC-only run never passes CloudFront, so its goal asks nothing of the WAF.
  let action: string | null = null;
  let recommendation: string;
  if (blocked) {
    action = leverText;
    recommendation =
      `${leverText}: the WAF blocked the load (${rule}: ${num(limit)} requests per ${windowSeconds} s per address${assumed})` +
      (neededLimit === null ? '.' : `; keeping the rule instead needs a limit of at least ${num(neededLimit)} per ${windowSeconds} s for one address.`);
  } else if (goalRequests !== null && goalRequests > perAddressAllowed) {
    if (httpShare > 0) action = leverText;
    recommendation =
      httpShare > 0
        ? `${leverText}: nothing was blocked, but the goal's ${num(goalRequests)} requests/s exceed what ${rule} allows one address (${num(perAddressAllowed)}/s).`
        : `Nothing to change for this run: its requests were gRPC, which the port does not serve through CloudFront. The same rate over HTTP ` +
          `(${num(goalRequests)} requests/s) would exceed what ${rule} allows one address (${num(perAddressAllowed)}/s): allow-list the runners' egress addresses ` +
          '(OS_INFRA_LOAD_EGRESS_CIDRS) or target the ALB behind CloudFront.';
  } else {
    recommendation = `${rule} (${num(limit)} per ${windowSeconds} s per address${assumed}) allows the goal.`;
  }
  const arithmetic =
    `The rule allows ${num(limit)} / ${windowSeconds} s = ${num(perAddressAllowed)} requests/s from one address.` +
    (goalRequests === null ? '' : ` The goal sends ${num(goalRequests)} HTTP requests/s; from one egress address that is ${num(goalRequests)} × ${windowSeconds} s = ${num(neededLimit!)} requests per window; spread over N addresses, ${num(neededLimit!)} / N each.`) +
    (clientBlocked ? ` k6 counted ${num(client.count)} blocked requests (${client.metric}).` : '');
  return {
    component: { name: WAF_COMPONENT, saturatedAtRate, evidence, action, recommendation, arithmetic },
    saturatedAtMs: saturatedAtMs ?? (clientBlocked ? client.lastTimeMs : null),
    utilisation: utilisation.length === 0 ? null : { component: WAF_COMPONENT, basis: 'requests per address in the trailing window as a share of the limit', points: utilisation },
    peakUtilisation: utilisation.length === 0 ? null : Math.max(...utilisation.map((p) => p.y)),
  };
}
