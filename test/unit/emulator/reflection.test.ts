// Reflection descriptors that Go clients accept: imports listed, type names fully
// qualified, map entries named "<Field>Entry", real field names; then the real k6
// binary using reflect: true against a emulator process.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import descriptor from 'protobufjs/ext/descriptor/index.js';
import { describe, expect, it } from 'vitest';
import { loadProtos } from '../../../emulator/proto.js';
import { withFileDependencies } from '../../../emulator/reflection.js';
import { K6_BINARY, runK6 } from '../../helpers/k6.js';
import { REPO_ROOT, startEmulatorProcess } from '../../helpers/emulator-process.js';

interface File {
  name: string;
  package: string;
  dependency: string[];
  messageType: { name: string; field: { name: string; typeName?: string }[]; nestedType: { name: string; options?: { mapEntry?: boolean } }[] }[];
  service: { name: string; method: { name: string; inputType: string; outputType: string }[] }[];
}

function patchedFiles(): Map<string, File> {
  const files = new Map<string, File>();
  for (const entry of Object.values(withFileDependencies(loadProtos().reflectionDefinition))) {
    for (const bytes of ((entry as { fileDescriptorProtos?: Buffer[] }).fileDescriptorProtos ?? [])) {
      const file = descriptor.FileDescriptorProto.decode(bytes) as unknown as File;
      files.set(file.name, file);
    }
  }
  return files;
}

describe('reflection descriptors', () => {
  const files = patchedFiles();
  const openSaves = [...files.values()].find((f) => f.package === 'opensaves')!;

  it('list the files they import, each of which is served too', () => {
    const google = [...files.values()].filter((f) => f.package.startsWith('google.')).map((f) => f.name);
    expect(openSaves.dependency.sort()).toEqual(google.sort());
    for (const file of files.values()) for (const dependency of file.dependency) expect(files.has(dependency)).toBe(true);
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
    const emulator = await startEmulatorProcess();
    try {
      const run = await runK6(join(REPO_ROOT, 'test/unit/emulator/fixtures/reflection-smoke.js'), {
        env: { EMULATOR_GRPC: emulator.grpcAddress },
        timeoutMs: 60_000,
      });
      expect(run.exitCode, `k6 output:\n${run.stdout}\n${run.stderr}`).toBe(0);
      expect(run.stdout).toMatch(/checks_succeeded\.*: 100\.00% 6 out of 6/);
    } finally {
      await emulator.stop();
    }
  });
});
