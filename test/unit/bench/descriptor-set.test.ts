import protoLoader from '@grpc/proto-loader';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../../helpers/emulator-process.js';
import { runK6 } from '../../helpers/k6.js';
import {
  buildFileDescriptors,
  decodeDescriptorSet,
  encodeDescriptorSet,
  type FileDescriptor,
} from '../../../tools/protoset/descriptor-set.js';

const PROTO_DIR = join(REPO_ROOT, 'proto');
const files = buildFileDescriptors(PROTO_DIR, 'open_saves.proto');
const scratch = mkdtempSync(join(tmpdir(), 'protoset-test-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

function file(name: string): FileDescriptor {
  const found = files.find((candidate) => candidate.name === name);
  if (!found) throw new Error(`no ${name} in the set`);
  return found;
}

describe('buildFileDescriptors', () => {
  it('keeps one file per source file, imports before the files that use them', () => {
    const names = files.map((candidate) => candidate.name);
    expect(new Set(names)).toEqual(
      new Set([
        'open_saves.proto',
        'google/rpc/status.proto',
        'google/protobuf/any.proto',
        'google/protobuf/empty.proto',
        'google/protobuf/timestamp.proto',
      ]),
    );
    for (const [index, candidate] of files.entries()) {
      for (const dependency of candidate.dependency) {
        expect(names.indexOf(dependency), `${dependency} before ${candidate.name}`).toBeLessThan(index);
      }
    }
  });

  it('lists the imports each file needs', () => {
    expect(file('open_saves.proto').dependency).toEqual([
      'google/protobuf/empty.proto',
      'google/protobuf/timestamp.proto',
      'google/rpc/status.proto',
    ]);
    expect(file('google/rpc/status.proto').dependency).toEqual(['google/protobuf/any.proto']);
    expect(file('open_saves.proto').package).toBe('opensaves');
  });

  it('describes every RPC with its fully qualified types and streaming modes', () => {
    const definition = protoLoader.loadSync('open_saves.proto', { includeDirs: [PROTO_DIR], keepCase: true });
    const service = definition['opensaves.OpenSaves'] as protoLoader.ServiceDefinition;
    const declared = new Set(
      files.flatMap((candidate) => candidate.messageType.map((message) => `.${candidate.package}.${message.name}`)),
    );
    const methods = file('open_saves.proto').service[0]!.method;
    expect(methods).toHaveLength(27);
    for (const method of methods) {
      const loaded = service[method.name]!;
      const typeName = (definition: protoLoader.MessageTypeDefinition<object, object>): string => (definition.type as { name: string }).name;
      expect(method.inputType.split('.').at(-1), method.name).toBe(typeName(loaded.requestType));
      expect(method.outputType.split('.').at(-1), method.name).toBe(typeName(loaded.responseType));
      expect(declared, method.name).toContain(method.inputType);
      expect(declared, method.name).toContain(method.outputType);
      expect(Boolean(method.clientStreaming)).toBe(loaded.requestStream);
      expect(Boolean(method.serverStreaming)).toBe(loaded.responseStream);
    }
  });

  it('gives every message the fields the .proto declares', () => {
    const definition = protoLoader.loadSync('open_saves.proto', { includeDirs: [PROTO_DIR], keepCase: true });
    const messages = file('open_saves.proto').messageType;
    expect(messages.length).toBeGreaterThanOrEqual(40);
    for (const message of messages) {
      const loaded = definition[`opensaves.${message.name}`] as protoLoader.MessageTypeDefinition<object, object>;
      const expected = (loaded.type as { field: { name: string; number: number }[] }).field
        .map((field) => `${field.name}=${field.number}`)
        .sort();
      expect(message.field.map((field) => `${field.name}=${field.number}`).sort(), message.name).toEqual(expected);
    }
  });

  it('names map entries as protoc does and marks them as map entries', () => {
    const record = file('open_saves.proto').messageType.find((message) => message.name === 'Record')!;
    const properties = record.field.find((field) => field.name === 'properties')!;
    expect(properties.typeName).toBe('.opensaves.Record.PropertiesEntry');
    const entry = record.nestedType.find((nested) => nested.name === 'PropertiesEntry')!;
    expect(entry.options).toEqual({ mapEntry: true });
    expect(entry.field.map((field) => [field.name, field.number, field.typeName ?? null])).toEqual([
      ['key', 1, null],
      ['value', 2, '.opensaves.Property'],
    ]);
  });

  it('keeps oneof members and nested enums', () => {
    const property = file('open_saves.proto').messageType.find((message) => message.name === 'Property')!;
    expect(property.oneofDecl).toEqual([{ name: 'value' }]);
    expect(property.field.filter((field) => field.oneofIndex === 0).map((field) => field.name)).toEqual([
      'integer_value',
      'string_value',
      'boolean_value',
    ]);
    expect(property.enumType.map((enumeration) => enumeration.name)).toEqual(['Type']);
    expect(property.field.find((field) => field.name === 'type')!.typeName).toBe('.opensaves.Property.Type');
  });

  it('survives encoding and decoding unchanged', () => {
    const decoded = decodeDescriptorSet(encodeDescriptorSet(files));
    expect(decoded.map((candidate) => candidate.name)).toEqual(files.map((candidate) => candidate.name));
    const record = decoded.find((candidate) => candidate.name === 'open_saves.proto')!.messageType.find(
      (message) => message.name === 'Record',
    )!;
    expect(record.field.map((field) => field.name)).toContain('opaque_string');
  });

  it('is accepted by k6 client.loadProtoset, with all 27 methods', async () => {
    const protoset = join(scratch, 'open_saves.protoset');
    writeFileSync(protoset, encodeDescriptorSet(files));
    const script = join(scratch, 'load-protoset.js');
    writeFileSync(
      script,
      [
        "import grpc from 'k6/net/grpc';",
        'const client = new grpc.Client();',
        'const methods = client.loadProtoset(__ENV.PROTOSET);',
        "if (methods.length !== 27) throw new Error('expected 27 methods, got ' + methods.length);",
        'export default function () {}',
      ].join('\n'),
    );
    const run = await runK6(script, { env: { PROTOSET: protoset }, args: ['--iterations', '1'], timeoutMs: 60_000 });
    // The script throws (non-zero exit) unless all 27 methods load.
    expect(run.exitCode, run.stderr + run.stdout).toBe(0);
  });
});
