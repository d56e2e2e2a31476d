// Receiving streamed content (CreateBlob, UploadChunk): checks the oneof order of
// the messages, reserves budget bytes as pieces arrive and verifies checksums.
import { status } from '@grpc/grpc-js';
import { crc32c as computeCrc32c } from '../../proto/crc32c.js';
import { md5 as computeMd5, NO_CHECKSUMS, type Checksums } from '../state/checksums.js';
import { dataLoss, invalidArgument, RpcError } from '../errors.js';
import type { StreamUploadMessage } from '../messages.js';
import type { State } from '../state/state.js';

export function requireMetadataFirst<M>(message: StreamUploadMessage<M>, rpc: string): M {
  if (message.request !== 'metadata' || !message.metadata) {
    throw invalidArgument(`${rpc}: the first message must carry metadata, got ${message.request ?? 'an empty message'}`);
  }
  return message.metadata;
}

export function requireContent<M>(message: StreamUploadMessage<M>, rpc: string): Buffer {
  if (message.request !== 'content' || !message.content) {
    throw invalidArgument(`${rpc}: every message after the first must carry content, got ${message.request ?? 'an empty message'}`);
  }
  return message.content;
}

/**
 * Client checksums from metadata. An md5 of the wrong length is kept as sent: upstream
 * compares bytes, so it fails later as a mismatch (DATA_LOSS), not as a bad argument.
 */
export function readClientChecksums(meta: { md5?: Buffer; crc32c?: number; hasCrc32c?: boolean }): Checksums {
  const md5 = meta.md5 ?? NO_CHECKSUMS.md5;
  const hasCrc32c = meta.hasCrc32c ?? false;
  return { md5, crc32c: hasCrc32c ? (meta.crc32c ?? 0) >>> 0 : 0, hasCrc32c };
}

/**
 * The MD5 and CRC32C of the received bytes, which upstream always stores whatever the
 * client sent; throws DATA_LOSS when they differ from checksums the client supplied.
 */
export function verifyChecksums(data: Buffer, expected: Checksums, what: string): Checksums {
  const computed: Checksums = { md5: computeMd5(data), crc32c: computeCrc32c(data), hasCrc32c: true };
  if (expected.md5.length > 0 && !computed.md5.equals(expected.md5)) {
    throw dataLoss(`${what}: MD5 of the received ${data.length} bytes does not match the md5 sent (${expected.md5.length} bytes)`);
  }
  if (expected.hasCrc32c && computed.crc32c !== expected.crc32c) {
    throw dataLoss(`${what}: CRC32C of the received ${data.length} bytes does not match the crc32c sent`);
  }
  return computed;
}

/** Collects content pieces under the byte budget; release() gives back what was reserved. */
export class ContentBuffer {
  private readonly pieces: Buffer[] = [];
  private reserved = 0;

  constructor(
    private readonly state: State,
    private readonly maxBytes: number,
    private readonly tooLarge: (received: number) => RpcError,
  ) {}

  get length(): number {
    return this.reserved;
  }

  push(piece: Buffer): void {
    if (this.reserved + piece.length > this.maxBytes) throw this.tooLarge(this.reserved + piece.length);
    this.state.budget.adjust(piece.length);
    this.reserved += piece.length;
    this.pieces.push(piece);
  }

  /** The content as one buffer; the reservation now belongs to the caller. */
  take(): Buffer {
    const data = this.pieces.length === 1 ? this.pieces[0]! : Buffer.concat(this.pieces, this.reserved);
    this.pieces.length = 0;
    this.reserved = 0;
    return data;
  }

  release(): void {
    this.state.budget.release(this.reserved);
    this.pieces.length = 0;
    this.reserved = 0;
  }
}

export const sizeMismatch = (code: status, what: string, expected: number, received: number): RpcError =>
  new RpcError(code, `${what}: metadata size is ${expected} bytes but ${received} bytes were received`);
