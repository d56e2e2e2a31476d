// Records in the AWS port's JSON shape: untyped properties, owner_id carried
// inside properties (the only place the port reads it from), tags as is.
import { buildRecord } from './records.js';
import type { Property } from './messages.js';

export interface HttpRecord {
  record_id: string;
  store_id?: string;
  owner_id?: string;
  tags?: string[];
  properties?: Record<string, unknown>;
  blob_keys?: string[];
}

function plainValue(property: Property): unknown {
  if (property.type === 'INTEGER') return Number(property.integerValue ?? 0);
  if (property.type === 'BOOLEAN') return property.booleanValue ?? false;
  return property.stringValue ?? '';
}

export function buildHttpRecord(key: string, seed: number, version = 0): HttpRecord {
  const typed = buildRecord(key, seed, version);
  const properties: Record<string, unknown> = { owner_id: typed.ownerId };
  for (const [name, property] of Object.entries(typed.properties ?? {})) properties[name] = plainValue(property);
  return { record_id: key, tags: typed.tags ?? [], properties };
}

function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : 1));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonical(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

export function httpRecordDifferences(actual: HttpRecord | null, expected: HttpRecord): string[] {
  if (!actual) return ['record missing'];
  const differences: string[] = [];
  if (actual.record_id !== expected.record_id) differences.push(`record_id ${actual.record_id} != ${expected.record_id}`);
  if (canonical([...(actual.tags ?? [])].sort()) !== canonical([...(expected.tags ?? [])].sort())) differences.push('tags differ');
  if (canonical(actual.properties ?? {}) !== canonical(expected.properties ?? {})) differences.push('properties differ');
  return differences;
}
