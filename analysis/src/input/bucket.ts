// --bucket auto: the finest bucket that keeps the run under AUTO_BUCKET_TARGET buckets, from the first and last
// timestamps of the plain inputs (their head and tail are read; gzip inputs cannot be read from the end; a plain S3
// object's head and tail were read when its prefix was listed).
import { closeSync, openSync, readSync } from 'node:fs';
import { TAGGED_METRICS } from '../aggregate/aggregate.js';
import { AUTO_BUCKET_TARGET, BUCKET_CHOICES_MS, DEFAULT_BUCKET_MS, PROBE_BYTES } from '../config/constants.js';
import { PointFields } from '../aggregate/point.js';
import { LINE_POINT, LineParser } from './line-parser.js';
import type { InputFile } from './plan.js';

export function chooseBucketMs(files: readonly InputFile[]): number {
  let first = Infinity;
  let last = -Infinity;
  for (const file of files) {
    if (file.gzip) continue;
    const times =
      file.edges === undefined
        ? [...probe(file, 0), ...probe(file, Math.max(0, file.bytes - PROBE_BYTES))]
        : [...timesIn(file.edges.head, true), ...timesIn(file.edges.tail, file.bytes <= PROBE_BYTES)];
    for (const time of times) {
      if (time < first) first = time;
      if (time > last) last = time;
    }
  }
  if (!(last > first)) return DEFAULT_BUCKET_MS;
  const duration = last - first;
  return BUCKET_CHOICES_MS.find((bucket) => duration / bucket <= AUTO_BUCKET_TARGET) ?? BUCKET_CHOICES_MS[BUCKET_CHOICES_MS.length - 1]!;
}

/** Times of the complete Point lines in PROBE_BYTES from `start`; lines that do not parse are ignored here. */
function probe(file: InputFile, start: number): number[] {
  const buffer = Buffer.alloc(Math.min(PROBE_BYTES, file.bytes));
  const fd = openSync(file.path, 'r');
  let read: number;
  try {
    read = readSync(fd, buffer, 0, buffer.length, start);
  } finally {
    closeSync(fd);
  }
  return timesIn(buffer.subarray(0, read), start === 0);
}

function timesIn(buffer: Buffer, atFileStart: boolean): number[] {
  const lines = buffer.toString('latin1').split('\n');
  // A probe that does not start at the file start may begin mid-line; the last piece may be cut.
  const complete = lines.slice(atFileStart ? 0 : 1, -1);
  const parser = new LineParser();
  const point = new PointFields();
  const times: number[] = [];
  for (const line of complete) {
    try {
      if (parser.parse(line, 0, line.length, point, TAGGED_METRICS) === LINE_POINT) times.push(point.timeMs);
    } catch {
      // The full read reports invalid lines with their numbers.
    }
  }
  return times;
}
