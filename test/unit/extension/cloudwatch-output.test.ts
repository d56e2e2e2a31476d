// End to end: bin/k6 built with xk6-output-cloudwatch runs a small gRPC
// scenario against the local emulator with `--out cloudwatch`, and what the
// output sends (EMF over TCP, or PutMetricData in Smithy RPC v2 CBOR) must
// carry the same per-operation request counts as k6's own summary (the smoke
// scenario's: as its JSON output, whose calls of setup and teardown the output sends too).
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LATENCY_NOT_JUDGED, runK6 } from '../../helpers/k6.js';
import { REPO_ROOT, startEmulatorProcess, type EmulatorProcess } from '../../helpers/emulator-process.js';
import { countByOp, dataFromEMF, dataFromPutMetricData, type SentDatum } from './received-counts.js';
import { startEMFListener, startFakeCloudWatch } from './metric-receivers.js';

// The fixture runs each operation a different number of times over several
// flush periods; the smoke scenario (bundled by `make bundle`) is the kit's
// own one pass over all 27 RPCs.
const SCRIPTS = {
  fixture: { path: 'test/fixtures/extension/grpc-ops.js', addressVariable: 'EMULATOR_GRPC' },
  smoke: { path: 'dist/smoke.js', addressVariable: 'OPEN_SAVES_ADDR' },
} as const;
const OPERATIONS = ['Ping', 'CreateStore', 'CreateRecord', 'GetRecord', 'DeleteRecord'];
const RUN_TIMEOUT_MS = 90_000;
// Static credentials for the local endpoint only, and no instance metadata
// lookups: the SDK must never reach beyond 127.0.0.1.
const LOCAL_AWS_ENV = {
  AWS_ACCESS_KEY_ID: 'AKIDLOCALTEST',
  AWS_SECRET_ACCESS_KEY: 'local-test-secret',
  AWS_EC2_METADATA_DISABLED: 'true',
  AWS_CONFIG_FILE: '/dev/null',
  AWS_SHARED_CREDENTIALS_FILE: '/dev/null',
};

interface K6Summary {
  metrics: Record<string, { values: Record<string, number> } | undefined>;
}

async function readSummary(summaryPath: string): Promise<K6Summary> {
  return JSON.parse(await readFile(summaryPath, 'utf8')) as K6Summary;
}

let emulator: EmulatorProcess;
let workDir: string;

beforeAll(async () => {
  emulator = await startEmulatorProcess();
  workDir = await mkdtemp(join(tmpdir(), 'cloudwatch-output-'));
});

afterAll(async () => {
  await emulator?.stop();
  if (workDir) await rm(workDir, { recursive: true, force: true });
});

async function runScript(script: keyof typeof SCRIPTS, name: string, args: string[], processEnv: Record<string, string> = {}) {
  const { path, addressVariable } = SCRIPTS[script];
  if (!existsSync(join(REPO_ROOT, path))) throw new Error(`${path} is missing; run \`make bundle\` first`);
  const summaryPath = join(workDir, `${name}-summary.json`);
  const run = await runK6(path, {
    env: { [addressVariable]: emulator.grpcAddress, SUMMARY_PATH: summaryPath, ...LATENCY_NOT_JUDGED },
    args,
    processEnv,
    timeoutMs: RUN_TIMEOUT_MS,
  });
  return { run, summaryPath };
}

async function summaryCountsByOp(summaryPath: string): Promise<Map<string, number>> {
  const summary = await readSummary(summaryPath);
  return new Map(OPERATIONS.map((op) => [op, summary.metrics[`opensaves_requests{op:${op}}`]?.values.count ?? 0]));
}

/**
 * k6's own calls of the smoke scenario per operation, from its JSON output: setup's and teardown's included, as the
 * output sends them (the scenario's summary counts its iterations' calls alone).
 */
async function smokeCountsByOp(outputPath: string): Promise<Map<string, number>> {
  const counts = new Map<string, number>();
  for (const line of (await readFile(outputPath, 'utf8')).split('\n')) {
    if (!line.includes('"type":"Point"') || !line.includes('"metric":"grpc_req_duration"')) continue;
    const op = (JSON.parse(line) as { data: { tags?: Record<string, string> } }).data.tags?.op;
    if (op) counts.set(op, (counts.get(op) ?? 0) + 1);
  }
  return counts;
}

function expectSameCountsAsSummary(data: SentDatum[], expected: Map<string, number>): void {
  const sent = countByOp(data);
  // every operation ran, so a mapping that drops or merges ops cannot pass
  for (const count of expected.values()) expect(count).toBeGreaterThan(0);
  expect(sent.get('Requests')).toEqual(expected);
  expect(sent.get('GrpcRequestDuration')).toEqual(expected);
  for (const datum of data) {
    expect(datum.namespace).toBe('OpenSaves/LoadTest');
    expect(Object.keys(datum.dimensions)).not.toContain('vu');
    expect(Object.keys(datum.dimensions)).not.toContain('iter');
  }
}

describe('k6 --out cloudwatch', () => {
  it('sends EMF documents whose per-operation counts equal the summary', async () => {
    const listener = await startEMFListener();
    try {
      const { run, summaryPath } = await runScript('fixture', 'emf', ['--out', `cloudwatch=emfAddress=${listener.address},pushInterval=1s`]);

      expect(run.exitCode, run.stderr).toBe(0);
      expectSameCountsAsSummary(dataFromEMF(listener.received()), await summaryCountsByOp(summaryPath));
    } finally {
      await listener.close();
    }
  });

  it('sends PutMetricData requests whose per-operation counts equal the summary', async () => {
    const cloudwatch = await startFakeCloudWatch();
    try {
      // All three configuration layers: the JSON config file, the environment and the --out argument.
      const configPath = join(workDir, 'k6-config.json');
      await writeFile(configPath, JSON.stringify({ collectors: { cloudwatch: { sink: 'api', pushInterval: '1s', region: 'eu-west-1' } } }));
      const { run, summaryPath } = await runScript(
        'fixture',
        'api',
        ['--config', configPath, '--out', 'cloudwatch=region=us-east-1,storageResolution=1'],
        { ...LOCAL_AWS_ENV, K6_CLOUDWATCH_ENDPOINT: cloudwatch.address },
      );

      expect(run.exitCode, run.stderr).toBe(0);
      expect(cloudwatch.problems()).toEqual([]);
      const data = dataFromPutMetricData(cloudwatch.received());
      expectSameCountsAsSummary(data, await summaryCountsByOp(summaryPath));
      // the --out argument won over the JSON config (region) and the default (resolution)
      expect(cloudwatch.regions()).toEqual(['us-east-1']);
      expect(new Set(data.map((datum) => datum.storageResolution))).toEqual(new Set([1]));
    } finally {
      await cloudwatch.close();
    }
  });

  it('refuses an invalid setting before any load, naming the setting', async () => {
    const { run } = await runScript('fixture', 'invalid', ['--out', 'cloudwatch'], { K6_CLOUDWATCH_PUSH_INTERVAL: '250ms' });

    expect(run.exitCode).not.toBe(0);
    expect(run.stderr).toContain('invalid K6_CLOUDWATCH_PUSH_INTERVAL; reason: expected a duration of at least 1s, such as 10s, got `250ms`');
    expect(run.stderr).not.toMatch(/goroutine \d+ \[|panic:/);
  });

  it('reports how many samples were lost when the agent is unreachable', async () => {
    const listener = await startEMFListener();
    const closedAddress = listener.address;
    await listener.close();

    const { run } = await runScript('fixture', 'lost', ['--out', `cloudwatch=emfAddress=${closedAddress},pushInterval=1s`]);

    expect(run.stderr).toMatch(/cloudwatch output: \d+ of \d+ samples were lost \(\d+ not delivered by the emf sink/);
    expect(run.stderr).toContain(`connecting to EMF agent at ${closedAddress}`);
  });
});

describe('k6 --out cloudwatch on the smoke scenario', () => {
  it('sends, for each of the 27 RPCs, as many requests as the summary counts (EMF)', async () => {
    const listener = await startEMFListener();
    try {
      const outputPath = join(workDir, 'smoke-emf.json');
      const { run } = await runScript('smoke', 'smoke-emf', ['--out', `cloudwatch=emfAddress=${listener.address}`, '--out', `json=${outputPath}`]);

      expect(run.exitCode, run.stderr).toBe(0);
      const expected = await smokeCountsByOp(outputPath);
      expect(expected.size).toBe(27);
      expect(countByOp(dataFromEMF(listener.received())).get('Requests')).toEqual(expected);
    } finally {
      await listener.close();
    }
  });

  it('sends, for each of the 27 RPCs, as many requests as the summary counts (PutMetricData)', async () => {
    const cloudwatch = await startFakeCloudWatch();
    try {
      const outputPath = join(workDir, 'smoke-api.json');
      const { run } = await runScript(
        'smoke',
        'smoke-api',
        ['--out', `cloudwatch=sink=api,region=us-east-1,endpoint=${cloudwatch.address}`, '--out', `json=${outputPath}`],
        LOCAL_AWS_ENV,
      );

      expect(run.exitCode, run.stderr).toBe(0);
      expect(cloudwatch.problems()).toEqual([]);
      const expected = await smokeCountsByOp(outputPath);
      expect(expected.size).toBe(27);
      expect(countByOp(dataFromPutMetricData(cloudwatch.received())).get('Requests')).toEqual(expected);
    } finally {
      await cloudwatch.close();
    }
  });
});
