// Builds a google.protobuf.FileDescriptorSet (what `protoc --include_imports
// --descriptor_set_out` writes) from .proto sources with protobufjs, so k6 can
// call client.loadProtoset() instead of parsing the .proto text in every VU.
//
// protobufjs ships a descriptor extension, but its output cannot be loaded by
// Go's protodesc (which k6 uses): it leaves `dependency` empty, writes relative
// type names, names map entries `Foo` instead of `FooEntry` and groups types by
// package rather than by file. This module walks the reflection tree itself and
// keeps one FileDescriptorProto per source file.
import protobuf from 'protobufjs';
import descriptorModule from 'protobufjs/ext/descriptor/index.js';
import { existsSync } from 'node:fs';
import { join } from 'node:path';

/** Thrown for a source tree that cannot be turned into a descriptor set. */
export class ProtosetError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ProtosetError';
  }
}

// FieldDescriptorProto.Type numbers, from google/protobuf/descriptor.proto.
const SCALAR_TYPES: Readonly<Record<string, number>> = {
  double: 1, float: 2, int64: 3, uint64: 4, int32: 5, fixed64: 6, fixed32: 7, bool: 8,
  string: 9, bytes: 12, uint32: 13, sfixed32: 15, sfixed64: 16, sint32: 17, sint64: 18,
};
const TYPE_MESSAGE = 11;
const TYPE_ENUM = 14;
const LABEL_OPTIONAL = 1;
const LABEL_REPEATED = 3;

// protobufjs bundles the well-known types instead of reading them from disk, so
// their reflection objects carry no filename; recover it from its own table.
const WELL_KNOWN_PREFIX = 'google/protobuf/';

interface FieldDescriptor {
  name: string;
  number: number;
  label: number;
  type: number;
  typeName?: string;
  oneofIndex?: number;
  proto3Optional?: boolean;
}

interface MessageDescriptor {
  name: string;
  field: FieldDescriptor[];
  nestedType: MessageDescriptor[];
  enumType: EnumDescriptor[];
  oneofDecl: { name: string }[];
  options?: { mapEntry: boolean };
}

interface EnumDescriptor {
  name: string;
  value: { name: string; number: number }[];
}

interface ServiceDescriptor {
  name: string;
  method: {
    name: string;
    inputType: string;
    outputType: string;
    clientStreaming?: boolean;
    serverStreaming?: boolean;
  }[];
}

export interface FileDescriptor {
  name: string;
  package: string;
  dependency: string[];
  messageType: MessageDescriptor[];
  enumType: EnumDescriptor[];
  service: ServiceDescriptor[];
  syntax: string;
}

type TopLevel = protobuf.Type | protobuf.Enum | protobuf.Service;

/** Loads `entryFile` (relative to `protoDir`) and its imports, and returns one descriptor per file, imports first. */
export function buildFileDescriptors(protoDir: string, entryFile: string): FileDescriptor[] {
  const entryPath = join(protoDir, entryFile);
  if (!existsSync(entryPath)) {
    throw new ProtosetError(`invalid entry file; reason: expected a .proto file under ${protoDir}, got \`${entryFile}\``);
  }
  const root = new protobuf.Root();
  root.resolvePath = (_origin, target) => (target.startsWith(WELL_KNOWN_PREFIX) ? target : join(protoDir, target));
  try {
    root.loadSync(entryFile, { keepCase: true });
    root.resolveAll();
  } catch (error) {
    throw new ProtosetError(`cannot parse ${entryPath}: ${(error as Error).message}`);
  }

  const fileOfWellKnown = wellKnownFileIndex();
  // Nested types may carry no filename of their own: the enclosing type's counts.
  const fileNameOf = (object: protobuf.ReflectionObject): string => {
    for (let scope: protobuf.ReflectionObject | null = object; scope; scope = scope.parent) {
      if (scope.filename) return relativeName(protoDir, scope.filename);
      const known = fileOfWellKnown.get(scope.fullName);
      if (known) return known;
    }
    throw new ProtosetError(`cannot tell which file declares ${object.fullName.slice(1)}`);
  };

  const topLevelByFile = new Map<string, TopLevel[]>();
  collectTopLevel(root, (object) => {
    const file = fileNameOf(object);
    topLevelByFile.set(file, [...(topLevelByFile.get(file) ?? []), object]);
  });

  const files = [...topLevelByFile].map(([name, objects]) => toFileDescriptor(name, objects, fileNameOf));
  return dependenciesFirst(files);
}

/** Serialises descriptors as a binary FileDescriptorSet. */
export function encodeDescriptorSet(files: FileDescriptor[]): Uint8Array {
  const { FileDescriptorSet } = descriptorModule as unknown as { FileDescriptorSet: protobuf.Type };
  const message = FileDescriptorSet.fromObject({ file: files });
  return FileDescriptorSet.encode(message).finish();
}

/** Decodes a binary FileDescriptorSet back into plain descriptors (used to check a written file). */
export function decodeDescriptorSet(bytes: Uint8Array): FileDescriptor[] {
  const { FileDescriptorSet } = descriptorModule as unknown as { FileDescriptorSet: protobuf.Type };
  const decoded = FileDescriptorSet.toObject(FileDescriptorSet.decode(bytes), { defaults: true, arrays: true });
  return (decoded as { file: FileDescriptor[] }).file;
}

function wellKnownFileIndex(): Map<string, string> {
  const index = new Map<string, string>();
  const common = protobuf.common as unknown as Record<string, unknown>;
  for (const [file, json] of Object.entries(common)) {
    if (!file.startsWith(WELL_KNOWN_PREFIX) || !file.endsWith('.proto')) continue;
    // Read the JSON form directly: building a Root from it would try to resolve
    // types (Any, for type.proto) that live in other entries of the table.
    const declared = (json as WellKnownJson).nested?.google?.nested?.protobuf?.nested ?? {};
    for (const name of Object.keys(declared)) {
      // protobufjs lists its own files first; files added later (proto-loader
      // adds type.proto and api.proto) repeat Any, which belongs to any.proto.
      if (!index.has(`.google.protobuf.${name}`)) index.set(`.google.protobuf.${name}`, file);
    }
  }
  return index;
}

interface WellKnownJson {
  nested?: { google?: { nested?: { protobuf?: { nested?: Record<string, unknown> } } } };
}

function collectTopLevel(namespace: protobuf.NamespaceBase, visit: (object: TopLevel) => void): void {
  for (const nested of namespace.nestedArray) {
    if (nested instanceof protobuf.Type || nested instanceof protobuf.Enum || nested instanceof protobuf.Service) {
      visit(nested);
    } else if (nested instanceof protobuf.Namespace) {
      collectTopLevel(nested, visit);
    }
  }
}

function relativeName(protoDir: string, filename: string): string {
  const prefix = join(protoDir, '/');
  return filename.startsWith(prefix) ? filename.slice(prefix.length) : filename;
}

function toFileDescriptor(
  name: string,
  objects: TopLevel[],
  fileNameOf: (object: protobuf.ReflectionObject) => string,
): FileDescriptor {
  const packages = new Set(objects.map((object) => object.parent?.fullName.slice(1) ?? ''));
  if (packages.size !== 1) throw new ProtosetError(`${name} declares types in several packages: ${[...packages].join(', ')}`);
  const dependencies = new Set<string>();
  const reference = (target: protobuf.ReflectionObject): string => {
    const file = fileNameOf(target);
    if (file !== name) dependencies.add(file);
    return target.fullName;
  };
  const file: FileDescriptor = {
    name,
    package: [...packages][0] ?? '',
    dependency: [],
    messageType: [],
    enumType: [],
    service: [],
    syntax: 'proto3',
  };
  for (const object of objects) {
    if (object instanceof protobuf.Type) file.messageType.push(toMessage(object, reference));
    else if (object instanceof protobuf.Enum) file.enumType.push(toEnum(object));
    else file.service.push(toService(object, reference));
  }
  file.dependency = [...dependencies].sort();
  return file;
}

function toMessage(type: protobuf.Type, reference: (target: protobuf.ReflectionObject) => string): MessageDescriptor {
  const message: MessageDescriptor = {
    name: type.name,
    field: [],
    nestedType: [],
    enumType: [],
    oneofDecl: type.oneofsArray.map((oneof) => ({ name: oneof.name })),
  };
  for (const field of type.fieldsArray) {
    const oneofIndex = field.partOf ? type.oneofsArray.indexOf(field.partOf) : -1;
    if (field instanceof protobuf.MapField) {
      // Go's protodesc insists on the protoc naming rule for map entries.
      const entryName = `${camelCase(field.name)}Entry`;
      message.nestedType.push(toMapEntry(entryName, field, reference));
      message.field.push({
        name: field.name, number: field.id, label: LABEL_REPEATED, type: TYPE_MESSAGE,
        typeName: `${type.fullName}.${entryName}`,
      });
      continue;
    }
    message.field.push({
      ...fieldType(field, reference),
      name: field.name,
      number: field.id,
      label: field.repeated ? LABEL_REPEATED : LABEL_OPTIONAL,
      ...(oneofIndex >= 0 ? { oneofIndex } : {}),
      ...(field.options?.['proto3_optional'] ? { proto3Optional: true } : {}),
    });
  }
  for (const nested of type.nestedArray) {
    if (nested instanceof protobuf.Type) message.nestedType.push(toMessage(nested, reference));
    else if (nested instanceof protobuf.Enum) message.enumType.push(toEnum(nested));
  }
  return message;
}

function toMapEntry(
  name: string,
  field: protobuf.MapField,
  reference: (target: protobuf.ReflectionObject) => string,
): MessageDescriptor {
  const keyType = SCALAR_TYPES[field.keyType];
  if (keyType === undefined) throw new ProtosetError(`map field ${field.fullName.slice(1)} has key type ${field.keyType}`);
  return {
    name,
    field: [
      { name: 'key', number: 1, label: LABEL_OPTIONAL, type: keyType },
      { name: 'value', number: 2, label: LABEL_OPTIONAL, ...fieldType(field, reference) },
    ],
    nestedType: [],
    enumType: [],
    oneofDecl: [],
    options: { mapEntry: true },
  };
}

function fieldType(
  field: protobuf.FieldBase,
  reference: (target: protobuf.ReflectionObject) => string,
): { type: number; typeName?: string } {
  const scalar = SCALAR_TYPES[field.type];
  if (scalar !== undefined) return { type: scalar };
  const resolved = field.resolvedType;
  if (resolved instanceof protobuf.Enum) return { type: TYPE_ENUM, typeName: reference(resolved) };
  if (resolved instanceof protobuf.Type) return { type: TYPE_MESSAGE, typeName: reference(resolved) };
  throw new ProtosetError(`field ${field.fullName.slice(1)} has unresolved type ${field.type}`);
}

function toEnum(enumeration: protobuf.Enum): EnumDescriptor {
  return {
    name: enumeration.name,
    value: Object.entries(enumeration.values).map(([name, number]) => ({ name, number })),
  };
}

function toService(service: protobuf.Service, reference: (target: protobuf.ReflectionObject) => string): ServiceDescriptor {
  return {
    name: service.name,
    method: service.methodsArray.map((method) => {
      method.resolve();
      if (!method.resolvedRequestType || !method.resolvedResponseType) {
        throw new ProtosetError(`method ${method.fullName.slice(1)} has unresolved request or response type`);
      }
      return {
        name: method.name,
        inputType: reference(method.resolvedRequestType),
        outputType: reference(method.resolvedResponseType),
        // protoc leaves the flags out when false; so do we, to keep the files comparable.
        ...(method.requestStream ? { clientStreaming: true } : {}),
        ...(method.responseStream ? { serverStreaming: true } : {}),
      };
    }),
  };
}

function camelCase(snake: string): string {
  return snake.replace(/(?:^|_)([a-z0-9])/g, (_match, letter: string) => letter.toUpperCase());
}

// protoc lists imports before the files that use them; readers that register
// files one by one (as protoregistry does) need that order.
function dependenciesFirst(files: FileDescriptor[]): FileDescriptor[] {
  const byName = new Map(files.map((file) => [file.name, file]));
  const ordered: FileDescriptor[] = [];
  const placed = new Set<string>();
  const place = (file: FileDescriptor, path: string[]): void => {
    if (placed.has(file.name)) return;
    if (path.includes(file.name)) throw new ProtosetError(`import cycle: ${[...path, file.name].join(' -> ')}`);
    for (const dependency of file.dependency) {
      const imported = byName.get(dependency);
      if (imported) place(imported, [...path, file.name]);
    }
    placed.add(file.name);
    ordered.push(file);
  };
  for (const file of [...files].sort((a, b) => a.name.localeCompare(b.name))) place(file, []);
  return ordered;
}
