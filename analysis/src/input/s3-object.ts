// Opens the bytes of one S3 object (or a byte range of it) as a stream, in whichever thread reads it. Nothing is
// written to disk: the reader folds the stream's chunks as they arrive.
import type { Readable } from 'node:stream';
import { describeS3Error, s3Client, type S3Access } from './s3-client.js';

/** Where a range task's bytes are when they are an S3 object. */
export interface S3ObjectRef extends S3Access {
  bucket: string;
  key: string;
  /** the object's ETag at listing: an object rewritten since fails the read instead of mixing two versions */
  etag: string | undefined;
}

export class S3ReadError extends Error {}

/** The object's bytes [start, end) (end exclusive), or all of it when `range` is null. */
export async function openS3Object(ref: S3ObjectRef, range: { start: number; end: number } | null): Promise<Readable> {
  const { sdk, client } = await s3Client(ref);
  try {
    const output = await client.send(
      new sdk.GetObjectCommand({
        Bucket: ref.bucket,
        Key: ref.key,
        IfMatch: ref.etag,
        Range: range === null ? undefined : `bytes=${range.start}-${range.end - 1}`,
      }),
    );
    // In Node the body is an http.IncomingMessage (a Readable).
    return output.Body as Readable;
  } catch (error) {
    const name = (error as { name?: string }).name;
    if (name === 'PreconditionFailed') throw new S3ReadError('the object changed while the analysis read it (its ETag differs from the listing)');
    throw new S3ReadError(describeS3Error(error, ref.bucket));
  }
}

/** A few bytes of an object (probes at planning): the whole range read into one buffer. */
export async function readS3Bytes(ref: S3ObjectRef, start: number, end: number): Promise<Buffer> {
  const body = await openS3Object(ref, { start, end });
  const parts: Buffer[] = [];
  try {
    for await (const part of body as AsyncIterable<Buffer>) parts.push(part);
  } catch (error) {
    throw new S3ReadError(describeS3Error(error, ref.bucket));
  }
  return Buffer.concat(parts);
}
