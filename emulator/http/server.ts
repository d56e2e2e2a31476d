// The HTTP listener: the AWS port's REST API over the shared state, plus /health,
// /metrics and the chunk URLs. Each request is counted per route and status;
// injected faults apply to API routes only, so probes keep working.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { ServiceContext } from '../grpc-service.js';
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

const faultNames = (names: Record<string, string>) => (method: string) => names[method] ?? `Http${method}`;

/** Matches /api/stores... by segment count, mirroring the AWS port's ServeMux prefixes. */
function resolve(segments: string[]): Route | undefined {
  const [first, second, storeId, third, recordId, fourth, blobKey] = segments;
  if (segments.length === 0) return { template: '/', handler: banner, params: [] };
  if (first === 'health' && segments.length === 1) return { template: '/health', handler: health, params: [] };
  if (first === 'chunks' && segments.length === 3) {
    return { template: '/chunks/{blob_key}/{number}', faultName: () => 'HttpGetChunk', handler: chunkRoute, params: segments.slice(1) };
  }
  if (first !== 'api') return undefined;
  if (second === 'metadata') {
    return {
      template: '/api/metadata/{type}/{id}',
      faultName: faultNames({ GET: 'HttpGetMetadata', POST: 'HttpPutMetadata', DELETE: 'HttpDeleteMetadata' }),
      handler: metadataRoute,
      params: segments.slice(2),
    };
  }
  if (second !== 'stores') return undefined;
  switch (segments.length) {
    case 2:
      return { template: '/api/stores', faultName: faultNames({ GET: 'HttpListStores', POST: 'HttpCreateStore' }), handler: storesRoute, params: [] };
    case 3:
      return {
        template: '/api/stores/{store_id}',
        faultName: faultNames({ GET: 'HttpGetStore', DELETE: 'HttpDeleteStore' }),
        handler: storeRoute,
        params: [storeId!],
      };
    case 4:
      if (third !== 'records') return undefined;
      return {
        template: '/api/stores/{store_id}/records',
        faultName: faultNames({ GET: 'HttpQueryRecords', POST: 'HttpCreateRecord' }),
        handler: recordsRoute,
        params: [storeId!],
      };
    case 5:
      if (third !== 'records') return undefined;
      return {
        template: '/api/stores/{store_id}/records/{record_id}',
        faultName: faultNames({ GET: 'HttpGetRecord', PUT: 'HttpUpdateRecord', DELETE: 'HttpDeleteRecord' }),
        handler: recordRoute,
        params: [storeId!, recordId!],
      };
    case 6:
      if (third !== 'records' || fourth !== 'blobs') return undefined;
      return {
        template: '/api/stores/{store_id}/records/{record_id}/blobs',
        faultName: () => 'HttpListBlobs',
        handler: blobListRoute,
        params: [storeId!, recordId!],
      };
    case 7:
      if (third !== 'records' || fourth !== 'blobs') return undefined;
      return {
        template: '/api/stores/{store_id}/records/{record_id}/blobs/{blob_key}',
        faultName: faultNames({ GET: 'HttpGetBlob', PUT: 'HttpPutBlob', DELETE: 'HttpDeleteBlob' }),
        handler: blobRoute,
        params: [storeId!, recordId!, blobKey!],
      };
    default:
      return undefined;
  }
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
    const blocked = route?.template === '/health' ? undefined : service.gate?.firewall(request.socket.remoteAddress);
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
