// Binds the handlers to grpc-js: counts every call, applies injected faults,
// turns thrown errors into statuses (unexpected ones into INTERNAL) and moves
// stream messages with backpressure. Handlers stay plain functions over State.
import {
  status,
  type handleClientStreamingCall,
  type handleServerStreamingCall,
  type handleUnaryCall,
  type sendUnaryData,
  type ServerErrorResponse,
  type ServerReadableStream,
  type ServerWritableStream,
  type UntypedServiceImplementation,
} from '@grpc/grpc-js';
import type { AccessCheck } from '../auth.js';
import type { RpcName } from '../constants.js';
import { RpcError } from '../errors.js';
import { INJECTED_ERROR_MESSAGE, damageStream, type FaultDecision, type FaultInjector } from '../faults.js';
import type { Metrics } from '../metrics.js';
import type { CapacityGate, Ticket } from '../model/gate.js';
import { admitRpc, approximateBytes, rpcCall, rpcOutcome } from '../model/transport.js';
import type { State } from '../state/state.js';
import * as atomic from '../handlers/atomic.js';
import * as blobs from '../handlers/blobs.js';
import * as chunks from '../handlers/chunks.js';
import { ping } from '../handlers/ping.js';
import { queryRecords } from '../handlers/query.js';
import * as records from '../handlers/records.js';
import * as stores from '../handlers/stores.js';

export interface ServiceContext {
  state: State;
  metrics: Metrics;
  faults: FaultInjector;
  /** --require-token; absent: every call is allowed. */
  access?: AccessCheck;
  /** --waf-limit and --model: the WAF rule and the component model around the API; absent: neither. */
  gate?: CapacityGate;
  /** Called with errors that are not RpcErrors (bugs), for the log. */
  onUnexpectedError: (method: string, error: unknown) => void;
}

/** Any thrown value as a status; unexpected errors become INTERNAL with their message. */
export function toServiceError(error: unknown, method: string, context: ServiceContext): ServerErrorResponse {
  if (error instanceof RpcError) return Object.assign(new Error(error.message), { code: error.code, details: error.message });
  context.onUnexpectedError(method, error);
  const message = `internal error in ${method}: ${error instanceof Error ? error.message : String(error)}`;
  return Object.assign(new Error(message), { code: status.INTERNAL, details: message });
}

function unavailable(): ServerErrorResponse {
  return Object.assign(new Error(INJECTED_ERROR_MESSAGE), { code: status.UNAVAILABLE, details: INJECTED_ERROR_MESSAGE });
}

/** Counts the call and decides its fault, once per call. */
function startCall(context: ServiceContext, method: RpcName): FaultDecision {
  context.metrics.countCall(method);
  return context.faults.decide(method);
}

/** Runs `run` now, or after the injected delay; `fail` instead when the decision says so. */
function applyFault(decision: FaultDecision, run: () => void, fail: (error: ServerErrorResponse) => void): void {
  if (decision.delayMs === 0 && !decision.fail) return run();
  const act = (): void => (decision.fail ? fail(unavailable()) : run());
  if (decision.delayMs > 0) setTimeout(act, decision.delayMs);
  else act();
}

function unary<Req, Res>(context: ServiceContext, method: RpcName, handler: (request: Req) => Res): handleUnaryCall<Req, Res> {
  const { metrics } = context;
  const fail = (error: ServerErrorResponse, callback: sendUnaryData<Res>): void => {
    metrics.countRpc(method, error.code ?? status.UNKNOWN);
    callback(error);
  };
  const invoke = (request: Req, callback: sendUnaryData<Res>, ticket?: Ticket): void => {
    let response: Res;
    try {
      response = handler(request);
    } catch (error) {
      if (ticket) context.gate!.finish(ticket, rpcOutcome(false, undefined));
      fail(toServiceError(error, method, context), callback);
      return;
    }
    if (ticket) context.gate!.finish(ticket, rpcOutcome(true, response));
    metrics.countRpc(method, status.OK);
    callback(null, response);
  };
  // With --model the component model admits the call first (a delay, or its rejection).
  const admitted = !context.gate?.model
    ? invoke
    : (request: Req, callback: sendUnaryData<Res>): void =>
        admitRpc(
          context.gate,
          () => rpcCall(method, request),
          (ticket) => invoke(request, callback, ticket),
          (error) => fail(error, callback),
        );
  return (call, callback) => {
    const decision = startCall(context, method);
    const denied = context.access?.checkGrpc(call.metadata);
    if (denied) return fail(denied, callback);
    // The common case allocates nothing per call beyond what grpc-js does.
    if (decision.delayMs === 0 && !decision.fail) return admitted(call.request, callback);
    applyFault(
      decision,
      () => admitted(call.request, callback),
      (error) => fail(error, callback),
    );
  };
}

interface Upload<Msg, Res> {
  push(message: Msg): void;
  finish(): Res;
  abort(): void;
}

function clientStream<Msg, Res>(
  context: ServiceContext,
  method: RpcName,
  begin: (first: Msg) => Upload<Msg, Res>,
): handleClientStreamingCall<Msg, Res> {
  const { metrics } = context;
  return (call: ServerReadableStream<Msg, Res>, callback) => {
    // Faults apply when the client half-closes, before the response.
    const decision = startCall(context, method);
    let upload: Upload<Msg, Res> | undefined;
    let settled = false;
    const settle = (error: ServerErrorResponse | null, response?: Res): void => {
      if (settled) return;
      settled = true;
      metrics.countRpc(method, error ? (error.code ?? status.UNKNOWN) : status.OK);
      if (error) {
        upload?.abort();
        callback(error);
      } else callback(null, response);
    };
    // A rejected token ends the call before any message is read.
    const denied = context.access?.checkGrpc(call.metadata);
    if (denied) return settle(denied);
    const guard = (step: () => void): void => {
      if (settled) return;
      try {
        step();
      } catch (error) {
        settle(toServiceError(error, method, context));
      }
    };
    // What the component model (--model) needs to hear about the upload.
    const modelled = context.gate?.model !== undefined;
    let first: Msg | undefined;
    let receivedBytes = 0;
    call.on('data', (message: Msg) =>
      guard(() => {
        if (modelled) receivedBytes += approximateBytes(message);
        if (upload) upload.push(message);
        else upload = begin((first = message));
      }),
    );
    call.on('end', () =>
      applyFault(
        decision,
        () =>
          admitRpc(
            context.gate,
            () => rpcCall(method, first, receivedBytes),
            (ticket) =>
              guard(() => {
                if (!upload) throw new RpcError(status.INVALID_ARGUMENT, `${method}: the stream carried no messages`);
                const response = upload.finish();
                if (ticket) context.gate!.finish(ticket, rpcOutcome(true, response));
                settle(null, response);
              }),
            (error) => settle(error),
          ),
        (error) => settle(error),
      ),
    );
    // The client went away (cancelled, or the stream broke): drop what was reserved.
    const gone = (): void => {
      if (settled) return;
      settled = true;
      upload?.abort();
      metrics.countRpc(method, status.CANCELLED);
    };
    call.on('cancelled', gone);
    call.on('error', gone);
  };
}

function serverStream<Req, Res>(
  context: ServiceContext,
  method: RpcName,
  handler: (request: Req) => blobs.StreamResult<Res>,
): handleServerStreamingCall<Req, Res> {
  const { metrics } = context;
  return (call: ServerWritableStream<Req, Res>) => {
    const fail = (error: ServerErrorResponse): void => {
      metrics.countRpc(method, error.code ?? status.UNKNOWN);
      call.emit('error', error);
    };
    const decision = startCall(context, method);
    const denied = context.access?.checkGrpc(call.metadata);
    if (denied) return fail(denied);
    applyFault(
      decision,
      () =>
        admitRpc(context.gate, () => rpcCall(method, call.request), (ticket) => {
          let result: blobs.StreamResult<Res>;
          try {
            result = handler(call.request);
          } catch (error) {
            if (ticket) context.gate!.finish(ticket, rpcOutcome(false, undefined));
            fail(toServiceError(error, method, context));
            return;
          }
          if (ticket) context.gate!.finish(ticket, { ok: !result.error, responseBytes: approximateBytes(result.messages) });
          // --corrupt-blobs / --truncate-blobs: the download is sent damaged and still ends OK.
          const messages = context.faults.damagesBlobs
            ? (damageStream(result.messages as { content?: Uint8Array | null }[], context.faults.blobDamage(method)) as Res[])
            : result.messages;
          writeAll(call, messages)
            .then((completed) => {
              if (!completed) return metrics.countRpc(method, status.CANCELLED);
              if (result.error) return fail(toServiceError(result.error, method, context));
              metrics.countRpc(method, status.OK);
              call.end();
            })
            .catch((error: unknown) => context.onUnexpectedError(method, error));
        }, fail),
      fail,
    );
  };
}

/** Writes with backpressure; false when the client cancelled first. */
async function writeAll<Res>(call: ServerWritableStream<unknown, Res>, messages: Res[]): Promise<boolean> {
  for (const message of messages) {
    if (call.cancelled) return false;
    if (!call.write(message)) {
      const drained = await new Promise<boolean>((resolve) => {
        const onDrain = (): void => {
          call.off('cancelled', onCancel);
          resolve(true);
        };
        const onCancel = (): void => {
          call.off('drain', onDrain);
          resolve(false);
        };
        call.once('drain', onDrain);
        call.once('cancelled', onCancel);
      });
      if (!drained) return false;
    }
  }
  return !call.cancelled;
}

export function openSavesImplementation(context: ServiceContext): UntypedServiceImplementation {
  const { state } = context;
  return {
    CreateStore: unary(context, 'CreateStore', (r: stores.CreateStoreRequest) => stores.createStore(state, r)),
    GetStore: unary(context, 'GetStore', (r: { key?: string }) => stores.getStore(state, r)),
    ListStores: unary(context, 'ListStores', (r: { name?: string }) => stores.listStores(state, r)),
    DeleteStore: unary(context, 'DeleteStore', (r: { key?: string }) => stores.deleteStore(state, r)),
    CreateRecord: unary(context, 'CreateRecord', (r: records.RecordWriteRequest) => records.createRecord(state, r)),
    GetRecord: unary(context, 'GetRecord', (r: records.GetRecordRequest) => records.getRecord(state, r)),
    GetRecords: unary(context, 'GetRecords', (r: { storeKeys?: string[]; keys?: string[] }) => records.getRecords(state, r)),
    QueryRecords: unary(context, 'QueryRecords', (r: Parameters<typeof queryRecords>[1]) => queryRecords(state, r)),
    UpdateRecord: unary(context, 'UpdateRecord', (r: records.RecordWriteRequest) => records.updateRecord(state, r)),
    DeleteRecord: unary(context, 'DeleteRecord', (r: { storeKey?: string; key?: string }) => records.deleteRecord(state, r)),
    CreateBlob: clientStream(context, 'CreateBlob', (first: blobs.CreateBlobMessage) => blobs.BlobUpload.begin(state, first)),
    CreateChunkedBlob: unary(context, 'CreateChunkedBlob', (r: Parameters<typeof chunks.createChunkedBlob>[1]) =>
      chunks.createChunkedBlob(state, r),
    ),
    CreateChunkUrls: unary(context, 'CreateChunkUrls', (r: Parameters<typeof chunks.createChunkUrls>[1]) =>
      chunks.createChunkUrls(state, r),
    ),
    UploadChunk: clientStream(context, 'UploadChunk', (first: chunks.UploadChunkMessage) => chunks.ChunkUpload.begin(state, first)),
    CommitChunkedUpload: unary(context, 'CommitChunkedUpload', (r: chunks.CommitChunkedUploadRequest) =>
      chunks.commitChunkedUpload(state, r),
    ),
    AbortChunkedUpload: unary(context, 'AbortChunkedUpload', (r: { sessionId?: string }) => chunks.abortChunkedUpload(state, r)),
    GetBlob: serverStream(context, 'GetBlob', (r: blobs.GetBlobRequest) => blobs.getBlob(state, r)),
    GetBlobChunk: serverStream(context, 'GetBlobChunk', (r: Parameters<typeof chunks.getBlobChunk>[1]) =>
      chunks.getBlobChunk(state, r),
    ),
    DeleteBlob: unary(context, 'DeleteBlob', (r: blobs.GetBlobRequest) => blobs.deleteBlob(state, r)),
    Ping: unary(context, 'Ping', (r: { ping?: string }) => ping(r)),
    CompareAndSwap: unary(context, 'CompareAndSwap', (r: atomic.CompareAndSwapRequest) => atomic.compareAndSwap(state, r)),
    CompareAndSwapGreaterInt: unary(context, 'CompareAndSwapGreaterInt', (r: atomic.AtomicIntRequest) =>
      atomic.compareAndSwapGreaterInt(state, r),
    ),
    CompareAndSwapLessInt: unary(context, 'CompareAndSwapLessInt', (r: atomic.AtomicIntRequest) =>
      atomic.compareAndSwapLessInt(state, r),
    ),
    AtomicAddInt: unary(context, 'AtomicAddInt', (r: atomic.AtomicIntRequest) => atomic.atomicAddInt(state, r)),
    AtomicSubInt: unary(context, 'AtomicSubInt', (r: atomic.AtomicIntRequest) => atomic.atomicSubInt(state, r)),
    AtomicInc: unary(context, 'AtomicInc', (r: atomic.AtomicIncRequest) => atomic.atomicInc(state, r)),
    AtomicDec: unary(context, 'AtomicDec', (r: atomic.AtomicIncRequest) => atomic.atomicDec(state, r)),
  };
}
