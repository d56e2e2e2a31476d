// The preflight in setup(): each first-run mistake against a real listener on
// 127.0.0.1 stops the run with one line naming the cause and the variable to
// change, exit code 108 (k6's "script aborted"), and no stack trace.
import { readFileSync, writeFileSync } from 'node:fs';
import { createServer as createTcpServer, type AddressInfo, type Server as TcpServer } from 'node:net';
import { createServer as createTlsServer } from 'node:tls';
import { join } from 'node:path';
import { Server as GrpcServer, ServerCredentials } from '@grpc/grpc-js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LATENCY_NOT_JUDGED, runK6, type K6Run } from '../../helpers/k6.js';
import { REPO_ROOT, startEmulatorProcess, type EmulatorProcess } from '../../helpers/emulator-process.js';
import { bundleScenarios, K6_TEST_ARGS, type Bundles } from './bundles.js';
import { fetchMetrics, sample } from './emulator-metrics.js';

const FIXTURES = join(REPO_ROOT, 'test/fixtures/tls');
const TOKEN = 'preflight-token-4f1c9e';
// Far more than any case needs; the assertions are on message and exit code.
const K6_TIMEOUT_MS = 60_000;
const ABORTED = 108;

let bundles: Bundles;
let emulator: EmulatorProcess;
let guarded: EmulatorProcess;
let tlsListener: TcpServer;
let emptyGrpc: GrpcServer;
let tlsAddress: string;
let emptyGrpcAddress: string;

function listen(server: TcpServer): Promise<string> {
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(`127.0.0.1:${(server.address() as AddressInfo).port}`)));
}

beforeAll(async () => {
  bundles = bundleScenarios();
  [emulator, guarded] = await Promise.all([startEmulatorProcess(), startEmulatorProcess(['--require-token', TOKEN])]);
  // A TLS server with a self-signed certificate for `localhost` only (test/fixtures/tls/README.md); it speaks no gRPC.
  tlsListener = createTlsServer(
    { key: readFileSync(join(FIXTURES, 'localhost-key.pem')), cert: readFileSync(join(FIXTURES, 'localhost-cert.pem')), ALPNProtocols: ['h2'] },
    (socket) => socket.on('error', () => undefined),
  );
  tlsAddress = await listen(tlsListener);
  // A gRPC server without the Open Saves service, as the AWS port's gRPC port is.
  emptyGrpc = new GrpcServer();
  emptyGrpcAddress = await new Promise((resolve, reject) =>
    emptyGrpc.bindAsync('127.0.0.1:0', ServerCredentials.createInsecure(), (error, port) => (error ? reject(error) : resolve(`127.0.0.1:${port}`))),
  );
});

afterAll(async () => {
  await Promise.all([emulator?.stop(), guarded?.stop()]);
  tlsListener?.close();
  emptyGrpc?.forceShutdown();
});

function run(env: Record<string, string>): Promise<K6Run> {
  return runK6(bundles.path('mixed'), {
    env: { RATE: '1', RAMP: '1s', HOLD: '1s', SUMMARY_PATH: join(bundles.root, 'preflight-summary.json'), ...env },
    args: K6_TEST_ARGS,
    timeoutMs: K6_TIMEOUT_MS,
  });
}

function expectAborted(outcome: K6Run, line: string): void {
  const output = outcome.stdout + outcome.stderr;
  expect(outcome.exitCode, output).toBe(ABORTED);
  expect(output).toContain(`test aborted: preflight: ${line}`);
  expect(output).not.toMatch(/Uncaught|\bat \S+ \(file:|GoError/);
}

async function closedPort(): Promise<string> {
  const server = createTcpServer();
  const address = await listen(server);
  await new Promise((resolve) => server.close(resolve));
  return address;
}

describe('the preflight over gRPC', () => {
  it('names OPEN_SAVES_TLS when TLS is asked of a plaintext server', async () => {
    const outcome = await run({ OPEN_SAVES_ADDR: emulator.grpcAddress, OPEN_SAVES_TLS: 'true' });
    expectAborted(outcome, `OPEN_SAVES_TLS=true but ${emulator.grpcAddress} answers without TLS (plaintext gRPC); set OPEN_SAVES_TLS=false`);
  });

  it('names OPEN_SAVES_TLS when a TLS server is dialled in plaintext', async () => {
    const outcome = await run({ OPEN_SAVES_ADDR: tlsAddress });
    expectAborted(outcome, `${tlsAddress} speaks TLS but OPEN_SAVES_TLS is false; set OPEN_SAVES_TLS=true`);
  });

  it('names OPEN_SAVES_CA_CERT when the certificate is self-signed and no CA is given', async () => {
    // By the name the certificate holds: Go checks the name before the signature.
    const address = tlsAddress.replace('127.0.0.1', 'localhost');
    const outcome = await run({ OPEN_SAVES_ADDR: address, OPEN_SAVES_TLS: 'true' });
    expectAborted(outcome, `the TLS certificate of ${address} is not signed by a trusted CA (x509: certificate signed by unknown authority); set OPEN_SAVES_CA_CERT`);
  });

  it('names OPEN_SAVES_ADDR when the certificate does not name the host', async () => {
    const outcome = await run({ OPEN_SAVES_ADDR: tlsAddress, OPEN_SAVES_TLS: 'true', OPEN_SAVES_CA_CERT: join(FIXTURES, 'localhost-cert.pem') });
    expectAborted(outcome, `the TLS certificate of ${tlsAddress} does not name the host in OPEN_SAVES_ADDR`);
  });

  it("says an HTTP/1 server answers when OPEN_SAVES_ADDR is the emulator's HTTP port", async () => {
    const httpAddress = emulator.httpUrl.replace('http://', '');
    const outcome = await run({ OPEN_SAVES_ADDR: httpAddress });
    expectAborted(outcome, `an HTTP/1 server answers at ${httpAddress}, not gRPC; OPEN_SAVES_ADDR must be the gRPC port`);
  });

  it('says nothing is listening at a closed port', async () => {
    const address = await closedPort();
    const outcome = await run({ OPEN_SAVES_ADDR: address });
    expectAborted(outcome, `nothing is listening at ${address} (connection refused); check OPEN_SAVES_ADDR`);
  });

  it('says a host name that does not resolve is not found', async () => {
    const outcome = await run({ OPEN_SAVES_ADDR: 'open-saves.invalid:6000' });
    expectAborted(outcome, 'the host name open-saves.invalid in OPEN_SAVES_ADDR is not found (DNS: no such host');
  });

  it('says "use TRANSPORT=http" when the gRPC server has no Open Saves service', async () => {
    const outcome = await run({ OPEN_SAVES_ADDR: emptyGrpcAddress });
    expectAborted(outcome, `${emptyGrpcAddress} speaks gRPC but has no Open Saves service (Ping answered UNIMPLEMENTED`);
    expect(outcome.stderr).toContain('use TRANSPORT=http');
  });

  it('names OPEN_SAVES_AUTH_TOKEN when the target requires one', async () => {
    const outcome = await run({ OPEN_SAVES_ADDR: guarded.grpcAddress });
    expectAborted(outcome, `${guarded.grpcAddress} requires a token (UNAUTHENTICATED); set OPEN_SAVES_AUTH_TOKEN`);
  });

  it('names OPEN_SAVES_AUTH_TOKEN, without printing it, when the target rejects it', async () => {
    const wrong = 'not-the-token-7d2b';
    const outcome = await run({ OPEN_SAVES_ADDR: guarded.grpcAddress, OPEN_SAVES_AUTH_TOKEN: wrong });
    expectAborted(outcome, `${guarded.grpcAddress} refused OPEN_SAVES_AUTH_TOKEN (PERMISSION_DENIED)`);
    expect(outcome.stdout + outcome.stderr).not.toContain(wrong);
  });

  it('lets a run with the right token through', async () => {
    const mix = join(bundles.root, 'ping-only.json');
    writeFileSync(mix, JSON.stringify({ read: { Ping: 1 }, write: { Ping: 1 } }));
    const outcome = await run({ OPEN_SAVES_ADDR: guarded.grpcAddress, OPEN_SAVES_AUTH_TOKEN: TOKEN, MIX: mix, ...LATENCY_NOT_JUDGED });
    expect(outcome.exitCode, outcome.stdout + outcome.stderr).toBe(0);
    expect(outcome.stdout + outcome.stderr).not.toContain(TOKEN);
  });
});

describe('the preflight over HTTP', () => {
  it('names OPEN_SAVES_HTTP_URL when it points at a gRPC port', async () => {
    const outcome = await run({ TRANSPORT: 'http', OPEN_SAVES_HTTP_URL: `http://${emulator.grpcAddress}` });
    expectAborted(outcome, `http://${emulator.grpcAddress} answers HTTP/2 frames only (a gRPC port?), not the REST API; set OPEN_SAVES_HTTP_URL`);
  });

  it('names OPEN_SAVES_HTTP_URL when an http:// URL reaches a TLS server', async () => {
    const outcome = await run({ TRANSPORT: 'http', OPEN_SAVES_HTTP_URL: `http://${tlsAddress}` });
    expectAborted(outcome, `http://${tlsAddress} speaks TLS (HTTPS); set OPEN_SAVES_HTTP_URL to https://${tlsAddress}`);
  });

  it('names OPEN_SAVES_HTTP_URL when an https:// URL reaches a plain HTTP server', async () => {
    const url = emulator.httpUrl.replace('http://', 'https://');
    const outcome = await run({ TRANSPORT: 'http', OPEN_SAVES_HTTP_URL: url });
    expectAborted(outcome, `OPEN_SAVES_HTTP_URL is https:// but ${url} answers without TLS; set OPEN_SAVES_HTTP_URL to ${emulator.httpUrl}`);
  });

  it('says nothing is listening at a closed port', async () => {
    const url = `http://${await closedPort()}`;
    const outcome = await run({ TRANSPORT: 'http', OPEN_SAVES_HTTP_URL: url });
    expectAborted(outcome, `nothing is listening at ${url} (connection refused); check OPEN_SAVES_HTTP_URL`);
  });

  it('says a host name that does not resolve is not found', async () => {
    const outcome = await run({ TRANSPORT: 'http', OPEN_SAVES_HTTP_URL: 'http://open-saves.invalid:8080' });
    expectAborted(outcome, 'the host name open-saves.invalid in OPEN_SAVES_HTTP_URL is not found');
  });

  it('names OPEN_SAVES_AUTH_TOKEN when the API answers 401 or 403', async () => {
    const missing = await run({ TRANSPORT: 'http', OPEN_SAVES_HTTP_URL: guarded.httpUrl });
    expectAborted(missing, `${guarded.httpUrl} requires a token (GET /api/stores/{store_id} answered 401); set OPEN_SAVES_AUTH_TOKEN`);
    const wrong = await run({ TRANSPORT: 'http', OPEN_SAVES_HTTP_URL: guarded.httpUrl, OPEN_SAVES_AUTH_TOKEN: 'wrong-one-93ac' });
    expectAborted(wrong, `${guarded.httpUrl} refused OPEN_SAVES_AUTH_TOKEN (GET /api/stores/{store_id} answered 403)`);
    expect(wrong.stdout + wrong.stderr).not.toContain('wrong-one-93ac');
  });
});

describe('the atomic scenario over HTTP, which has nothing to run on the AWS port', () => {
  it('runs the same preflight first: against a closed port it stops with exit 108, not 0', async () => {
    const url = `http://${await closedPort()}`;
    const outcome = await runK6(bundles.path('atomic'), {
      env: { TRANSPORT: 'http', OPEN_SAVES_HTTP_URL: url, SUMMARY_PATH: join(bundles.root, 'atomic-closed.json') },
      args: K6_TEST_ARGS,
      timeoutMs: K6_TIMEOUT_MS,
    });
    expectAborted(outcome, `nothing is listening at ${url} (connection refused); check OPEN_SAVES_HTTP_URL`);
    // It stopped before saying what the port lacks: there was no port to say it of.
    expect(outcome.stderr).not.toContain('the AWS port has no atomic routes');
  });
});

describe("the preflight against CloudFront's WAF", () => {
  it('says the WAF blocked this address and what to do, when its rate rule already blocks', async () => {
    // Arrange: this address is over a 3-request limit before the run starts.
    const walled = await startEmulatorProcess(['--waf-limit', '3', '--waf-window-s', '60']);
    try {
      for (let i = 0; i < 4; i++) await fetch(`${walled.httpUrl}/api/stores`);

      // Act
      const outcome = await run({ TRANSPORT: 'http', OPEN_SAVES_HTTP_URL: walled.httpUrl });

      // Assert
      expectAborted(outcome, `CloudFront's WAF blocked this runner's address (GET /api/stores/{store_id} answered 403 from CloudFront at ${walled.httpUrl})`);
      expect(outcome.stderr).toContain("allow-list the runners' egress addresses in the WAF, or point OPEN_SAVES_HTTP_URL at the load balancer (ALB)");
    } finally {
      await walled.stop();
    }
  });
});

describe('a setup() that cannot make its stores', () => {
  it('stops with one line naming the store and the cleanup command, not a stack trace', async () => {
    const failing = await startEmulatorProcess(['--error-rate', 'CreateStore=1']);
    try {
      const outcome = await runK6(bundles.path('crud'), {
        env: { OPEN_SAVES_ADDR: failing.grpcAddress, RUN_ID: 'nostores', SUMMARY_PATH: join(bundles.root, 'nostores.json') },
        args: K6_TEST_ARGS,
        timeoutMs: K6_TIMEOUT_MS,
      });
      const output = outcome.stdout + outcome.stderr;
      expect(outcome.exitCode, output).toBe(ABORTED);
      expect(output).toContain(`test aborted: setup: cannot create store nostores-all-manifest at ${failing.grpcAddress}; see the errors above`);
      expect(output).not.toMatch(/Uncaught|\bat \S+ \(file:/);
      expect(sample(await fetchMetrics(failing.httpUrl), 'opensaves_stores')).toBe(0);
    } finally {
      await failing.stop();
    }
  });
});
