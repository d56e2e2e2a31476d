// What an HTTP route handler gets: the state, the parsed request and body readers
// that stop at the byte budget instead of buffering without bound.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { BlobDamage } from '../faults.js';
import type { State } from '../state/state.js';
import { HttpError } from './respond.js';

export interface HttpContext {
  readonly state: State;
  readonly method: string;
  /** Path segments after the route prefix, already URL-decoded. */
  readonly params: readonly string[];
  readonly query: URLSearchParams;
  readonly request: IncomingMessage;
  readonly response: ServerResponse;
  /** How a blob download of this request is sent (--corrupt-blobs, --truncate-blobs) */
  readonly blobDamage?: BlobDamage;
}

/** Reads the whole body; fails with 507 once it would not fit in the remaining budget. */
export async function readBody(context: HttpContext): Promise<Buffer> {
  const { state, request } = context;
  const room = state.budget.maxBytes - state.budget.usedBytes;
  const declared = Number(request.headers['content-length'] ?? 0);
  if (declared > room) {
    request.resume();
    throw budgetExceeded(declared, room);
  }
  const pieces: Buffer[] = [];
  let length = 0;
  for await (const piece of request as AsyncIterable<Buffer>) {
    length += piece.length;
    if (length > room) throw budgetExceeded(length, room);
    pieces.push(piece);
  }
  return pieces.length === 1 ? pieces[0]! : Buffer.concat(pieces, length);
}

function budgetExceeded(bytes: number, room: number): HttpError {
  return new HttpError(507, `request body of ${bytes} bytes exceeds the ${room} bytes left in the state budget (raise --max-bytes)`);
}

/** Parses a JSON body; a decode failure is a 400 with the parser's message, as in the AWS port. */
export async function readJson(context: HttpContext): Promise<unknown> {
  const body = await readBody(context);
  try {
    return JSON.parse(body.toString('utf8'));
  } catch (error) {
    throw new HttpError(400, error instanceof Error ? error.message : 'invalid JSON');
  }
}

export async function readJsonObject(context: HttpContext): Promise<Record<string, unknown>> {
  const value = await readJson(context);
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new HttpError(400, `request body must be a JSON object, got ${Array.isArray(value) ? 'an array' : typeof value}`);
  }
  return value as Record<string, unknown>;
}
