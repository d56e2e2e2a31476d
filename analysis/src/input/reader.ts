// Streams one byte range of a k6 JSON file (or a whole gzip file), local or an S3 object, line by line into an
// Aggregate. Never holds more than one read chunk and one partial line in memory.
import { createReadStream, openSync, readSync, closeSync } from 'node:fs';
import type { Readable } from 'node:stream';
import { createGunzip } from 'node:zlib';
import { Aggregate, TAGGED_METRICS, type SerializedAggregate } from '../aggregate/aggregate.js';
import { READ_CHUNK_BYTES } from '../config/constants.js';
import { PointFields } from '../aggregate/point.js';
import { LINE_DECLARATION, LINE_POINT, LineError, LineParser } from './line-parser.js';
import { openS3Object, S3ReadError, type S3ObjectRef } from './s3-object.js';

export interface RangeTask {
  /** position of the range in the plan; results are put back in this order */
  id: number;
  file: string;
  /** runner name for points without an `instance` tag */
  instance: string;
  gzip: boolean;
  /** byte range [start, end) of a plain file, starting at a line start; ignored for gzip */
  start: number;
  end: number;
  /** the range reaches the end of the file, so an unterminated last line there is a truncated write */
  reachesEnd: boolean;
  /** the S3 object when the bytes are in S3 (`file` is then its s3:// URL) */
  s3?: S3ObjectRef;
}

export interface LineProblem {
  /** 1-based line number inside the range */
  line: number;
  message: string;
}

export interface RangeResult {
  id: number;
  aggregate: SerializedAggregate;
  lines: number;
  /** the first invalid line (strict mode stops there) */
  firstInvalid: LineProblem | null;
  truncatedLastLine: LineProblem | null;
  /** a gzip stream that ends early (k6 killed while writing) */
  truncatedGzip: string | null;
  /** an error that is not about one line: unreadable file, corrupt gzip */
  failure: string | null;
}

export interface ReadOptions {
  bucketMs: number;
  lenient: boolean;
  onProgress?: (bytes: number) => void;
}

class RangeFolder {
  readonly aggregate: Aggregate;
  private readonly parser = new LineParser();
  private readonly point = new PointFields();
  /** the unterminated end of the last chunk (a copy: the read buffer is reused) */
  private rest: Buffer | null = null;
  lines = 0;
  firstInvalid: LineProblem | null = null;
  truncatedLastLine: LineProblem | null = null;
  stopped = false;

  constructor(
    private readonly task: RangeTask,
    private readonly options: ReadOptions,
  ) {
    this.aggregate = new Aggregate(options.bucketMs);
  }

  /** Folds the line text[start, lineEnd) (bytes: the same chunk's bytes); returns false once a strict-mode error stops the range. */
  private line(text: string, bytes: Buffer, start: number, lineEnd: number, unterminatedLast: boolean): boolean {
    this.lines++;
    const end = lineEnd > start && bytes[lineEnd - 1] === 13 ? lineEnd - 1 : lineEnd;
    try {
      const kind = this.parser.parse(text, start, end, this.point, TAGGED_METRICS, bytes);
      if (kind === LINE_POINT) this.aggregate.add(this.point, this.task.instance);
      else if (kind === LINE_DECLARATION && this.point.declaration) this.aggregate.declare(this.point.declaration);
      return true;
    } catch (error) {
      if (!(error instanceof LineError)) throw error;
      if (unterminatedLast) {
        this.truncatedLastLine = { line: this.lines, message: error.message };
        return true;
      }
      this.aggregate.input.invalidLines++;
      this.firstInvalid ??= { line: this.lines, message: error.message };
      if (!this.options.lenient) this.stopped = true;
      return this.options.lenient;
    }
  }

  /**
   * Folds the lines of a chunk of bytes (which the caller may reuse afterwards); its unterminated end is kept for the
   * next chunk. The chunk is decoded once, as latin1, and its lines are read in place: the parser sees the bytes and
   * the text at the same offsets, and a line that spans two chunks is the only one copied.
   */
  chunk(bytes: Buffer): void {
    if (this.stopped) return;
    let start = 0;
    if (this.rest !== null) {
      const first = bytes.indexOf(10);
      if (first < 0) {
        this.rest = Buffer.concat([this.rest, bytes]);
        return;
      }
      const joined = Buffer.concat([this.rest, bytes.subarray(0, first)]);
      this.rest = null;
      if (!this.line(joined.toString('latin1'), joined, 0, joined.length, false)) return;
      start = first + 1;
    }
    const text = bytes.toString('latin1');
    for (;;) {
      const newline = text.indexOf('\n', start);
      if (newline < 0) {
        if (start < bytes.length) this.rest = Buffer.from(bytes.subarray(start));
        return;
      }
      if (!this.line(text, bytes, start, newline, false)) return;
      start = newline + 1;
    }
  }

  /**
   * Folds what is left after the last chunk, a line without its newline: a write cut short when `truncated` (the end
   * of a file or of a gzip stream), else the last line of a range that ends where the file does not.
   */
  finish(truncated: boolean): void {
    const rest = this.rest;
    this.rest = null;
    if (rest !== null && !this.stopped) this.line(rest.toString('latin1'), rest, 0, rest.length, truncated);
  }

  result(truncatedGzip: string | null, failure: string | null): RangeResult {
    this.aggregate.input.lines = this.lines;
    return {
      id: this.task.id,
      aggregate: this.aggregate.toJSON(),
      lines: this.lines,
      firstInvalid: this.firstInvalid,
      truncatedLastLine: this.truncatedLastLine,
      truncatedGzip,
      failure,
    };
  }
}

export async function readRange(task: RangeTask, options: ReadOptions): Promise<RangeResult> {
  if (task.s3 !== undefined) return readS3Range(task, task.s3, options);
  return task.gzip ? readGzip(task, options, createReadStream(task.file)) : readPlainRange(task, options);
}

/** An S3 object streamed as it downloads: gzip whole, plain in its byte range (one ranged GET). */
async function readS3Range(task: RangeTask, ref: S3ObjectRef, options: ReadOptions): Promise<RangeResult> {
  let body: Readable;
  try {
    body = await openS3Object(ref, task.gzip ? null : { start: task.start, end: task.end });
  } catch (error) {
    if (!(error instanceof S3ReadError)) throw error;
    return new RangeFolder(task, options).result(null, error.message);
  }
  return task.gzip ? readGzip(task, options, body) : readPlainStream(task, options, body);
}

/** A plain byte range arriving as a stream; fewer bytes than asked for is a failure, never a shorter run. */
async function readPlainStream(task: RangeTask, options: ReadOptions, body: Readable): Promise<RangeResult> {
  const folder = new RangeFolder(task, options);
  let received = 0;
  try {
    for await (const chunk of body as AsyncIterable<Buffer>) {
      received += chunk.length;
      folder.aggregate.input.bytes += chunk.length;
      folder.chunk(chunk);
      options.onProgress?.(chunk.length);
      if (folder.stopped) break;
    }
  } catch (error) {
    return folder.result(null, `the download stopped after ${received} of ${task.end - task.start} bytes (${(error as Error).message})`);
  } finally {
    body.destroy();
  }
  if (!folder.stopped && received < task.end - task.start) {
    return folder.result(null, `the download ended after ${received} of ${task.end - task.start} bytes`);
  }
  folder.finish(task.reachesEnd);
  return folder.result(null, null);
}

function readPlainRange(task: RangeTask, options: ReadOptions): RangeResult {
  const folder = new RangeFolder(task, options);
  let fd: number;
  try {
    fd = openSync(task.file, 'r');
  } catch (error) {
    return folder.result(null, (error as Error).message);
  }
  try {
    const chunk = Buffer.allocUnsafe(READ_CHUNK_BYTES);
    let position = task.start;
    while (position < task.end && !folder.stopped) {
      const bytesRead = readSync(fd, chunk, 0, Math.min(READ_CHUNK_BYTES, task.end - position), position);
      if (bytesRead === 0) break;
      position += bytesRead;
      folder.aggregate.input.bytes += bytesRead;
      folder.chunk(chunk.subarray(0, bytesRead));
      options.onProgress?.(bytesRead);
    }
    folder.finish(task.reachesEnd);
    return folder.result(null, null);
  } catch (error) {
    return folder.result(null, (error as Error).message);
  } finally {
    closeSync(fd);
  }
}

async function readGzip(task: RangeTask, options: ReadOptions, compressed: Readable): Promise<RangeResult> {
  const folder = new RangeFolder(task, options);
  let received = 0;
  compressed.on('data', (chunk: Buffer) => {
    received += chunk.length;
    options.onProgress?.(chunk.length);
  });
  const gunzip = createGunzip();
  // pipe() does not pass the source's errors on: a download cut off must end the read, not leave it waiting.
  let sourceError: Error | null = null;
  compressed.on('error', (error) => {
    sourceError = error;
    gunzip.destroy(error);
  });
  const stream = compressed.pipe(gunzip);
  // A download that ends early looks like a gzip stream cut short by k6; its size tells them apart.
  const cutShort = (): string | null =>
    task.s3 !== undefined && received < task.end ? `the download ended after ${received} of ${task.end} bytes` : null;
  try {
    for await (const chunk of stream as AsyncIterable<Buffer>) {
      folder.aggregate.input.bytes += chunk.length;
      folder.chunk(chunk);
      if (folder.stopped) break;
    }
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (sourceError !== null) {
      compressed.destroy();
      return folder.result(null, `the read stopped after ${received} bytes (${(sourceError as Error).message})`);
    }
    if (code !== 'Z_BUF_ERROR') {
      compressed.destroy();
      return folder.result(null, `not a valid gzip file (${(error as Error).message})`);
    }
    if (cutShort() !== null) return folder.result(null, cutShort());
    // "unexpected end of file": the writer stopped mid-stream; keep what was decompressed.
    folder.finish(true);
    return folder.result('the gzip stream ends early (was k6 stopped while writing?)', null);
  } finally {
    compressed.destroy();
  }
  if (!folder.stopped && cutShort() !== null) return folder.result(null, cutShort());
  folder.finish(true);
  return folder.result(null, null);
}
