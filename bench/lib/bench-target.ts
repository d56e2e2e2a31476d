// The local Open Saves target as the benchmarks use it: started once per
// benchmark on random loopback ports (pinned to the target's CPU, since it
// inherits this process's mask), plus a seeded record for the GetRecord runs
// of the peers that have no setup hook of their own (ghz, Locust).
import grpc from '@grpc/grpc-js';
import protoLoader from '@grpc/proto-loader';
import { join } from 'node:path';
import { REPO_ROOT, startTargetProcess, type TargetProcess } from '../../test/helpers/target-process.js';
import { cpuLayout, pinCurrentProcess, type CpuLayout } from './cpu-layout.js';

export interface SeededRecord {
  storeKey: string;
  recordKey: string;
  remove: () => Promise<void>;
}

export interface BenchTarget {
  process: TargetProcess;
  layout: CpuLayout;
  seedRecord: (runId: string) => Promise<SeededRecord>;
  stop: () => Promise<void>;
}

type UnaryMethod = (request: object, callback: (error: grpc.ServiceError | null, response: unknown) => void) => void;
type OpenSavesStub = grpc.Client & Record<string, UnaryMethod>;

export async function startBenchTarget(extraArgs: string[] = []): Promise<BenchTarget> {
  const layout = cpuLayout();
  pinCurrentProcess(layout.target);
  const target = await startTargetProcess(extraArgs);
  const definition = protoLoader.loadSync('open_saves.proto', {
    includeDirs: [join(REPO_ROOT, 'proto')],
    keepCase: false,
    longs: String,
    enums: String,
    defaults: true,
    oneofs: true,
  });
  const opensaves = grpc.loadPackageDefinition(definition)['opensaves'] as grpc.GrpcObject;
  const Stub = opensaves['OpenSaves'] as unknown as new (address: string, credentials: grpc.ChannelCredentials) => OpenSavesStub;
  const stub = new Stub(target.grpcAddress, grpc.credentials.createInsecure());
  const call = (method: string, request: object): Promise<unknown> =>
    new Promise((resolve, reject) => {
      stub[method]!.call(stub, request, (error, response) =>
        error ? reject(new Error(`${method} on the bench target failed: ${error.message}`)) : resolve(response),
      );
    });

  const seedRecord = async (runId: string): Promise<SeededRecord> => {
    const storeKey = `${runId}-store`;
    const recordKey = 'record-1';
    await call('CreateStore', { store: { key: storeKey, name: storeKey } });
    await call('CreateRecord', {
      storeKey,
      record: { key: recordKey, ownerId: 'bench', tags: ['bench'], properties: { level: { type: 'INTEGER', integerValue: '7' } } },
    });
    return {
      storeKey,
      recordKey,
      remove: async () => {
        await call('DeleteRecord', { storeKey, key: recordKey });
        await call('DeleteStore', { key: storeKey });
      },
    };
  };

  return {
    process: target,
    layout,
    seedRecord,
    stop: async () => {
      stub.close();
      await target.stop();
    },
  };
}
