// Loads the .proto files the services are served from (emulator/grpc/reflection.ts builds its
// descriptors from the same files). Options match what k6 scenarios send and
// receive: camelCase field names, int64 as decimal strings, enums by name, defaults
// filled in, and the name of the set oneof member as a virtual field.
import { loadSync, type Options } from '@grpc/proto-loader';
import type { ServiceDefinition } from '@grpc/grpc-js';
import { fileURLToPath } from 'node:url';

export const PROTO_DIR = fileURLToPath(new URL('../../proto', import.meta.url));
/** The .proto files the emulator serves besides Open Saves' own (the health service). */
export const EMULATOR_PROTO_DIR = fileURLToPath(new URL('../protos', import.meta.url));

export const LOADER_OPTIONS: Options = Object.freeze({
  keepCase: false,
  longs: String,
  enums: String,
  defaults: true,
  oneofs: true,
  includeDirs: [PROTO_DIR, EMULATOR_PROTO_DIR],
});

export interface LoadedProtos {
  openSaves: ServiceDefinition;
  health: ServiceDefinition;
}

let loaded: LoadedProtos | undefined;

export function loadProtos(): LoadedProtos {
  if (loaded) return loaded;
  const files = ['open_saves.proto', 'grpc/health/v1/health.proto'];
  const packageDefinition = loadSync(files, LOADER_OPTIONS);
  loaded = {
    openSaves: packageDefinition['opensaves.OpenSaves'] as ServiceDefinition,
    health: packageDefinition['grpc.health.v1.Health'] as ServiceDefinition,
  };
  return loaded;
}
