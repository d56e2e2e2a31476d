// dist/cleanup.js removes what a run left behind, from RUN_ID alone: a run
// killed mid-run (SIGKILL, so no teardown) over gRPC and over HTTP, found by the
// keys its VUs marked, or with the markers gone by the full probe; a run kept
// with KEEP_DATA=true (by the very command it printed); it exits 0 only when
// nothing of the run is left, and 99 when something is; run twice over gRPC it finds
// nothing the second time. Also: a clean HTTP run leaves no blob bytes behind,
// orphaned ones included, nor metadata items, and a teardown over HTTP against
// lagging reads and first-page lists leaves nothing and counts each record once.
import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { K6_BINARY, LATENCY_NOT_JUDGED, runK6, type K6Run } from '../../helpers/k6.js';
import { REPO_ROOT, startEmulatorProcess, type EmulatorProcess } from '../../helpers/emulator-process.js';
import { bundleScenarios, K6_TEST_ARGS, type Bundles } from './bundles.js';
import { fetchMetrics, leftOnEmulator, NOTHING_LEFT, sumWhere, type LeftOnEmulator } from './emulator-metrics.js';
import { count, readSummary } from './summary-file.js';

let bundles: Bundles;
let emulator: EmulatorProcess | undefined;

beforeAll(() => {
  bundles = bundleScenarios();
});

afterEach(async () => {
  await emulator?.stop();
  emulator = undefined;
});

// A small, write-heavy run: records of its own with blobs come up within seconds.
const RUN_ENV = { RATE: '20', RAMP: '1s', HOLD: '60s', READ_RATIO: '0.2', RECORDS_PER_STORE: '5', BLOB_SIZES: '1KB,100KB', ...LATENCY_NOT_JUDGED };
const WAIT_FOR_DATA_MS = 40_000;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

type Left = LeftOnEmulator;

function whatIsLeft(target: EmulatorProcess): Promise<Left> {
  return leftOnEmulator(target.httpUrl);
}

const CREATED_RECORDS = { route: 'POST /api/stores/{store_id}/records', status: '201' };

/** HTTP requests the emulator answered, and the stores, records and blob uploads it made. */
async function httpCounts(target: EmulatorProcess): Promise<{ requests: number; created: number }> {
  const metrics = await fetchMetrics(target.httpUrl);
  const created =
    sumWhere(metrics, 'opensaves_http_requests_total', { route: 'POST /api/stores', status: '201' }) +
    sumWhere(metrics, 'opensaves_http_requests_total', CREATED_RECORDS) +
    sumWhere(metrics, 'opensaves_http_requests_total', { route: 'PUT /api/stores/{store_id}/records/{record_id}/blobs/{blob_key}', status: '200' });
  return { requests: sumWhere(metrics, 'opensaves_http_requests_total', {}), created };
}

/** Starts the mixed scenario in the background. */
function startRun(env: Record<string, string>, args: string[] = []): { kill: () => Promise<unknown>; running: () => boolean } {
  const envArgs = Object.entries({ ...RUN_ENV, ...env }).flatMap(([name, value]) => ['-e', `${name}=${value}`]);
  const child = spawn(K6_BINARY, ['run', '--quiet', '--no-color', ...envArgs, ...K6_TEST_ARGS, ...args, bundles.path('mixed')], {
    cwd: REPO_ROOT,
    stdio: 'ignore',
    env: { ...process.env, K6_NO_USAGE_REPORT: 'true' },
  });
  const exited = new Promise((resolve) => child.once('exit', resolve));
  return {
    running: () => child.exitCode === null,
    kill: () => {
      child.kill('SIGKILL');
      return exited;
    },
  };
}

/** Waits (bounded) until the target holds what `enough` asks for. */
async function waitFor(target: EmulatorProcess, enough: (left: Left) => boolean, running: () => boolean): Promise<Left> {
  const deadline = Date.now() + WAIT_FOR_DATA_MS;
  for (;;) {
    const left = await whatIsLeft(target);
    if (enough(left)) return left;
    if (Date.now() > deadline || !running()) throw new Error(`the run made too little to test with: ${JSON.stringify(left)}`);
    await sleep(250);
  }
}

// Setup makes 5 seeds per store, a blob record per size class (101 KiB) and counters; more than that is the VUs'.
const SETUP_BLOB_BYTES = 103_424;

/** Starts the mixed scenario and kills k6 with SIGKILL once the run has records of its own with blobs. */
async function killMidRun(target: EmulatorProcess, env: Record<string, string>): Promise<Left> {
  const run = startRun(env);
  try {
    return await waitFor(target, (left) => left.records >= 30 && left.blobBytes > 4 * SETUP_BLOB_BYTES, run.running);
  } finally {
    await run.kill();
  }
}

function cleanup(env: Record<string, string>, args: string[] = []): Promise<K6Run> {
  return runK6(bundles.path('cleanup'), { env, args: [...K6_TEST_ARGS, ...args], timeoutMs: 120_000 });
}

function expectNothingLeftReported(run: K6Run, runId: string): void {
  const output = run.stdout + run.stderr;
  expect(run.exitCode, output).toBe(0);
  expect(run.stdout).toContain(`RESULT: nothing of run ${runId} is left`);
  expect(output).not.toMatch(/Uncaught|\bat \S+ \(file:/);
}

describe('dist/cleanup.js after a run killed with SIGKILL', () => {
  it('removes every store, record and blob of the run over gRPC', async () => {
    emulator = await startEmulatorProcess();
    const before = await killMidRun(emulator, { OPEN_SAVES_ADDR: emulator.grpcAddress, RUN_ID: 'killed-grpc' });
    expect(before.stores).toBe(3);

    const run = await cleanup({ OPEN_SAVES_ADDR: emulator.grpcAddress, RUN_ID: 'killed-grpc' });

    expectNothingLeftReported(run, 'killed-grpc');
    expect(run.stdout).toMatch(/deleted 3 stores, \d+ records, \d+ blobs/);
    expect(run.stderr).toContain('as its manifest records');
    expect(await whatIsLeft(emulator)).toMatchObject({ stores: 0, records: 0, blobBytes: 0 });
    // Looked up, not listed: no QueryRecords call found the run's own records.
    const metrics = await fetchMetrics(emulator.httpUrl);
    expect(sumWhere(metrics, 'opensaves_rpc_total', { method: 'GetRecords' })).toBeGreaterThan(0);
  });

  it('removes every store, record, blob and metadata item of the run over HTTP, looking up only what the markers name', async () => {
    emulator = await startEmulatorProcess();
    const env = { TRANSPORT: 'http', OPEN_SAVES_HTTP_URL: emulator.httpUrl, RUN_ID: 'killed-http' };
    const before = await killMidRun(emulator, env);
    expect(before.stores).toBe(3);
    const made = await httpCounts(emulator);

    const run = await cleanup(env);

    expectNothingLeftReported(run, 'killed-http');
    expect(run.stdout).toMatch(/deleted 3 stores, \d+ records, \d+ blobs/);
    expect(run.stderr).toMatch(/as its manifest records: looking up the \d+ record and \d+ store keys the markers of [1-9]\d* VUs name/);
    expect(await whatIsLeft(emulator)).toEqual(NOTHING_LEFT);
    // In proportion to what the run made: at most two requests per store, record and blob, and a few per store.
    const requests = (await httpCounts(emulator)).requests - made.requests;
    expect(requests, run.stderr).toBeLessThanOrEqual(2 * made.created + 50);
  });

  it('still removes everything with the markers gone, by the full probe, and says so', async () => {
    emulator = await startEmulatorProcess();
    const env = { TRANSPORT: 'http', OPEN_SAVES_HTTP_URL: emulator.httpUrl, RUN_ID: 'unmarked' };
    await killMidRun(emulator, env);
    // The manifest store goes, and the port's store delete takes the markers in it along.
    const removed = await fetch(`${emulator.httpUrl}/api/stores/unmarked-all-manifest`, { method: 'DELETE' });
    expect(removed.status).toBe(204);

    const run = await cleanup(env);

    expectNothingLeftReported(run, 'unmarked');
    expect(run.stderr).toMatch(/no manifest store unmarked-all-manifest, so no markers of the keys the VUs wrote either: the full probe, looking up \d+ record and \d+ store keys, every key 10 VUs can make/);
    expect(run.stdout).toMatch(/deleted 2 stores, \d+ records, \d+ blobs/);
    expect(await whatIsLeft(emulator)).toEqual(NOTHING_LEFT);
  });

  it('finds nothing the second time, and still exits 0', async () => {
    emulator = await startEmulatorProcess();
    const env = { TRANSPORT: 'http', OPEN_SAVES_HTTP_URL: emulator.httpUrl, RUN_ID: 'twice' };
    await killMidRun(emulator, env);
    expectNothingLeftReported(await cleanup(env), 'twice');

    const again = await cleanup(env);

    expectNothingLeftReported(again, 'twice');
    expect(again.stdout).toMatch(/: deleted nothing; not found \(already gone or never made\): \d+ stores, \d+ records\n/);
    // The manifest went last; without it the keys come from this command's variables (the run's defaults here).
    expect(again.stderr).toContain('no manifest store twice-all-manifest');
  });
});

describe('dist/cleanup.js run twice over gRPC, whose GetStore answers from a cache DeleteStore does not clear', () => {
  it('counts no store deleted the second time and reads no stale manifest', async () => {
    emulator = await startEmulatorProcess();
    const env = { OPEN_SAVES_ADDR: emulator.grpcAddress, RUN_ID: 'twice-grpc' };
    await killMidRun(emulator, env);
    const first = await cleanup(env);
    expectNothingLeftReported(first, 'twice-grpc');
    expect(first.stdout).toMatch(/deleted 3 stores, \d+ records/);

    const again = await cleanup(env);

    expectNothingLeftReported(again, 'twice-grpc');
    expect(again.stdout).toMatch(/: deleted nothing; not found \(already gone or never made\): \d+ stores, \d+ records\n/);
    expect(again.stderr).toContain('no manifest store twice-grpc-all-manifest');
  });
});

describe('dist/cleanup.js after a run split over two k6 instances', () => {
  it("removes one segment's data with that segment's flags, and leaves the other's", async () => {
    emulator = await startEmulatorProcess();
    const env = { OPEN_SAVES_ADDR: emulator.grpcAddress, RUN_ID: 'split' };
    const segments = ['0:1/2', '1/2:1'].map((segment) => ['--execution-segment', segment, '--execution-segment-sequence', '0,1/2,1']);
    const runs = segments.map((args) => startRun(env, args));
    try {
      await waitFor(emulator, (left) => left.stores === 6 && left.records >= 50 && left.blobBytes > 8 * SETUP_BLOB_BYTES, () => runs.every((run) => run.running()));
    } finally {
      await Promise.all(runs.map((run) => run.kill()));
    }

    const first = await cleanup(env, segments[0]);
    expectNothingLeftReported(first, 'split');
    expect((await whatIsLeft(emulator)).stores).toBe(3);

    const second = await cleanup(env, segments[1]);
    expectNothingLeftReported(second, 'split');
    expect(await whatIsLeft(emulator)).toMatchObject({ stores: 0, records: 0, blobBytes: 0 });
  });
});

describe('dist/cleanup.js when the target cannot delete', () => {
  it('exits 99 and says what is left', async () => {
    emulator = await startEmulatorProcess(['--error-rate', 'DeleteRecord=1']);
    await killMidRun(emulator, { OPEN_SAVES_ADDR: emulator.grpcAddress, RUN_ID: 'stuck' });

    const run = await cleanup({ OPEN_SAVES_ADDR: emulator.grpcAddress, RUN_ID: 'stuck' });

    expect(run.exitCode, run.stdout + run.stderr).toBe(99);
    expect(run.stdout).toMatch(/RESULT: \d+ item\(s\) of run stuck are left/);
    expect(run.stderr).toMatch(/cleanup: record stuck-all-\S+ is left: UNAVAILABLE/);
    // The manifest stays while anything of the run does, so the next cleanup still knows the run.
    expect((await whatIsLeft(emulator)).stores).toBeGreaterThan(0);
  });

  it('stops with one line when RUN_ID is missing', async () => {
    emulator = await startEmulatorProcess();
    const run = await cleanup({ OPEN_SAVES_ADDR: emulator.grpcAddress });
    expect(run.exitCode, run.stdout + run.stderr).toBe(108);
    expect(run.stderr).toContain('test aborted: invalid RUN_ID; reason: expected the id of the run whose data to remove');
  });
});

describe('a teardown that cannot delete everything', () => {
  it('says what it left and prints the cleanup command', async () => {
    emulator = await startEmulatorProcess(['--error-rate', 'DeleteStore=1']);
    const mix = join(bundles.root, 'ping-only.json');
    writeFileSync(mix, JSON.stringify({ read: { Ping: 1 }, write: { Ping: 1 } }));

    const run = await runK6(bundles.path('mixed'), {
      env: { ...RUN_ENV, HOLD: '1s', MIX: mix, OPEN_SAVES_ADDR: emulator.grpcAddress, RUN_ID: 'undeletable', SUMMARY_PATH: join(bundles.root, 'undeletable.json') },
      args: K6_TEST_ARGS,
      timeoutMs: 120_000,
    });

    expect(run.stderr).toContain(
      `teardown: deleted nothing; left: 2 stores; remove what is left with: k6 run -e RUN_ID=undeletable -e OPEN_SAVES_ADDR=${emulator.grpcAddress} dist/cleanup.js`,
    );
    expect(run.stderr).toMatch(/cleanup: store undeletable-all-saves is left: UNAVAILABLE/);
    expect((await whatIsLeft(emulator)).stores).toBe(3);
  });
});

describe('a run with KEEP_DATA=true', () => {
  it('prints the cleanup command, which removes the data it kept', async () => {
    emulator = await startEmulatorProcess();
    const kept = await runK6(bundles.path('mixed'), {
      env: { ...RUN_ENV, HOLD: '2s', TRANSPORT: 'http', OPEN_SAVES_HTTP_URL: emulator.httpUrl, RUN_ID: 'kept', KEEP_DATA: 'true', SUMMARY_PATH: join(bundles.root, 'kept.json') },
      args: K6_TEST_ARGS,
      timeoutMs: 120_000,
    });
    expect(kept.exitCode, kept.stdout + kept.stderr).toBe(0);
    const command = /remove it with: (k6 run .* dist\/cleanup\.js)/.exec(kept.stderr)?.[1];
    expect(command).toBe(`k6 run -e RUN_ID=kept -e TRANSPORT=http -e OPEN_SAVES_HTTP_URL=${emulator.httpUrl} dist/cleanup.js`);
    expect((await whatIsLeft(emulator)).records).toBeGreaterThan(0);

    // The printed command, as a user would paste it: its -e pairs, against this checkout's bundle.
    const env = Object.fromEntries([...(command ?? '').matchAll(/-e (\w+)=(\S+)/g)].map((match) => [match[1] as string, match[2] as string]));
    const run = await cleanup(env);

    expectNothingLeftReported(run, 'kept');
    expect(await whatIsLeft(emulator)).toEqual(NOTHING_LEFT);
  });
});

describe('a clean run over HTTP with KEEP_DATA=false', () => {
  it('leaves no store, record or blob byte, orphaned ones included', async () => {
    // Arrange: writes only, most of them blobs on the VU's own records and deletes of those records.
    emulator = await startEmulatorProcess();
    const mix = join(bundles.root, 'blob-deletes.json');
    writeFileSync(mix, JSON.stringify({ read: { GetRecord: 1 }, write: { CreateRecord: 1, CreateBlob: 3, DeleteRecord: 2 } }));

    // Act
    const run = await runK6(bundles.path('mixed'), {
      env: { ...RUN_ENV, HOLD: '4s', READ_RATIO: '0', MIX: mix, TRANSPORT: 'http', OPEN_SAVES_HTTP_URL: emulator.httpUrl, RUN_ID: 'clean-http', SUMMARY_PATH: join(bundles.root, 'clean.json') },
      args: K6_TEST_ARGS,
      timeoutMs: 120_000,
    });

    // Assert
    expect(run.exitCode, run.stdout + run.stderr).toBe(0);
    expect(count(readSummary(join(bundles.root, 'clean.json')), 'http_req_duration{op:DeleteRecord,scenario:main}')).toBeGreaterThan(5);
    expect(run.stderr).toMatch(/teardown: deleted 3 stores, \d+ records, \d+ blobs/);
    expect(await whatIsLeft(emulator)).toEqual(NOTHING_LEFT);
  });
});

describe('a teardown over HTTP against lagging reads and first-page lists', () => {
  it('finds every record by its key: nothing is left, and no record is counted twice', async () => {
    // Arrange: 30 seeds in each of the 2 stores are several 4 KiB pages, and a read may see the state of 200 ms ago.
    emulator = await startEmulatorProcess(['--read-lag-ms', '200', '--page-bytes', '4096']);
    const summaryPath = join(bundles.root, 'lagging-teardown.json');

    // Act
    const run = await runK6(bundles.path('mixed'), {
      env: { ...RUN_ENV, HOLD: '2s', RECORDS_PER_STORE: '30', TRANSPORT: 'http', OPEN_SAVES_HTTP_URL: emulator.httpUrl, RUN_ID: 'lagging', SUMMARY_PATH: summaryPath },
      args: K6_TEST_ARGS,
      timeoutMs: 120_000,
    });

    // Assert
    const output = run.stdout + run.stderr;
    expect(run.exitCode, output).toBe(0);
    expect(await whatIsLeft(emulator)).toEqual(NOTHING_LEFT);
    // 3 stores: the 2 templates' and the manifest.
    const deleted = Number(/teardown: deleted 3 stores, (\d+) records/.exec(run.stderr)?.[1]);
    // At least setup's seeds; at most every record the run created (a list re-read under lag counted deleted ones again).
    expect(deleted, output).toBeGreaterThanOrEqual(60);
    expect(deleted, output).toBeLessThanOrEqual(sumWhere(await fetchMetrics(emulator.httpUrl), 'opensaves_http_requests_total', CREATED_RECORDS));
  });
});
