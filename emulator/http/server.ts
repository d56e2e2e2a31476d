// The HTTP listener: the AWS port's REST API over the shared state, plus /health,
// /metrics and the chunk URLs. Each request is counted per route and status;
// injected faults apply to API routes only, so probes keep working.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { HTTP_PATHS, matchPath, routeFor, type HttpPathName } from '../../catalogue/http-routes.js';
import type { ServiceContext } from '../grpc/grpc-service.js';
import { INJECTED_ERROR_MESSAGE } from '../faults.js';
import { sendAnswer, type Ticket } from '../model/gate.js';
import { admitHttp, FAILED_OUTCOME, httpCall, httpOutcome, serveMetricsHistory } from '../model/transport.js';
import { blobListRoute, blobRoute } from './blobs.js';
import { chunkRoute } from './chunks.js';
import type { HttpContext } from './context.js';
import { metadataRoute } from './metadata.js';
import { recordRoute, recordsRoute } from './records.js';
import { HttpError, httpStatusOf, sendAccessDenied, sendText } from './respond.js';
import { storeRoute, storesRoute } from './stores.js';

type RouteHandler = (context: HttpContext) => void | Promise<void>;

interface Route {
  /** Path template, the `route` label of opensaves_http_requests_total. */
  template: string;
  /** Name for per-method faults (--error-rate HttpGetRecord=0.5); undefined: never faulted. */
  faultName?: (method: string) => string;
  handler: RouteHandler;
  params: string[];
}

// The handler of each of the port's path templates (catalogue/http-routes.ts); methods are checked by the handlers.
const API_HANDLERS: Record<Exclude<HttpPathName, 'health'>, RouteHandler> = {
  stores: storesRoute,
  store: storeRoute,
  records: recordsRoute,
  record: recordRoute,
  blobs: blobListRoute,
  blob: blobRoute,
  metadata: metadataRoute,
};
const API_PATHS = Object.keys(API_HANDLERS) as (keyof typeof API_HANDLERS)[];
// The port serves /api/metadata/ as a prefix and answers a path of the wrong shape with 400 itself.
const METADATA_PREFIX = HTTP_PATHS.metadata.slice(1, HTTP_PATHS.metadata.indexOf('{') - 1).split('/');

/** A per-route fault name (--error-rate HttpGetRecord=0.5) from the port's route table. */
const faultNameOf = (path: HttpPathName) => (method: string) => `Http${routeFor(path, method)?.action ?? method}`;

function apiRoute(path: keyof typeof API_HANDLERS, params: string[]): Route {
  return { template: HTTP_PATHS[path], faultName: faultNameOf(path), handler: API_HANDLERS[path], params };
}

/** Matches a path against the port's templates by its segments, as the AWS port's ServeMux does. */
function resolve(segments: string[]): Route | undefined {
  if (segments.length === 0) return { template: '/', handler: banner, params: [] };
  if (matchPath('health', segments)) return { template: HTTP_PATHS.health, handler: health, params: [] };
  if (segments[0] === 'chunks' && segments.length === 3) {
    return { template: '/chunks/{blob_key}/{number}', faultName: () => 'HttpGetChunk', handler: chunkRoute, params: segments.slice(1) };
  }
  if (METADATA_PREFIX.every((part, index) => segments[index] === part)) return apiRoute('metadata', segments.slice(METADATA_PREFIX.length));
  for (const path of API_PATHS) {
    const params = matchPath(path, segments);
    if (params) return apiRoute(path, params);
  }
  return undefined;
}

function banner(context: HttpContext): void {
  if (context.method !== 'GET') throw new HttpError(405, 'Method not allowed');
  sendText(context.response, 200, 'Open Saves local emulator: AWS port REST API under /api, gRPC on its own port');
}

function health(context: HttpContext): void {
  sendText(context.response, 200, 'OK');
}

/** Splits a path into URL-decoded segments; undefined when a segment cannot be decoded. */
function splitPath(path: string): string[] | undefined {
  const segments = path.split('/').filter((segment, index, all) => segment !== '' || (index > 0 && index < all.length - 1));
  try {
    return segments.map((segment) => decodeURIComponent(segment));
  } catch {
    return undefined;
  }
}

export function createHttpServer(service: ServiceContext, host: string, port: number): Promise<Server> {
  const { state, metrics, faults } = service;

  const handle = async (request: IncomingMessage, response: ServerResponse): Promise<void> => {
    const url = request.url ?? '/';
    const queryStart = url.indexOf('?');
    const path = queryStart < 0 ? url : url.slice(0, queryStart);
    const method = request.method ?? 'GET';
    if (path === '/metrics') {
      metrics.countHttp(`${method} /metrics`, 200);
      sendText(response, 200, (metrics.render(state) + (service.gate?.prometheusText() ?? '')).trimEnd(), 'text/plain; version=0.0.4; charset=utf-8');
      return;
    }
    if (path === '/metrics/history') {
      const query = new URLSearchParams(queryStart < 0 ? '' : url.slice(queryStart + 1));
      metrics.countHttp(`${method} /metrics/history`, serveMetricsHistory(service.gate, method, query, response));
      return;
    }
    const segments = splitPath(path);
    const route = segments && resolve(segments);
    // CloudFront's WAF sees every request before the port does; only the probes are exempt.
    const blocked = route?.template === HTTP_PATHS.health ? undefined : service.gate?.firewall(request.socket.remoteAddress);
    if (blocked) {
      request.resume();
      metrics.countHttp(route ? `${method} ${route.template}` : 'unmatched', blocked.status);
      sendAnswer(response, blocked);
      return;
    }
    if (!route) {
      metrics.countHttp('unmatched', 404);
      request.resume();
      sendText(response, 404, '404 page not found');
      return;
    }
    const label = `${method} ${route.template}`;
    const denied = route.template.startsWith('/api') ? service.access?.check(request.headers.authorization) : undefined;
    if (denied) {
      request.resume();
      metrics.countHttp(label, denied.httpStatus);
      sendAccessDenied(response, denied);
      return;
    }
    if (route.faultName) {
      const decision = faults.decide(route.faultName(method));
      if (decision.delayMs > 0) await new Promise((resolve) => setTimeout(resolve, decision.delayMs));
      if (decision.fail) {
        request.resume();
        metrics.countHttp(label, 503);
        sendText(response, 503, INJECTED_ERROR_MESSAGE);
        return;
      }
    }
    // With --model the component model admits the call first (a delay, or the port's answer when it refuses).
    let ticket: Ticket | undefined;
    if (route.faultName && service.gate?.model) {
      const admission = await admitHttp(service.gate, httpCall(route.faultName(method), route.params, request.headers['content-length']));
      if (!admission.ok) {
        request.resume();
        metrics.countHttp(label, admission.rejection.http.status);
        sendAnswer(response, admission.rejection.http);
        return;
      }
      ticket = admission.ticket;
    }
    const context: HttpContext = {
      state,
      method,
      params: route.params,
      query: new URLSearchParams(queryStart < 0 ? '' : url.slice(queryStart + 1)),
      request,
      response,
      blobDamage: route.faultName && faults.damagesBlobs ? faults.blobDamage(route.faultName(method)) : undefined,
    };
    try {
      await route.handler(context);
      metrics.countHttp(label, response.statusCode);
      if (ticket) service.gate!.finish(ticket, httpOutcome(response));
    } catch (error) {
      if (ticket) service.gate!.finish(ticket, FAILED_OUTCOME);
      const statusCode = httpStatusOf(error);
      if (statusCode === 500 && !(error instanceof HttpError)) service.onUnexpectedError(label, error);
      metrics.countHttp(label, statusCode);
      if (!request.complete) request.resume();
      if (!response.headersSent) sendText(response, statusCode, error instanceof Error ? error.message : String(error));
      else response.destroy();
    }
  };

  const server = createServer({ keepAliveTimeout: 65_000 }, (request, response) => {
    handle(request, response).catch((error: unknown) => {
      service.onUnexpectedError('http', error);
      if (!response.headersSent) sendText(response, 500, 'internal error');
    });
  });
  return new Promise((resolvePromise, reject) => {
    server.once('error', (error) => reject(new Error(`cannot bind the HTTP listener to ${host}:${port}: ${error.message}`)));
    server.listen(port, host, () => resolvePromise(server));
  });
}
