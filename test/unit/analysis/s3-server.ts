// A real S3-compatible server for the S3 tests: bin/versitygw (tools/s3-server/build.sh; `make test` builds it first)
// with its posix backend in a temporary directory, on a free port of 127.0.0.1, with credentials of its own. The
// analysis reaches it as it reaches S3: through the SDK's credential chain and AWS_ENDPOINT_URL_S3.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer, connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CreateBucketCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { REPO_ROOT } from '../../helpers/emulator-process.js';

export const VERSITYGW = join(REPO_ROOT, 'bin', 'versitygw');

export interface LocalS3 {
  endpoint: string;
  /** the posix backend: <root>/<bucket>/<key> */
  root: string;
  /** the environment the analysis needs to reach this server */
  env: Record<string, string>;
  client: S3Client;
  createBucket(bucket: string): Promise<void>;
  put(bucket: string, key: string, body: Buffer | string): Promise<void>;
  stop(): Promise<void>;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

function accepts(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    socket.once('connect', () => (socket.destroy(), resolve(true)));
    socket.once('error', () => resolve(false));
  });
}

async function waitForPort(child: ChildProcess, port: number): Promise<boolean> {
  for (let i = 0; i < 100; i++) {
    if (child.exitCode !== null) return false;
    if (await accepts(port)) return true;
    await new Promise((r) => setTimeout(r, 100));
  }
  return false;
}

export async function startLocalS3(): Promise<LocalS3> {
  if (!existsSync(VERSITYGW)) throw new Error(`${VERSITYGW} is missing: run tools/s3-server/build.sh (make s3-server)`);
  const root = mkdtempSync(join(tmpdir(), 'analysis-s3-'));
  const accessKey = 'analysis-test';
  const secretKey = `secret-${process.pid}-${Date.now()}`;
  // Another process may take the free port before the server binds it: then try another.
  for (let attempt = 0; attempt < 3; attempt++) {
    const port = await freePort();
    let output = '';
    const child = spawn(VERSITYGW, ['--port', `127.0.0.1:${port}`, '--quiet', 'posix', root], {
      env: { ...process.env, ROOT_ACCESS_KEY: accessKey, ROOT_SECRET_KEY: secretKey },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child.stdout!.on('data', (d: Buffer) => (output += d.toString()));
    child.stderr!.on('data', (d: Buffer) => (output += d.toString()));
    if (!(await waitForPort(child, port))) {
      child.kill('SIGKILL');
      if (attempt === 2) throw new Error(`versitygw did not start on 127.0.0.1:${port}:\n${output}`);
      continue;
    }
    const endpoint = `http://127.0.0.1:${port}`;
    const env = {
      AWS_ENDPOINT_URL_S3: endpoint,
      AWS_ACCESS_KEY_ID: accessKey,
      AWS_SECRET_ACCESS_KEY: secretKey,
      AWS_REGION: 'us-east-1',
      AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
    };
    // The SDK's notice that its 2027 releases need Node 22 (the kit runs on Node 20), as the analysis silences it.
    process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
    const client = new S3Client({ endpoint, region: 'us-east-1', forcePathStyle: true, credentials: { accessKeyId: accessKey, secretAccessKey: secretKey } });
    return {
      endpoint,
      root,
      env,
      client,
      createBucket: async (bucket) => void (await client.send(new CreateBucketCommand({ Bucket: bucket }))),
      put: async (bucket, key, body) => void (await client.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: body }))),
      stop: async () => {
        client.destroy();
        const exited = new Promise((r) => child.once('exit', r));
        child.kill('SIGTERM');
        await Promise.race([exited, new Promise((r) => setTimeout(r, 5000))]);
        if (child.exitCode === null) child.kill('SIGKILL');
        rmSync(root, { recursive: true, force: true });
      },
    };
  }
  throw new Error('unreachable');
}

/** Runs `fn` with the given variables set in process.env (the analysis runs in-process), then restores them. */
export async function withEnv<T>(vars: Record<string, string | undefined>, fn: () => Promise<T>): Promise<T> {
  const saved = new Map(Object.keys(vars).map((key) => [key, process.env[key]]));
  for (const [key, value] of Object.entries(vars)) {
    if (value === undefined) delete process.env[key];
    else process.env[key] = value;
  }
  try {
    return await fn();
  } finally {
    for (const [key, value] of saved) {
      if (value === undefined) delete process.env[key];
      else process.env[key] = value;
    }
  }
}
