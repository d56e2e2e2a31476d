// A grpc-js client for the emulator's tests: unary calls, client-stream uploads and
// server-stream downloads as promises, over a real socket on 127.0.0.1.
import {
  credentials,
  makeGenericClientConstructor,
  Metadata,
  status,
  type Client,
  type ClientReadableStream,
  type ClientWritableStream,
  type ServiceError,
} from '@grpc/grpc-js';
import { loadProtos } from '../../../../emulator/grpc/proto.js';
import { startServer, type ServerHandle, type ServerOptions } from '../../../../emulator/server.js';

type AnyMethod = (...args: unknown[]) => unknown;

export interface DownloadResult<T> {
  messages: T[];
  code: status;
  details: string;
}

export class TestClient {
  private readonly client: Client & Record<string, AnyMethod>;
  /** Sent with every call (e.g. `authorization`). */
  private readonly metadata = new Metadata();

  constructor(address: string, callMetadata: Record<string, string> = {}) {
    const OpenSaves = makeGenericClientConstructor(loadProtos().openSaves, 'OpenSaves');
    this.client = new OpenSaves(address, credentials.createInsecure()) as Client & Record<string, AnyMethod>;
    for (const [key, value] of Object.entries(callMetadata)) this.metadata.set(key, value);
  }

  unary<T = Record<string, unknown>>(method: string, request: object): Promise<T> {
    return new Promise((resolve, reject) => {
      this.client[method]!.call(this.client, request, this.metadata, (error: ServiceError | null, response: T) =>
        error ? reject(error) : resolve(response),
      );
    });
  }

  /** Sends the messages in order, half-closes and resolves with the single response. */
  upload<T = Record<string, unknown>>(method: string, messages: object[]): Promise<T> {
    return new Promise((resolve, reject) => {
      const call = this.client[method]!.call(this.client, this.metadata, (error: ServiceError | null, response: T) =>
        error ? reject(error) : resolve(response),
      ) as ClientWritableStream<object>;
      for (const message of messages) call.write(message);
      call.end();
    });
  }

  /** Collects every message and the final status (never rejects on a status). */
  download<T = Record<string, unknown>>(method: string, request: object): Promise<DownloadResult<T>> {
    return new Promise((resolve) => {
      const call = this.client[method]!.call(this.client, request, this.metadata) as ClientReadableStream<T>;
      const messages: T[] = [];
      call.on('data', (message: T) => messages.push(message));
      call.on('error', () => undefined);
      call.on('status', (result) => resolve({ messages, code: result.code, details: result.details }));
    });
  }

  close(): void {
    this.client.close();
  }
}

/** Resolves with the error a call failed with; fails the test if it succeeded. */
export async function failure(promise: Promise<unknown>): Promise<ServiceError> {
  try {
    const response = await promise;
    throw new Error(`expected the call to fail, it returned ${JSON.stringify(response)}`);
  } catch (error) {
    if ((error as ServiceError).code === undefined) throw error;
    return error as ServiceError;
  }
}

export interface TestEmulator {
  server: ServerHandle;
  client: TestClient;
  stop(): Promise<void>;
}

export async function startTestEmulator(options: ServerOptions = {}): Promise<TestEmulator> {
  const server = await startServer({ grpcPort: 0, httpPort: 0, ...options });
  const client = new TestClient(server.grpcAddress);
  return {
    server,
    client,
    stop: async () => {
      client.close();
      await server.close();
    },
  };
}

let counter = 0;
/** A key unique within the test run, readable in failure messages. */
export const uniqueKey = (prefix: string): string => `${prefix}-${process.pid}-${++counter}`;

/** Creates a store and a record in it; returns their keys and the created record. */
export async function seedRecord(
  client: TestClient,
  record: Record<string, unknown> = {},
): Promise<{ storeKey: string; recordKey: string; created: Record<string, unknown> }> {
  const storeKey = uniqueKey('store');
  const recordKey = uniqueKey('record');
  await client.unary('CreateStore', { store: { key: storeKey, name: storeKey } });
  const created = await client.unary('CreateRecord', { storeKey, record: { key: recordKey, ...record } });
  return { storeKey, recordKey, created };
}

export const intProperty = (value: number | string) => ({ type: 'INTEGER', integerValue: String(value) });
export const stringProperty = (value: string) => ({ type: 'STRING', stringValue: value });
export const boolProperty = (value: boolean) => ({ type: 'BOOLEAN', booleanValue: value });
