// What the transports ask before running an API handler, and tell afterwards. The
// gate holds the optional WAF rule (HTTP only) and the optional component model, and
// records both into the CloudWatch-shaped history every second; the API handlers know
// nothing of either. With neither configured there is no gate at all, and the
// transports behave exactly as without this module.
import type { ServerResponse } from 'node:http';
import { WAFV2 } from '../../catalogue/aws-metrics.js';
import type { ServerMetricsHistory } from '../../catalogue/server-metrics.js';
import { REAL_CLOCK, type ModelClock, type TimerHandle } from './clock.js';
import { ComponentModel, type Admission, type CallOutcome, type Ticket } from './component-model.js';
import { DEFAULT_WAF_NAMES, type ModelConfig } from './config.js';
import { MetricHistory } from './history.js';
import type { CallDescription } from './port-operations.js';
import { cloudFrontWafBlock, WafRateRule, type HttpAnswer, type WafSettings } from './waf.js';

export type { Admission, CallOutcome, Ticket } from './component-model.js';
export type { CallDescription } from './port-operations.js';

export interface GateOptions {
  /** the WAF rule; overrides the model file's `waf` */
  waf?: WafSettings;
  model?: ModelConfig;
  /** the model's clock; the real one unless a test drives time */
  clock?: ModelClock;
}

export const HISTORY_SOURCE = 'emulator-model';
const DEFAULT_HISTORY_SECONDS = 6 * 3600;

export class CapacityGate {
  readonly clock: ModelClock;
  readonly waf: WafRateRule | undefined;
  readonly model: ComponentModel | undefined;
  readonly history: MetricHistory;
  private readonly wafNames: { webAcl: string; rule: string };
  private lastClosedSecond: number;
  private timer: TimerHandle | undefined;
  private closed = false;

  /** False when the options configure nothing, so no gate is built. */
  static isActive(options: GateOptions): boolean {
    return options.waf !== undefined || options.model !== undefined;
  }

  constructor(options: GateOptions) {
    this.clock = options.clock ?? REAL_CLOCK;
    const wafSettings = options.waf ?? options.model?.waf;
    this.waf = wafSettings ? new WafRateRule({ limit: wafSettings.limit, windowSeconds: wafSettings.windowSeconds }, this.clock) : undefined;
    this.wafNames = options.model?.waf ?? DEFAULT_WAF_NAMES;
    this.model = options.model ? new ComponentModel(options.model, this.clock) : undefined;
    this.history = new MetricHistory(options.model?.historySeconds ?? DEFAULT_HISTORY_SECONDS);
    this.lastClosedSecond = Math.floor(this.clock.now() / 1000) - 1;
    this.armRecorder();
  }

  /** CloudFront's answer when the WAF blocks this HTTP request; undefined when it may pass. */
  firewall(address: string | undefined): HttpAnswer | undefined {
    if (!this.waf) return undefined;
    return this.waf.blocks(address ?? 'unknown') ? cloudFrontWafBlock() : undefined;
  }

  /** Calls `proceed` at once when there is no model; otherwise when the model lets the call run, or with its rejection. */
  admit(call: CallDescription, proceed: (admission: Admission) => void): void {
    if (!this.model) return proceed(NO_MODEL_ADMISSION);
    this.model.admit(call, proceed);
  }

  finish(ticket: Ticket, outcome: CallOutcome): void {
    if (this.model && ticket !== NO_MODEL_TICKET) this.model.finish(ticket, outcome);
  }

  /** The recorded history in [from, to); both default to everything kept. */
  metricsHistory(from?: number, to?: number): ServerMetricsHistory {
    const start = from ?? this.history.oldestStartMs ?? this.clock.now();
    const end = to ?? Math.max(start, this.history.newestEndMs ?? this.clock.now());
    return this.history.query(start, end, HISTORY_SOURCE, this.settings());
  }

  settings(): Record<string, number | string> {
    const settings: Record<string, number | string> = this.model ? this.model.settings() : {};
    if (this.waf) {
      settings['waf.limit'] = this.waf.settings.limit;
      settings['waf.windowSeconds'] = this.waf.settings.windowSeconds;
      settings['waf.webAcl'] = this.wafNames.webAcl;
      settings['waf.rule'] = this.wafNames.rule;
    }
    return settings;
  }

  /** Lines appended to /metrics. */
  prometheusText(): string {
    const lines: string[] = [];
    if (this.waf) {
      lines.push(
        '# HELP opensaves_waf_blocked_requests_total HTTP requests the WAF rate rule blocked (403), by client address.',
        '# TYPE opensaves_waf_blocked_requests_total counter',
      );
      for (const [address, count] of this.waf.blockedByAddress) {
        lines.push(`opensaves_waf_blocked_requests_total{address="${address.replace(/["\\\n]/g, '_')}"} ${count}`);
      }
      lines.push(
        '# HELP opensaves_waf_allowed_requests_total HTTP requests the WAF rate rule let through.',
        '# TYPE opensaves_waf_allowed_requests_total counter',
        `opensaves_waf_allowed_requests_total ${this.waf.allowedTotal}`,
        '# HELP opensaves_waf_limit The WAF rate rule: requests allowed per client address within the window.',
        '# TYPE opensaves_waf_limit gauge',
        `opensaves_waf_limit ${this.waf.settings.limit}`,
        "# HELP opensaves_waf_window_seconds The WAF rate rule's trailing window.",
        '# TYPE opensaves_waf_window_seconds gauge',
        `opensaves_waf_window_seconds ${this.waf.settings.windowSeconds}`,
      );
    }
    const model = this.model;
    if (model) {
      lines.push(
        '# HELP opensaves_model_pods Pods of the component model serving now.',
        '# TYPE opensaves_model_pods gauge',
        `opensaves_model_pods ${model.pods.running()}`,
        '# HELP opensaves_model_queued_requests Requests waiting for a pod.',
        '# TYPE opensaves_model_queued_requests gauge',
        `opensaves_model_queued_requests ${model.pods.queued()}`,
        '# HELP opensaves_model_rejected_requests_total Requests refused because every pod was busy and the queue full.',
        '# TYPE opensaves_model_rejected_requests_total counter',
        `opensaves_model_rejected_requests_total ${model.pods.rejectedTotal}`,
        '# HELP opensaves_model_throttled_requests_total DynamoDB requests the model throttled, by table and kind.',
        '# TYPE opensaves_model_throttled_requests_total counter',
      );
      for (const table of Object.values(model.tables)) {
        lines.push(`opensaves_model_throttled_requests_total{table="${table.config.tableName}",kind="read"} ${table.totals.readThrottles}`);
        lines.push(`opensaves_model_throttled_requests_total{table="${table.config.tableName}",kind="write"} ${table.totals.writeThrottles}`);
      }
    }
    return lines.length === 0 ? '' : `${lines.join('\n')}\n`;
  }

  close(): void {
    this.closed = true;
    this.timer?.cancel();
  }

  /** One tick at each second boundary closes the second that just ended (and any the clock skipped). */
  private armRecorder(): void {
    if (this.closed) return;
    const now = this.clock.now();
    this.timer = this.clock.setTimer(1000 - (now % 1000), () => {
      this.recordUpTo(Math.floor(this.clock.now() / 1000) - 1);
      this.armRecorder();
    });
  }

  private recordUpTo(second: number): void {
    const first = Math.max(this.lastClosedSecond + 1, second - this.history.capacitySeconds + 1);
    for (let s = first; s <= second; s++) this.closeSecond(s);
    this.lastClosedSecond = Math.max(this.lastClosedSecond, second);
  }

  private closeSecond(second: number): void {
    this.history.beginSecond(second);
    if (this.waf) {
      const { allowed, blocked } = this.waf.takeSecondTotals();
      const ns = WAFV2.namespace;
      const { webAcl, rule } = this.wafNames;
      // Blocked under the rate rule that blocked them (the only blocking rule here), allowed under ALL (the default action).
      this.history.put({ namespace: ns, metricName: WAFV2.metrics.blocked, dimensions: { WebACL: webAcl, Rule: rule }, statistic: 'Sum', unit: 'Count' }, blocked);
      this.history.put({ namespace: ns, metricName: WAFV2.metrics.allowed, dimensions: { WebACL: webAcl, Rule: WAFV2.allRulesValue }, statistic: 'Sum', unit: 'Count' }, allowed);
    }
    this.model?.closeSecond(second, this.history);
  }
}

const NO_MODEL_TICKET = Object.freeze({}) as Ticket;
const NO_MODEL_ADMISSION: Admission = Object.freeze({ ok: true, ticket: NO_MODEL_TICKET });

/** Writes a prepared answer (a WAF block, a throttle, an overload). */
export function sendAnswer(response: ServerResponse, answer: HttpAnswer): void {
  response.writeHead(answer.status, answer.headers);
  response.end(answer.body);
}

/** Parses /metrics/history's from and to (epoch ms); a message naming the parameter when bad. */
export function parseHistoryWindow(query: URLSearchParams): { from?: number; to?: number } | { error: string } {
  const window: { from?: number; to?: number } = {};
  for (const name of ['from', 'to'] as const) {
    const raw = query.get(name);
    if (raw === null || raw === '') continue;
    if (!/^\d{1,16}$/.test(raw)) return { error: `invalid ${name}: expected epoch milliseconds (an integer >= 0), got \`${raw}\`` };
    window[name] = Number(raw);
  }
  if (window.from !== undefined && window.to !== undefined && window.to < window.from) {
    return { error: `invalid to: expected a time >= from (${window.from}), got \`${window.to}\`` };
  }
  return window;
}
