// startServer(options): the gRPC listener (Open Saves, health, reflection) and
// the HTTP listener (AWS port REST API, /health, /metrics) over one State.
// Resolves once both are bound, with a handle to inspect and close them.
import { Server, ServerCredentials } from '@grpc/grpc-js';
import type { Server as HttpServer } from 'node:http';
import { AccessCheck } from './auth.js';
import { GRPC_SERVER_CHANNEL_OPTIONS, type RpcName } from './constants.js';
import { FaultInjector, NO_FAULTS, type FaultOptions } from './faults.js';
import { openSavesImplementation, type ServiceContext } from './grpc/grpc-service.js';
import { HealthStatus } from './grpc/health.js';
import { createHttpServer } from './http/server.js';
import { Metrics } from './metrics.js';
import { CapacityGate, type GateOptions } from './model/gate.js';
import { loadProtos } from './grpc/proto.js';
import { addReflection } from './grpc/reflection.js';
import { State } from './state/state.js';

export interface ServerOptions {
  /** Interface to bind both listeners to; 127.0.0.1 unless told otherwise. */
  host?: string;
  /** 0 picks a free port. */
  grpcPort?: number;
  httpPort?: number;
  maxBytes?: number;
  /** Largest accepted chunk (default 1 GiB, as upstream); tests lower it. */
  maxChunkBytes?: number;
  faults?: FaultOptions;
  /** How long health reports NOT_SERVING before the listeners stop (upstream waits 5 s). */
  shutdownGraceMs?: number;
  /** --require-token: Open Saves RPCs and /api/* need `authorization: Bearer <token>`. */
  requireToken?: string;
  /** --page-bytes: HTTP list/query routes return only a first page of this many item bytes. */
  pageBytes?: number;
  /** --read-lag-ms: HTTP reads may see each item as it was up to this long ago (gRPC stays consistent). */
  readLagMs?: number;
  /** --waf-limit/--waf-window-s and --model: the WAF rule and the component model (emulator/model/); absent: neither. */
  capacity?: GateOptions;
  /** Where unexpected handler errors are reported; stderr by default. */
  logError?: (message: string) => void;
}

export interface ServerHandle {
  /** host:port of the gRPC listener, e.g. 127.0.0.1:41873 */
  readonly grpcAddress: string;
  /** Alias of grpcAddress. */
  readonly address: string;
  /** e.g. http://127.0.0.1:41874 */
  readonly httpUrl: string;
  /** Calls received per RPC. */
  readonly calls: Readonly<Record<RpcName, number>>;
  readonly metrics: Metrics;
  readonly state: State;
  readonly health: HealthStatus;
  /** The WAF rule and component model, when `capacity` configured any. */
  readonly gate: CapacityGate | undefined;
  /** Health NOT_SERVING, then the grace period, then both listeners stop. Idempotent. */
  close(): Promise<void>;
}

export const DEFAULT_HOST = '127.0.0.1';
// After a graceful gRPC shutdown has waited this long, open calls are cut off so close() never hangs.
const FORCE_SHUTDOWN_AFTER_MS = 3000;

export async function startServer(options: ServerOptions = {}): Promise<ServerHandle> {
  const host = options.host ?? DEFAULT_HOST;
  const state = new State({ maxBytes: options.maxBytes, maxChunkBytes: options.maxChunkBytes, pageBytes: options.pageBytes, readLagMs: options.readLagMs });
  const metrics = new Metrics();
  const health = new HealthStatus();
  const logError = options.logError ?? ((message: string) => process.stderr.write(`${message}\n`));
  const context: ServiceContext = {
    state,
    metrics,
    faults: new FaultInjector(options.faults ?? NO_FAULTS),
    access: new AccessCheck(options.requireToken),
    gate: options.capacity && CapacityGate.isActive(options.capacity) ? new CapacityGate(options.capacity) : undefined,
    onUnexpectedError: (method, error) =>
      logError(`unexpected error in ${method}: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`),
  };

  const protos = loadProtos();
  const grpcServer = new Server(GRPC_SERVER_CHANNEL_OPTIONS);
  grpcServer.addService(protos.openSaves, openSavesImplementation(context));
  grpcServer.addService(protos.health, health.implementation());
  addReflection(grpcServer);

  const grpcPort = await bindGrpc(grpcServer, hostPort(host, options.grpcPort ?? 0));
  const grpcAddress = hostPort(host, grpcPort);
  let httpServer: HttpServer;
  try {
    httpServer = await createHttpServer(context, host, options.httpPort ?? 0);
  } catch (error) {
    grpcServer.forceShutdown();
    throw error;
  }
  const httpAddress = httpServer.address();
  const httpPort = typeof httpAddress === 'object' && httpAddress ? httpAddress.port : 0;
  const httpUrl = `http://${hostPort(host, httpPort)}`;
  state.chunkUrlBase = httpUrl;

  let closing: Promise<void> | undefined;
  const close = (): Promise<void> =>
    (closing ??= (async () => {
      health.set('NOT_SERVING');
      if ((options.shutdownGraceMs ?? 0) > 0) await sleep(options.shutdownGraceMs!);
      health.closeWatchers();
      context.gate?.close();
      await Promise.all([shutdownGrpc(grpcServer), closeHttp(httpServer)]);
    })());

  return { grpcAddress, address: grpcAddress, httpUrl, calls: metrics.calls, metrics, state, health, gate: context.gate, close };
}

function hostPort(host: string, port: number): string {
  return host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`;
}

function bindGrpc(server: Server, address: string): Promise<number> {
  return new Promise((resolve, reject) => {
    server.bindAsync(address, ServerCredentials.createInsecure(), (error, port) => {
      if (error) reject(new Error(`cannot bind the gRPC listener to ${address}: ${error.message}`));
      else resolve(port);
    });
  });
}

function shutdownGrpc(server: Server): Promise<void> {
  return new Promise((resolve) => {
    const force = setTimeout(() => {
      server.forceShutdown();
      resolve();
    }, FORCE_SHUTDOWN_AFTER_MS);
    server.tryShutdown(() => {
      clearTimeout(force);
      resolve();
    });
  });
}

function closeHttp(server: HttpServer): Promise<void> {
  return new Promise((resolve) => {
    server.close(() => resolve());
    server.closeIdleConnections();
    // Keep-alive clients would otherwise hold close() open.
    setTimeout(() => server.closeAllConnections(), 500).unref();
  });
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));
