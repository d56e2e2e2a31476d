// MD5 and CRC-32C (Castagnoli) of blob and chunk content, as upstream validates
// and reports them. Node 20 has no CRC-32C, so it is table-driven here.
import { createHash } from 'node:crypto';

const CASTAGNOLI_REVERSED = 0x82f63b78;
const CRC32C_TABLE = buildTable();

function buildTable(): Uint32Array {
  const table = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? (c >>> 1) ^ CASTAGNOLI_REVERSED : c >>> 1;
    table[n] = c >>> 0;
  }
  return table;
}

/** Incremental CRC-32C: pass the previous result to continue over more bytes. */
export function crc32c(data: Uint8Array, previous = 0): number {
  let crc = ~previous >>> 0;
  for (let i = 0; i < data.length; i++) crc = CRC32C_TABLE[(crc ^ data[i]!) & 0xff]! ^ (crc >>> 8);
  return ~crc >>> 0;
}

export function md5(data: Uint8Array): Buffer {
  return createHash('md5').update(data).digest();
}

export interface Checksums {
  md5: Buffer;
  crc32c: number;
  hasCrc32c: boolean;
}

export const NO_CHECKSUMS: Checksums = Object.freeze({ md5: Buffer.alloc(0), crc32c: 0, hasCrc32c: false });
