// CloudFront's WAFv2 rate-based rule, per client address: once an address has sent
// more than `limit` requests within the trailing `windowSeconds`, each further request
// from it is blocked (403) until its count over the window falls back to the limit.
// Blocked requests count too, as WAF counts every request the rule inspects, so a
// client that keeps hammering stays blocked. Counts are kept in one-second buckets.
import { randomBytes } from 'node:crypto';
import type { ModelClock } from './clock.js';

export interface WafSettings {
  /** requests allowed per address within the window (the port's CloudFront rule: 2000) */
  limit: number;
  /** the trailing window in seconds (the port's: 300, WAFv2's default evaluation window) */
  windowSeconds: number;
}

export const PORT_WAF: Readonly<WafSettings> = Object.freeze({ limit: 2000, windowSeconds: 300 });

interface AddressWindow {
  /** requests per second, indexed by (epoch second mod windowSeconds) */
  counts: Uint32Array;
  /** epoch second of the newest bucket written */
  newestSecond: number;
  total: number;
  blocked: number;
  allowed: number;
}

// Addresses idle for longer than the window hold nothing worth keeping.
const SWEEP_EVERY_SECONDS = 60;

export class WafRateRule {
  private readonly windows = new Map<string, AddressWindow>();
  private lastSweepSecond = 0;
  /** since the last takeSecondTotals() */
  private secondAllowed = 0;
  private secondBlocked = 0;
  /** blocked requests per address since start, for /metrics (kept when the address's window is swept) */
  readonly blockedByAddress = new Map<string, number>();
  allowedTotal = 0;
  blockedTotal = 0;

  constructor(
    readonly settings: Readonly<WafSettings>,
    private readonly clock: ModelClock,
  ) {}

  /** Counts one request from `address`; true when the rule blocks it. */
  blocks(rawAddress: string): boolean {
    const address = normaliseAddress(rawAddress);
    const second = Math.floor(this.clock.now() / 1000);
    this.sweep(second);
    let window = this.windows.get(address);
    if (!window) {
      window = { counts: new Uint32Array(this.settings.windowSeconds), newestSecond: second, total: 0, blocked: 0, allowed: 0 };
      this.windows.set(address, window);
    }
    this.slide(window, second);
    window.counts[second % this.settings.windowSeconds]!++;
    window.total++;
    const blocked = window.total > this.settings.limit;
    if (blocked) {
      window.blocked++;
      this.blockedTotal++;
      this.secondBlocked++;
      this.blockedByAddress.set(address, (this.blockedByAddress.get(address) ?? 0) + 1);
    } else {
      window.allowed++;
      this.allowedTotal++;
      this.secondAllowed++;
    }
    return blocked;
  }

  /** Requests from `address` within the trailing window, as the rule sees them now. */
  countFor(rawAddress: string): number {
    const window = this.windows.get(normaliseAddress(rawAddress));
    if (!window) return 0;
    this.slide(window, Math.floor(this.clock.now() / 1000));
    return window.total;
  }

  /** Allowed and blocked requests since the previous call (the history recorder's per-second sums). */
  takeSecondTotals(): { allowed: number; blocked: number } {
    const totals = { allowed: this.secondAllowed, blocked: this.secondBlocked };
    this.secondAllowed = 0;
    this.secondBlocked = 0;
    return totals;
  }

  /** Drops the buckets that fell out of the window since the window's newest second. */
  private slide(window: AddressWindow, second: number): void {
    const size = this.settings.windowSeconds;
    if (second <= window.newestSecond) return;
    const gap = second - window.newestSecond;
    if (gap >= size) {
      window.counts.fill(0);
      window.total = 0;
    } else {
      for (let s = window.newestSecond + 1; s <= second; s++) {
        const index = s % size;
        window.total -= window.counts[index]!;
        window.counts[index] = 0;
      }
    }
    window.newestSecond = second;
  }

  private sweep(second: number): void {
    if (second - this.lastSweepSecond < SWEEP_EVERY_SECONDS) return;
    this.lastSweepSecond = second;
    for (const [address, window] of this.windows) {
      if (second - window.newestSecond >= this.settings.windowSeconds) this.windows.delete(address);
    }
  }
}

/** "::ffff:127.0.0.1" (an IPv4 client on a dual-stack socket) is 127.0.0.1, as WAF sees it. */
export function normaliseAddress(address: string): string {
  return address.startsWith('::ffff:') && address.includes('.') ? address.slice(7) : address;
}

export interface HttpAnswer {
  status: number;
  headers: Record<string, string | number>;
  body: string;
}

// CloudFront's own error page for a request its web ACL blocked: the same status, headers
// and HTML a client of the port gets (Server: CloudFront, X-Cache "Error from cloudfront",
// a Via naming a cloudfront.net edge, the edge's POP and a request id in X-Amz-Cf-Id that
// the page repeats). The POP is one of us-east-1's edges; any code of that form is valid.
const CLOUDFRONT_POP = 'IAD89-P1';

export function cloudFrontWafBlock(): HttpAnswer {
  const requestId = cloudFrontRequestId();
  const body =
    '<!DOCTYPE HTML PUBLIC "-//W3C//DTD HTML 4.01 Transitional//EN" "http://www.w3.org/TR/html4/loose.dtd">\n' +
    '<HTML><HEAD><META HTTP-EQUIV="Content-Type" CONTENT="text/html; charset=iso-8859-1">\n' +
    '<TITLE>ERROR: The request could not be satisfied</TITLE>\n' +
    '</HEAD><BODY>\n' +
    '<H1>403 ERROR</H1>\n' +
    '<H2>The request could not be satisfied.</H2>\n' +
    '<HR noshade size="1px">\n' +
    'Request blocked.\n' +
    "We can't connect to the server for this app or website at this time. There might be too much traffic or a configuration error. Try again later, or contact the app or website owner.\n" +
    '<BR clear="all">\n' +
    'If you provide content to customers through CloudFront, you can find steps to troubleshoot and help prevent this error by reviewing the CloudFront documentation.\n' +
    '<BR clear="all">\n' +
    '<HR noshade size="1px">\n' +
    '<PRE>\n' +
    'Generated by cloudfront (CloudFront)\n' +
    `Request ID: ${requestId}\n` +
    '</PRE>\n' +
    '<ADDRESS>\n' +
    '</ADDRESS>\n' +
    '</BODY></HTML>';
  return {
    status: 403,
    headers: {
      Server: 'CloudFront',
      'Content-Type': 'text/html',
      'Content-Length': Buffer.byteLength(body),
      'X-Cache': 'Error from cloudfront',
      Via: `1.1 ${randomBytes(16).toString('hex')}.cloudfront.net (CloudFront)`,
      'X-Amz-Cf-Pop': CLOUDFRONT_POP,
      'X-Amz-Cf-Id': requestId,
    },
    body,
  };
}

/** 56 characters of URL-safe base64 with '==' at the end, the shape of CloudFront's request ids. */
function cloudFrontRequestId(): string {
  return `${randomBytes(40).toString('base64url').slice(0, 54)}==`;
}
