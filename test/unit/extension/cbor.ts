// A small CBOR (RFC 8949) decoder, enough to read the PutMetricData requests
// the AWS SDK sends in the Smithy RPC v2 CBOR protocol: maps with text keys,
// lists, text and byte strings, integers, floats (16/32/64 bit), tags and
// simple values, with definite and indefinite lengths.
export type CborValue = number | bigint | string | Uint8Array | boolean | null | undefined | CborValue[] | CborMap | CborTag;
export interface CborMap {
  [key: string]: CborValue;
}
export interface CborTag {
  tag: number;
  value: CborValue;
}

export class CborDecodeError extends Error {
  constructor(message: string, readonly offset: number) {
    super(`invalid CBOR at byte ${offset}: ${message}`);
    this.name = 'CborDecodeError';
  }
}

const BREAK = Symbol('break');

export function decodeCbor(bytes: Uint8Array): CborValue {
  const reader = new Reader(bytes);
  const value = reader.item();
  if (value === BREAK) throw new CborDecodeError('unexpected break', 0);
  if (reader.offset !== bytes.length) throw new CborDecodeError(`${bytes.length - reader.offset} trailing bytes`, reader.offset);
  return value;
}

class Reader {
  offset = 0;
  private readonly view: DataView;

  constructor(private readonly bytes: Uint8Array) {
    this.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  }

  item(): CborValue | typeof BREAK {
    const initial = this.byte();
    const major = initial >> 5;
    const minor = initial & 0x1f;
    if (major === 7) return this.simple(minor);
    if (minor === 31) return this.indefinite(major);
    const argument = this.argument(minor);
    switch (major) {
      case 0:
        return argument;
      case 1:
        return typeof argument === 'bigint' ? -1n - argument : -1 - argument;
      case 2:
        return this.take(Number(argument));
      case 3:
        return new TextDecoder().decode(this.take(Number(argument)));
      case 4:
        return Array.from({ length: Number(argument) }, () => this.definite());
      case 5: {
        const map: CborMap = {};
        for (let i = 0; i < Number(argument); i++) map[this.key()] = this.definite();
        return map;
      }
      default:
        return { tag: Number(argument), value: this.definite() };
    }
  }

  private definite(): CborValue {
    const value = this.item();
    if (value === BREAK) throw new CborDecodeError('break inside a definite-length item', this.offset - 1);
    return value;
  }

  private key(): string {
    const key = this.definite();
    if (typeof key !== 'string') throw new CborDecodeError(`map key is ${typeof key}, expected text`, this.offset);
    return key;
  }

  private indefinite(major: number): CborValue {
    if (major === 2 || major === 3) {
      const chunks: Uint8Array[] = [];
      for (let chunk = this.item(); chunk !== BREAK; chunk = this.item()) {
        chunks.push(typeof chunk === 'string' ? new TextEncoder().encode(chunk) : (chunk as Uint8Array));
      }
      const joined = Buffer.concat(chunks);
      return major === 3 ? joined.toString('utf8') : new Uint8Array(joined);
    }
    if (major === 4) {
      const list: CborValue[] = [];
      for (let value = this.item(); value !== BREAK; value = this.item()) list.push(value);
      return list;
    }
    if (major === 5) {
      const map: CborMap = {};
      for (let key = this.item(); key !== BREAK; key = this.item()) {
        if (typeof key !== 'string') throw new CborDecodeError('map key is not text', this.offset);
        map[key] = this.definite();
      }
      return map;
    }
    throw new CborDecodeError(`major type ${major} cannot have an indefinite length`, this.offset - 1);
  }

  private simple(minor: number): CborValue | typeof BREAK {
    switch (minor) {
      case 20:
        return false;
      case 21:
        return true;
      case 22:
        return null;
      case 23:
        return undefined;
      case 25:
        return this.float16(this.take(2));
      case 26:
        return this.read(4, (at) => this.view.getFloat32(at));
      case 27:
        return this.read(8, (at) => this.view.getFloat64(at));
      case 31:
        return BREAK;
      default:
        throw new CborDecodeError(`unsupported simple value ${minor}`, this.offset - 1);
    }
  }

  private float16(half: Uint8Array): number {
    const bits = (half[0]! << 8) | half[1]!;
    const exponent = (bits >> 10) & 0x1f;
    const fraction = bits & 0x3ff;
    const sign = bits & 0x8000 ? -1 : 1;
    if (exponent === 0) return sign * 2 ** -14 * (fraction / 1024);
    if (exponent === 31) return fraction ? Number.NaN : sign * Infinity;
    return sign * 2 ** (exponent - 15) * (1 + fraction / 1024);
  }

  private argument(minor: number): number | bigint {
    if (minor < 24) return minor;
    if (minor === 24) return this.byte();
    if (minor === 25) return this.read(2, (at) => this.view.getUint16(at));
    if (minor === 26) return this.read(4, (at) => this.view.getUint32(at));
    if (minor === 27) {
      const big = this.read(8, (at) => this.view.getBigUint64(at));
      return big <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(big) : big;
    }
    throw new CborDecodeError(`reserved additional information ${minor}`, this.offset - 1);
  }

  private byte(): number {
    if (this.offset >= this.bytes.length) throw new CborDecodeError('unexpected end of input', this.offset);
    return this.bytes[this.offset++]!;
  }

  private take(length: number): Uint8Array {
    if (this.offset + length > this.bytes.length) throw new CborDecodeError(`needs ${length} bytes`, this.offset);
    const slice = this.bytes.subarray(this.offset, this.offset + length);
    this.offset += length;
    return slice;
  }

  private read<T>(length: number, at: (offset: number) => T): T {
    const start = this.offset;
    this.take(length);
    return at(start);
  }
}
