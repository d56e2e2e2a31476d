// One capacity verdict: a real capacity run over HTTP against the emulator, whose component model (pods-first: one
// pinned pod, 50 requests/s) makes the steps' latencies grow until one breaks, prints the last step that held, and
// the analysis of its output names the same step in summary.json. Short: three steps of a few seconds, no teardown
// (KEEP_DATA: the emulator is the test's own), SLO_P95_MS set so the run's overrides are applied on both sides.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { REPO_ROOT, startEmulatorProcess } from '../../helpers/emulator-process.js';
import { runK6 } from '../../helpers/k6.js';
import { bundleScenarios, K6_TEST_ARGS } from '../scenarios/bundles.js';
import { cli, removeTempDirs, tempDir } from './helpers.js';

afterAll(removeTempDirs);

// Each stage is a step; the last one offers more than twice what the model's pod serves.
const STAGES = [
  { duration: '3s', target: 5 },
  { duration: '3s', target: 15 },
  { duration: '6s', target: 150 },
];

interface CapacitySummary {
  capacity: { lastHeldStep: string | null; firstFailingStep: number | null; steps: { name: string; pass: boolean }[] };
  slo: { source: string };
}

it('prints the same last step that held as the analysis writes to summary.json', async () => {
  const bundles = bundleScenarios();
  const emulator = await startEmulatorProcess(['--model', join(REPO_ROOT, 'test/fixtures/models/pods-first.json')]);
  const dir = tempDir();
  try {
    const run = await runK6(bundles.path('capacity'), {
      env: {
        TRANSPORT: 'http',
        OPEN_SAVES_HTTP_URL: emulator.httpUrl,
        OPEN_SAVES_ADDR: emulator.grpcAddress,
        PROFILE: 'capacity',
        STAGES: JSON.stringify(STAGES),
        SLO_P95_MS: '150',
        BLOB_SIZES: '1KB',
        RECORDS_PER_STORE: '5',
        KEEP_DATA: 'true',
        // Beside the k6 output, where the analysis finds it (and the run's SLO_P95_MS in it).
        SUMMARY_PATH: join(dir, 'summary.json'),
      },
      args: ['--out', `json=${join(dir, 'k6.json')}`, ...K6_TEST_ARGS],
      timeoutMs: 150_000,
    });
    // 99: a step broke its SLO and stopped the run, which is what a capacity run is for.
    expect([0, 99], run.stderr).toContain(run.exitCode);
    const printed = /(last step that held: (\d+) at|no step held the SLO)/.exec(run.stdout);
    expect(printed, run.stdout).not.toBeNull();
    const scenarioHeld = printed![2] ?? null;

    const analysis = await cli([join(dir, 'k6.json'), '--format', 'json', '--out-dir', join(dir, 'report')]);
    expect(analysis.stderr).not.toMatch(/^error/m);
    const summary = JSON.parse(readFileSync(join(dir, 'report', 'summary.json'), 'utf8')) as CapacitySummary;
    expect(summary.slo.source).toMatch(/with the run's SLO_P95_MS=150$/);
    expect(summary.capacity.lastHeldStep).toBe(scenarioHeld);

    // The model cannot serve the last step, so some step broke, and both say which.
    expect(summary.capacity.firstFailingStep).not.toBeNull();
    const broken = summary.capacity.steps[summary.capacity.firstFailingStep!]!.name;
    expect(run.stdout).toMatch(new RegExp(`step ${broken}: target \\d+ it/s, \\d+ iterations: broke the SLO`));
  } finally {
    await emulator.stop();
  }
}, 240_000);
