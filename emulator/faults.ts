// Fault injection for tests and demos: added latency (fixed plus uniform jitter)
// and an error rate that fails calls with UNAVAILABLE (HTTP 503), each either for
// every method or per method name (an RPC name, or an HTTP route label).

export interface FaultSetting {
  /** Applies to every method without its own entry. */
  all: number;
  perMethod: ReadonlyMap<string, number>;
}

export interface FaultOptions {
  latencyMs: FaultSetting;
  latencyJitterMs: FaultSetting;
  errorRate: FaultSetting;
}

export const NO_FAULT: FaultSetting = Object.freeze({ all: 0, perMethod: new Map<string, number>() });

export const NO_FAULTS: FaultOptions = Object.freeze({
  latencyMs: NO_FAULT,
  latencyJitterMs: NO_FAULT,
  errorRate: NO_FAULT,
});

/** What to do with one call: wait this long, then fail or proceed. */
export interface FaultDecision {
  delayMs: number;
  fail: boolean;
}

const PROCEED: FaultDecision = Object.freeze({ delayMs: 0, fail: false });

export class FaultInjector {
  /** False when no fault is configured, so the hot path can skip everything. */
  readonly active: boolean;

  constructor(
    private readonly options: FaultOptions = NO_FAULTS,
    private readonly random: () => number = Math.random,
  ) {
    this.active = [options.latencyMs, options.latencyJitterMs, options.errorRate].some(
      (setting) => setting.all > 0 || [...setting.perMethod.values()].some((v) => v > 0),
    );
  }

  decide(method: string): FaultDecision {
    if (!this.active) return PROCEED;
    const latency = valueFor(this.options.latencyMs, method);
    const jitter = valueFor(this.options.latencyJitterMs, method);
    const errorRate = valueFor(this.options.errorRate, method);
    const delayMs = latency + (jitter > 0 ? this.random() * jitter : 0);
    const fail = errorRate > 0 && this.random() < errorRate;
    return delayMs === 0 && !fail ? PROCEED : { delayMs, fail };
  }
}

function valueFor(setting: FaultSetting, method: string): number {
  return setting.perMethod.get(method) ?? setting.all;
}

export const INJECTED_ERROR_MESSAGE = 'injected fault: service unavailable (--error-rate)';
