// CRC-32C (Castagnoli), the checksum Open Saves keeps next to md5. Computed in
// plain JS (k6 has no native CRC-32C), so large payloads are built from a short
// repeated block and their CRC derived with zlib's crc32_combine technique
// (https://github.com/madler/zlib/blob/v1.3.1/crc32.c) instead of byte by byte.

const POLY = 0x82f63b78;

const TABLE: Uint32Array = (() => {
  const table = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? (c >>> 1) ^ POLY : c >>> 1;
    table[n] = c >>> 0;
  }
  return table;
})();

export function crc32c(bytes: Uint8Array, initial = 0): number {
  let crc = ~initial >>> 0;
  for (let i = 0; i < bytes.length; i++) crc = (TABLE[(crc ^ (bytes[i] as number)) & 0xff] as number) ^ (crc >>> 8);
  return ~crc >>> 0;
}

function gf2MatrixTimes(matrix: number[], vector: number): number {
  let sum = 0;
  let index = 0;
  let rest = vector >>> 0;
  while (rest !== 0) {
    if (rest & 1) sum ^= matrix[index] as number;
    rest >>>= 1;
    index++;
  }
  return sum >>> 0;
}

function gf2MatrixSquare(square: number[], matrix: number[]): void {
  for (let n = 0; n < 32; n++) square[n] = gf2MatrixTimes(matrix, matrix[n] as number);
}

/** CRC of A followed by B, from crc(A), crc(B) and the length of B. */
export function crc32cCombine(crcA: number, crcB: number, lengthB: number): number {
  if (lengthB <= 0) return crcA >>> 0;
  const even: number[] = new Array(32).fill(0);
  const odd: number[] = new Array(32).fill(0);
  // odd = operator for one zero bit
  odd[0] = POLY;
  let row = 1;
  for (let n = 1; n < 32; n++) {
    odd[n] = row;
    row = (row << 1) >>> 0;
  }
  gf2MatrixSquare(even, odd); // two zero bits
  gf2MatrixSquare(odd, even); // four zero bits
  let crc = crcA >>> 0;
  let remaining = lengthB;
  // Apply len(B) zero bytes to crc(A), one power-of-two operator per bit of the length.
  for (;;) {
    gf2MatrixSquare(even, odd);
    if (remaining % 2 === 1) crc = gf2MatrixTimes(even, crc);
    remaining = Math.floor(remaining / 2);
    if (remaining === 0) break;
    gf2MatrixSquare(odd, even);
    if (remaining % 2 === 1) crc = gf2MatrixTimes(odd, crc);
    remaining = Math.floor(remaining / 2);
    if (remaining === 0) break;
  }
  return (crc ^ crcB) >>> 0;
}

/** CRC of `count` copies of a block whose CRC is `blockCrc`. */
export function crc32cRepeated(blockCrc: number, blockLength: number, count: number): number {
  let result = 0;
  let resultLength = 0;
  let power = blockCrc >>> 0;
  let powerLength = blockLength;
  let remaining = count;
  while (remaining > 0) {
    if (remaining % 2 === 1) {
      // Every piece is a run of the same block, so the order of concatenation does not matter.
      result = resultLength === 0 ? power : crc32cCombine(result, power, powerLength);
      resultLength += powerLength;
    }
    remaining = Math.floor(remaining / 2);
    if (remaining > 0) {
      power = crc32cCombine(power, power, powerLength);
      powerLength *= 2;
    }
  }
  return result;
}
