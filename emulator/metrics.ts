// Counters for /metrics (Prometheus text format) and the server handle: calls per
// RPC and status code, HTTP requests per route and status, plus state gauges.
import { status } from '@grpc/grpc-js';
import { RPC_NAMES, type RpcName } from './constants.js';
import type { State } from './state/state.js';

const CODE_NAMES: string[] = [];
for (const [name, value] of Object.entries(status)) if (typeof value === 'number') CODE_NAMES[value] = name;

export class Metrics {
  /** Calls received per RPC (including injected failures). */
  readonly calls: Record<RpcName, number>;
  private readonly rpcCodes = new Map<string, number[]>();
  private readonly httpStatuses = new Map<string, Map<number, number>>();

  constructor() {
    this.calls = Object.fromEntries(RPC_NAMES.map((name) => [name, 0])) as Record<RpcName, number>;
  }

  countCall(method: RpcName): void {
    this.calls[method]++;
  }

  countRpc(method: string, code: number): void {
    let codes = this.rpcCodes.get(method);
    if (!codes) {
      codes = new Array<number>(CODE_NAMES.length).fill(0);
      this.rpcCodes.set(method, codes);
    }
    codes[code] = (codes[code] ?? 0) + 1;
  }

  rpcCount(method: string, code: number): number {
    return this.rpcCodes.get(method)?.[code] ?? 0;
  }

  countHttp(route: string, statusCode: number): void {
    let statuses = this.httpStatuses.get(route);
    if (!statuses) {
      statuses = new Map();
      this.httpStatuses.set(route, statuses);
    }
    statuses.set(statusCode, (statuses.get(statusCode) ?? 0) + 1);
  }

  render(state: State): string {
    const lines: string[] = [
      '# HELP opensaves_rpc_total gRPC calls handled, by method and status code.',
      '# TYPE opensaves_rpc_total counter',
    ];
    for (const [method, codes] of this.rpcCodes) {
      codes.forEach((count, code) => {
        if (count > 0) lines.push(`opensaves_rpc_total{method="${method}",code="${CODE_NAMES[code]}"} ${count}`);
      });
    }
    lines.push(
      '# HELP opensaves_http_requests_total HTTP requests handled, by route and status.',
      '# TYPE opensaves_http_requests_total counter',
    );
    for (const [route, statuses] of this.httpStatuses) {
      for (const [statusCode, count] of statuses) {
        lines.push(`opensaves_http_requests_total{route="${escapeLabel(route)}",status="${statusCode}"} ${count}`);
      }
    }
    gauge(lines, 'opensaves_stores', 'Stores in the emulator.', state.stores.size);
    gauge(lines, 'opensaves_records', 'Records in the emulator.', state.recordCount);
    gauge(lines, 'opensaves_blob_bytes', 'Bytes of blob and chunk content held, orphaned named blobs included.', state.blobBytes);
    gauge(
      lines,
      'opensaves_orphaned_blobs',
      'Named blobs left stored after the HTTP API deleted their record or store, as the AWS port leaves S3 objects.',
      state.orphanedBlobs.size,
    );
    gauge(lines, 'opensaves_orphaned_blob_bytes', 'Bytes of those orphaned named blobs (part of opensaves_blob_bytes).', state.orphanedBlobBytes);
    gauge(
      lines,
      'opensaves_metadata_items',
      'Items of the HTTP API metadata table (/api/metadata/{type}/{id}), store_info and store_stats included; the AWS port\'s store delete leaves store_stats.',
      state.metadata.size,
    );
    gauge(lines, 'opensaves_state_bytes', 'Estimated bytes of state counted against --max-bytes.', state.budget.usedBytes);
    gauge(lines, 'opensaves_state_max_bytes', 'The state byte budget (--max-bytes).', state.budget.maxBytes);
    const lag = state.readLag;
    lines.push(
      '# HELP opensaves_http_stale_reads_total HTTP item reads answered with an earlier state than the current one (--read-lag-ms).',
      '# TYPE opensaves_http_stale_reads_total counter',
      `opensaves_http_stale_reads_total ${lag ? lag.stores.staleReads + lag.records.staleReads + lag.metadata.staleReads : 0}`,
    );
    gauge(
      lines,
      'opensaves_read_lag_states',
      'Earlier item states kept for lagged HTTP reads (--read-lag-ms).',
      lag ? lag.stores.size + lag.records.size + lag.metadata.size : 0,
    );
    lines.push(
      '# HELP opensaves_http_truncated_lists_total HTTP lists and queries (a store delete\'s record sweep too) cut to their first page (--page-bytes).',
      '# TYPE opensaves_http_truncated_lists_total counter',
      `opensaves_http_truncated_lists_total ${state.truncatedLists}`,
    );
    lines.push(
      '# HELP opensaves_cache_requests_total Record and store cache lookups, by result.',
      '# TYPE opensaves_cache_requests_total counter',
      `opensaves_cache_requests_total{result="hit"} ${state.cache.hits}`,
      `opensaves_cache_requests_total{result="miss"} ${state.cache.misses}`,
    );
    // The standard process metrics, so a load test can tell whether the emulator itself was busy.
    const cpu = process.cpuUsage();
    lines.push(
      '# HELP process_cpu_seconds_total User and system CPU time spent by the emulator process.',
      '# TYPE process_cpu_seconds_total counter',
      `process_cpu_seconds_total ${(cpu.user + cpu.system) / 1e6}`,
    );
    gauge(lines, 'process_resident_memory_bytes', 'Resident memory of the emulator process.', process.memoryUsage.rss());
    return `${lines.join('\n')}\n`;
  }
}

function gauge(lines: string[], name: string, help: string, value: number): void {
  lines.push(`# HELP ${name} ${help}`, `# TYPE ${name} gauge`, `${name} ${value}`);
}

function escapeLabel(value: string): string {
  return value.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n');
}
