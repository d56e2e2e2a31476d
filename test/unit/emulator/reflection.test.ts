// Server reflection as upstream's grpc-go server answers it, asked over gRPC: ListServices
// names the reflection services too (v1 and v1alpha), sorted; descriptors are one per source
// file under upstream's names (open_saves.proto, not a per-package opensaves.proto) and are
// what Go clients accept: imports listed, type names fully qualified, map entries named
// "<Field>Entry", real field names. Then the real k6 binary using reflect: true.
import { credentials, loadPackageDefinition, type Client, type ClientDuplexStream } from '@grpc/grpc-js';
import { loadSync } from '@grpc/proto-loader';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import descriptor from 'protobufjs/ext/descriptor/index.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { K6_BINARY, runK6 } from '../../helpers/k6.js';
import { REPO_ROOT, startEmulatorProcess } from '../../helpers/emulator-process.js';
import { startTestEmulator, type TestEmulator } from './support/client.js';

interface File {
  name: string;
  package: string;
  dependency: string[];
  messageType: { name: string; field: { name: string; typeName?: string }[]; nestedType: { name: string; options?: { mapEntry?: boolean } }[] }[];
  service: { name: string; method: { name: string; inputType: string; outputType: string }[] }[];
}

const REFLECTION_PROTO_DIR = join(dirname(createRequire(import.meta.url).resolve('@grpc/reflection')), '../proto');
const SERVED_SERVICES = [
  'grpc.health.v1.Health',
  'grpc.reflection.v1.ServerReflection',
  'grpc.reflection.v1alpha.ServerReflection',
  'opensaves.OpenSaves',
];

type Answer = Record<string, any>;
interface ReflectionClient extends Client {
  ServerReflectionInfo(): ClientDuplexStream<object, Answer>;
}

function reflectionClient(version: 'v1' | 'v1alpha', address: string): ReflectionClient {
  const proto = join(REFLECTION_PROTO_DIR, `grpc/reflection/${version}/reflection.proto`);
  const loaded = loadPackageDefinition(loadSync(proto, { keepCase: true, defaults: true })) as any;
  const Reflection = loaded.grpc.reflection[version].ServerReflection as new (address: string, creds: unknown) => ReflectionClient;
  return new Reflection(address, credentials.createInsecure());
}

function ask(client: ReflectionClient, request: object): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const call = client.ServerReflectionInfo();
    call.on('data', (response: Answer) => {
      resolve(response);
      call.end();
    });
    call.on('error', reject);
    call.write(request);
  });
}

const decode = (answer: Answer): File[] =>
  (answer.file_descriptor_response.file_descriptor_proto as Buffer[]).map((bytes) => descriptor.FileDescriptorProto.decode(bytes) as unknown as File);

let emulator: TestEmulator;
let v1: ReflectionClient;
beforeAll(async () => {
  emulator = await startTestEmulator();
  v1 = reflectionClient('v1', emulator.server.grpcAddress);
});
afterAll(async () => {
  v1.close();
  await emulator.stop();
});

describe('ListServices', () => {
  it('names every service served, the reflection services included, sorted, over v1 and v1alpha alike', async () => {
    const v1alpha = reflectionClient('v1alpha', emulator.server.grpcAddress);
    try {
      for (const client of [v1, v1alpha]) {
        const listed = await ask(client, { list_services: '*' });
        expect(listed.list_services_response.service.map((s: { name: string }) => s.name)).toEqual(SERVED_SERVICES);
      }
    } finally {
      v1alpha.close();
    }
  });

  it('describes each listed service by the file that declares it under its upstream name', async () => {
    const fileOf = async (symbol: string) => decode(await ask(v1, { file_containing_symbol: symbol }))[0]!.name;
    expect(await fileOf('opensaves.OpenSaves')).toBe('open_saves.proto');
    expect(await fileOf('grpc.health.v1.Health')).toBe('grpc/health/v1/health.proto');
    expect(await fileOf('grpc.reflection.v1.ServerReflection')).toBe('grpc/reflection/v1/reflection.proto');
    expect(await fileOf('grpc.reflection.v1alpha.ServerReflection')).toBe('grpc/reflection/v1alpha/reflection.proto');
  });
});

describe('file descriptors', () => {
  let files: Map<string, File>;
  let openSaves: File;
  beforeAll(async () => {
    const served = decode(await ask(v1, { file_containing_symbol: 'opensaves.OpenSaves' }));
    files = new Map(served.map((file) => [file.name, file]));
    openSaves = served[0]!;
  });

  it('open_saves.proto imports what upstream imports, and every import comes with it', async () => {
    expect(openSaves.name).toBe('open_saves.proto');
    expect(openSaves.package).toBe('opensaves');
    expect(openSaves.dependency).toEqual(['google/protobuf/empty.proto', 'google/protobuf/timestamp.proto', 'google/rpc/status.proto']);
    expect(files.get('google/rpc/status.proto')!.dependency).toEqual(['google/protobuf/any.proto']);
    for (const file of files.values()) for (const dependency of file.dependency) expect(files.has(dependency), dependency).toBe(true);
    expect(decode(await ask(v1, { file_by_filename: 'open_saves.proto' }))[0]!.name).toBe('open_saves.proto');
    // proto-loader's per-package name is not served.
    expect((await ask(v1, { file_by_filename: 'opensaves.proto' })).error_response.error_code).toBe(5);
  });

  it('use fully qualified type names and the real field names', () => {
    const record = openSaves.messageType.find((m) => m.name === 'Record')!;
    expect(record.field.find((f) => f.name === 'created_at')!.typeName).toBe('.google.protobuf.Timestamp');
    const query = openSaves.messageType.find((m) => m.name === 'QueryRecordsRequest')!;
    expect(query.field.map((f) => f.name)).toContain('tagFilterMode');
    const ping = openSaves.service[0]!.method.find((m) => m.name === 'Ping')!;
    expect([ping.inputType, ping.outputType]).toEqual(['.opensaves.PingRequest', '.opensaves.PingResponse']);
  });

  it('name map entry types <Field>Entry, as protoc does', () => {
    const record = openSaves.messageType.find((m) => m.name === 'Record')!;
    expect(record.nestedType.map((n) => [n.name, n.options?.mapEntry])).toEqual([['PropertiesEntry', true]]);
    expect(record.field.find((f) => f.name === 'properties')!.typeName).toBe('.opensaves.Record.PropertiesEntry');
  });
});

describe('k6 with reflect: true', () => {
  it('discovers and calls the API with no .proto files', async () => {
    expect(existsSync(K6_BINARY), `k6 binary missing at ${K6_BINARY}; run make k6`).toBe(true);
    const process = await startEmulatorProcess();
    try {
      const run = await runK6(join(REPO_ROOT, 'test/unit/emulator/fixtures/reflection-smoke.js'), {
        env: { EMULATOR_GRPC: process.grpcAddress },
        timeoutMs: 60_000,
      });
      expect(run.exitCode, `k6 output:\n${run.stdout}\n${run.stderr}`).toBe(0);
      expect(run.stdout).toMatch(/checks_succeeded\.*: 100\.00% 6 out of 6/);
    } finally {
      await process.stop();
    }
  });
});
