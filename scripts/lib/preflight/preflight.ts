// The preflight/ folder: one bounded probe of the target before any load, and what a failed probe means.
//
// The first thing setup() does: one bounded probe of the target (gRPC: connect
// and Ping; HTTP: GET /health and one API read), at most PREFLIGHT_BUDGET_MS in
// all. When the target cannot serve the run, the test stops with one line that
// names the cause and the variable to change (preflight-diagnosis.ts), instead of
// every call waiting for its timeout. Its calls carry no `op` tag, so they count
// in no operation's metrics.
import grpc from 'k6/net/grpc';
import http from 'k6/http';
import exec from 'k6/execution';
import { HTTP_PATHS, httpRoute, pathFiller, routeLabel } from '../../../catalogue/http-routes.js';
import { GRPC_STATUS_NAMES, SERVICE } from '../config/constants.js';
import { ConfigError } from '../config/errors.js';
import { config } from '../config/runtime.js';
import { resolveUserPath } from '../config/user-path.js';
import {
  diagnoseGrpcConnect,
  diagnoseHttp,
  diagnoseHttpsRetry,
  diagnoseOtherSetting,
  diagnosePingStatus,
  httpGaveUpLine,
  unavailableLine,
  type HttpAnswer,
  type TransportSetting,
} from './preflight-diagnosis.js';

export const PREFLIGHT_BUDGET_MS = 10_000;
// A mismatched TLS setting makes grpc-go wait out the whole connect timeout, twice when the other setting is tried.
const FIRST_CONNECT_MS = 3_000;
const OTHER_CONNECT_MS = 2_500;
const CALL_MS = 3_000;
// Enough left for one more call to be worth making.
const MIN_CALL_MS = 300;
const PREFLIGHT_TAGS = { phase: 'preflight' };

// Only the VUs that run setup() and teardown() (id 0 in the init context) probe:
// the others skip parsing the proto a second time.
const probe = config.transport === 'grpc' && __VU === 0 ? loadProbe() : undefined;

function loadProbe(): { client: grpc.Client; caCert: string | undefined } {
  const client = new grpc.Client();
  client.load(['../proto'], 'open_saves.proto');
  let caCert: string | undefined;
  if (config.caCertPath !== undefined) {
    try {
      caCert = open(resolveUserPath(config.caCertPath));
    } catch {
      exec.test.abort(new ConfigError('OPEN_SAVES_CA_CERT', 'a readable PEM file', config.caCertPath).message);
    }
  }
  return { client, caCert };
}

/** Stops the test with `line` (k6 exits 108) when the target cannot serve the run. */
export function preflight(): void {
  const line = config.transport === 'http' ? probeHttp() : probeGrpc();
  if (line !== undefined) exec.test.abort(line);
}

function remaining(deadline: number): number {
  return deadline - Date.now();
}

function connect(setting: TransportSetting, timeoutMs: number): string | undefined {
  if (!probe) return 'the preflight client was not loaded';
  try {
    probe.client.connect(config.addr, {
      plaintext: setting === 'plaintext',
      timeout: `${Math.max(MIN_CALL_MS, timeoutMs)}ms`,
      // @types/k6 marks cert and key as required, but k6 accepts a CA bundle alone (server-only TLS).
      ...(setting === 'tls' && probe.caCert !== undefined ? { tls: { cacerts: [probe.caCert] } as unknown as grpc.TLSParams } : {}),
    });
    return undefined;
  } catch (error) {
    return String(error);
  }
}

function close(): void {
  try {
    probe?.client.close();
  } catch {
    // Nothing to close after a failed connect.
  }
}

function probeGrpc(): string | undefined {
  const deadline = Date.now() + PREFLIGHT_BUDGET_MS;
  const setting: TransportSetting = config.tls ? 'tls' : 'plaintext';
  const connectError = connect(setting, FIRST_CONNECT_MS);
  if (connectError !== undefined) {
    const verdict = diagnoseGrpcConnect(connectError, config.addr, setting, FIRST_CONNECT_MS / 1000);
    if ('line' in verdict) return verdict.line;
    const otherError = connect(verdict.tryOther, Math.min(OTHER_CONNECT_MS, remaining(deadline) - MIN_CALL_MS));
    close();
    return diagnoseOtherSetting(setting, otherError, config.addr, connectError);
  }
  const line = pingUntilAnswered(deadline);
  close();
  return line;
}

const authMetadata = config.authToken === undefined ? {} : { metadata: { authorization: `Bearer ${config.authToken}` } };

// Pings answered UNAVAILABLE before the run goes on anyway: the server was reached and
// speaks gRPC, so what is wrong with it is the run's to measure (injected faults, overload).
const UNAVAILABLE_PINGS = 5;

// Retries while Ping ends UNAVAILABLE (injected faults, a server starting up) and time is left.
function pingUntilAnswered(deadline: number): string | undefined {
  let lastError = '';
  for (let attempt = 0; remaining(deadline) > MIN_CALL_MS; attempt++) {
    if (attempt === UNAVAILABLE_PINGS) {
      console.warn(`preflight: ${config.addr} answered ${attempt} Pings UNAVAILABLE (${lastError}); the run goes on and counts the failures`);
      return undefined;
    }
    let status: string;
    let error: string;
    try {
      const response = probe!.client.invoke(`${SERVICE}/Ping`, { ping: 'preflight' }, {
        timeout: `${Math.min(CALL_MS, remaining(deadline))}ms`,
        tags: PREFLIGHT_TAGS,
        discardResponseMessage: true,
        ...authMetadata,
      });
      status = GRPC_STATUS_NAMES[Number(response.status)] ?? 'UNKNOWN';
      error = response.error ? String((response.error as { message?: string }).message ?? '') : '';
    } catch (thrown) {
      status = 'UNAVAILABLE';
      error = String(thrown);
    }
    if (status === 'OK') return undefined;
    const line = diagnosePingStatus(status, error, config.addr, config.authToken !== undefined);
    if (line !== undefined) return line;
    lastError = error;
  }
  return unavailableLine(config.addr, lastError);
}

const httpHeaders: Record<string, string> = config.authToken === undefined ? {} : { Authorization: `Bearer ${config.authToken}` };
// A store no run makes (store keys start with a run id, which has no dots): the API answers 404, or 401/403 without a valid token.
const API_PROBE_PATH = pathFiller('store')('preflight.probe');
// The probes' `name` tags: the health route and the port's store read.
const PROBES = [
  [HTTP_PATHS.health, `GET ${HTTP_PATHS.health}`],
  [API_PROBE_PATH, routeLabel(httpRoute('GetStore'))],
] as const;

function httpAnswer(url: string, timeoutMs: number, route: string): HttpAnswer {
  const response = http.get(url, {
    headers: httpHeaders,
    timeout: `${Math.max(MIN_CALL_MS, timeoutMs)}ms`,
    tags: { ...PREFLIGHT_TAGS, name: route },
    responseCallback: http.expectedStatuses(200, 404),
  });
  return {
    status: response.status,
    error: String(response.error ?? ''),
    server: String(response.headers.Server ?? ''),
    xCache: String(response.headers['X-Cache'] ?? ''),
    body: typeof response.body === 'string' ? response.body.slice(0, 500) : '',
  };
}

function probeHttp(): string | undefined {
  const deadline = Date.now() + PREFLIGHT_BUDGET_MS;
  for (const [path, route] of PROBES) {
    let last = '';
    for (;;) {
      if (remaining(deadline) <= MIN_CALL_MS) return httpGaveUpLine(config.httpUrl, last);
      const answer = httpAnswer(`${config.httpUrl}${path}`, Math.min(CALL_MS, remaining(deadline)), route);
      const verdict = diagnoseHttp(answer, config.httpUrl, route, config.authToken !== undefined);
      if ('line' in verdict) return verdict.line;
      if ('tryHttps' in verdict) {
        const https = httpAnswer(`${config.httpUrl.replace(/^http:/, 'https:')}${path}`, Math.min(CALL_MS, remaining(deadline)), route);
        return diagnoseHttpsRetry(https.status === 0 ? https.error : undefined, config.httpUrl, answer.error);
      }
      if ('ok' in verdict) break;
      last = verdict.retry;
    }
  }
  return undefined;
}
