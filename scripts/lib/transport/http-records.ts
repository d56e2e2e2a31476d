// Records in the AWS port's JSON shape, converted to and from the gRPC message the
// flows compare: untyped properties (a JSON number is an INTEGER, a string a
// STRING, a boolean a BOOLEAN), owner_id carried inside properties (the only
// place the port's DynamoDB flavour reads it from) and at the top level (the
// DocumentDB flavour's), and the opaque string, which the port has no
// field for, kept as the property opaque_string. A record so written reads back
// as the same RecordMessage, so one comparison serves both transports.
import { buildRecord } from '../model/records.js';
import type { Properties, Property, RecordMessage } from '../model/messages.js';

export interface HttpRecord {
  record_id: string;
  store_id?: string;
  owner_id?: string;
  tags?: string[];
  properties?: Record<string, unknown>;
  blob_keys?: string[];
}

const OWNER_PROPERTY = 'owner_id';
const OPAQUE_PROPERTY = 'opaque_string';

function plainValue(property: Property): unknown {
  if (property.type === 'INTEGER') return Number(property.integerValue ?? 0);
  if (property.type === 'BOOLEAN') return property.booleanValue ?? false;
  return property.stringValue ?? '';
}

function typedValue(value: unknown): Property | undefined {
  if (typeof value === 'number' && Number.isInteger(value)) return { type: 'INTEGER', integerValue: String(value) };
  if (typeof value === 'boolean') return { type: 'BOOLEAN', booleanValue: value };
  if (typeof value === 'string') return { type: 'STRING', stringValue: value };
  // Anything else (a float, an object) has no typed counterpart; the comparison then reports it.
  return { type: 'DATATYPE_UNDEFINED' };
}

/** The JSON body that writes `record` (POST takes record_id; PUT ignores it). */
export function toHttpRecord(record: RecordMessage): HttpRecord {
  const properties: Record<string, unknown> = {};
  if (record.ownerId) properties[OWNER_PROPERTY] = record.ownerId;
  if (record.opaqueString) properties[OPAQUE_PROPERTY] = record.opaqueString;
  const typed = record.properties ?? {};
  for (const name in typed) properties[name] = plainValue(typed[name] as Property);
  // The DynamoDB flavour reads the owner from properties.owner_id only, the DocumentDB flavour from the top level only.
  const owner = record.ownerId ? { owner_id: record.ownerId } : {};
  return { record_id: record.key, ...owner, tags: [...(record.tags ?? [])], properties };
}

/** A record the port returned, as the gRPC message it was written from. */
export function fromHttpRecord(json: HttpRecord): RecordMessage {
  const plain = json.properties ?? {};
  const properties: Properties = {};
  for (const name in plain) {
    if (name !== OWNER_PROPERTY && name !== OPAQUE_PROPERTY) properties[name] = typedValue(plain[name]) as Property;
  }
  const owner = json.owner_id ?? plain[OWNER_PROPERTY];
  const opaque = plain[OPAQUE_PROPERTY];
  return {
    key: json.record_id,
    ownerId: typeof owner === 'string' ? owner : '',
    // Written sorted (records.ts); the port keeps a list, so its order is not part of what is compared.
    tags: [...(json.tags ?? [])].sort(),
    properties,
    opaqueString: typeof opaque === 'string' ? opaque : '',
  };
}

/** The JSON body of the record a run writes for `seed` at `version`. */
export function buildHttpRecord(key: string, seed: number, version = 0): HttpRecord {
  return toHttpRecord(buildRecord(key, seed, version));
}
