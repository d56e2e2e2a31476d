// Maps the AWS port's untyped JSON properties onto the typed Property model of the
// gRPC API (and back), so both APIs read and write the same records:
//   JSON string → STRING, boolean → BOOLEAN, safe integer → INTEGER;
//   {"type": "INTEGER"|"STRING"|"BOOLEAN", "<kind>_value": v} → that typed property;
//   anything else (fractions, null, arrays, other objects) → STRING holding the JSON text.
// Each property remembers its JSON form, so HTTP reads hand back what HTTP wrote.
import type { StoredProperty } from '../state/properties.js';

const TYPED_KEYS = new Set(['type', 'integer_value', 'string_value', 'boolean_value']);

export function propertyFromJson(value: unknown): StoredProperty {
  if (typeof value === 'string') return { type: 'STRING', value, http: 'plain' };
  if (typeof value === 'boolean') return { type: 'BOOLEAN', value, http: 'plain' };
  if (typeof value === 'number' && Number.isSafeInteger(value)) return { type: 'INTEGER', value: BigInt(value), http: 'plain' };
  return typedFromJson(value) ?? { type: 'STRING', value: JSON.stringify(value) ?? 'null', http: 'json' };
}

function typedFromJson(value: unknown): StoredProperty | undefined {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return undefined;
  const object = value as Record<string, unknown>;
  if (!Object.keys(object).every((key) => TYPED_KEYS.has(key))) return undefined;
  switch (object.type) {
    case 'INTEGER': {
      const raw = object.integer_value ?? 0;
      if (typeof raw === 'number' && Number.isSafeInteger(raw)) return { type: 'INTEGER', value: BigInt(raw), http: 'typed' };
      if (typeof raw === 'string' && /^-?\d+$/.test(raw)) return { type: 'INTEGER', value: BigInt(raw), http: 'typed' };
      return undefined;
    }
    case 'STRING': {
      const raw = object.string_value ?? '';
      return typeof raw === 'string' ? { type: 'STRING', value: raw, http: 'typed' } : undefined;
    }
    case 'BOOLEAN': {
      const raw = object.boolean_value ?? false;
      return typeof raw === 'boolean' ? { type: 'BOOLEAN', value: raw, http: 'typed' } : undefined;
    }
    default:
      return undefined;
  }
}

export function propertyToJson(property: StoredProperty): unknown {
  switch (property.http) {
    case 'typed':
      if (property.type === 'INTEGER') return { type: 'INTEGER', integer_value: Number(property.value) };
      if (property.type === 'STRING') return { type: 'STRING', string_value: property.value };
      return { type: 'BOOLEAN', boolean_value: property.value };
    case 'json':
      return parseJsonText(property.value as string);
    default:
      // Values written over gRPC (or plain over HTTP); int64 beyond 2^53 loses precision, as in the AWS port.
      return property.type === 'INTEGER' ? Number(property.value) : property.value;
  }
}

function parseJsonText(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

export function propertiesFromJson(object: Record<string, unknown>): Map<string, StoredProperty> {
  const properties = new Map<string, StoredProperty>();
  for (const name of Object.keys(object)) properties.set(name, propertyFromJson(object[name]));
  return properties;
}

export function propertiesToJson(properties: ReadonlyMap<string, StoredProperty>): Record<string, unknown> {
  const object: Record<string, unknown> = {};
  for (const [name, property] of properties) object[name] = propertyToJson(property);
  return object;
}

/** The AWS port's owner_id / game_id come only from a string property of that name. */
export function stringProperty(properties: ReadonlyMap<string, StoredProperty>, name: string): string | undefined {
  const property = properties.get(name);
  return property?.type === 'STRING' && property.http !== 'json' && property.http !== 'typed' ? property.value : undefined;
}
