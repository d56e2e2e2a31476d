// The local Open Saves emulator as the benchmarks use it: started once per
// benchmark on random loopback ports (pinned to the emulator's CPU, since it
// inherits this process's mask), plus one seeded record that the minimal k6
// script, ghz and Locust all read in the GetRecord runs. They have the shape of
// the scenarios' game saves (data/save-templates.json), so every generator
// decodes a response of the same size as the bundles do, and there are as many
// as the bundle's setup() seeds, so the minimal script reads as many distinct
// records as the bundle does (ghz reads the first only: it cannot pick one per call).
import grpc from '@grpc/grpc-js';
import protoLoader from '@grpc/proto-loader';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { REPO_ROOT, startEmulatorProcess, type EmulatorProcess } from '../../test/helpers/emulator-process.js';
import { DEFAULT_RECORDS_PER_STORE } from '../../scripts/lib/config/constants.js';
import { cpuLayout, pinCurrentProcess, type CpuLayout } from './measure/cpu-layout.js';

export interface SeededRecord {
  storeKey: string;
  /** the first record */
  recordKey: string;
  /** every seeded record, recordKey first */
  recordKeys: string[];
  remove: () => Promise<void>;
}

export interface BenchEmulator {
  process: EmulatorProcess;
  layout: CpuLayout;
  seedRecord: (runId: string) => Promise<SeededRecord>;
  stop: () => Promise<void>;
}

type UnaryMethod = (request: object, callback: (error: grpc.ServiceError | null, response: unknown) => void) => void;
type OpenSavesStub = grpc.Client & Record<string, UnaryMethod>;

export async function startBenchEmulator(extraArgs: string[] = []): Promise<BenchEmulator> {
  const layout = cpuLayout();
  pinCurrentProcess(layout.emulator);
  const emulator = await startEmulatorProcess(extraArgs);
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
  const stub = new Stub(emulator.grpcAddress, grpc.credentials.createInsecure());
  const call = (method: string, request: object): Promise<unknown> =>
    new Promise((resolve, reject) => {
      stub[method]!.call(stub, request, (error, response) =>
        error ? reject(new Error(`${method} on the bench emulator failed: ${error.message}`)) : resolve(response),
      );
    });

  const seedRecord = async (runId: string): Promise<SeededRecord> => {
    const storeKey = `${runId}-store`;
    const recordKeys = Array.from({ length: bundleSeedCount() }, (_, index) => `record-${index + 1}`);
    await call('CreateStore', { store: { key: storeKey, name: storeKey } });
    const shape = gameSaveShape();
    for (const key of recordKeys) await call('CreateRecord', { storeKey, record: { key, ...shape } });
    return {
      storeKey,
      recordKey: recordKeys[0]!,
      recordKeys,
      remove: async () => {
        for (const key of recordKeys) await call('DeleteRecord', { storeKey, key });
        await call('DeleteStore', { key: storeKey });
      },
    };
  };

  return {
    process: emulator,
    layout,
    seedRecord,
    stop: async () => {
      stub.close();
      await emulator.stop();
    },
  };
}

interface SaveTemplates {
  stores: unknown[];
  tags: string[];
  tagsPerRecord: number;
  properties: Record<string, { type: 'INTEGER' | 'STRING' | 'BOOLEAN'; min?: number; values?: string[] }>;
  opaqueStringBytes: number;
}

function readTemplates(): SaveTemplates {
  return JSON.parse(readFileSync(join(REPO_ROOT, 'data/save-templates.json'), 'utf8')) as SaveTemplates;
}

/** How many records the bundle's setup() seeds by default: RECORDS_PER_STORE in every store of the templates. */
export function bundleSeedCount(): number {
  return readTemplates().stores.length * DEFAULT_RECORDS_PER_STORE;
}

/** Owner, tags, one value per property template and an opaque string of the templates' length. */
export function gameSaveShape(): object {
  const templates = readTemplates();
  const properties = Object.fromEntries(
    Object.entries(templates.properties).map(([name, template]) => {
      if (template.type === 'INTEGER') return [name, { type: 'INTEGER', integerValue: String(template.min ?? 0) }];
      if (template.type === 'STRING') return [name, { type: 'STRING', stringValue: template.values?.[0] ?? '' }];
      return [name, { type: 'BOOLEAN', booleanValue: true }];
    }),
  );
  return {
    ownerId: 'owner-1',
    tags: templates.tags.slice(0, templates.tagsPerRecord),
    properties,
    opaqueString: 'save:1:0;'.repeat(Math.ceil(templates.opaqueStringBytes / 9)).slice(0, templates.opaqueStringBytes),
  };
}
