// Number and label formatting shared by the Markdown, HTML and JUnit reports.

import { GRPC_STATUS_NAMES } from './config/constants.js';

export type Protocol = 'grpc' | 'http' | 'unknown';

/**
 * "5" -> "5 NOT_FOUND" for gRPC; HTTP codes stay as they are, and HTTP status 0 (no response) says so. Status 0
 * is OK in gRPC and a failure in HTTP, hence the protocol; `failed` tells a 0 among errors apart.
 */
export function statusLabel(status: string, protocol: Protocol, failed = false): string {
  const code = Number(status);
  if (status === '0' && (protocol === 'http' || (protocol === 'unknown' && failed))) return '0 no response';
  if (protocol !== 'http' && Number.isInteger(code) && code >= 0 && code < GRPC_STATUS_NAMES.length) return `${status} ${GRPC_STATUS_NAMES[code]}`;
  return status;
}

export function formatMs(ms: number | null | undefined): string {
  if (ms === null || ms === undefined) return '–';
  if (ms >= 100) return ms.toFixed(0);
  if (ms >= 10) return ms.toFixed(1);
  return ms.toFixed(2);
}

export function formatRate(perSec: number | null | undefined): string {
  if (perSec === null || perSec === undefined) return '–';
  return perSec >= 100 ? perSec.toFixed(0) : perSec.toFixed(1);
}

export function formatPercent(fraction: number): string {
  return `${(fraction * 100).toFixed(fraction !== 0 && fraction < 0.001 ? 3 : 2)}%`;
}

export function formatDelta(pct: number | null): string {
  return pct === null ? '–' : `${pct >= 0 ? '+' : ''}${pct.toFixed(1)}%`;
}

export function formatMoney(amount: number, currency: string): string {
  const digits = amount !== 0 && Math.abs(amount) < 0.01 ? 6 : amount < 100 ? 4 : 2;
  return `${amount.toFixed(digits)} ${currency}`;
}

export function formatBytes(bytes: number): string {
  if (bytes >= 1e9) return `${(bytes / 1e9).toFixed(2)} GB`;
  if (bytes >= 1e6) return `${(bytes / 1e6).toFixed(1)} MB`;
  if (bytes >= 1e3) return `${(bytes / 1e3).toFixed(1)} kB`;
  return `${bytes} B`;
}

export function formatCount(n: number): string {
  return Math.round(n).toLocaleString('en-US');
}

/** "200: 12, 503: 3" or "0 OK: 40, 14 UNAVAILABLE: 3", largest first. */
export function formatStatusCodes(codes: Record<string, number>, protocol: Protocol): string {
  return Object.entries(codes)
    .sort(([, a], [, b]) => b - a)
    .map(([status, n]) => `${statusLabel(status, protocol)}: ${formatCount(n)}`)
    .join(', ');
}
