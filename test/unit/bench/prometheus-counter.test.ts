import { describe, expect, it } from 'vitest';
import { RPC_COUNTER, sumCounter } from '../../../bench/lib/measure/prometheus-counter.js';

const EXPOSITION = [
  '# HELP opensaves_rpc_total gRPC calls by method and status code',
  '# TYPE opensaves_rpc_total counter',
  'opensaves_rpc_total{method="Ping",code="OK"} 1200',
  'opensaves_rpc_total{method="GetRecord",code="OK"} 300',
  'opensaves_rpc_total{method="GetRecord",code="NOT_FOUND"} 7',
  'opensaves_rpc_total_created{method="Ping"} 1700000000',
  'opensaves_rpc_totals{method="Ping"} 99',
  'opensaves_http_requests_total{route="/health",status="200"} 5',
  'opensaves_records 12',
].join('\n');

describe('sumCounter', () => {
  it('adds every sample of the metric when no labels are given', () => {
    expect(sumCounter(EXPOSITION, RPC_COUNTER)).toBe(1507);
  });

  it('keeps only samples whose labels match', () => {
    expect(sumCounter(EXPOSITION, RPC_COUNTER, { method: 'GetRecord' })).toBe(307);
    expect(sumCounter(EXPOSITION, RPC_COUNTER, { method: 'GetRecord', code: 'OK' })).toBe(300);
    expect(sumCounter(EXPOSITION, RPC_COUNTER, { method: 'Nope' })).toBe(0);
  });

  it('reads label values that contain escaped quotes and commas', () => {
    const text = 'opensaves_rpc_total{method="Ping",note="a \\"b\\", c"} 4\n';
    expect(sumCounter(text, RPC_COUNTER, { method: 'Ping' })).toBe(4);
  });

  it('reads metrics without labels', () => {
    expect(sumCounter(EXPOSITION, 'opensaves_records')).toBe(12);
  });
});
