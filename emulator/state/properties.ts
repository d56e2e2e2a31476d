// Typed record properties: conversion between the Property message (as
// proto-loader decodes it) and the stored value, and the comparisons queries,
// CompareAndSwap and atomic operations need.
import { PROPERTY_OVERHEAD_BYTES } from '../constants.js';
import { invalidArgument, RpcError } from '../errors.js';
import { status } from '@grpc/grpc-js';

/** How the HTTP API wrote a property, so it can hand back the same JSON (see README). */
export type HttpForm = 'plain' | 'typed' | 'json';

export type StoredProperty =
  | { readonly type: 'INTEGER'; readonly value: bigint; readonly http?: HttpForm }
  | { readonly type: 'STRING'; readonly value: string; readonly http?: HttpForm }
  | { readonly type: 'BOOLEAN'; readonly value: boolean; readonly http?: HttpForm };

export interface PropertyMessage {
  type?: string | number;
  integerValue?: string | number | null;
  stringValue?: string | null;
  booleanValue?: boolean | null;
  value?: string;
}

/**
 * Reads the member that `type` names, as upstream does (an INTEGER with only a
 * string_value reads as 0). DATATYPE_UNDEFINED cannot be stored upstream: the
 * save fails with a plain error, which gRPC reports as UNKNOWN.
 */
export function propertyFromMessage(name: string, message: PropertyMessage): StoredProperty {
  switch (message.type) {
    case 'INTEGER':
      return { type: 'INTEGER', value: BigInt(message.integerValue ?? 0) };
    case 'STRING':
      return { type: 'STRING', value: message.stringValue ?? '' };
    case 'BOOLEAN':
      return { type: 'BOOLEAN', value: message.booleanValue ?? false };
    default:
      throw new RpcError(
        status.UNKNOWN,
        `property "${name}" has type ${String(message.type ?? 'DATATYPE_UNDEFINED')}; expected INTEGER, STRING or BOOLEAN`,
      );
  }
}

export function propertiesFromMessage(map: Record<string, PropertyMessage> | null | undefined): Map<string, StoredProperty> {
  const result = new Map<string, StoredProperty>();
  if (!map) return result;
  for (const name of Object.keys(map)) result.set(name, propertyFromMessage(name, map[name]!));
  return result;
}

export function propertyToMessage(property: StoredProperty): PropertyMessage {
  switch (property.type) {
    case 'INTEGER':
      return { type: 'INTEGER', integerValue: property.value.toString() };
    case 'STRING':
      return { type: 'STRING', stringValue: property.value };
    case 'BOOLEAN':
      return { type: 'BOOLEAN', booleanValue: property.value };
  }
}

export function propertiesToMessage(properties: Map<string, StoredProperty>): Record<string, PropertyMessage> {
  const result: Record<string, PropertyMessage> = {};
  for (const [name, property] of properties) result[name] = propertyToMessage(property);
  return result;
}

/** Same type and same value. */
export function propertiesEqual(a: StoredProperty, b: StoredProperty): boolean {
  return a.type === b.type && a.value === b.value;
}

/**
 * Orders two values of the same type (-1, 0, 1); values of different types
 * are ordered by type, as Datastore orders mixed-type values.
 */
export function compareProperties(a: StoredProperty, b: StoredProperty): number {
  if (a.type !== b.type) return TYPE_ORDER[a.type] - TYPE_ORDER[b.type];
  if (a.value === b.value) return 0;
  return a.value < b.value ? -1 : 1;
}

// Datastore's value-type order: booleans, then integers, then strings.
const TYPE_ORDER = { BOOLEAN: 0, INTEGER: 1, STRING: 2 } as const;

/** Estimated stored size of a property, for the byte budget. */
export function propertyBytes(name: string, property: StoredProperty): number {
  return name.length + PROPERTY_OVERHEAD_BYTES + (property.type === 'STRING' ? property.value.length : 8);
}

export function requireIntegerProperty(name: string, property: StoredProperty): bigint {
  if (property.type !== 'INTEGER') {
    throw invalidArgument(`property "${name}" is ${property.type}; atomic integer operations need an INTEGER property`);
  }
  return property.value;
}
