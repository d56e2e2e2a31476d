// The values of the k6 `op` tag that dashboards and alarms plot one line or one alarm for.
// gRPC: the 27 RPCs of service opensaves.OpenSaves (proto/open_saves.proto); a test
// checks this list against the proto so the two cannot drift apart.
// HTTP: the routes of the AWS port, from its one route table (http-routes.ts), tagged with the
// name of the gRPC call they stand in for, so listing blob keys and reading a blob are both GetBlob.
// The metadata routes have no gRPC counterpart and keep names of their own.

import { OPERATION_GROUPS, RPC_NAMES, type OperationGroup, type RpcName } from '../proto/operations.js';
import { HTTP_PATHS, HTTP_ROUTES, type HttpMethod, type HttpRouteGroup } from './http-routes.js';

export const GRPC_OPERATION_GROUPS = OPERATION_GROUPS;
export type GrpcOperationGroup = OperationGroup;
export type GrpcOperation = RpcName;
export const GRPC_OPERATIONS: readonly GrpcOperation[] = RPC_NAMES;

// k6 tags grpc_req_duration, streams included, with the numeric status code
// (strconv.Itoa of the code in k6's grpcext stats handler); 0 is OK.
export const GRPC_SUCCESS_STATUS = '0';

export interface HttpOperation {
  readonly op: string;
  readonly method: HttpMethod;
  readonly route: string;
  // The status the AWS port answers on success; latency alarms watch successful calls only.
  readonly successStatus: '200' | '201' | '204';
}

export type HttpOperationGroup = HttpRouteGroup;

// One entry per route of the port's table (http-routes.ts), in the shape the dashboards and alarms read.
export const HTTP_OPERATIONS: readonly HttpOperation[] = HTTP_ROUTES.map((route) => ({
  op: route.op,
  method: route.method,
  route: HTTP_PATHS[route.path],
  successStatus: String(route.successStatus) as HttpOperation['successStatus'],
}));

export const HTTP_OPERATION_GROUPS: Readonly<Record<HttpOperationGroup, readonly HttpOperation[]>> = {
  stores: HTTP_OPERATIONS.filter((_, index) => HTTP_ROUTES[index]!.group === 'stores'),
  records: HTTP_OPERATIONS.filter((_, index) => HTTP_ROUTES[index]!.group === 'records'),
  blobs: HTTP_OPERATIONS.filter((_, index) => HTTP_ROUTES[index]!.group === 'blobs'),
  metadata: HTTP_OPERATIONS.filter((_, index) => HTTP_ROUTES[index]!.group === 'metadata'),
};

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
