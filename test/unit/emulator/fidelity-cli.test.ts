// The AWS fidelity flags from the command line: a bad value exits 2 with one line naming the
// flag, the expected form and the value (never a token); good values reach the server; --help
// documents each flag.
import { describe, expect, it } from 'vitest';
import { startEmulatorProcess } from '../../helpers/emulator-process.js';
import { runCli } from './support/cli.js';

describe('fidelity flags on the command line', () => {
  it.each([
    [['--read-lag-ms', 'soon'], 'emulator: invalid --read-lag-ms; reason: expected an integer number of ms in 0..60000, got `soon`'],
    [
      ['--page-bytes', '0'],
      'emulator: invalid --page-bytes; reason: expected a positive number of bytes, optionally with suffix k, m or g (e.g. 512m), got `0`',
    ],
    [
      ['--require-token', 'has space'],
      'emulator: invalid --require-token; reason: expected a non-empty token of printable ASCII without spaces, got `(9 characters, not shown)`',
    ],
  ])('%j exits 2 with one line and no stack trace', async (args, line) => {
    const result = await runCli(args);
    expect(result.code).toBe(2);
    expect(result.stderr.trim()).toBe(line);
    expect(result.stdout).toBe('');
  });

  it('--help documents every fidelity flag and says gRPC stays consistent', async () => {
    const result = await runCli(['--help']);
    expect(result.code).toBe(0);
    for (const flag of ['--read-lag-ms <ms>', '--page-bytes <bytes>', '--require-token <token>']) expect(result.stdout).toContain(flag);
    expect(result.stdout).toMatch(/gRPC stays\s+strongly consistent/);
  });

  it('good values reach the server: --page-bytes cuts lists, --read-lag-ms makes reads lag', async () => {
    const paged = await startEmulatorProcess(['--page-bytes', '200']);
    const post = (base: string, storeId: string) => fetch(`${base}/api/stores`, { method: 'POST', body: JSON.stringify({ store_id: storeId }) });
    for (let i = 0; i < 10; i++) expect((await post(paged.httpUrl, `store-${i}`)).status).toBe(201);
    // Each store item is about 60 DynamoDB bytes: a 200-byte page holds a few of the ten.
    const listed = ((await (await fetch(`${paged.httpUrl}/api/stores`)).json()) as { stores: unknown[] }).stores;
    expect(listed.length).toBeGreaterThan(0);
    expect(listed.length).toBeLessThan(10);
    expect(await paged.stop()).toBe(0);

    // With a 60 s lag, a read just after its create sees the store only if its lag falls
    // within the few ms since: of ten reads, some are 404.
    const lagged = await startEmulatorProcess(['--read-lag-ms', '60000']);
    const statuses: number[] = [];
    for (let i = 0; i < 10; i++) {
      await post(lagged.httpUrl, `store-${i}`);
      statuses.push((await fetch(`${lagged.httpUrl}/api/stores/store-${i}`)).status);
    }
    expect(statuses).toContain(404);
    expect(await lagged.stop()).toBe(0);
  });
});
