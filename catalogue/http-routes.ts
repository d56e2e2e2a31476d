// The AWS port's REST API (shared/spec/open-saves-aws-http.md, section 3) as one table: each route's method, path
// template, the k6 `op` tag it is measured under and the status it answers on success. The scenarios' HTTP transport,
// preflight and cleanup build their requests from it, the emulator's router matches requests against it, and the
// dashboards and analysis name operations from it (operations.ts). Plain data with no imports, so the k6 bundles,
// Node and the CDKTF app can all load it.

/** The port's path templates; `{name}` is one URL-encoded path segment. */
export const HTTP_PATHS = {
  health: '/health',
  stores: '/api/stores',
  store: '/api/stores/{store_id}',
  records: '/api/stores/{store_id}/records',
  record: '/api/stores/{store_id}/records/{record_id}',
  blobs: '/api/stores/{store_id}/records/{record_id}/blobs',
  blob: '/api/stores/{store_id}/records/{record_id}/blobs/{blob_key}',
  metadata: '/api/metadata/{type}/{id}',
} as const;

export type HttpPathName = keyof typeof HTTP_PATHS;
export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'DELETE';
export type HttpRouteGroup = 'stores' | 'records' | 'blobs' | 'metadata';

export interface HttpRoute {
  /** The route's own name, unique in the table; the emulator's per-route faults are `Http<action>`. */
  readonly action: string;
  readonly group: HttpRouteGroup;
  /** The k6 `op` tag: the gRPC call the route stands in for, so listing blob keys and reading a blob are both GetBlob. */
  readonly op: string;
  readonly method: HttpMethod;
  readonly path: HttpPathName;
  /** The status the port answers on success; latency alarms watch successful calls only. */
  readonly successStatus: 200 | 201 | 204;
}

export const HTTP_ROUTES = [
  { action: 'ListStores', group: 'stores', op: 'ListStores', method: 'GET', path: 'stores', successStatus: 200 },
  { action: 'CreateStore', group: 'stores', op: 'CreateStore', method: 'POST', path: 'stores', successStatus: 201 },
  { action: 'GetStore', group: 'stores', op: 'GetStore', method: 'GET', path: 'store', successStatus: 200 },
  { action: 'DeleteStore', group: 'stores', op: 'DeleteStore', method: 'DELETE', path: 'store', successStatus: 204 },
  { action: 'QueryRecords', group: 'records', op: 'QueryRecords', method: 'GET', path: 'records', successStatus: 200 },
  { action: 'CreateRecord', group: 'records', op: 'CreateRecord', method: 'POST', path: 'records', successStatus: 201 },
  { action: 'GetRecord', group: 'records', op: 'GetRecord', method: 'GET', path: 'record', successStatus: 200 },
  { action: 'UpdateRecord', group: 'records', op: 'UpdateRecord', method: 'PUT', path: 'record', successStatus: 200 },
  { action: 'DeleteRecord', group: 'records', op: 'DeleteRecord', method: 'DELETE', path: 'record', successStatus: 204 },
  { action: 'ListBlobs', group: 'blobs', op: 'GetBlob', method: 'GET', path: 'blobs', successStatus: 200 },
  { action: 'GetBlob', group: 'blobs', op: 'GetBlob', method: 'GET', path: 'blob', successStatus: 200 },
  { action: 'PutBlob', group: 'blobs', op: 'CreateBlob', method: 'PUT', path: 'blob', successStatus: 200 },
  { action: 'DeleteBlob', group: 'blobs', op: 'DeleteBlob', method: 'DELETE', path: 'blob', successStatus: 204 },
  { action: 'GetMetadata', group: 'metadata', op: 'GetMetadata', method: 'GET', path: 'metadata', successStatus: 200 },
  { action: 'PutMetadata', group: 'metadata', op: 'PutMetadata', method: 'POST', path: 'metadata', successStatus: 200 },
  { action: 'DeleteMetadata', group: 'metadata', op: 'DeleteMetadata', method: 'DELETE', path: 'metadata', successStatus: 204 },
] as const satisfies readonly HttpRoute[];

export type HttpAction = (typeof HTTP_ROUTES)[number]['action'];

const BY_ACTION = new Map<string, HttpRoute>(HTTP_ROUTES.map((route) => [route.action, route]));

/** The route of an action; the table holds every action the type allows. */
export function httpRoute(action: HttpAction): HttpRoute {
  return BY_ACTION.get(action) as HttpRoute;
}

/** The route serving `method` on a path template, if the port has one. */
export function routeFor(path: HttpPathName, method: string): HttpRoute | undefined {
  return HTTP_ROUTES.find((route) => route.path === path && route.method === method);
}

/** `GET /api/stores/{store_id}`: the k6 `name` tag of a route and the emulator's `route` label. */
export function routeLabel(route: HttpRoute): string {
  return `${route.method} ${HTTP_PATHS[route.path]}`;
}

/**
 * A function that fills a template's placeholders, in order, with segments already encoded by the caller.
 * Built once per template: k6 scenarios fill paths on every request.
 */
export function pathFiller(path: HttpPathName): (...segments: string[]) => string {
  const parts = HTTP_PATHS[path].split(/\{[a-z_]+\}/);
  return (...segments) => {
    let filled = parts[0] as string;
    for (let index = 1; index < parts.length; index++) filled += (segments[index - 1] ?? '') + parts[index];
    return filled;
  };
}

/** The placeholder values of decoded path segments that match a template, or undefined when they do not. */
export function matchPath(path: HttpPathName, segments: readonly string[]): string[] | undefined {
  const template = HTTP_PATHS[path].split('/').slice(1);
  if (template.length !== segments.length) return undefined;
  const values: string[] = [];
  for (let index = 0; index < template.length; index++) {
    const part = template[index] as string;
    const segment = segments[index] as string;
    if (part.startsWith('{')) values.push(segment);
    else if (part !== segment) return undefined;
  }
  return values;
}
