// Blob payloads, made once per size class in the init context. A payload is the
// first `size` bytes of an endless repetition of one pseudo-random block whose
// length is a multiple of 3, so base64 text of whole blocks can be concatenated:
// every full upload piece has the same base64 string and no size class costs
// more memory than one piece plus its tail.
import crypto from 'k6/crypto';
import encoding from 'k6/encoding';
import { PAYLOAD_PERIOD_BYTES, UPLOAD_PIECE_BYTES } from '../config/constants.js';
import { crc32c, crc32cCombine, crc32cRepeated } from '../../../proto/crc32c.js';

export interface Payload {
  readonly size: number;
  /** e.g. "100KB", for tags and check names */
  readonly label: string;
  /** base64 content pieces in upload order, each at most one UPLOAD_PIECE_BYTES long */
  readonly pieces: readonly string[];
  /** base64 MD5 of the whole payload */
  readonly md5: string;
  readonly crc32c: number;
}

const BLOCKS_PER_PIECE = UPLOAD_PIECE_BYTES / PAYLOAD_PERIOD_BYTES;

const block: Uint8Array = (() => {
  const bytes = new Uint8Array(PAYLOAD_PERIOD_BYTES);
  // xorshift32 with a fixed seed: the same bytes in every VU and every run.
  let state = 0x9e3779b9;
  for (let i = 0; i < bytes.length; i++) {
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    bytes[i] = state & 0xff;
  }
  return bytes;
})();
const blockBase64 = encoding.b64encode(block.buffer as ArrayBuffer);
const blockCrc = crc32c(block);
// Built by the first payload that has a full piece: a bundle that only sends small
// payloads (or none) never pays for this 1.4 MB string in every VU.
let fullPieceBase64: string | undefined;
function fullPiece(): string {
  fullPieceBase64 ??= blockBase64.repeat(BLOCKS_PER_PIECE);
  return fullPieceBase64;
}

export function sizeLabel(size: number): string {
  if (size % 1_048_576 === 0) return `${size / 1_048_576}MB`;
  if (size % 1024 === 0) return `${size / 1024}KB`;
  return `${size}B`;
}

// A VU builds the same size class several times (the mix's payloads, setup's blobs,
// the chunk payload); payloads are immutable, so each size is built once per VU.
const payloadsBySize = new Map<number, Payload>();
// MD5 of the first n bytes of the repetition, by n: makePayload's, and what ContentDigest
// reports for a download that turned out to be exactly such a prefix.
const prefixMd5s = new Map<number, string>();

// The bytes of one full upload piece, for hashing a piece in one call instead of one
// call per block (85 per piece: every call into k6 converts its ArrayBuffer).
let fullPieceBuffer: ArrayBuffer | undefined;
function fullPieceBytes(): ArrayBuffer {
  if (fullPieceBuffer === undefined) {
    const bytes = new Uint8Array(UPLOAD_PIECE_BYTES);
    for (let i = 0; i < BLOCKS_PER_PIECE; i++) bytes.set(block, i * PAYLOAD_PERIOD_BYTES);
    fullPieceBuffer = bytes.buffer as ArrayBuffer;
  }
  return fullPieceBuffer;
}

/** Feeds the first `size` bytes of the repetition to `hasher`. */
function hashPrefix(hasher: ReturnType<typeof crypto.createHash>, size: number): void {
  const fullPieces = Math.floor(size / UPLOAD_PIECE_BYTES);
  for (let i = 0; i < fullPieces; i++) hasher.update(fullPieceBytes());
  const rest = size % UPLOAD_PIECE_BYTES;
  const restBlocks = Math.floor(rest / PAYLOAD_PERIOD_BYTES);
  for (let i = 0; i < restBlocks; i++) hasher.update(block.buffer as ArrayBuffer);
  const tail = rest % PAYLOAD_PERIOD_BYTES;
  if (tail > 0) hasher.update(block.slice(0, tail).buffer as ArrayBuffer);
}

/** Base64 MD5 of the first `size` bytes of the repetition. */
function prefixMd5(size: number): string {
  let md5 = prefixMd5s.get(size);
  if (md5 === undefined) {
    const hasher = crypto.createHash('md5');
    hashPrefix(hasher, size);
    md5 = hasher.digest('base64') as string;
    prefixMd5s.set(size, md5);
  }
  return md5;
}

export function makePayload(size: number): Payload {
  const built = payloadsBySize.get(size);
  if (built !== undefined) return built;
  const fullPieces = Math.floor(size / UPLOAD_PIECE_BYTES);
  const tailBytes = size % UPLOAD_PIECE_BYTES;
  const tailBlocks = Math.floor(tailBytes / PAYLOAD_PERIOD_BYTES);
  const tailRest = block.slice(0, tailBytes % PAYLOAD_PERIOD_BYTES);

  const pieces: string[] = fullPieces > 0 ? new Array<string>(fullPieces).fill(fullPiece()) : [];
  if (tailBytes > 0) pieces.push(blockBase64.repeat(tailBlocks) + (tailRest.length > 0 ? encoding.b64encode(tailRest.buffer as ArrayBuffer) : ''));

  const wholeBlocks = Math.floor(size / PAYLOAD_PERIOD_BYTES);
  const repeatedCrc = crc32cRepeated(blockCrc, PAYLOAD_PERIOD_BYTES, wholeBlocks);
  const crc = wholeBlocks === 0 ? crc32c(tailRest) : crc32cCombine(repeatedCrc, crc32c(tailRest), tailRest.length);

  const payload: Payload = { size, label: sizeLabel(size), pieces, md5: prefixMd5(size), crc32c: crc };
  payloadsBySize.set(size, payload);
  return payload;
}

// The base64 text of the repetition from byte offset `phase` (0, 1 or 2) on, one period
// long: every piece a server streams back starts at one of these three phases, so a
// piece of an uploaded payload is a slice of it (or of it repeated), compared as text.
const BASE64_PERIOD = (PAYLOAD_PERIOD_BYTES / 3) * 4;
let phaseBase64: string[] | undefined;
function base64FromPhase(phase: number): string {
  if (phaseBase64 === undefined) {
    phaseBase64 = [0, 1, 2].map((offset) => {
      if (offset === 0) return blockBase64;
      const rotated = new Uint8Array(PAYLOAD_PERIOD_BYTES);
      rotated.set(block.subarray(offset));
      rotated.set(block.subarray(0, offset), PAYLOAD_PERIOD_BYTES - offset);
      return encoding.b64encode(rotated.buffer as ArrayBuffer);
    });
  }
  return phaseBase64[phase] as string;
}

/**
 * Whether `base64Content` is the repetition's bytes from byte `offset` on, and how many
 * bytes it holds; -1 when it is anything else (other bytes, other base64 spellings).
 */
function prefixBytesAt(offset: number, base64Content: string): number {
  const length = base64Content.length;
  if (length % 4 !== 0) return -1;
  const padding = base64Content.endsWith('==') ? 2 : base64Content.endsWith('=') ? 1 : 0;
  const fullGroups = length / 4 - (padding > 0 ? 1 : 0);
  const phase = offset % 3;
  const text = base64FromPhase(phase);
  const fullChars = fullGroups * 4;
  let position = (((offset - phase) / 3) * 4) % BASE64_PERIOD;
  for (let index = 0; index < fullChars; ) {
    const take = Math.min(BASE64_PERIOD - position, fullChars - index);
    if (base64Content.substring(index, index + take) !== text.substring(position, position + take)) return -1;
    index += take;
    position = 0;
  }
  if (padding === 0) return fullGroups * 3;
  const tailStart = offset + fullGroups * 3;
  const tail = new Uint8Array(3 - padding);
  for (let i = 0; i < tail.length; i++) tail[i] = block[(tailStart + i) % PAYLOAD_PERIOD_BYTES] as number;
  if (base64Content.substring(fullChars) !== encoding.b64encode(tail.buffer as ArrayBuffer)) return -1;
  return fullGroups * 3 + tail.length;
}

/**
 * Folds received base64 content pieces into a length and an MD5, for byte-exact
 * comparison. Content that continues the repetition every payload is cut from (what
 * the kit uploads) is compared as base64 text and its MD5 taken from the payloads'
 * (decoding and hashing 10 MB cost a VU about 50 ms); at the first piece that does
 * not, the bytes so far are hashed and every piece from there on is decoded and hashed.
 */
export class ContentDigest {
  private hasher: ReturnType<typeof crypto.createHash> | undefined;
  bytes = 0;

  add(base64Content: string): void {
    if (!base64Content) return;
    if (this.hasher === undefined) {
      const prefixBytes = prefixBytesAt(this.bytes, base64Content);
      if (prefixBytes >= 0) {
        this.bytes += prefixBytes;
        return;
      }
      this.hasher = crypto.createHash('md5');
      hashPrefix(this.hasher, this.bytes);
    }
    const buffer = encoding.b64decode(base64Content);
    this.bytes += buffer.byteLength;
    this.hasher.update(buffer);
  }

  md5(): string {
    return this.hasher === undefined ? prefixMd5(this.bytes) : (this.hasher.digest('base64') as string);
  }
}
