import { describe, expect, it } from 'vitest';
import { CborDecodeError, decodeCbor } from './cbor.js';

// Encodings from RFC 8949 appendix A.
const hex = (text: string): Uint8Array => new Uint8Array(Buffer.from(text, 'hex'));

describe('decodeCbor', () => {
  it.each([
    ['00', 0],
    ['1864', 100],
    ['3903e7', -1000],
    ['f93c00', 1],
    ['f9c400', -4],
    ['fa47c35000', 100000],
    ['fb3ff199999999999a', 1.1],
    ['f5', true],
    ['f6', null],
    ['6449455446', 'IETF'],
    ['83010203', [1, 2, 3]],
    ['9f018202039f0405ffff', [1, [2, 3], [4, 5]]],
    ['a26161016162820203', { a: 1, b: [2, 3] }],
    ['bf61610161629f0203ffff', { a: 1, b: [2, 3] }],
    ['7f657374726561646d696e67ff', 'streaming'],
    ['c11a514b67b0', { tag: 1, value: 1363896240 }],
  ])('decodes %s', (encoded, expected) => {
    expect(decodeCbor(hex(encoded))).toEqual(expected);
  });

  it('names the offset of truncated input', () => {
    const error = (() => {
      try {
        decodeCbor(hex('830102'));
      } catch (caught) {
        return caught;
      }
      return undefined;
    })();
    expect(error).toBeInstanceOf(CborDecodeError);
    expect((error as Error).message).toBe('invalid CBOR at byte 3: unexpected end of input');
  });

  it('refuses trailing bytes', () => {
    expect(() => decodeCbor(hex('0000'))).toThrow('invalid CBOR at byte 1: 1 trailing bytes');
  });
});
