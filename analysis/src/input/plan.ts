// Checks the input files and cuts them into byte ranges that readers can fold independently.
import { closeSync, openSync, readSync, statSync } from 'node:fs';
import { basename } from 'node:path';
import { RANGE_TARGET_BYTES } from '../config/constants.js';
import { InputError } from '../config/errors.js';
import type { RangeTask } from './reader.js';

export interface InputFile {
  path: string;
  bytes: number;
  gzip: boolean;
  /** runner name for points without an `instance` tag: the file name without .json/.gz */
  instance: string;
}

const GZIP_MAGIC = [0x1f, 0x8b];

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
  return { path, bytes, gzip, instance: basename(path).replace(/(\.gz)?$/, '').replace(/\.(ndjson|jsonl|json)$/, '') };
}

/** One task per gzip file (a deflate stream cannot be split); plain files in ranges of about rangeBytes. */
export function planRanges(files: readonly InputFile[], rangeBytes = RANGE_TARGET_BYTES): RangeTask[] {
  const tasks: RangeTask[] = [];
  for (const file of files) {
    const base = { file: file.path, instance: file.instance, gzip: file.gzip };
    if (file.gzip || file.bytes <= rangeBytes) {
      tasks.push({ ...base, id: tasks.length, start: 0, end: file.bytes, reachesEnd: true });
      continue;
    }
    let start = 0;
    while (start < file.bytes) {
      const end = start + rangeBytes >= file.bytes ? file.bytes : nextLineStart(file.path, start + rangeBytes, file.bytes);
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
