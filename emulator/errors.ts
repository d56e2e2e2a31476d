// Error classes of the emulator. RpcError carries the gRPC status code a handler
// wants to return; the HTTP side maps the same errors to HTTP statuses.
import { status } from '@grpc/grpc-js';

export class RpcError extends Error {
  readonly code: status;
  constructor(code: status, message: string) {
    super(message);
    this.name = 'RpcError';
    this.code = code;
  }
}

export const notFound = (message: string): RpcError => new RpcError(status.NOT_FOUND, message);
export const invalidArgument = (message: string): RpcError => new RpcError(status.INVALID_ARGUMENT, message);
export const failedPrecondition = (message: string): RpcError => new RpcError(status.FAILED_PRECONDITION, message);
export const alreadyExists = (message: string): RpcError => new RpcError(status.ALREADY_EXISTS, message);
export const dataLoss = (message: string): RpcError => new RpcError(status.DATA_LOSS, message);
export const resourceExhausted = (message: string): RpcError => new RpcError(status.RESOURCE_EXHAUSTED, message);

/** A bad command-line flag: main prints the message and exits 2. */
export class ConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ConfigError';
  }
}

/** Builds "invalid <thing>; reason: expected <what>, got `<value>`". */
export function invalidConfig(thing: string, expected: string, got: string): ConfigError {
  return new ConfigError(`invalid ${thing}; reason: expected ${expected}, got \`${got}\``);
}
