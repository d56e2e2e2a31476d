// Fault injection for tests and demos: added latency (fixed plus uniform jitter),
// an error rate that fails calls with UNAVAILABLE (HTTP 503), and blob downloads
// sent damaged with an OK status (one byte changed, or cut short), each either for
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
  /** fraction of blob downloads sent with one content byte changed */
  corruptBlobs?: FaultSetting;
  /** fraction of blob downloads sent without their last content message (HTTP: their last byte) */
  truncateBlobs?: FaultSetting;
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

/** What a blob download is sent as: intact, with one byte changed, or cut short. */
export type BlobDamage = 'corrupt' | 'truncate' | undefined;

const configured = (setting: FaultSetting | undefined): boolean =>
  setting !== undefined && (setting.all > 0 || [...setting.perMethod.values()].some((v) => v > 0));

export class FaultInjector {
  /** False when no fault is configured, so the hot path can skip everything. */
  readonly active: boolean;
  /** False when no blob damage is configured. */
  readonly damagesBlobs: boolean;

  constructor(
    private readonly options: FaultOptions = NO_FAULTS,
    private readonly random: () => number = Math.random,
  ) {
    this.active = [options.latencyMs, options.latencyJitterMs, options.errorRate].some(configured);
    this.damagesBlobs = configured(options.corruptBlobs) || configured(options.truncateBlobs);
  }

  /** How one blob download of `method` is sent. */
  blobDamage(method: string): BlobDamage {
    if (!this.damagesBlobs) return undefined;
    if (this.random() < valueFor(this.options.corruptBlobs ?? NO_FAULT, method)) return 'corrupt';
    if (this.random() < valueFor(this.options.truncateBlobs ?? NO_FAULT, method)) return 'truncate';
    return undefined;
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

/** A streamed download's messages as `damage` sends them: one content byte flipped, or the last content message left out. */
export function damageStream<M extends { content?: Uint8Array | null }>(messages: M[], damage: BlobDamage): M[] {
  if (damage === undefined) return messages;
  const contentAt = messages.flatMap((message, index) => (message.content != null ? [index] : []));
  if (damage === 'truncate') return contentAt.length === 0 ? messages : messages.filter((_, index) => index !== contentAt.at(-1));
  const at = contentAt.find((index) => messages[index]!.content!.length > 0);
  if (at === undefined) return messages;
  const damaged = [...messages];
  damaged[at] = { ...messages[at]!, content: damageBytes(messages[at]!.content!, 'corrupt') };
  return damaged;
}

/** A download's bytes as `damage` sends them: the middle byte flipped, or the last byte left out (a copy; the stored bytes stay). */
export function damageBytes(data: Uint8Array, damage: BlobDamage): Buffer {
  if (damage === undefined || data.length === 0) return Buffer.from(data.buffer, data.byteOffset, data.length);
  if (damage === 'truncate') return Buffer.from(data.subarray(0, data.length - 1));
  const copy = Buffer.from(data);
  const middle = copy.length >> 1;
  copy[middle] = copy[middle]! ^ 0xff;
  return copy;
}

export const INJECTED_ERROR_MESSAGE = 'injected fault: service unavailable (--error-rate)';
