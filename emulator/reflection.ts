// Server reflection that gRPC tools written in Go (k6, grpcurl) can use.
// proto-loader hands @grpc/reflection one file descriptor per package with an
// empty import list, so a Go client cannot resolve e.g. google.protobuf.Timestamp
// from opensaves.proto (see grpc/grpc-node#2595). This fills in the imports.
import type { PackageDefinition } from '@grpc/proto-loader';
import { ReflectionService } from '@grpc/reflection';
import descriptor from 'protobufjs/ext/descriptor/index.js';
import type { Server } from '@grpc/grpc-js';

interface FileDescriptor {
  name: string;
  package: string;
  dependency: string[];
  messageType: MessageDescriptor[];
  enumType: { name: string }[];
  service: { method: { inputType: string; outputType: string }[] }[];
}

interface MessageDescriptor {
  name: string;
  field: { name: string; typeName?: string }[];
  nestedType: MessageDescriptor[];
  enumType: { name: string }[];
  options?: { mapEntry?: boolean } | null;
}

export function addReflection(server: Pick<Server, 'addService'>, definition: PackageDefinition): void {
  new ReflectionService(withFileDependencies(definition)).addToServer(server);
}

/** The same definition with every file descriptor listing the files it refers to. */
export function withFileDependencies(definition: PackageDefinition): PackageDefinition {
  const files = new Map<string, FileDescriptor>();
  for (const entry of Object.values(definition)) {
    for (const bytes of fileDescriptorsOf(entry)) {
      const file = descriptor.FileDescriptorProto.decode(bytes) as unknown as FileDescriptor;
      if (files.has(file.name)) continue;
      for (const message of file.messageType) renameMapEntries(message);
      files.set(file.name, file);
    }
  }

  const fileOfSymbol = new Map<string, string>();
  for (const file of files.values()) {
    const prefix = file.package ? `.${file.package}.` : '.';
    for (const message of file.messageType) indexMessage(message, prefix, file.name, fileOfSymbol);
    for (const enumType of file.enumType) fileOfSymbol.set(`${prefix}${enumType.name}`, file.name);
  }

  const encoded = new Map<string, Buffer>();
  for (const file of files.values()) {
    const dependencies = new Set<string>();
    // Type names are rewritten fully qualified, so no client has to redo proto scoping.
    const resolve = (reference: string, scope: string): string => {
      const fullName = resolveTypeName(reference, scope, fileOfSymbol);
      const owner = fileOfSymbol.get(fullName);
      if (owner && owner !== file.name) dependencies.add(owner);
      return fullName;
    };
    const packageScope = file.package ? `.${file.package}` : '';
    for (const message of file.messageType) resolveMessage(message, packageScope, resolve);
    for (const service of file.service) {
      for (const method of service.method) {
        method.inputType = resolve(method.inputType, packageScope);
        method.outputType = resolve(method.outputType, packageScope);
      }
    }
    file.dependency = [...dependencies].sort();
    encoded.set(file.name, Buffer.from(descriptor.FileDescriptorProto.encode(file as never).finish()));
  }

  const patched: PackageDefinition = {};
  for (const [name, entry] of Object.entries(definition)) {
    const protos = fileDescriptorsOf(entry);
    patched[name] =
      protos.length === 0
        ? entry
        : ({
            ...entry,
            fileDescriptorProtos: protos.map((bytes) => encoded.get(nameOf(bytes)) ?? bytes),
          } as typeof entry);
  }
  return patched;
}

function fileDescriptorsOf(entry: PackageDefinition[string]): Buffer[] {
  const protos = (entry as { fileDescriptorProtos?: unknown }).fileDescriptorProtos;
  return Array.isArray(protos) ? (protos as Buffer[]) : [];
}

function nameOf(bytes: Buffer): string {
  return (descriptor.FileDescriptorProto.decode(bytes) as unknown as FileDescriptor).name;
}

function indexMessage(message: MessageDescriptor, prefix: string, fileName: string, index: Map<string, string>): void {
  const fullName = `${prefix}${message.name}`;
  index.set(fullName, fileName);
  for (const nested of message.nestedType) indexMessage(nested, `${fullName}.`, fileName, index);
  for (const enumType of message.enumType) index.set(`${fullName}.${enumType.name}`, fileName);
}

/**
 * protobufjs names a map field's entry type after the field ("Properties"); protoc
 * and Go expect "<CamelCaseField>Entry" ("PropertiesEntry") and reject anything else.
 */
function renameMapEntries(message: MessageDescriptor): void {
  for (const nested of message.nestedType) {
    renameMapEntries(nested);
    if (!nested.options?.mapEntry) continue;
    const field = message.field.find((f) => f.typeName === nested.name || f.typeName?.endsWith(`.${message.name}.${nested.name}`));
    if (!field) continue;
    const entryName = `${field.name.replace(/(^|_)([a-z])/g, (_, __, letter: string) => letter.toUpperCase()).replace(/_/g, '')}Entry`;
    field.typeName = entryName;
    nested.name = entryName;
  }
}

function resolveMessage(message: MessageDescriptor, scope: string, resolve: (reference: string, scope: string) => string): void {
  const fullName = `${scope}.${message.name}`;
  for (const field of message.field) if (field.typeName) field.typeName = resolve(field.typeName, fullName);
  for (const nested of message.nestedType) resolveMessage(nested, fullName, resolve);
}

/** Protobuf name lookup: a relative name is tried in the innermost scope first, then outwards. */
function resolveTypeName(reference: string, scope: string, known: Map<string, string>): string {
  if (reference.startsWith('.')) return reference;
  for (let current = scope; ; current = current.slice(0, Math.max(0, current.lastIndexOf('.')))) {
    const candidate = `${current}.${reference}`;
    if (known.has(candidate)) return candidate;
    if (current === '') return candidate;
  }
}
