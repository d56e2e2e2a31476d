// The one gateway to the AWS port's REST API (TRANSPORT=http). Every request is
// tagged op=<RPC name> (the gRPC operation it stands for) and name=<route>, and
// counted in opensaves_errors with its HTTP status when it fails, like the gRPC
// client does with status names (k6's http_req_duration counts every request).
// A 403 from CloudFront's WAF is no API error: it is counted in
// opensaves_waf_blocked, and the summary says once what to do about it (waf.ts).
import http, { type RefinedParams, type RefinedResponse, type ResponseType } from 'k6/http';
import { HTTP_TIMEOUT, type RpcName } from '../config/constants.js';
import { errors, wafBlocked } from '../metrics/metrics.js';
import { statusChecks } from '../verify/checks.js';
import { config } from '../config/runtime.js';
import { isWafBlock } from './waf.js';

export interface HttpCallOptions {
  /** statuses that count as success; default 200, 201, 204 */
  readonly expect?: readonly number[];
  /** the route template, e.g. GET /api/stores/{store_id} (the `name` tag) */
  readonly route: string;
  /**
   * How k6 keeps the body: 'text' (the default), 'binary' (an ArrayBuffer) or 'none' (read to
   * its end and dropped, never handed to the script; the result then has the Content-Length).
   */
  readonly responseType?: 'text' | 'binary' | 'none';
  /** extra metric tags, e.g. {cache: 'skip'} */
  readonly tags?: Readonly<Record<string, string>>;
  /** the verify() sentence the caller checks next when the call succeeds; the status check then carries it */
  readonly readBack?: string;
}

export interface HttpResult {
  readonly ok: boolean;
  readonly status: number;
  /** null for responseType 'none' */
  readonly body: string | ArrayBuffer | null;
  /** for responseType 'none': the response's Content-Length header; null without one, and for other response types */
  readonly contentLength: number | null;
}

const SUCCESS = [200, 201, 204];

// Per VU: once the WAF blocks this runner, every further request is blocked too and only
// adds to the count that keeps it blocked; work that loops over many keys stops on it.
let wafBlockSeen = false;

/** Whether CloudFront's WAF has blocked one of this VU's requests. */
export function wafBlockedThisVu(): boolean {
  return wafBlockSeen;
}
const FAILURES_PRINTED_PER_OP = 3;
const failuresPrinted: Partial<Record<RpcName, number>> = {};

// k6's http_req_failed counts by the response callback; a probe that expects a 404
// ("is it gone?") declares it, so dashboards reading that metric see real failures only.
// One callback per distinct list, made once: k6 builds each in Go.
const expectedCallbacks = new Map<string, ReturnType<typeof http.expectedStatuses>>();
function expectedStatusesOf(statuses: readonly number[]): ReturnType<typeof http.expectedStatuses> {
  const key = statuses.join(',');
  let callback = expectedCallbacks.get(key);
  if (callback === undefined) {
    callback = http.expectedStatuses(...statuses);
    expectedCallbacks.set(key, callback);
  }
  return callback;
}

export function httpCall(op: RpcName, method: string, path: string, body: string | ArrayBuffer | null, options: HttpCallOptions): HttpResult {
  const headers: Record<string, string> = {};
  if (typeof body === 'string') headers['Content-Type'] = 'application/json';
  if (body instanceof ArrayBuffer) headers['Content-Type'] = 'application/octet-stream';
  if (config.authToken !== undefined) headers.Authorization = `Bearer ${config.authToken}`;
  const expected = options.expect ?? SUCCESS;
  const params: RefinedParams<ResponseType> = {
    headers,
    timeout: HTTP_TIMEOUT,
    tags: options.tags === undefined ? { op, name: options.route } : { op, name: options.route, ...options.tags },
    responseType: options.responseType ?? 'text',
    responseCallback: expectedStatusesOf(expected),
  };
  const response = http.request(method, `${config.httpUrl}${path}`, body, params);
  const ok = expected.includes(response.status);
  if (!ok && isWafBlock(response.status, headerOf(response, 'Server'), headerOf(response, 'X-Cache'), textOf(response))) {
    wafBlocked.add(1, { op });
    wafBlockSeen = true;
    statusChecks.call(op, false);
    return { ok, status: response.status, body: null, contentLength: null };
  }
  if (!ok) {
    errors.add(1, { op, status: String(response.status) });
    const printed = failuresPrinted[op] ?? 0;
    if (printed < FAILURES_PRINTED_PER_OP) console.warn(`${op} ${method} ${path} ended with ${response.status}: ${String(response.error || response.body).slice(0, 200)}`);
    failuresPrinted[op] = printed + 1;
  }
  statusChecks.call(op, ok, options.readBack);
  // A body k6 failed to read to its end (shorter than its Content-Length) leaves status 0: not ok.
  const contentLength = options.responseType === 'none' ? declaredLength(response) : null;
  return { ok, status: response.status, body: response.body as string | ArrayBuffer | null, contentLength };
}

function declaredLength(response: RefinedResponse<ResponseType>): number | null {
  const header = response.headers['Content-Length'];
  return header === undefined || header === '' || !/^\d+$/.test(header) ? null : Number(header);
}

function headerOf(response: RefinedResponse<ResponseType>, name: string): string {
  return String(response.headers[name] ?? '');
}

function textOf(response: RefinedResponse<ResponseType>): string {
  return typeof response.body === 'string' ? response.body : '';
}

export function parseJson<T>(result: HttpResult): T | null {
  if (!result.ok || typeof result.body !== 'string' || result.body === '') return null;
  try {
    return JSON.parse(result.body) as T;
  } catch {
    return null;
  }
}

export function encodeSegment(value: string): string {
  return encodeURIComponent(value);
}
