import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { K6_METRICS, METRIC_NAMES_FILE, MetricCatalogError, k6MetricName, parseMetricCatalog } from '../../catalogue/k6-metrics.js';
import { GRPC_OPERATIONS, GRPC_SUCCESS_STATUS, HTTP_OPERATIONS, operationSeries } from '../../catalogue/operations.js';

const PROTO_FILE = fileURLToPath(new URL('../../proto/open_saves.proto', import.meta.url));

describe('k6 metric catalog (data/metric-names.json)', () => {
  it('is the shared file, with its namespace and default dimensions', () => {
    const raw = JSON.parse(readFileSync(METRIC_NAMES_FILE, 'utf8'));
    expect(K6_METRICS.namespace).toBe(raw.namespace);
    expect(K6_METRICS.defaultDimensions).toEqual(raw.dimensions.default);
    expect([...K6_METRICS.metrics.keys()].sort()).toEqual(Object.keys(raw.metrics).sort());
  });

  it('maps k6 names to CloudWatch names and refuses unknown ones', () => {
    expect(k6MetricName('grpc_req_duration')).toBe('GrpcRequestDuration');
    expect(k6MetricName('opensaves_errors')).toBe('Errors');
    expect(() => k6MetricName('grpc_req_durations')).toThrow(MetricCatalogError);
    expect(() => k6MetricName('grpc_req_durations')).toThrow(/metrics\.grpc_req_durations.*expected an entry for this k6 metric/);
  });

  it('names the file, the field, what it expected and what it got when the file is wrong', () => {
    const valid = { namespace: 'N', dimensions: { default: ['op'] }, metrics: { vus: { name: 'VUs', unit: 'Count', type: 'gauge' } } };
    expect(parseMetricCatalog(valid, 'x.json').metrics.get('vus')?.name).toBe('VUs');
    expect(() => parseMetricCatalog({ ...valid, namespace: '' }, 'x.json')).toThrow(/^invalid namespace in x\.json; reason: expected a non-empty string, got `""`$/);
    expect(() => parseMetricCatalog({ ...valid, metrics: { vus: { name: 'VUs', unit: 'Count', type: 'histogram' } } }, 'x.json')).toThrow(
      /invalid metrics\.vus\.type in x\.json; reason: expected trend \| counter \| rate \| gauge, got `"histogram"`/,
    );
    expect(() => parseMetricCatalog({ ...valid, dimensions: { default: 'op' } }, 'x.json')).toThrow(/dimensions\.default/);
  });
});

describe('operation list', () => {
  it('holds exactly the RPCs of service OpenSaves in proto/open_saves.proto', () => {
    const proto = readFileSync(PROTO_FILE, 'utf8');
    const rpcs = [...proto.matchAll(/^\s*rpc\s+(\w+)\s*\(/gm)].map((match) => match[1]);
    expect(rpcs).toHaveLength(27);
    expect([...GRPC_OPERATIONS].sort()).toEqual(rpcs.sort());
  });

  it('watches successful calls: status 0 for gRPC, the route success code for HTTP', () => {
    expect(operationSeries(['grpc']).every((op) => op.successStatus === GRPC_SUCCESS_STATUS)).toBe(true);
    expect(GRPC_SUCCESS_STATUS).toBe('0');
    const http = operationSeries(['http']);
    expect(http.find((op) => op.op === 'CreateRecord')?.successStatus).toBe('201');
    expect(http.find((op) => op.op === 'DeleteRecord')?.successStatus).toBe('204');
  });

  it('has one HTTP operation per route and method of the AWS port, with unique names', () => {
    const keys = HTTP_OPERATIONS.map((op) => `${op.method} ${op.route}`);
    expect(new Set(keys).size).toBe(HTTP_OPERATIONS.length);
    expect(HTTP_OPERATIONS.find((op) => op.op === 'CreateRecord')).toMatchObject({ method: 'POST', successStatus: '201' });
    expect(HTTP_OPERATIONS.find((op) => op.op === 'DeleteBlob')).toMatchObject({ method: 'DELETE', successStatus: '204' });
    expect(HTTP_OPERATIONS.find((op) => op.op === 'CreateBlob')).toMatchObject({ method: 'PUT', route: expect.stringMatching(/\/blobs\/\{blob_key\}$/) });
  });

  it('names HTTP operations as the scenarios tag them: gRPC names where one exists', () => {
    const nonGrpc = HTTP_OPERATIONS.map((op) => op.op).filter((op) => !(GRPC_OPERATIONS as readonly string[]).includes(op));
    expect(new Set(nonGrpc)).toEqual(new Set(['GetMetadata', 'PutMetadata', 'DeleteMetadata']));
    // Listing blob keys and reading a blob are both tagged GetBlob: one series.
    const http = operationSeries(['http']);
    expect(http.filter((op) => op.op === 'GetBlob')).toHaveLength(1);
    expect(new Set(http.map((op) => op.op)).size).toBe(http.length);
  });

  it('selects series by protocol', () => {
    expect(operationSeries(['http']).every((op) => op.protocol === 'http')).toBe(true);
    expect(operationSeries(['grpc', 'http'])).toHaveLength(GRPC_OPERATIONS.length + new Set(HTTP_OPERATIONS.map((op) => op.op)).size);
    expect(operationSeries([])).toEqual([]);
  });
});
