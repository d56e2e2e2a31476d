// The distributed flow end to end, as `make demo-distributed` runs it (tools/demo-distributed.sh), shortened: three
// real k6 runners on execution segments of one RUN_ID against the local emulator write their samples into a real
// S3-compatible server's directory, each segment's teardown removes its data, and one analysis reads the run from
// s3:// with every runner in it; the same files read from disk give the same figures.
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { connect } from 'node:net';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { Summary } from '../../../analysis/src/summary.js';
import { REPO_ROOT } from '../../helpers/emulator-process.js';
import { cli, removeTempDirs, tempDir } from './helpers.js';

afterAll(() => removeTempDirs());

function runDemo(env: Record<string, string>): Promise<{ exitCode: number | null; output: string }> {
  return new Promise((resolve) => {
    const child = spawn('bash', [join(REPO_ROOT, 'tools', 'demo-distributed.sh')], { cwd: REPO_ROOT, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (d: Buffer) => (output += d.toString()));
    child.stderr.on('data', (d: Buffer) => (output += d.toString()));
    child.on('exit', (exitCode) => resolve({ exitCode, output }));
  });
}

function accepts(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    socket.once('connect', () => (socket.destroy(), resolve(true)));
    socket.once('error', () => resolve(false));
  });
}

const readSummary = (dir: string): Summary => JSON.parse(readFileSync(join(dir, 'summary.json'), 'utf8')) as Summary;

describe('make demo-distributed, shortened', () => {
  it('three segment runners of one run, read from s3:// into one report with each runner and the scaling answer', async () => {
    // Arrange
    const dir = tempDir();

    // Act
    const demo = await runDemo({ RUNNERS: '3', DEMO_RATE: '30', DEMO_RAMP: '2s', DEMO_HOLD: '6s', DEMO_GOAL_RATE: '5000', DEMO_DIR: dir, DEMO_TIMEOUT: '120' });

    // Assert: the demo's own account
    expect(demo.exitCode, demo.output).toBe(0);
    const runId = /^run (dist-[a-z0-9-]+): 3 k6 runners/m.exec(demo.output)?.[1];
    expect(runId, demo.output).toBeDefined();
    for (const [n, segment] of [[1, '0:1/3'], [2, '1/3:2/3'], [3, '2/3:1']]) {
      // Each segment's teardown removed that segment's stores, records and blobs.
      expect(demo.output).toMatch(new RegExp(`^runner-${n} \\(segment ${segment}\\): k6 exit code (0|99); teardown: deleted \\d+ stores`, 'm'));
    }
    expect(demo.output).not.toMatch(/cleaning up segment/);
    expect(demo.output).toMatch(/Distributed demo finished in \d+ s \(3 runners/);

    // The report, read from S3: every runner, its rates, and the scaling section for the goal.
    const fromS3 = readSummary(join(dir, 'report'));
    expect(fromS3.inputs.map((i) => i.path)).toEqual([1, 2, 3].map((n) => `s3://k6-results/${runId}/runner-${n}.json.gz`));
    expect(Object.keys(fromS3.instances)).toEqual(['runner-1', 'runner-2', 'runner-3']);
    for (const runner of Object.values(fromS3.instances)) {
      expect(runner.iterations).toBeGreaterThan(20);
      expect(runner.offeredRate).toBeGreaterThan(0);
      expect(runner.requests).toBeGreaterThan(20);
    }
    const runnerRequests = Object.values(fromS3.instances).reduce((sum, r) => sum + r.requests, 0);
    expect(runnerRequests).toBe(fromS3.totals.requests);
    expect(fromS3.scaling!.goalRate).toBe(5000);
    const names = fromS3.scaling!.components.map((c) => c.name);
    expect(names).toContain('pods/HPA');
    expect(names).toContain('k6 runners');
    expect(fromS3.scaling!.components.find((c) => c.name === 'k6 runners')!.recommendation).toMatch(/this run: 3 runners at /);

    // The same files from the server's directory, read from disk: the same figures.
    const out = tempDir();
    const files = [1, 2, 3].map((n) => join(dir, 's3', 'k6-results', runId!, `runner-${n}.json.gz`));
    await cli([...files, '--out-dir', out, '--bucket', '1s', '--format', 'json']);
    const fromDisk = readSummary(out);
    expect(fromS3.totals).toEqual(fromDisk.totals);
    expect(fromS3.operations).toEqual(fromDisk.operations);
    expect(fromS3.instances).toEqual(fromDisk.instances);
    expect(fromS3.histograms).toEqual(fromDisk.histograms);

    // Nothing the demo started is still listening.
    const s3Port = Number(/local S3 server: http:\/\/127\.0\.0\.1:(\d+)/.exec(demo.output)![1]);
    const grpcPort = Number(/local emulator: gRPC 127\.0\.0\.1:(\d+)/.exec(demo.output)![1]);
    expect(await accepts(s3Port)).toBe(false);
    expect(await accepts(grpcPort)).toBe(false);
  });
});
