// The model/ folder: the Open Saves data a run sends and expects back: messages, save-shaped records, blob payloads.
//
// Open Saves messages in the protobuf JSON mapping that k6's gRPC client speaks:
// lowerCamelCase field names, int64 as decimal strings, bytes as base64, enums by name.

export type PropertyType = 'DATATYPE_UNDEFINED' | 'INTEGER' | 'STRING' | 'BOOLEAN';

export interface Property {
  type: PropertyType;
  integerValue?: string;
  stringValue?: string;
  booleanValue?: boolean;
}

export type Properties = Record<string, Property>;

export interface Hint {
  doNotCache?: boolean;
  skipCache?: boolean;
}

export interface StoreMessage {
  key: string;
  name?: string;
  tags?: string[];
  ownerId?: string;
  createdAt?: string | null;
  updatedAt?: string | null;
}

export interface RecordMessage {
  key: string;
  blobSize?: string;
  properties?: Properties;
  ownerId?: string;
  tags?: string[];
  createdAt?: string | null;
  updatedAt?: string | null;
  chunked?: boolean;
  chunkCount?: string;
  opaqueString?: string;
  /** base64 of 16 bytes */
  signature?: string;
}

export interface BlobMetadata {
  storeKey: string;
  recordKey: string;
  size: string;
  hint?: Hint;
  /** base64 of 16 bytes */
  md5?: string;
  crc32c?: number;
  hasCrc32c?: boolean;
  chunked?: boolean;
  chunkCount?: string;
}

export interface ChunkMetadata {
  sessionId: string;
  number: string;
  size?: string;
  md5?: string;
  crc32c?: number;
  hasCrc32c?: boolean;
}

export interface GetRecordsResult {
  status: { code: number; message: string } | null;
  storeKey: string;
  record: RecordMessage | null;
}

export interface QueryRecordsResponse {
  records: RecordMessage[];
  storeKeys: string[];
}

export interface AtomicIntResponse {
  updated: boolean;
  value: string;
}

export interface CompareAndSwapResponse {
  updated: boolean;
  value: Property | null;
}

export function intProperty(value: number): Property {
  return { type: 'INTEGER', integerValue: String(value) };
}

export function stringProperty(value: string): Property {
  return { type: 'STRING', stringValue: value };
}

export function boolProperty(value: boolean): Property {
  return { type: 'BOOLEAN', booleanValue: value };
}

/** The value a property holds, as a comparable string ("INTEGER:42"). */
export function propertyValue(property: Property | null | undefined): string {
  if (!property) return 'unset';
  switch (property.type) {
    case 'INTEGER':
      return `INTEGER:${property.integerValue ?? '0'}`;
    case 'STRING':
      return `STRING:${property.stringValue ?? ''}`;
    case 'BOOLEAN':
      return `BOOLEAN:${property.booleanValue ?? false}`;
    default:
      return property.type;
  }
}
