// What the transports ask before running an API handler, and tell afterwards. The
// gate holds the optional WAF rule (HTTP only) and the optional component model; the
// API handlers know nothing of either. With neither configured there is no gate at all,
// and the transports behave exactly as without this module.
import { REAL_CLOCK, type ModelClock } from './clock.js';
import { cloudFrontWafBlock, WafRateRule, type HttpAnswer, type WafSettings } from './waf.js';

export interface GateOptions {
  waf?: WafSettings;
  clock?: ModelClock;
}

export class CapacityGate {
  readonly clock: ModelClock;
  readonly waf: WafRateRule | undefined;

  /** False when the options configure nothing, so no gate is built. */
  static isActive(options: GateOptions): boolean {
    return options.waf !== undefined;
  }

  constructor(options: GateOptions) {
    this.clock = options.clock ?? REAL_CLOCK;
    this.waf = options.waf ? new WafRateRule(options.waf, this.clock) : undefined;
  }

  /** CloudFront's answer when the WAF blocks this HTTP request; undefined when it may pass. */
  firewall(address: string | undefined): HttpAnswer | undefined {
    if (!this.waf) return undefined;
    return this.waf.blocks(address ?? 'unknown') ? cloudFrontWafBlock() : undefined;
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
        '# HELP opensaves_waf_window_seconds The WAF rate rule\'s trailing window.',
        '# TYPE opensaves_waf_window_seconds gauge',
        `opensaves_waf_window_seconds ${this.waf.settings.windowSeconds}`,
      );
    }
    return lines.length === 0 ? '' : `${lines.join('\n')}\n`;
  }

  close(): void {}
}

/** Writes a prepared answer (a WAF block, a throttle, an overload). */
export function sendAnswer(response: import('node:http').ServerResponse, answer: HttpAnswer): void {
  response.writeHead(answer.status, answer.headers);
  response.end(answer.body);
}
