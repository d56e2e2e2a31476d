// The few things the transports need to talk to the gate: a call's description from
// what they hold (a gRPC request, an HTTP route's parameters), the outcome they
// report, and a rejection as a gRPC status.
import type { ServerErrorResponse } from '@grpc/grpc-js';
import { parseHistoryWindow, type Admission, type CallDescription, type CallOutcome, type CapacityGate, type Ticket } from './gate.js';
import type { Rejection } from './component-model.js';
import { approximateBytes } from './sizes.js';

export { approximateBytes } from './sizes.js';

export function rpcCall(operation: string, request: unknown, requestBytes = approximateBytes(request)): CallDescription {
  return { transport: 'grpc', operation, request, requestBytes };
}

export function httpCall(operation: string, params: readonly string[], contentLength: string | undefined): CallDescription {
  const bytes = Number(contentLength ?? 0);
  return { transport: 'http', operation, params, requestBytes: Number.isFinite(bytes) && bytes > 0 ? bytes : 0 };
}

export function rpcOutcome(ok: boolean, response: unknown): CallOutcome {
  return { ok, responseBytes: ok ? approximateBytes(response) : 0 };
}

export function rejectionError(rejection: Rejection): ServerErrorResponse {
  return Object.assign(new Error(rejection.grpcMessage), { code: rejection.grpcCode, details: rejection.grpcMessage });
}

/**
 * Runs `run` with the admission's ticket when the gate's model lets the call go, or `reject`
 * with the model's status; with no model, runs it at once with no ticket.
 */
export function admitRpc(
  gate: CapacityGate | undefined,
  call: () => CallDescription,
  run: (ticket: Ticket | undefined) => void,
  reject: (error: ServerErrorResponse) => void,
): void {
  if (!gate?.model) return run(undefined);
  gate.admit(call(), (admission: Admission) => (admission.ok ? run(admission.ticket) : reject(rejectionError(admission.rejection))));
}

/** An HTTP call's outcome from the response it sent. */
export function httpOutcome(response: import('node:http').ServerResponse): CallOutcome {
  const length = Number(response.getHeader('content-length') ?? 0);
  return { ok: response.statusCode < 400, responseBytes: Number.isFinite(length) ? length : 0 };
}

export const FAILED_OUTCOME: CallOutcome = Object.freeze({ ok: false, responseBytes: 0 });

/** The model's admission as a promise, for the HTTP dispatch's async flow. */
export function admitHttp(gate: CapacityGate, call: CallDescription): Promise<Admission> {
  return new Promise((resolve) => gate.admit(call, resolve));
}

/**
 * GET /metrics/history?from=&to=: the gate's history as ServerMetricsHistory JSON; 400 naming
 * a bad parameter; 404 when the emulator runs without --model or --waf-limit. Returns the status sent.
 */
export function serveMetricsHistory(gate: CapacityGate | undefined, method: string, query: URLSearchParams, response: import('node:http').ServerResponse): number {
  const send = (statusCode: number, text: string, type: string): number => {
    response.writeHead(statusCode, { 'Content-Type': type, 'Content-Length': Buffer.byteLength(text) });
    response.end(text);
    return statusCode;
  };
  if (method !== 'GET') return send(405, 'Method not allowed\n', 'text/plain; charset=utf-8');
  if (!gate) return send(404, 'no component model: start the emulator with --model [FILE] (or --waf-limit N)\n', 'text/plain; charset=utf-8');
  const window = parseHistoryWindow(query);
  if ('error' in window) return send(400, `${window.error}\n`, 'text/plain; charset=utf-8');
  return send(200, `${JSON.stringify(gate.metricsHistory(window.from, window.to))}\n`, 'application/json');
}
