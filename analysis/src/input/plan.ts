// Checks the inputs (local files, or every object under an s3:// prefix) and cuts them into byte ranges that readers
// can fold independently.
import { closeSync, openSync, readSync, statSync } from 'node:fs';
import { basename } from 'node:path';
import { PROBE_BYTES, RANGE_TARGET_BYTES } from '../config/constants.js';
import { InputError } from '../config/errors.js';
import type { RangeTask } from './reader.js';
import type { S3ObjectRef } from './s3-object.js';
import type { S3Access } from './s3-client.js';
import { isS3Url, listS3Inputs, nextS3LineStart, resolveS3Access } from './s3-source.js';

export interface InputFile {
  /** a local path, or s3://bucket/key */
  path: string;
  bytes: number;
  gzip: boolean;
  /** runner name for points without an `instance` tag: the file name without .json/.gz */
  instance: string;
  /** the object, when the input is in S3 */
  s3?: S3ObjectRef;
  /** a plain S3 object's first and last PROBE_BYTES, read at listing (--bucket auto cannot seek in S3) */
  edges?: { head: Buffer; tail: Buffer };
}

const GZIP_MAGIC = [0x1f, 0x8b];

/** The inputs in the order given; an s3:// URL stands for every object under its prefix, in key order. */
export async function openInputs(paths: readonly string[]): Promise<InputFile[]> {
  const files: InputFile[] = [];
  let s3: S3Access | null = null;
  for (const path of paths) {
    if (!isS3Url(path)) {
      files.push(inspectInput(path));
      continue;
    }
    s3 ??= await resolveS3Access();
    for (const object of await listS3Inputs(path, s3, PROBE_BYTES)) {
      const { path: url, bytes, gzip, ref, edges } = object;
      files.push({ path: url, bytes, gzip, instance: instanceOf(url), s3: ref, ...(edges === null ? {} : { edges }) });
    }
  }
  return files;
}

function instanceOf(path: string): string {
  return basename(path).replace(/(\.gz)?$/, '').replace(/\.(ndjson|jsonl|json)$/, '');
}

export function inspectInput(path: string): InputFile {
  let bytes: number;
  try {
    const stats = statSync(path);
    if (!stats.isFile()) throw new InputError(path, 'not a regular file');
    bytes = stats.size;
  } catch (error) {
    if (error instanceof InputError) throw error;
    const code = (error as NodeJS.ErrnoException).code;
    throw new InputError(path, code === 'ENOENT' ? 'no such file' : `cannot be read (${code ?? String(error)})`);
  }
  if (bytes === 0) throw new InputError(path, 'the file is empty; expected k6 output written by `k6 run --out json=FILE`');
  const head = readHead(path, 2);
  const gzip = head[0] === GZIP_MAGIC[0] && head[1] === GZIP_MAGIC[1];
  if (!gzip && path.endsWith('.gz')) throw new InputError(path, 'not a valid gzip file (no gzip header)');
  return { path, bytes, gzip, instance: instanceOf(path) };
}

/**
 * One task per gzip file (a deflate stream cannot be split); plain files, local or in S3, in ranges of about
 * rangeBytes (an S3 range is one ranged GET).
 */
export async function planRanges(files: readonly InputFile[], rangeBytes = RANGE_TARGET_BYTES): Promise<RangeTask[]> {
  const tasks: RangeTask[] = [];
  for (const file of files) {
    const base = { file: file.path, instance: file.instance, gzip: file.gzip, ...(file.s3 === undefined ? {} : { s3: file.s3 }) };
    if (file.gzip || file.bytes <= rangeBytes) {
      tasks.push({ ...base, id: tasks.length, start: 0, end: file.bytes, reachesEnd: true });
      continue;
    }
    let start = 0;
    while (start < file.bytes) {
      const cut = start + rangeBytes;
      const end =
        cut >= file.bytes
          ? file.bytes
          : file.s3 === undefined
            ? nextLineStart(file.path, cut, file.bytes)
            : await nextS3LineStart(file.path, file.s3, cut, file.bytes);
      tasks.push({ ...base, id: tasks.length, start, end, reachesEnd: end === file.bytes });
      start = end;
    }
  }
  return tasks;
}

function readHead(path: string, length: number): Buffer {
  const fd = openSync(path, 'r');
  try {
    const buffer = Buffer.alloc(length);
    readSync(fd, buffer, 0, length, 0);
    return buffer;
  } finally {
    closeSync(fd);
  }
}

/** The offset just after the first newline at or after `from` (or the file size). */
function nextLineStart(path: string, from: number, size: number): number {
  const fd = openSync(path, 'r');
  try {
    const buffer = Buffer.alloc(64 * 1024);
    for (let position = from; position < size; position += buffer.length) {
      const read = readSync(fd, buffer, 0, buffer.length, position);
      const newline = buffer.subarray(0, read).indexOf(10);
      if (newline >= 0) return position + newline + 1;
    }
    return size;
  } finally {
    closeSync(fd);
  }
}
