// Roughly how many bytes a decoded gRPC message would take as a DynamoDB item or on
// the wire: string and byte lengths, 8 per number, 1 per boolean, plus field names.
// Cheap enough to run per call, and close enough to size capacity units.
export function approximateBytes(value: unknown, depth = 0): number {
  if (value === null || value === undefined) return 0;
  switch (typeof value) {
    case 'string':
      return value.length;
    case 'number':
    case 'bigint':
      return 8;
    case 'boolean':
      return 1;
    case 'object': {
      if (depth > 16) return 0;
      if (Buffer.isBuffer(value) || value instanceof Uint8Array) return value.byteLength;
      if (Array.isArray(value)) return value.reduce((sum: number, item) => sum + approximateBytes(item, depth + 1), 0);
      let sum = 0;
      for (const [key, item] of Object.entries(value)) {
        if (item === null || item === undefined || item === '' || item === 0 || item === false) continue;
        sum += key.length + approximateBytes(item, depth + 1);
      }
      return sum;
    }
    default:
      return 0;
  }
}
