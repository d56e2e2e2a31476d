// Server reflection as upstream's grpc-go server answers it: one file descriptor per source
// file, under that file's name (open_saves.proto, google/protobuf/timestamp.proto,
// google/rpc/status.proto, grpc/health/v1/health.proto, grpc/reflection/v1/reflection.proto, ...),
// each listing the files it imports; ListServices names every service the listener serves, the
// reflection services (v1 and v1alpha, as grpc-go's reflection.Register adds both) included,
// sorted by name.
//
// @grpc/reflection fed proto-loader's definition would serve one file per package
// ("opensaves.proto", "google_protobuf.proto") with no imports, which Go clients reject, and
// would list only the services of that definition. So the descriptors come from the source
// files, built as tools/protoset builds the descriptor set k6 loads (Go's protodesc accepts both).
import type { PackageDefinition } from '@grpc/proto-loader';
import { ReflectionService } from '@grpc/reflection';
import type { Server } from '@grpc/grpc-js';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type protobuf from 'protobufjs';
import descriptorModule from 'protobufjs/ext/descriptor/index.js';
import { buildFileDescriptors, type FileDescriptor } from '../../tools/protoset/descriptor-set.js';
import { EMULATOR_PROTO_DIR, PROTO_DIR } from './proto.js';

/** The .proto files @grpc/reflection serves its own services from. */
const REFLECTION_PROTO_DIR = join(dirname(createRequire(import.meta.url).resolve('@grpc/reflection')), '../proto');

/** Every service the gRPC listener serves, by the file that declares it (with the directory its imports resolve in). */
const SERVED_FILES: ReadonlyArray<readonly [protoDir: string, file: string]> = [
  [PROTO_DIR, 'open_saves.proto'],
  [EMULATOR_PROTO_DIR, 'grpc/health/v1/health.proto'],
  [REFLECTION_PROTO_DIR, 'grpc/reflection/v1/reflection.proto'],
  [REFLECTION_PROTO_DIR, 'grpc/reflection/v1alpha/reflection.proto'],
];

export function addReflection(server: Pick<Server, 'addService'>): void {
  new ReflectionService(reflectionDefinition()).addToServer(server);
}

let files: FileDescriptor[] | undefined;

/**
 * The served files and everything they import, one descriptor per file. Ordered by the name of
 * the service a file declares (else its file name): @grpc/reflection lists services in the order
 * it meets them, and grpc-go lists them sorted.
 */
export function reflectionFiles(): FileDescriptor[] {
  if (files) return files;
  const byName = new Map<string, FileDescriptor>();
  for (const [protoDir, file] of SERVED_FILES) {
    for (const descriptor of buildFileDescriptors(protoDir, file)) if (!byName.has(descriptor.name)) byName.set(descriptor.name, descriptor);
  }
  const sortKey = (file: FileDescriptor): string => {
    const service = file.service[0];
    return service ? `${file.package}.${service.name}` : file.name;
  };
  files = [...byName.values()].sort((a, b) => (sortKey(a) < sortKey(b) ? -1 : sortKey(a) > sortKey(b) ? 1 : 0));
  return files;
}

/** The shape @grpc/reflection reads: it takes only `fileDescriptorProtos` from each entry. */
function reflectionDefinition(): PackageDefinition {
  const { FileDescriptorProto } = descriptorModule as unknown as { FileDescriptorProto: protobuf.Type };
  const encoded = reflectionFiles().map((file) => Buffer.from(FileDescriptorProto.encode(FileDescriptorProto.fromObject(file)).finish()));
  return { reflection: { format: 'Protocol Buffer 3 FileDescriptorProto', type: {}, fileDescriptorProtos: encoded } } as unknown as PackageDefinition;
}
