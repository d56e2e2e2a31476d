// MD5 and CRC-32C (Castagnoli) of blob and chunk content, as upstream validates
// and reports them. CRC-32C is the kit's one implementation (proto/crc32c.ts), which
// the k6 bundles compute payload checksums with too.
import { createHash } from 'node:crypto';

export function md5(data: Uint8Array): Buffer {
  return createHash('md5').update(data).digest();
}

export interface Checksums {
  md5: Buffer;
  crc32c: number;
  hasCrc32c: boolean;
}

export const NO_CHECKSUMS: Checksums = Object.freeze({ md5: Buffer.alloc(0), crc32c: 0, hasCrc32c: false });
