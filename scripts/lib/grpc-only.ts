// Scenarios other than mixed and capacity speak gRPC only (the REST API lacks
// most of what they exercise); asking them for TRANSPORT=http stops the run
// in the init context rather than silently testing gRPC instead.
import exec from 'k6/execution';
import type { Config } from './config.js';
import { ConfigError } from './errors.js';

export function requireGrpc(config: Config, scenario: string): void {
  if (config.transport === 'grpc') return;
  exec.test.abort(new ConfigError('TRANSPORT', `grpc for the ${scenario} scenario (only mixed and capacity drive the REST API)`, config.transport).message);
}
