// The values of the k6 `op` tag that dashboards and alarms plot one line or one alarm for.
// gRPC: the 27 RPCs of service opensaves.OpenSaves (proto/open_saves.proto); a test
// checks this list against the proto so the two cannot drift apart.
// HTTP: the routes of the AWS port (../shared/spec/open-saves-aws-http.md, section 3),
// tagged as the scenarios tag them (scripts/lib/transport/http-transport.ts): with the name of the gRPC
// call they stand in for, so listing blob keys and reading a blob are both GetBlob.
// The metadata routes have no gRPC counterpart and keep names of their own.

import { OPERATION_GROUPS, RPC_NAMES, type OperationGroup, type RpcName } from '../proto/operations.js';

export const GRPC_OPERATION_GROUPS = OPERATION_GROUPS;
export type GrpcOperationGroup = OperationGroup;
export type GrpcOperation = RpcName;
export const GRPC_OPERATIONS: readonly GrpcOperation[] = RPC_NAMES;

// k6 tags grpc_req_duration, streams included, with the numeric status code
// (strconv.Itoa of the code in k6's grpcext stats handler); 0 is OK.
export const GRPC_SUCCESS_STATUS = '0';

export interface HttpOperation {
  readonly op: string;
  readonly method: 'GET' | 'POST' | 'PUT' | 'DELETE';
  readonly route: string;
  // The status the AWS port answers on success; latency alarms watch successful calls only.
  readonly successStatus: '200' | '201' | '204';
}

export const HTTP_OPERATION_GROUPS = {
  stores: [
    { op: 'ListStores', method: 'GET', route: '/api/stores', successStatus: '200' },
    { op: 'CreateStore', method: 'POST', route: '/api/stores', successStatus: '201' },
    { op: 'GetStore', method: 'GET', route: '/api/stores/{store_id}', successStatus: '200' },
    { op: 'DeleteStore', method: 'DELETE', route: '/api/stores/{store_id}', successStatus: '204' },
  ],
  records: [
    { op: 'QueryRecords', method: 'GET', route: '/api/stores/{store_id}/records', successStatus: '200' },
    { op: 'CreateRecord', method: 'POST', route: '/api/stores/{store_id}/records', successStatus: '201' },
    { op: 'GetRecord', method: 'GET', route: '/api/stores/{store_id}/records/{record_id}', successStatus: '200' },
    { op: 'UpdateRecord', method: 'PUT', route: '/api/stores/{store_id}/records/{record_id}', successStatus: '200' },
    { op: 'DeleteRecord', method: 'DELETE', route: '/api/stores/{store_id}/records/{record_id}', successStatus: '204' },
  ],
  blobs: [
    { op: 'GetBlob', method: 'GET', route: '/api/stores/{store_id}/records/{record_id}/blobs', successStatus: '200' },
    { op: 'GetBlob', method: 'GET', route: '/api/stores/{store_id}/records/{record_id}/blobs/{blob_key}', successStatus: '200' },
    { op: 'CreateBlob', method: 'PUT', route: '/api/stores/{store_id}/records/{record_id}/blobs/{blob_key}', successStatus: '200' },
    { op: 'DeleteBlob', method: 'DELETE', route: '/api/stores/{store_id}/records/{record_id}/blobs/{blob_key}', successStatus: '204' },
  ],
  metadata: [
    { op: 'GetMetadata', method: 'GET', route: '/api/metadata/{type}/{id}', successStatus: '200' },
    { op: 'PutMetadata', method: 'POST', route: '/api/metadata/{type}/{id}', successStatus: '200' },
    { op: 'DeleteMetadata', method: 'DELETE', route: '/api/metadata/{type}/{id}', successStatus: '204' },
  ],
} as const satisfies Record<string, readonly HttpOperation[]>;

export type HttpOperationGroup = keyof typeof HTTP_OPERATION_GROUPS;

export const HTTP_OPERATIONS: readonly HttpOperation[] = Object.values(HTTP_OPERATION_GROUPS).flat();

export type Protocol = 'grpc' | 'http';

// One operation as the k6 metrics identify it: the duration metric it lands in
// (GrpcRequestDuration or HttpRequestDuration) depends on the protocol.
export interface OperationSeries {
  readonly protocol: Protocol;
  readonly group: string;
  readonly op: string;
  readonly successStatus: string;
}

export function operationSeries(protocols: readonly Protocol[]): OperationSeries[] {
  const series: OperationSeries[] = [];
  if (protocols.includes('grpc')) {
    for (const [group, ops] of Object.entries(GRPC_OPERATION_GROUPS)) {
      for (const op of ops) series.push({ protocol: 'grpc', group, op, successStatus: GRPC_SUCCESS_STATUS });
    }
  }
  if (protocols.includes('http')) {
    for (const [group, ops] of Object.entries(HTTP_OPERATION_GROUPS)) {
      // One series per op: routes sharing an op (and its success status) share its metrics.
      for (const { op, successStatus } of ops) {
        if (!series.some((known) => known.protocol === 'http' && known.op === op)) series.push({ protocol: 'http', group, op, successStatus });
      }
    }
  }
  return series;
}
