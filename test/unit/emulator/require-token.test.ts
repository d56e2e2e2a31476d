// --require-token: every Open Saves RPC and every /api/* route needs the bearer token
// (missing: UNAUTHENTICATED / 401, wrong: PERMISSION_DENIED / 403), probes stay open,
// and no message ever contains the token.
import { credentials, loadPackageDefinition, status, type Client, type ServiceError } from '@grpc/grpc-js';
import { loadSync } from '@grpc/proto-loader';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AccessCheck } from '../../../emulator/auth.js';
import { parseArgs } from '../../../emulator/cli-args.js';
import { HEALTH_SERVICE_NAME, RPC_NAMES } from '../../../emulator/constants.js';
import { STREAMING_RPCS } from '../../../proto/operations.js';
import { startEmulatorProcess } from '../../helpers/emulator-process.js';
import { startTestEmulator, TestClient, uniqueKey, type TestEmulator } from './support/client.js';

const TOKEN = 's3cret-token-value';
const CLIENT_STREAMS = new Set(['CreateBlob', 'UploadChunk']);

let emulator: TestEmulator;
beforeAll(async () => {
  emulator = await startTestEmulator({ requireToken: TOKEN });
});
afterAll(() => emulator.stop());

/** The status one RPC ends with, whatever its shape (unary, client stream, server stream). */
async function callStatus(client: TestClient, method: string): Promise<{ code: status; details: string }> {
  if (STREAMING_RPCS.includes(method as (typeof STREAMING_RPCS)[number]) && !CLIENT_STREAMS.has(method)) {
    const result = await client.download(method, {});
    return { code: result.code, details: result.details };
  }
  try {
    if (CLIENT_STREAMS.has(method)) await client.upload(method, []);
    else await client.unary(method, {});
    return { code: status.OK, details: '' };
  } catch (error) {
    return { code: (error as ServiceError).code, details: (error as ServiceError).details };
  }
}

describe('gRPC with --require-token', () => {
  it('fails all 27 RPCs without a token with UNAUTHENTICATED, naming what is missing', async () => {
    const client = new TestClient(emulator.server.grpcAddress);
    expect(RPC_NAMES).toHaveLength(27);
    for (const method of RPC_NAMES) {
      const result = await callStatus(client, method);
      expect({ method, code: result.code }).toEqual({ method, code: status.UNAUTHENTICATED });
      expect(result.details).toMatch(/missing credentials.*authorization: Bearer/);
    }
    client.close();
  });

  it('fails all 27 RPCs with a wrong token with PERMISSION_DENIED, never echoing a token', async () => {
    const wrong = 'not-the-token-xyz';
    const client = new TestClient(emulator.server.grpcAddress, { authorization: `Bearer ${wrong}` });
    for (const method of RPC_NAMES) {
      const result = await callStatus(client, method);
      expect({ method, code: result.code }).toEqual({ method, code: status.PERMISSION_DENIED });
      expect(result.details).toMatch(/does not match/);
      expect(result.details).not.toContain(wrong);
      expect(result.details).not.toContain(TOKEN);
    }
    client.close();
  });

  it('treats a value without the Bearer scheme as missing credentials', async () => {
    const client = new TestClient(emulator.server.grpcAddress, { authorization: TOKEN });
    const result = await callStatus(client, 'Ping');
    expect(result.code).toBe(status.UNAUTHENTICATED);
    expect(result.details).not.toContain(TOKEN);
    client.close();
  });

  it('serves calls that carry the token (scheme in any case), unary and streaming', async () => {
    const client = new TestClient(emulator.server.grpcAddress, { authorization: `bearer ${TOKEN}` });
    await expect(client.unary('Ping', { ping: 'p' })).resolves.toEqual({ pong: 'p' });
    const storeKey = uniqueKey('tstore');
    await client.unary('CreateStore', { store: { key: storeKey, name: storeKey } });
    await client.unary('CreateRecord', { storeKey, record: { key: 'r' } });
    await client.upload('CreateBlob', [{ metadata: { storeKey, recordKey: 'r', size: '3' } }, { content: Buffer.from('abc') }]);
    const download = await client.download<{ content?: Buffer }>('GetBlob', { storeKey, recordKey: 'r' });
    expect(download.code).toBe(status.OK);
    expect(Buffer.concat(download.messages.flatMap((m) => (m.content ? [m.content] : []))).toString()).toBe('abc');
    client.close();
  });

  it('leaves the health service open', async () => {
    const proto = new URL('../../../emulator/protos/grpc/health/v1/health.proto', import.meta.url).pathname;
    const loaded = loadPackageDefinition(loadSync(proto, { keepCase: true, enums: String })) as any;
    const health = new loaded.grpc.health.v1.Health(emulator.server.grpcAddress, credentials.createInsecure()) as Client & {
      Check(request: object, callback: (error: ServiceError | null, response: { status: string }) => void): void;
    };
    const response = await new Promise<{ status: string } | ServiceError>((resolve) =>
      health.Check({ service: HEALTH_SERVICE_NAME }, (error, result) => resolve(error ?? result)),
    );
    expect(response).toEqual({ status: 'SERVING' });
    health.close();
  });

  it('counts rejected calls under their code in /metrics', async () => {
    const metrics = await (await fetch(`${emulator.server.httpUrl}/metrics`)).text();
    expect(metrics).toMatch(/opensaves_rpc_total\{method="Ping",code="UNAUTHENTICATED"\} [1-9]/);
    expect(metrics).toMatch(/opensaves_rpc_total\{method="Ping",code="PERMISSION_DENIED"\} [1-9]/);
  });
});

describe('HTTP with --require-token', () => {
  const call = (method: string, path: string, headers: Record<string, string> = {}, body?: string) =>
    fetch(`${emulator.server.httpUrl}${path}`, { method, headers, body });

  it('answers /api/* without a token with 401 and a JSON error body', async () => {
    for (const [method, path] of [
      ['GET', '/api/stores'],
      ['POST', '/api/stores'],
      ['GET', '/api/stores/s/records/r'],
      ['PUT', '/api/stores/s/records/r/blobs/b'],
      ['GET', '/api/metadata/store_info/s'],
    ] as const) {
      const response = await call(method, path);
      expect({ path, status: response.status }).toEqual({ path, status: 401 });
      expect(response.headers.get('content-type')).toBe('application/json');
      expect(response.headers.get('www-authenticate')).toBe('Bearer');
      const body = (await response.json()) as { error: string; status: number };
      expect(body).toEqual({ error: expect.stringMatching(/missing credentials/), status: 401 });
    }
  });

  it('answers a wrong token with 403 and a JSON body that names no token and is not the WAF page', async () => {
    const response = await call('GET', '/api/stores', { Authorization: 'Bearer wrong-one' });
    expect(response.status).toBe(403);
    const text = await response.text();
    expect(JSON.parse(text)).toEqual({ error: expect.stringMatching(/does not match/), status: 403 });
    expect(text).not.toContain('wrong-one');
    expect(text).not.toContain(TOKEN);
    expect(text).not.toMatch(/cloudfront|request blocked/i);
  });

  it('serves /api/* with the token, and /health and /metrics without one', async () => {
    const auth = { Authorization: `Bearer ${TOKEN}` };
    const storeId = uniqueKey('hstore');
    expect((await call('POST', '/api/stores', auth, JSON.stringify({ store_id: storeId }))).status).toBe(201);
    expect((await call('GET', `/api/stores/${storeId}`, auth)).status).toBe(200);
    expect((await call('GET', '/health')).status).toBe(200);
    const metrics = await call('GET', '/metrics');
    expect(metrics.status).toBe(200);
    expect(await metrics.text()).toMatch(/opensaves_http_requests_total\{route="GET \/api\/stores",status="401"\} [1-9]/);
  });
});

describe('AccessCheck', () => {
  it('allows everything without a token', () => {
    expect(new AccessCheck().check(undefined)).toBeUndefined();
    expect(new AccessCheck().active).toBe(false);
  });

  it('compares the token exactly, after the scheme', () => {
    const check = new AccessCheck('abc');
    expect(check.check('Bearer abc')).toBeUndefined();
    expect(check.check('Bearer abcd')?.httpStatus).toBe(403);
    expect(check.check('Bearer ABC')?.httpStatus).toBe(403);
    expect(check.check('')?.httpStatus).toBe(401);
    expect(check.check('Basic abc')?.httpStatus).toBe(401);
  });
});

describe('the --require-token flag', () => {
  it('parses a token and rejects an empty or spaced one without echoing it', () => {
    expect(parseArgs(['--require-token', TOKEN])).toMatchObject({ options: { requireToken: TOKEN } });
    expect(parseArgs([])).toMatchObject({ options: { requireToken: undefined } });
    expect(() => parseArgs(['--require-token', ''])).toThrow(
      'invalid --require-token; reason: expected a non-empty token of printable ASCII without spaces, got ``',
    );
    expect(() => parseArgs(['--require-token=two words'])).toThrow('got `(9 characters, not shown)`');
  });

  it('reaches the server from the command line', async () => {
    const process = await startEmulatorProcess(['--require-token', TOKEN]);
    const denied = new TestClient(process.grpcAddress);
    expect((await callStatus(denied, 'Ping')).code).toBe(status.UNAUTHENTICATED);
    const allowed = new TestClient(process.grpcAddress, { authorization: `Bearer ${TOKEN}` });
    await expect(allowed.unary('Ping', { ping: 'x' })).resolves.toEqual({ pong: 'x' });
    denied.close();
    allowed.close();
    expect(await process.stop()).toBe(0);
  });
});
