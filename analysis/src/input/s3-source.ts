// s3://bucket/prefix/ inputs: lists the prefix (every runner's k6 output of a run), checks each object's first
// bytes (gzip or plain, empty) and finds line starts inside plain objects so they can be read in byte ranges, as
// local files are. Runs on the main thread; the objects themselves are streamed by the readers (s3-object.ts).
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import { InputError } from '../config/errors.js';
import { clientConfig, describeS3Error, loadSdk, s3Client, type S3Access } from './s3-client.js';
import { readS3Bytes, S3ReadError, type S3ObjectRef } from './s3-object.js';

export const S3_SCHEME = 's3://';

/** Objects probed at the same time while planning. */
const PROBE_CONCURRENCY = 8;
/** Bytes read at a time when looking for the end of a line inside a plain object. */
const LINE_SEARCH_BYTES = 64 * 1024;
const GZIP_MAGIC = [0x1f, 0x8b];

export interface S3Input {
  /** s3://bucket/key */
  path: string;
  bytes: number;
  gzip: boolean;
  ref: S3ObjectRef;
  /** the first and last bytes of a plain object (up to `probeBytes` each), for the choice of time bucket */
  edges: { head: Buffer; tail: Buffer } | null;
}

export function isS3Url(input: string): boolean {
  return input.startsWith(S3_SCHEME);
}

/** s3://bucket/prefix -> bucket and prefix; a missing bucket name is an InputError. */
export function parseS3Url(url: string): { bucket: string; prefix: string } {
  const rest = url.slice(S3_SCHEME.length);
  const slash = rest.indexOf('/');
  const bucket = slash < 0 ? rest : rest.slice(0, slash);
  if (!/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/.test(bucket)) {
    throw new InputError(url, `expected s3://BUCKET/PREFIX/ with a valid bucket name (3-63 of a-z, 0-9, '.', '-'), got bucket \`${bucket}\``);
  }
  return { bucket, prefix: slash < 0 ? '' : rest.slice(slash + 1) };
}

let analyses = 0;

/**
 * The SDK's location and the region of the standard chain (AWS_REGION, the profile's region); without one,
 * us-east-1, from where the client follows S3's redirect to the bucket's own region. Once per analysis.
 */
export async function resolveS3Access(): Promise<S3Access> {
  const sdkUrl = pathToFileURL(createRequire(import.meta.url).resolve('@aws-sdk/client-s3')).href;
  const sdk = await loadSdk(sdkUrl);
  const probe = new sdk.S3Client(clientConfig(undefined));
  let region: string;
  try {
    region = await probe.config.region();
  } catch {
    region = 'us-east-1';
  }
  probe.destroy();
  return { sdkUrl, region, id: `${process.pid}-${++analyses}` };
}

/**
 * Every object under the URL's prefix, sorted by key, each checked: not empty, gzip (by its magic bytes, or named .gz
 * and then required to have them) or plain. A prefix that does not end in '/' names an object or a folder: keys
 * equal to it or under `prefix/`, never `prefix-2/...`.
 */
export async function listS3Inputs(url: string, s3: S3Access, probeBytes: number): Promise<S3Input[]> {
  const { bucket, prefix } = parseS3Url(url);
  const { sdk, client } = await s3Client(s3);
  const objects: { key: string; bytes: number; etag: string | undefined }[] = [];
  let token: string | undefined;
  try {
    do {
      const page = await client.send(new sdk.ListObjectsV2Command({ Bucket: bucket, Prefix: prefix, ContinuationToken: token }));
      for (const object of page.Contents ?? []) {
        const key = object.Key ?? '';
        if (key.endsWith('/')) continue; // a folder marker, not a file
        if (prefix !== '' && !prefix.endsWith('/') && key !== prefix && !key.startsWith(`${prefix}/`)) continue;
        objects.push({ key, bytes: object.Size ?? 0, etag: object.ETag === undefined || object.ETag === '' ? undefined : object.ETag });
      }
      token = page.IsTruncated === true ? page.NextContinuationToken : undefined;
    } while (token !== undefined);
  } catch (error) {
    throw new InputError(url, describeS3Error(error, bucket));
  }
  if (objects.length === 0) {
    throw new InputError(
      url,
      `no objects under this prefix of bucket \`${bucket}\`; expected the k6 output files of a run's runners (k6 run --out json=<RUN_ID>/<runner>.json.gz), e.g. s3://${bucket}/<RUN_ID>/`,
    );
  }
  objects.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  const inputs: S3Input[] = new Array(objects.length);
  let next = 0;
  const probeNext = async (): Promise<void> => {
    while (next < objects.length) {
      const index = next++;
      const object = objects[index]!;
      inputs[index] = await probeObject({ ...s3, bucket, key: object.key, etag: object.etag }, object.bytes, probeBytes);
    }
  };
  await Promise.all(Array.from({ length: Math.min(PROBE_CONCURRENCY, objects.length) }, probeNext));
  return inputs;
}

async function probeObject(ref: S3ObjectRef, bytes: number, probeBytes: number): Promise<S3Input> {
  const path = `${S3_SCHEME}${ref.bucket}/${ref.key}`;
  if (bytes === 0) throw new InputError(path, 'the object is empty; expected k6 output written by `k6 run --out json=FILE`');
  const named = ref.key.endsWith('.gz');
  const head = await read(path, ref, 0, Math.min(bytes, named ? GZIP_MAGIC.length : probeBytes));
  const gzip = head[0] === GZIP_MAGIC[0] && head[1] === GZIP_MAGIC[1];
  if (!gzip && named) throw new InputError(path, 'not a valid gzip file (no gzip header)');
  let edges: S3Input['edges'] = null;
  if (!gzip) edges = { head, tail: bytes <= probeBytes ? head : await read(path, ref, bytes - probeBytes, bytes) };
  return { path, bytes, gzip, ref, edges };
}

/** The offset just after the first newline at or after `from` (or the object's size). */
export async function nextS3LineStart(path: string, ref: S3ObjectRef, from: number, size: number): Promise<number> {
  for (let position = from; position < size; position += LINE_SEARCH_BYTES) {
    const window = await read(path, ref, position, Math.min(size, position + LINE_SEARCH_BYTES));
    const newline = window.indexOf(10);
    if (newline >= 0) return position + newline + 1;
  }
  return size;
}

async function read(path: string, ref: S3ObjectRef, start: number, end: number): Promise<Buffer> {
  try {
    return await readS3Bytes(ref, start, end);
  } catch (error) {
    if (error instanceof S3ReadError) throw new InputError(path, error.message);
    throw error;
  }
}
