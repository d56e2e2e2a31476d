// CRC-32C of the payload builder: the table version against the published
// check value, and the combine/repeat shortcuts against a byte-by-byte CRC.
import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { crc32c, crc32cCombine, crc32cRepeated } from '../../../proto/crc32c.js';

// Bit-at-a-time reference: slow, but obviously the Castagnoli definition.
function referenceCrc32c(bytes: Uint8Array): number {
  let crc = 0xffffffff;
  for (const byte of bytes) {
    crc ^= byte;
    for (let bit = 0; bit < 8; bit++) crc = crc & 1 ? (crc >>> 1) ^ 0x82f63b78 : crc >>> 1;
  }
  return ~crc >>> 0;
}

describe('crc32c', () => {
  it('gives the published check value for "123456789"', () => {
    expect(crc32c(new TextEncoder().encode('123456789'))).toBe(0xe3069283);
  });

  it('matches the bitwise definition on random data', () => {
    const bytes = new Uint8Array(randomBytes(4099));
    expect(crc32c(bytes)).toBe(referenceCrc32c(bytes));
  });

  it('combines the CRCs of two parts into the CRC of their concatenation', () => {
    const first = new Uint8Array(randomBytes(1000));
    const second = new Uint8Array(randomBytes(777));
    const whole = new Uint8Array([...first, ...second]);
    expect(crc32cCombine(crc32c(first), crc32c(second), second.length)).toBe(crc32c(whole));
  });

  it('combines across a part longer than a 10 MB payload', () => {
    const first = new Uint8Array(randomBytes(300));
    const second = new Uint8Array(randomBytes(10_485_761));
    const whole = new Uint8Array(first.length + second.length);
    whole.set(first);
    whole.set(second, first.length);
    expect(crc32cCombine(crc32c(first), crc32c(second), second.length)).toBe(crc32c(whole));
  });

  it.each([1, 2, 3, 7, 85, 100])('derives the CRC of %i copies of a block', (copies) => {
    const block = new Uint8Array(randomBytes(96));
    const whole = new Uint8Array(block.length * copies);
    for (let i = 0; i < copies; i++) whole.set(block, i * block.length);
    expect(crc32cRepeated(crc32c(block), block.length, copies)).toBe(crc32c(whole));
  });
});
