// Real k6 capacity runs against the emulator with the two fixture models of test/fixtures/models, analysed with
// --server-metrics: the analysis must name the component the model saturates first and size it with the figure the
// model's own parameters give. Short and local: gRPC, a climb to 100 iterations/s in five 3-second steps.
import { afterAll, describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { startEmulatorProcess } from '../../../helpers/emulator-process.js';
import { LATENCY_NOT_JUDGED, runK6 } from '../../../helpers/k6.js';
import { REPO_ROOT } from '../../../helpers/emulator-process.js';
import { cli, removeTempDirs, tempDir } from '../helpers.js';

afterAll(removeTempDirs);

const READ_RATIO = 0.8;
const MIX = 'test/unit/analysis/scaling/records-mix.json';
const GOAL_RATE = 100;

interface ModelRun {
  summary: {
    scaling: { goalRate: number; bottleneck: string | null; components: Array<{ name: string; saturatedAtRate: number | null; recommendation: string; arithmetic: string }> };
  };
  stderr: string;
}

async function capacityRunAgainst(model: string): Promise<ModelRun> {
  const emulator = await startEmulatorProcess(['--model', join(REPO_ROOT, 'test/fixtures/models', model)]);
  const dir = tempDir();
  try {
    const run = await runK6('dist/capacity.js', {
      env: {
        ...LATENCY_NOT_JUDGED,
        OPEN_SAVES_ADDR: emulator.grpcAddress,
        OPEN_SAVES_HTTP_URL: emulator.httpUrl,
        PROFILE: 'capacity',
        RATE: '100',
        RAMP: '1s',
        HOLD: '2s',
        MIX,
        READ_RATIO: String(READ_RATIO),
        RECORDS_PER_STORE: '20',
        SUMMARY_PATH: join(dir, 'k6-summary.json'),
      },
      args: ['--out', `json=${join(dir, 'k6.json')}`],
      timeoutMs: 120_000,
    });
    // 99: a step broke its SLO and stopped the run, which is what a capacity run is for.
    expect([0, 99], run.stderr).toContain(run.exitCode);
    const analysis = await cli([join(dir, 'k6.json'), '--server-metrics', emulator.httpUrl, '--goal-rate', String(GOAL_RATE), '--format', 'json', '--out-dir', join(dir, 'report')]);
    expect(analysis.stderr).not.toMatch(/^(error|warning: --server-metrics)/m);
    return { summary: JSON.parse(readFileSync(join(dir, 'report', 'summary.json'), 'utf8')), stderr: analysis.stderr };
  } finally {
    await emulator.stop();
  }
}

const component = (run: ModelRun, name: string) => run.summary.scaling.components.find((c) => c.name === name)!;
const numberIn = (text: string, pattern: RegExp): number => Number(pattern.exec(text)?.[1]?.replace(/,/g, '') ?? NaN);

describe('dynamodb-writes-first model', () => {
  const model = JSON.parse(readFileSync(join(REPO_ROOT, 'test/fixtures/models/dynamodb-writes-first.json'), 'utf8'));
  let run: ModelRun;

  it('names the records table as the bottleneck', async () => {
    run = await capacityRunAgainst('dynamodb-writes-first.json');
    expect(run.summary.scaling.bottleneck).toBe('DynamoDB open-saves-records');
    expect(component(run, 'DynamoDB open-saves-records').saturatedAtRate).not.toBeNull();
  }, 180_000);

  it('sizes its WCU within 15 % of what the model gives: 3 WCU per write, 20 % writes, at the goal rate', () => {
    const table = component(run, 'DynamoDB open-saves-records');
    // The model: an AtomicInc is one conditional UpdateItem of a small records item, written to the table and its 2 GSIs (1 + 2 WCU).
    const expected = GOAL_RATE * (1 - READ_RATIO) * 3;
    const consumed = numberIn(table.recommendation, /headroom over ([\d,.]+) WCU/);
    expect(Math.abs(consumed - expected) / expected).toBeLessThan(0.15);
    const provisioned = numberIn(table.recommendation, /with ([\d,.]+) WCU \(now (\d+)\)/);
    // The recommendation prints the consumed figure rounded, so its 30 % headroom rounded up may differ by one unit.
    expect(Math.abs(provisioned - Math.ceil(consumed * 1.3 - 1e-9))).toBeLessThanOrEqual(1);
    expect(table.recommendation).toMatch(new RegExp(`WCU \\(now ${model.dynamodb.tables.records.wcu}\\)`));
  });
});

describe('pods-first model', () => {
  const model = JSON.parse(readFileSync(join(REPO_ROOT, 'test/fixtures/models/pods-first.json'), 'utf8'));
  let run: ModelRun;

  it('names pods/HPA as the bottleneck', async () => {
    run = await capacityRunAgainst('pods-first.json');
    expect(run.summary.scaling.bottleneck).toBe('pods/HPA');
  }, 180_000);

  it("sizes the HPA from the model's CPU per request: goal requests × 10 ms / (500m × 70 %)", () => {
    const pods = component(run, 'pods/HPA');
    const cpuMs = numberIn(pods.arithmetic, /cores = ([\d.]+) ms CPU/);
    expect(Math.abs(cpuMs - model.pods.cpuMs.default) / model.pods.cpuMs.default).toBeLessThan(0.15);
    const goalRequests = numberIn(pods.arithmetic, /At the goal: ([\d,.]+) requests\/s/);
    const perPod = (model.pods.cpuRequestMillicores / 1000) * (model.pods.hpa.targetCpuPercent / 100);
    const exact = (goalRequests * model.pods.cpuMs.default) / 1000 / perPod;
    const replicas = numberIn(pods.recommendation, /from \d+ to (\d+) pods/);
    expect(pods.recommendation).toMatch(new RegExp(`^Raise the HPA maximum from ${model.pods.max} to \\d+ pods`));
    // Within what 15 % on the measured CPU per request allows.
    expect(replicas).toBeGreaterThanOrEqual(Math.ceil(exact * 0.85));
    expect(replicas).toBeLessThanOrEqual(Math.ceil(exact * 1.15));
  });
});
