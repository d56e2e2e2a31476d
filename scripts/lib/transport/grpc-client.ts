// The one gateway to the Open Saves gRPC service. Every call goes through
// `record()`, which tags it op=<RPC name>, counts it in opensaves_errors on
// failure and checks its status. Requests are counted from k6's own
// grpc_req_duration samples (one per call), not by a counter sample of ours. One connection per VU,
// opened lazily and reopened after UNAVAILABLE; a deadline on every call.
import grpc from 'k6/net/grpc';
import { ATOMIC_RPCS, CONNECT_TIMEOUT, GRPC_STATUS_NAMES, MAX_RECEIVE_BYTES, SERVICE, STREAM_DEADLINE, UNARY_DEADLINE } from '../config/constants.js';
import type { GrpcStatusName, RpcName } from '../config/constants.js';
import { ConfigError } from '../config/errors.js';
import { readBackFailed, statusChecks } from '../verify/checks.js';
import { atomicContention, errors } from '../metrics/metrics.js';
import { config } from '../config/runtime.js';
import exec from 'k6/execution';
import { resolveUserPath } from '../config/user-path.js';

// The proto is parsed once per VU, in the init context, from ../proto relative to dist/<scenario>.js.
const client = new grpc.Client();
client.load(['../proto'], 'open_saves.proto');

const caCert = config.caCertPath === undefined ? undefined : readCaCert(config.caCertPath);

function readCaCert(path: string): string {
  try {
    return open(resolveUserPath(path));
  } catch {
    exec.test.abort(new ConfigError('OPEN_SAVES_CA_CERT', 'a readable PEM file', path).message);
    throw new Error('unreachable');
  }
}

export interface CallOptions {
  /** statuses that count as success for this call; default OK only */
  readonly expect?: readonly GrpcStatusName[];
  /** extra metric tags, e.g. {cache: 'skip'} */
  readonly tags?: Readonly<Record<string, string>>;
  /** the verify() sentence the caller checks next when the call ends OK; the status check then carries it */
  readonly readBack?: string;
  /**
   * k6 is asked not to decode the response messages (`discardResponseMessage`): the call's
   * status and, for a server stream, its message count remain, each message arriving as `{}`.
   * Turning a blob's content into JavaScript costs k6 more than anything else the kit does.
   */
  readonly discardMessages?: boolean;
}

const NO_OPTIONS: CallOptions = Object.freeze({});

export interface CallResult<T> {
  readonly ok: boolean;
  readonly status: GrpcStatusName;
  /** the response message when the status is OK */
  readonly message: T | null;
  readonly error: string;
}

// A few failures per operation are printed in full; the rest only counted, so logs stay readable under load.
const FAILURES_PRINTED_PER_OP = 3;
const failuresPrinted: Partial<Record<RpcName, number>> = {};

let connected = false;
let connectWarned = false;

function ensureConnected(): boolean {
  if (connected) return true;
  try {
    client.connect(config.addr, {
      plaintext: !config.tls,
      timeout: CONNECT_TIMEOUT,
      maxReceiveSize: MAX_RECEIVE_BYTES,
      // @types/k6 marks cert and key as required, but k6 accepts a CA bundle alone (server-only TLS).
      ...(caCert === undefined ? {} : { tls: { cacerts: [caCert] } as unknown as grpc.TLSParams }),
    });
    connected = true;
  } catch (error) {
    if (!connectWarned) console.warn(`cannot connect to ${config.addr}: ${String(error)}; retrying on the next call`);
    connectWarned = true;
  }
  return connected;
}

/** Drops the connection so the next call dials again; used after UNAVAILABLE. */
function dropConnection(): void {
  if (!connected) return;
  connected = false;
  try {
    client.close();
  } catch {
    // A connection that is already broken may refuse to close; it is discarded either way.
  }
}

// What k6 is handed on every call (params and check objects) is built once per
// operation and VU: k6 reads these objects on each call, and building them per call
// cost more than the status check itself. Calls with extra tags build theirs per call.
interface OperationObjects {
  readonly method: string;
  readonly unaryParams: grpc.Params;
  /** unaryParams asking k6 not to decode the response message: for reads whose message is not looked at */
  readonly statusOnlyParams: grpc.Params;
  readonly streamParams: grpc.Params;
  /** streamParams asking k6 not to decode the streamed messages: for downloads whose bytes are not compared */
  readonly discardingStreamParams: grpc.Params;
  readonly atomic: boolean;
}

// Metadata only with a token: k6 converts every params field it is handed on every call.
const authMetadata: Pick<grpc.Params, 'metadata'> = config.authToken === undefined ? {} : { metadata: { authorization: `Bearer ${config.authToken}` } };
const operations: Partial<Record<RpcName, OperationObjects>> = {};

function objectsFor(op: RpcName): OperationObjects {
  return (operations[op] ??= {
    method: `${SERVICE}/${op}`,
    unaryParams: { tags: { op }, timeout: UNARY_DEADLINE, ...authMetadata },
    statusOnlyParams: { tags: { op }, timeout: UNARY_DEADLINE, discardResponseMessage: true, ...authMetadata },
    streamParams: { tags: { op }, timeout: STREAM_DEADLINE, ...authMetadata },
    discardingStreamParams: { tags: { op }, timeout: STREAM_DEADLINE, discardResponseMessage: true, ...authMetadata },
    atomic: ATOMIC_RPCS.includes(op),
  });
}

/** The params of a call: the operation's prebuilt ones, or built per call when it has extra tags. */
function callParams(op: RpcName, objects: OperationObjects, deadline: string, options: CallOptions): grpc.Params {
  const discard = options.discardMessages === true;
  if (options.tags === undefined) {
    if (deadline === UNARY_DEADLINE) return discard ? objects.statusOnlyParams : objects.unaryParams;
    return discard ? objects.discardingStreamParams : objects.streamParams;
  }
  return { tags: { op, ...options.tags }, timeout: deadline, ...(discard ? { discardResponseMessage: true } : {}), ...authMetadata };
}

function statusName(code: number): GrpcStatusName {
  // k6 hands the code over as a Go value; Number() makes it usable as an index.
  return GRPC_STATUS_NAMES[Number(code)] ?? 'UNKNOWN';
}

function record<T>(
  op: RpcName,
  status: GrpcStatusName,
  message: T | null,
  error: string,
  options: CallOptions,
  objects: OperationObjects = objectsFor(op),
): CallResult<T> {
  const ok = options.expect === undefined ? status === 'OK' : options.expect.includes(status);
  if (!ok) {
    errors.add(1, { op, status, ...options.tags });
    const printed = failuresPrinted[op] ?? 0;
    if (printed < FAILURES_PRINTED_PER_OP) console.warn(`${op} ended with ${status}: ${error}`);
    failuresPrinted[op] = printed + 1;
  }
  if (objects.atomic) atomicContention.add(status === 'ABORTED', { op });
  statusChecks.call(op, ok, options.readBack);
  if (status === 'UNAVAILABLE') dropConnection();
  return { ok, status, message: status === 'OK' ? message : null, error };
}

// setup() and teardown() retry calls that end UNAVAILABLE, so a flaky target (or
// injected faults) cannot leave a run without its stores or leave data behind.
let unavailableRetries = 0;

/** Retries of UNAVAILABLE unary calls from now on in this VU; 0 turns retrying off. */
export function retryUnavailable(attempts: number): void {
  unavailableRetries = attempts;
}

/** A unary call. */
export function unary<T>(op: RpcName, request: object, options: CallOptions = NO_OPTIONS): CallResult<T> {
  return retried(op, request, options, unaryOnce<T>(op, request, options));
}

/** `first`, or the outcome of calling again while it ends UNAVAILABLE and retries are on. */
function retried<T>(op: RpcName, request: object, options: CallOptions, first: CallResult<T>): CallResult<T> {
  let result = first;
  for (let retry = 0; retry < unavailableRetries && result.status === 'UNAVAILABLE'; retry++) result = unaryOnce<T>(op, request, options);
  return result;
}

function unaryOnce<T>(op: RpcName, request: object, options: CallOptions): CallResult<T> {
  const objects = objectsFor(op);
  if (!ensureConnected()) return record<T>(op, 'UNAVAILABLE', null, 'not connected', options, objects);
  let response: grpc.Response;
  try {
    response = client.invoke(objects.method, request, callParams(op, objects, UNARY_DEADLINE, options));
  } catch (error) {
    // k6 throws (rather than returning a status) when the connection is gone.
    return record<T>(op, 'UNAVAILABLE', null, String(error), options, objects);
  }
  return settle<T>(op, response, options, objects);
}

// Every field read of k6's response is a call into k6: an OK call reads only its
// status and message, a failed one its status and error.
function settle<T>(op: RpcName, response: grpc.Response, options: CallOptions, objects: OperationObjects): CallResult<T> {
  const status = statusName(response.status);
  if (status === 'OK') return record(op, status, response.message as T, '', options, objects);
  return record<T>(op, status, null, response.error ? String((response.error as { message?: string }).message ?? '') : '', options, objects);
}

/** What a verified read finds wrong in the message it read about `subject`; empty when it holds. */
export type ReadDifferences<T, S> = (message: T, subject: S) => readonly string[];

/**
 * A prepared verified read: the message when the call ended OK (whether or not it
 * held), else null; also null for a call its sampler left unverified.
 */
export type VerifiedRead<T, S> = (request: object, subject: S) => T | null;

/** Whether this read of `subject` is verified (called once per read, before the call). */
export type ReadSampler<S> = (subject: S) => boolean;

/** Verifies one read in `every`, counted per VU; `every` 1 verifies them all. */
export function oneReadIn(every: number): ReadSampler<unknown> {
  let reads = 0;
  return () => reads++ % every === 0;
}

/**
 * A unary read whose one check carries its status and its read-back `sentence`,
 * prepared once per VU for the hottest reads of the mix. An OK call takes a
 * straight path: one call into k6, one comparison, one check, on objects built
 * here; how much of a call's CPU the load generator spends is set by how much
 * per-VU state each call touches, since k6 runs consecutive calls on different
 * VUs. A read the sampler leaves unverified checks its status only, and k6 is
 * asked not to decode its message: decoding a response costs k6 more than the
 * rest of a call's script. Anything else (not connected, a thrown call, a status
 * other than OK) goes through unary()'s general path, retries and reconnecting included.
 */
export function verifiedRead<T, S>(op: RpcName, sentence: string, differences: ReadDifferences<T, S>, sampler: ReadSampler<S>): VerifiedRead<T, S> {
  const objects = objectsFor(op);
  const recordFolded = statusChecks.folded(op, sentence);
  const recordStatus = statusChecks.status(op);
  const readBack: CallOptions = { readBack: sentence };
  // After the general path, the call's status check waits for this read-back (status-checks.ts).
  const checkRead = (message: T, subject: S, statusWaits: boolean): T => {
    const found = differences(message, subject);
    const holds = found.length === 0;
    if (!statusWaits || !statusChecks.readBack(op, sentence, holds)) recordFolded(holds);
    if (!holds) readBackFailed(op, sentence, found.join('; '));
    return message;
  };
  // The general path has recorded the status check; a verified read still checks what it read.
  const settled = (result: CallResult<T>, subject: S, verifying: boolean): T | null =>
    verifying && result.message ? checkRead(result.message, subject, true) : null;
  return (request, subject) => {
    const verifying = sampler(subject);
    const options = verifying ? readBack : NO_OPTIONS;
    if (!connected) return settled(unary<T>(op, request, options), subject, verifying);
    let response: grpc.Response;
    try {
      response = client.invoke(objects.method, request, verifying ? objects.unaryParams : objects.statusOnlyParams);
    } catch (error) {
      return settled(retried(op, request, options, record<T>(op, 'UNAVAILABLE', null, String(error), options, objects)), subject, verifying);
    }
    if (statusName(response.status) !== 'OK') return settled(retried(op, request, options, settle<T>(op, response, options, objects)), subject, verifying);
    if (verifying) return checkRead(response.message as T, subject, false);
    recordStatus(true);
    return null;
  };
}

interface StreamOutcome {
  status: GrpcStatusName;
  error: string;
  messages: number;
}

/**
 * Runs one stream to its end. `send` writes the request messages; `onMessage`
 * sees each response message as it arrives (server streams can be large, so
 * nothing is buffered here).
 */
function runStream(
  op: RpcName,
  options: CallOptions,
  send: (stream: grpc.Stream) => void,
  onMessage: (message: unknown) => void,
): Promise<StreamOutcome> {
  return new Promise((resolve) => {
    const outcome: StreamOutcome = { status: 'OK', error: '', messages: 0 };
    let stream: grpc.Stream;
    try {
      const objects = objectsFor(op);
      stream = new grpc.Stream(client, objects.method, callParams(op, objects, STREAM_DEADLINE, options));
    } catch (error) {
      resolve({ status: 'UNAVAILABLE', error: String(error), messages: 0 });
      return;
    }
    stream.on('data', (message) => {
      outcome.messages++;
      onMessage(message);
    });
    stream.on('error', (error) => {
      const grpcError = error as unknown as { code?: number; message?: string };
      outcome.status = statusName(grpcError.code ?? 2);
      outcome.error = grpcError.message ?? '';
    });
    stream.on('end', () => resolve(outcome));
    send(stream);
  });
}

/** A client-streaming call: all `messages` are sent, then the single response is returned. */
export async function clientStream<T>(op: RpcName, messages: readonly object[], options: CallOptions = {}): Promise<CallResult<T>> {
  if (!ensureConnected()) return record<T>(op, 'UNAVAILABLE', null, 'not connected', options);
  let response = null as T | null;
  const outcome = await runStream(
    op,
    options,
    (stream) => {
      for (const message of messages) stream.write(message);
      stream.end();
    },
    (message) => (response = message as T),
  );
  // A stream that closes OK without a response is a server fault (upstream does this for inline blobs on missing records).
  if (outcome.status === 'OK' && outcome.messages === 0) return record<T>(op, 'UNKNOWN', null, 'stream closed without a response', options);
  return record(op, outcome.status, response, outcome.error, options);
}

/** A server-streaming call: `onMessage` receives each response message; resolves with the message count. */
export async function serverStream<T>(
  op: RpcName,
  request: object,
  onMessage: (message: T) => void,
  options: CallOptions = {},
): Promise<CallResult<number>> {
  if (!ensureConnected()) return record<number>(op, 'UNAVAILABLE', null, 'not connected', options);
  const outcome = await runStream(
    op,
    options,
    (stream) => {
      stream.write(request);
      stream.end();
    },
    (message) => onMessage(message as T),
  );
  return record(op, outcome.status, outcome.messages, outcome.error, options);
}
