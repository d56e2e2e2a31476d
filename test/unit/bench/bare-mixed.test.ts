// The hand-written baseline of the mixed benchmark (bench/k6/bare-mixed.js) against a
// local emulator: every operation of a mix runs and passes its checks, setup's data is
// removed afterwards, and a bad setting is refused by name. Also the per-class mixes.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runK6 } from '../../helpers/k6.js';
import { startEmulatorProcess, type EmulatorProcess } from '../../helpers/emulator-process.js';
import { RPC_COUNTER, sumCounter } from '../../../bench/lib/measure/prometheus-counter.js';
import { classMix } from '../../../bench/lib/generators/mix-classes.js';

const SCRIPT = 'bench/k6/bare-mixed.js';
const scratch = mkdtempSync(join(tmpdir(), 'bare-mixed-test-'));
let emulator: EmulatorProcess;

beforeAll(async () => {
  emulator = await startEmulatorProcess();
});
afterAll(async () => {
  await emulator?.stop();
  rmSync(scratch, { recursive: true, force: true });
});

interface Export {
  metrics: Record<string, { passes?: number; fails?: number; count?: number } | undefined>;
}

const DEFAULT_MIX = JSON.parse(readFileSync('data/mix.json', 'utf8')) as { read: Record<string, number>; write: Record<string, number> };
// The streamed and multi-call operations, and what each must have called on the emulator.
const CALLS_OF: Record<string, string[]> = {
  GetBlobChunk: ['GetBlobChunk'],
  CreateChunkedBlob: ['CreateChunkedBlob', 'UploadChunk', 'CommitChunkedUpload'],
  AbortChunkedUpload: ['AbortChunkedUpload'],
  UpdateRecord: ['UpdateRecord'],
};

describe('the bare mixed k6 script', () => {
  it('runs every operation of the default mix with every check passing, and removes what setup made', async () => {
    // Arrange: the default mix's operations, weighed alike so a short run reaches each one; small blobs.
    const every = Object.fromEntries([...Object.keys(DEFAULT_MIX.read), ...Object.keys(DEFAULT_MIX.write)].map((op) => [op, 1]));
    const mixPath = join(scratch, 'every.json');
    writeFileSync(mixPath, JSON.stringify({ read: every, write: every }));
    const exportPath = join(scratch, 'export.json');

    // Act
    const run = await runK6(SCRIPT, {
      env: { OPEN_SAVES_ADDR: emulator.grpcAddress, RATE: '40', DURATION: '5s', MAX_VUS: '8', MIX: mixPath, BLOB_SIZES: '1KB,100KB', RUN_ID: 'tbare' },
      args: ['--summary-export', exportPath],
      timeoutMs: 90_000,
    });

    // Assert
    expect(run.exitCode, run.stderr + run.stdout).toBe(0);
    const summary = JSON.parse(readFileSync(exportPath, 'utf8')) as Export;
    expect(summary.metrics['checks']).toMatchObject({ fails: 0 });
    const metrics = await (await fetch(`${emulator.httpUrl}/metrics`)).text();
    const called = (method: string) => sumCounter(metrics, RPC_COUNTER, { method });
    for (const op of Object.keys(every)) {
      for (const method of CALLS_OF[op] ?? [op]) expect(called(method), `${op}: ${method} calls`).toBeGreaterThan(0);
    }
    expect(sumCounter(metrics, RPC_COUNTER, { method: 'DeleteStore', code: 'OK' })).toBe(2);
  });

  it('refuses a READ_RATIO outside 0 to 1, naming the variable', async () => {
    const run = await runK6(SCRIPT, { env: { OPEN_SAVES_ADDR: emulator.grpcAddress, READ_RATIO: '1.5' }, timeoutMs: 60_000 });
    expect(run.exitCode).not.toBe(0);
    expect(run.stderr + run.stdout).toContain('invalid READ_RATIO; reason: expected a number from 0 to 1, got `1.5`');
  });
});

describe('classMix', () => {
  const mix = { read: { GetRecord: 40, GetBlob: 12, Ping: 10 }, write: { CreateRecord: 25, CreateBlob: 10, AtomicInc: 5 } };

  it('keeps the class weights of both kinds when the class has reads and writes', () => {
    expect(classMix(mix, ['GetRecord', 'CreateRecord'])).toEqual({ mix: { read: { GetRecord: 40 }, write: { CreateRecord: 25 } } });
  });

  it('reads only (READ_RATIO 1) for a class without writes, and writes only for one without reads', () => {
    expect(classMix(mix, ['Ping'])).toEqual({ mix: { read: { Ping: 10 }, write: { Ping: 10 } }, readRatio: '1' });
    expect(classMix(mix, ['AtomicInc'])).toEqual({ mix: { read: { AtomicInc: 5 }, write: { AtomicInc: 5 } }, readRatio: '0' });
  });

  it('refuses a class the mix does not weigh', () => {
    expect(() => classMix(mix, ['DeleteStore'])).toThrow('the default mix weighs none of DeleteStore');
  });
});
