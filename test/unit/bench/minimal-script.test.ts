import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runK6 } from '../../helpers/k6.js';
import { startEmulatorProcess, type EmulatorProcess } from '../../helpers/emulator-process.js';
import { sumCounter, RPC_COUNTER } from '../../../bench/lib/measure/prometheus-counter.js';

const SCRIPT = 'bench/k6/minimal-grpc.js';
const scratch = mkdtempSync(join(tmpdir(), 'minimal-script-test-'));
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

async function runMinimal(rpc: string, name: string): Promise<{ exitCode: number | null; summary: Export; output: string }> {
  const exportPath = join(scratch, `${name}.json`);
  const run = await runK6(SCRIPT, {
    env: { OPEN_SAVES_ADDR: emulator.grpcAddress, RPC: rpc, RATE: '20', VUS: '2', DURATION: '2s', RUN_ID: `t${name}` },
    args: ['--summary-export', exportPath],
    timeoutMs: 60_000,
  });
  return { exitCode: run.exitCode, summary: JSON.parse(readFileSync(exportPath, 'utf8')) as Export, output: run.stderr + run.stdout };
}

describe('the minimal k6 baseline script', () => {
  it('makes Ping calls at the asked rate and every check passes', async () => {
    const run = await runMinimal('Ping', 'ping');
    expect(run.exitCode, run.output).toBe(0);
    expect(run.summary.metrics['checks']).toMatchObject({ fails: 0 });
    expect(run.summary.metrics['checks']!.passes).toBeGreaterThanOrEqual(38);
  });

  it('reads the record its setup created, then removes it', async () => {
    const run = await runMinimal('GetRecord', 'getrecord');
    expect(run.exitCode, run.output).toBe(0);
    expect(run.summary.metrics['checks']).toMatchObject({ fails: 0 });
    const metrics = await (await fetch(`${emulator.httpUrl}/metrics`)).text();
    expect(sumCounter(metrics, RPC_COUNTER, { method: 'DeleteStore', code: 'OK' })).toBeGreaterThanOrEqual(1);
  });

  it('refuses an RPC it does not make, naming the variable', async () => {
    const run = await runK6(SCRIPT, { env: { OPEN_SAVES_ADDR: emulator.grpcAddress, RPC: 'Pong' }, timeoutMs: 60_000 });
    expect(run.exitCode).not.toBe(0);
    expect(run.stderr + run.stdout).toContain('invalid RPC; reason: expected Ping or GetRecord, got `Pong`');
  });
});
