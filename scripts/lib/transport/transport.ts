// The transport/ folder: the transport-neutral Open Saves client the flows call, its gRPC and HTTP implementations and their gateways.
//
// The run's transport-neutral client, chosen by TRANSPORT: the flows call this,
// never a transport's gateway directly (except for operations only gRPC has).
import { config } from '../config/runtime.js';
import { grpcTransport } from './grpc-transport.js';
import { httpTransport } from './http-transport.js';
import type { Transport } from './transport-types.js';

export type { Transport } from './transport-types.js';

export const transport: Transport = config.transport === 'http' ? httpTransport : grpcTransport;
