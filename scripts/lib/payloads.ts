// Blob payloads, made once per size class in the init context. A payload is the
// first `size` bytes of an endless repetition of one pseudo-random block whose
// length is a multiple of 3, so base64 text of whole blocks can be concatenated:
// every full upload piece has the same base64 string and no size class costs
// more memory than one piece plus its tail.
import crypto from 'k6/crypto';
import encoding from 'k6/encoding';
import { PAYLOAD_PERIOD_BYTES, UPLOAD_PIECE_BYTES } from './constants.js';
import { crc32c, crc32cCombine, crc32cRepeated } from './crc32c.js';

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

export function makePayload(size: number): Payload {
  const fullPieces = Math.floor(size / UPLOAD_PIECE_BYTES);
  const tailBytes = size % UPLOAD_PIECE_BYTES;
  const tailBlocks = Math.floor(tailBytes / PAYLOAD_PERIOD_BYTES);
  const tailRest = block.slice(0, tailBytes % PAYLOAD_PERIOD_BYTES);

  const pieces: string[] = fullPieces > 0 ? new Array<string>(fullPieces).fill(fullPiece()) : [];
  if (tailBytes > 0) pieces.push(blockBase64.repeat(tailBlocks) + (tailRest.length > 0 ? encoding.b64encode(tailRest.buffer as ArrayBuffer) : ''));

  const md5 = crypto.createHash('md5');
  const wholeBlocks = Math.floor(size / PAYLOAD_PERIOD_BYTES);
  for (let i = 0; i < wholeBlocks; i++) md5.update(block.buffer as ArrayBuffer);
  if (tailRest.length > 0) md5.update(tailRest.buffer as ArrayBuffer);

  const repeatedCrc = crc32cRepeated(blockCrc, PAYLOAD_PERIOD_BYTES, wholeBlocks);
  const crc = wholeBlocks === 0 ? crc32c(tailRest) : crc32cCombine(repeatedCrc, crc32c(tailRest), tailRest.length);

  return { size, label: sizeLabel(size), pieces, md5: md5.digest('base64') as string, crc32c: crc };
}

/** Folds received base64 content pieces into a length and an MD5, for byte-exact comparison. */
export class ContentDigest {
  private readonly hasher = crypto.createHash('md5');
  bytes = 0;

  add(base64Content: string): void {
    if (!base64Content) return;
    const buffer = encoding.b64decode(base64Content);
    this.bytes += buffer.byteLength;
    this.hasher.update(buffer);
  }

  md5(): string {
    return this.hasher.digest('base64') as string;
  }
}
