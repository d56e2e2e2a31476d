// Response helpers in the AWS port's conventions: JSON with a trailing newline,
// errors as short text/plain messages, and RpcError codes mapped to HTTP statuses.
import { status } from '@grpc/grpc-js';
import type { ServerResponse } from 'node:http';
import type { AccessDenial } from '../auth.js';
import { RpcError } from '../errors.js';

export function sendJson(response: ServerResponse, statusCode: number, body: unknown): void {
  const text = `${JSON.stringify(body)}\n`;
  response.writeHead(statusCode, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(text) });
  response.end(text);
}

export function sendText(response: ServerResponse, statusCode: number, message: string, contentType = 'text/plain; charset=utf-8'): void {
  const text = `${message}\n`;
  response.writeHead(statusCode, { 'Content-Type': contentType, 'Content-Length': Buffer.byteLength(text) });
  response.end(text);
}

export function sendEmpty(response: ServerResponse, statusCode: number): void {
  response.writeHead(statusCode, { 'Content-Length': 0 });
  response.end();
}

export function sendBytes(response: ServerResponse, data: Buffer): void {
  response.writeHead(200, { 'Content-Type': 'application/octet-stream', 'Content-Length': data.length });
  response.end(data);
}

/**
 * 401/403 for --require-token, as JSON (`{"error", "status"}`) so a client can tell it from the
 * text/plain API errors and from CloudFront's WAF page.
 */
export function sendAccessDenied(response: ServerResponse, denial: AccessDenial): void {
  const text = `${JSON.stringify({ error: denial.message, status: denial.httpStatus })}\n`;
  const headers: Record<string, string | number> = { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(text) };
  if (denial.httpStatus === 401) headers['WWW-Authenticate'] = 'Bearer';
  response.writeHead(denial.httpStatus, headers);
  response.end(text);
}

/** An HTTP failure with its status and message (the body the client sees). */
export class HttpError extends Error {
  constructor(
    readonly statusCode: number,
    message: string,
  ) {
    super(message);
    this.name = 'HttpError';
  }
}

export const methodNotAllowed = (): HttpError => new HttpError(405, 'Method not allowed');

const HTTP_STATUS_BY_CODE: Partial<Record<status, number>> = {
  [status.INVALID_ARGUMENT]: 400,
  [status.NOT_FOUND]: 404,
  [status.ALREADY_EXISTS]: 409,
  [status.FAILED_PRECONDITION]: 409,
  [status.RESOURCE_EXHAUSTED]: 507,
  [status.UNAVAILABLE]: 503,
};

export function httpStatusOf(error: unknown): number {
  if (error instanceof HttpError) return error.statusCode;
  if (error instanceof RpcError) return HTTP_STATUS_BY_CODE[error.code] ?? 500;
  return 500;
}
