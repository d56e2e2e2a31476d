// The S3 client of the analysis, for the main thread and the worker threads alike. The SDK is loaded at run time
// from a file URL the main thread resolves (s3-source.ts), never imported by name here: the worker threads run a
// bundle of reader.ts and its imports, which would otherwise carry the whole SDK, and runs without an s3:// input
// never load it. Errors become one line naming the bucket or object and what to do.
import type { S3Client, S3ClientConfig } from '@aws-sdk/client-s3';

export type S3Sdk = typeof import('@aws-sdk/client-s3');

/** What a thread needs to make the same client as the main thread: where the SDK is and the resolved region. */
export interface S3Access {
  /** file URL of @aws-sdk/client-s3's entry point */
  sdkUrl: string;
  region: string;
  /** one per analysis: its clients read the credentials of the environment as it is then */
  id: string;
}

const sdks = new Map<string, Promise<S3Sdk>>();
/** The clients of the current analysis (S3Access.id), by region; a later analysis in the same process makes its own. */
let clientsOf = '';
const clients = new Map<string, S3Client>();

export function loadSdk(sdkUrl: string): Promise<S3Sdk> {
  let sdk = sdks.get(sdkUrl);
  if (sdk === undefined) {
    // The SDK warns once per process that its 2027 releases need Node 22; the kit runs on Node 20 (as for CloudWatch).
    process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
    // The CommonJS entry imported from ESM may put its exports under `default`.
    sdk = import(sdkUrl).then((module: S3Sdk & { default?: S3Sdk }) => (typeof module.S3Client === 'function' ? module : module.default!));
    sdks.set(sdkUrl, sdk);
  }
  return sdk;
}

/**
 * The endpoint override the SDK reads itself (AWS_ENDPOINT_URL_S3, else AWS_ENDPOINT_URL): a local S3-compatible
 * server such as 127.0.0.1, which has no bucket subdomains, so such clients address buckets by path.
 */
export function endpointOverride(): string | null {
  return process.env.AWS_ENDPOINT_URL_S3 || process.env.AWS_ENDPOINT_URL || null;
}

export function clientConfig(region: string | undefined): S3ClientConfig {
  return {
    ...(region === undefined ? {} : { region }),
    forcePathStyle: endpointOverride() !== null,
    // A bucket in another region than the configured one answers 301; the client asks again in the right one.
    followRegionRedirects: true,
    maxAttempts: 3,
  };
}

/** One client per thread, analysis and region, made on first use. */
export async function s3Client(access: S3Access): Promise<{ sdk: S3Sdk; client: S3Client }> {
  const sdk = await loadSdk(access.sdkUrl);
  if (clientsOf !== access.id) {
    for (const old of clients.values()) old.destroy();
    clients.clear();
    clientsOf = access.id;
  }
  let client = clients.get(access.region);
  if (client === undefined) clients.set(access.region, (client = new sdk.S3Client(clientConfig(access.region))));
  return { sdk, client };
}

interface SdkError {
  name?: string;
  Code?: string;
  code?: string;
  message?: string;
  $metadata?: { httpStatusCode?: number };
}

/**
 * One line for an S3 failure: what went wrong and what to change. `what` names the bucket or object.
 * The SDK's own messages are kept in brackets: they name the code S3 answered.
 */
export function describeS3Error(error: unknown, bucket: string): string {
  const e = (error ?? {}) as SdkError;
  const name = e.name ?? e.Code ?? 'Error';
  const status = e.$metadata?.httpStatusCode;
  const detail = oneLine(e.message ?? String(error));
  const endpoint = endpointOverride();
  if (name === 'NoSuchBucket') return `no such bucket \`${bucket}\`${endpoint === null ? '' : ` at ${endpoint}`} (NoSuchBucket)`;
  if (name === 'NoSuchKey') return 'the object is gone (NoSuchKey): it was deleted while the analysis listed the prefix';
  if (name === 'CredentialsProviderError' || /could not load credentials/i.test(detail)) {
    return `no AWS credentials found (${detail}); set AWS_PROFILE, AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY or run on an instance role`;
  }
  if (
    status === 403 ||
    ['AccessDenied', 'InvalidAccessKeyId', 'SignatureDoesNotMatch', 'ExpiredToken', 'InvalidToken', 'AllAccessDisabled'].includes(name)
  ) {
    return (
      `access denied (${name}: ${detail}); the credentials (AWS_PROFILE, AWS_ACCESS_KEY_ID, an instance role) need ` +
      `s3:ListBucket on bucket \`${bucket}\` and s3:GetObject on its objects`
    );
  }
  const code = e.code ?? (error as { cause?: { code?: string } } | null)?.cause?.code;
  if (code !== undefined && /^(ECONNREFUSED|ENOTFOUND|EAI_AGAIN|ECONNRESET|ETIMEDOUT|EHOSTUNREACH)$/.test(code)) {
    return `S3 cannot be reached (${code}${endpoint === null ? '' : ` at ${endpoint}, from AWS_ENDPOINT_URL_S3`})`;
  }
  return `S3 answered ${name}${status === undefined ? '' : ` (HTTP ${status})`}: ${detail}`;
}

function oneLine(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}
