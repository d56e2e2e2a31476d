// Number and label formatting shared by the Markdown, HTML and JUnit reports.

// gRPC status names (https://grpc.github.io/grpc/core/md_doc_statuscodes.html), for status codes in tables.
const GRPC_CODE_NAMES = [
  'OK', 'CANCELLED', 'UNKNOWN', 'INVALID_ARGUMENT', 'DEADLINE_EXCEEDED', 'NOT_FOUND', 'ALREADY_EXISTS',
  'PERMISSION_DENIED', 'RESOURCE_EXHAUSTED', 'FAILED_PRECONDITION', 'ABORTED', 'OUT_OF_RANGE', 'UNIMPLEMENTED',
  'INTERNAL', 'UNAVAILABLE', 'DATA_LOSS', 'UNAUTHENTICATED',
];

/** "5" -> "5 NOT_FOUND" for gRPC codes; HTTP codes (>= 100) stay as they are. */
export function statusLabel(status: string): string {
  const code = Number(status);
  return Number.isInteger(code) && code >= 0 && code < GRPC_CODE_NAMES.length ? `${status} ${GRPC_CODE_NAMES[code]}` : status;
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

/** "503 Service Unavailable: 12, 14 UNAVAILABLE: 3" style list, largest first. */
export function formatStatusCodes(codes: Record<string, number>): string {
  return Object.entries(codes)
    .sort(([, a], [, b]) => b - a)
    .map(([status, n]) => `${statusLabel(status)}: ${formatCount(n)}`)
    .join(', ');
}
