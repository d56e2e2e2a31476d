// The CLI as a user runs it: its own process, the printed addresses, --help,
// bad flags (exit 2), flags reaching the server, and a clean exit on signals.
import { status } from '@grpc/grpc-js';
import { spawn } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT, startEmulatorProcess } from '../../helpers/emulator-process.js';
import { runCli } from './support/cli.js';
import { failure, TestClient } from './support/client.js';

/** A emulator started with --stop-when-stdin-closes, once it listens; `exited` resolves with its exit code. */
async function startSupervisedEmulator() {
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', 'emulator/main.ts', '--grpc-port', '0', '--http-port', '0', '--stop-when-stdin-closes'],
    { cwd: REPO_ROOT, stdio: ['pipe', 'pipe', 'pipe'] },
  );
  await new Promise<void>((resolve) => child.stdout.on('data', (chunk: Buffer) => chunk.toString().includes('http listening') && resolve()));
  const exited = new Promise<number | null>((resolve) => child.on('exit', resolve));
  return { child, exited };
}

describe('emulator/main.ts', () => {
  it('prints both addresses on 127.0.0.1, serves, and exits 0 on SIGTERM', async () => {
    const emulator = await startEmulatorProcess();
    expect(emulator.grpcAddress).toMatch(/^127\.0\.0\.1:\d+$/);
    const client = new TestClient(emulator.grpcAddress);
    await expect(client.unary('Ping', { ping: 'up' })).resolves.toEqual({ pong: 'up' });
    expect(await (await fetch(`${emulator.httpUrl}/health`)).text()).toBe('OK\n');
    client.close();
    expect(await emulator.stop()).toBe(0);
  });

  it('exits 0 on SIGINT too', async () => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'emulator/main.ts', '--grpc-port', '0', '--http-port', '0'], {
      cwd: REPO_ROOT,
    });
    await new Promise<void>((resolve) => child.stdout.on('data', (chunk: Buffer) => chunk.toString().includes('http listening') && resolve()));
    const exited = new Promise<number | null>((resolve) => child.on('exit', resolve));
    child.kill('SIGINT');
    expect(await exited).toBe(0);
  });

  it('with --stop-when-stdin-closes, shuts down cleanly once its stdin closes', async () => {
    const { child, exited } = await startSupervisedEmulator();
    child.stdin.end();
    expect(await exited).toBe(0);
  });

  it('with --stop-when-stdin-closes, exits by itself when its supervisor is gone with every pipe it held', async () => {
    // Arrange: a running emulator whose stdout and stderr nobody reads any more.
    const { child, exited } = await startSupervisedEmulator();
    const killer = setTimeout(() => child.kill('SIGKILL'), 15_000);

    // Act: what a supervisor's death does to the pipes; the emulator's shutdown message then meets a closed stderr.
    child.stdout.destroy();
    child.stderr.destroy();
    child.stdin.end();

    // Assert: it stops on its own (exit 0), not killed after spinning on the write that failed.
    const code = await exited;
    clearTimeout(killer);
    expect(code).toBe(0);
  });

  it('passes fault and budget flags to the server', async () => {
    const emulator = await startEmulatorProcess(['--error-rate', 'Ping=1', '--max-bytes', '1k']);
    const client = new TestClient(emulator.grpcAddress);
    expect((await failure(client.unary('Ping', {}))).code).toBe(status.UNAVAILABLE);
    const create = client.unary('CreateStore', { store: { key: 'k', name: 'n'.repeat(2000) } });
    expect((await failure(create)).code).toBe(status.RESOURCE_EXHAUSTED);
    client.close();
    expect(await emulator.stop()).toBe(0);
  });

  it('prints usage for --help and exits 0', async () => {
    const result = await runCli(['--help']);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^Usage: npm run emulator -- \[options\]/);
    expect(result.stdout).toMatch(/--error-rate <spec>/);
  });

  it('rejects a bad flag with a clear message, no stack trace, exit 2', async () => {
    const result = await runCli(['--grpc-port', 'six']);
    expect(result.code).toBe(2);
    expect(result.stderr.trim()).toBe('emulator: invalid --grpc-port; reason: expected a port number in 0..65535, got `six`');
  });

  it('reports a port already in use without a stack trace, exit 1', async () => {
    const first = await startEmulatorProcess();
    const port = first.grpcAddress.split(':')[1]!;
    const result = await runCli(['--grpc-port', port, '--http-port', '0']);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/^emulator: cannot bind the gRPC listener to 127\.0\.0\.1:\d+/);
    expect(result.stderr).not.toMatch(/\n\s+at /);
    await first.stop();
  });
});
