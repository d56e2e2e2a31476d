// CRC-32C (Castagnoli), the checksum Open Saves keeps next to md5: the kit's one implementation,
// plain code with no imports so that the k6 bundles and the emulator share it. k6 has no native
// CRC-32C, so large payloads are built from a short
// repeated block and their CRC derived with zlib's crc32_combine technique
// (https://github.com/madler/zlib/blob/v1.3.1/crc32.c, multiplication by x^(8n)
// modulo the polynomial) instead of byte by byte.

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

// Combining works in GF(2) polynomials modulo the (reflected) CRC polynomial: appending
// n zero bytes to a message multiplies its CRC by x^(8n). X2N[k] holds x^(2^k), so
// x^(8n) is a product of at most 32 entries; each product is 32 shift-and-xor steps
// (the matrix squaring this replaces cost 32 matrix-vector products per bit of n,
// about 13 ms per combine in a k6 VU, and every VU built its payloads with dozens).

/** a * b modulo POLY, both reflected (bit 31 is x^0). */
function multiplyModPoly(a: number, b: number): number {
  let product = 0;
  let multiplier = b >>> 0;
  for (let bit = 0x80000000; bit !== 0; bit >>>= 1) {
    if (a & bit) product ^= multiplier;
    multiplier = multiplier & 1 ? (multiplier >>> 1) ^ POLY : multiplier >>> 1;
  }
  return product >>> 0;
}

// 64 entries: x^(8n) for any n up to 2^53 without relying on the powers' period.
const X2N: Uint32Array = (() => {
  const table = new Uint32Array(64);
  let power = 0x40000000; // x^1
  for (let k = 0; k < table.length; k++) {
    table[k] = power;
    power = multiplyModPoly(power, power);
  }
  return table;
})();

/** x^(n * 2^k) modulo POLY, for n >= 0. */
function xToThePower(n: number, k: number): number {
  let result = 0x80000000; // x^0
  let rest = n;
  let index = k;
  while (rest > 0) {
    if (rest % 2 === 1) result = multiplyModPoly(X2N[index] as number, result);
    rest = Math.floor(rest / 2);
    index++;
  }
  return result;
}

/** CRC of A followed by B, from crc(A), crc(B) and the length of B. */
export function crc32cCombine(crcA: number, crcB: number, lengthB: number): number {
  if (lengthB <= 0) return crcA >>> 0;
  // len(B) zero bytes appended to A: crc(A) times x^(8 len(B)).
  return (multiplyModPoly(xToThePower(lengthB, 3), crcA >>> 0) ^ crcB) >>> 0;
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
