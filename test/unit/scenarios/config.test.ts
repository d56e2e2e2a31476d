// Every configuration variable's bad value stops k6 in the init context: a
// message naming the variable, the expected form and the value got, a non-zero
// exit, and no connection to the emulator at all.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { createServer as createHttpServer, type Server as HttpServer } from 'node:http';
import { createServer as createTcpServer, type AddressInfo, type Server as TcpServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runK6 } from '../../helpers/k6.js';
import { bundleScenarios, K6_TEST_ARGS, type Bundles } from './bundles.js';

interface BadValue {
  variable: string;
  value: string;
  /** part of the message that describes the expected form */
  expected: string;
  /** other variables the case needs */
  with?: Record<string, string>;
  /** the value must not appear in the output (secrets) */
  secret?: boolean;
  /** the bundle to run; mixed unless the value is bad only for some scenarios */
  bundle?: string;
}

const scratch = mkdtempSync(join(tmpdir(), 'opensaves-config-'));
const notJsonMix = join(scratch, 'not-json.json');
const unknownOpMix = join(scratch, 'unknown-op.json');
writeFileSync(notJsonMix, 'read: 1');
writeFileSync(unknownOpMix, JSON.stringify({ read: { GetRecord: 1, Teleport: 1 }, write: { CreateRecord: 1 } }));

const BAD_VALUES: BadValue[] = [
  { variable: 'OPEN_SAVES_ADDR', value: 'localhost', expected: 'host:port' },
  { variable: 'OPEN_SAVES_ADDR', value: '127.0.0.1:70000', expected: 'host:port with a port from 1 to 65535' },
  { variable: 'OPEN_SAVES_TLS', value: 'maybe', expected: 'true or false' },
  { variable: 'OPEN_SAVES_CA_CERT', value: '/nonexistent/ca.pem', expected: 'a readable PEM file', with: { OPEN_SAVES_TLS: 'true' } },
  { variable: 'OPEN_SAVES_CA_CERT', value: '/etc/hostname', expected: 'OPEN_SAVES_TLS=true' },
  { variable: 'OPEN_SAVES_AUTH_TOKEN', value: 'secret token-123', expected: 'a token without whitespace', secret: true },
  { variable: 'TRANSPORT', value: 'websocket', expected: 'one of grpc, http' },
  { variable: 'OPEN_SAVES_HTTP_URL', value: 'ftp://127.0.0.1:8080', expected: 'an http:// or https:// base URL' },
  { variable: 'PROFILE', value: 'heavy', expected: 'one of smoke, load, stress, spike, soak, capacity' },
  { variable: 'RATE', value: '-5', expected: 'a positive number of iterations per second' },
  { variable: 'RATE', value: 'fast', expected: 'a positive number of iterations per second' },
  { variable: 'RAMP', value: '10', expected: 'a k6 duration' },
  { variable: 'HOLD', value: 'forever', expected: 'a k6 duration' },
  { variable: 'MAX_VUS', value: '0', expected: 'an integer >= 1' },
  { variable: 'STAGES', value: '[{"duration":"soon","target":5}]', expected: 'a JSON array of' },
  { variable: 'STAGES', value: 'not json', expected: 'a JSON array of' },
  { variable: 'READ_RATIO', value: '1.5', expected: 'a number from 0 to 1' },
  { variable: 'MIX', value: join(scratch, 'missing.json'), expected: 'a readable JSON file' },
  { variable: 'MIX', value: notJsonMix, expected: 'a JSON file with "read" and "write" objects' },
  { variable: 'MIX', value: unknownOpMix, expected: '"Teleport" is not an RPC name' },
  { variable: 'BLOB_SIZES', value: '1KB,1GB', expected: 'a comma-separated list of sizes' },
  { variable: 'BLOB_SIZES', value: 'big', expected: 'a comma-separated list of sizes' },
  { variable: 'RECORDS_PER_STORE', value: '0', expected: 'an integer >= 1' },
  { variable: 'VERIFY_EVERY', value: '0', expected: 'an integer >= 1' },
  { variable: 'READ_RETRY_TRIES', value: '0', expected: 'an integer from 1 to 20' },
  { variable: 'READ_RETRY_TRIES', value: '21', expected: 'an integer from 1 to 20' },
  { variable: 'READ_RETRY_BUDGET_MS', value: '-1', expected: 'a number of milliseconds from 0 to 10000' },
  { variable: 'READ_RETRY_BUDGET_MS', value: 'soon', expected: 'a number of milliseconds from 0 to 10000' },
  { variable: 'RUN_ID', value: 'Run_1', expected: 'lower-case letters, digits and dashes' },
  { variable: 'KEEP_DATA', value: 'perhaps', expected: 'true or false' },
  { variable: 'SLO_P95_MS', value: '0', expected: 'a positive number of milliseconds' },
  { variable: 'SLO_P99_MS', value: '-1', expected: 'a positive number of milliseconds' },
  { variable: 'SLO_P99_MS', value: '10', expected: 'a value >= SLO_P95_MS (50)', with: { SLO_P95_MS: '50' } },
  { variable: 'SLO_ERROR_RATE', value: '2', expected: 'a fraction from 0 to 1' },
  { variable: 'SUMMARY_PATH', value: 'results/my summary.json', expected: 'a file path' },
];

let bundles: Bundles;
let grpcListener: TcpServer;
let httpListener: HttpServer;
let connections = 0;
let httpRequests = 0;

function listen(server: TcpServer | HttpServer): Promise<number> {
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve((server.address() as AddressInfo).port)));
}

let grpcAddress = '';
let httpUrl = '';

beforeAll(async () => {
  bundles = bundleScenarios();
  // Stand-ins for the emulator: they only count who knocks.
  grpcListener = createTcpServer((socket) => {
    connections++;
    socket.destroy();
  });
  httpListener = createHttpServer((_request, response) => {
    httpRequests++;
    response.end();
  });
  grpcAddress = `127.0.0.1:${await listen(grpcListener)}`;
  httpUrl = `http://127.0.0.1:${await listen(httpListener)}`;
});

afterAll(() => {
  grpcListener?.close();
  httpListener?.close();
});

describe('a bad configuration value', () => {
  it.each(BAD_VALUES)('$variable=$value stops the run before any request', async (bad) => {
    const run = await runK6(bundles.path(bad.bundle ?? 'mixed'), {
      env: { OPEN_SAVES_ADDR: grpcAddress, OPEN_SAVES_HTTP_URL: httpUrl, ...bad.with, [bad.variable]: bad.value },
      args: K6_TEST_ARGS,
      timeoutMs: 30_000,
    });
    // k6 logs in logfmt, which escapes the quotes inside a message.
    const output = (run.stdout + run.stderr).replace(/\\"/g, '"');

    expect(run.exitCode).not.toBe(0);
    expect(output).toContain(`invalid ${bad.variable}; reason: expected `);
    expect(output).toContain(bad.expected);
    if (bad.secret) {
      expect(output).not.toContain(bad.value);
      expect(output).toContain('got `(hidden)`');
    } else {
      expect(output).toContain(`got \`${bad.value}\``);
    }
    expect(output).not.toMatch(/\n\s+at /);
    expect(connections).toBe(0);
    expect(httpRequests).toBe(0);
  });

  it('is accepted when valid: the same stand-in emulator is then contacted', async () => {
    // Arrange: a valid configuration pointing at the counting listener.
    const before = connections;

    // Act
    const run = await runK6(bundles.path('mixed'), {
      env: { OPEN_SAVES_ADDR: grpcAddress, STAGES: '[{"duration":"1s","target":1}]', SUMMARY_PATH: join(scratch, 'valid.json') },
      args: K6_TEST_ARGS,
      timeoutMs: 60_000,
    });

    // Assert: the run got past the init context and tried to reach the emulator.
    expect(run.stdout + run.stderr).not.toContain('invalid ');
    expect(connections).toBeGreaterThan(before);
  });
});
