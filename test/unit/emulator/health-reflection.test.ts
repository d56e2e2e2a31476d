// The gRPC health service (grpc.health.v1.opensaves) and server reflection.
import {
  credentials,
  loadPackageDefinition,
  status,
  type Client,
  type ClientDuplexStream,
  type ClientReadableStream,
  type ServiceError,
} from '@grpc/grpc-js';
import { loadSync } from '@grpc/proto-loader';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import descriptor from 'protobufjs/ext/descriptor/index.js';
import { afterEach, describe, expect, it } from 'vitest';
import { HEALTH_SERVICE_NAME } from '../../../emulator/constants.js';
import { startTestEmulator, type TestEmulator } from './support/client.js';

const REFLECTION_PROTO = join(
  dirname(createRequire(import.meta.url).resolve('@grpc/reflection')),
  '../proto/grpc/reflection/v1/reflection.proto',
);
const HEALTH_PROTO = new URL('../../../emulator/protos/grpc/health/v1/health.proto', import.meta.url).pathname;

// Only the methods these tests call.
interface ProbeClient extends Client {
  Check(request: object, callback: (error: ServiceError | null, response: { status: string }) => void): void;
  Watch(request: object): ClientReadableStream<{ status: string }>;
  ServerReflectionInfo(): ClientDuplexStream<object, Record<string, any>>;
}
type Ctor = new (address: string, creds: ReturnType<typeof credentials.createInsecure>) => ProbeClient;

function serviceCtor(protoPath: string, name: string): Ctor {
  const loaded = loadPackageDefinition(loadSync(protoPath, { keepCase: true, enums: String, defaults: true })) as Record<string, unknown>;
  return name.split('.').reduce<unknown>((node, part) => (node as Record<string, unknown>)[part], loaded) as Ctor;
}

let emulator: TestEmulator | undefined;
afterEach(async () => {
  await emulator?.stop();
  emulator = undefined;
});

function healthClient(address: string) {
  const Health = serviceCtor(HEALTH_PROTO, 'grpc.health.v1.Health');
  return new Health(address, credentials.createInsecure());
}

describe('health service', () => {
  it('reports SERVING for the opensaves service name and the server, NOT_FOUND for others', async () => {
    emulator = await startTestEmulator();
    const health = healthClient(emulator.server.grpcAddress);
    const check = (service: string) =>
      new Promise<{ status: string } | ServiceError>((resolve) =>
        health.Check({ service }, (error: ServiceError | null, response: { status: string }) => resolve(error ?? response)),
      );
    await expect(check(HEALTH_SERVICE_NAME)).resolves.toEqual({ status: 'SERVING' });
    await expect(check('')).resolves.toEqual({ status: 'SERVING' });
    await expect(check('other.Service')).resolves.toMatchObject({ code: status.NOT_FOUND });
    health.close();
  });

  it('turns NOT_SERVING (seen by Watch) before the listeners stop', async () => {
    emulator = await startTestEmulator({ shutdownGraceMs: 200 });
    const health = healthClient(emulator.server.grpcAddress);
    const seen: string[] = [];
    const watch = health.Watch({ service: HEALTH_SERVICE_NAME });
    watch.on('data', (message: { status: string }) => seen.push(message.status));
    watch.on('error', () => undefined);
    await new Promise<void>((resolve) => watch.once('data', () => resolve()));
    const ended = new Promise<void>((resolve) => watch.on('status', () => resolve()));
    const closing = emulator.server.close();
    await ended;
    await closing;
    expect(seen).toEqual(['SERVING', 'NOT_SERVING']);
    health.close();
  });
});

describe('server reflection', () => {
  it('lists the Open Saves and health services and describes open_saves.proto', async () => {
    emulator = await startTestEmulator();
    const Reflection = serviceCtor(REFLECTION_PROTO, 'grpc.reflection.v1.ServerReflection');
    const reflection = new Reflection(emulator.server.grpcAddress, credentials.createInsecure());
    const ask = (request: object) =>
      new Promise<Record<string, any>>((resolve, reject) => {
        const call = reflection.ServerReflectionInfo();
        call.on('data', (response: Record<string, any>) => {
          resolve(response);
          call.end();
        });
        call.on('error', reject);
        call.write(request);
      });
    const listed = await ask({ list_services: '' });
    const names = listed.list_services_response.service.map((s: { name: string }) => s.name);
    expect(names).toEqual(expect.arrayContaining(['opensaves.OpenSaves', 'grpc.health.v1.Health']));
    const file = await ask({ file_containing_symbol: 'opensaves.OpenSaves' });
    const [first] = file.file_descriptor_response.file_descriptor_proto as Buffer[];
    expect((descriptor.FileDescriptorProto.decode(first!) as unknown as { name: string }).name).toBe('open_saves.proto');
    reflection.close();
  });
});
