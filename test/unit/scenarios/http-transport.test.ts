// Every scenario over TRANSPORT=http with the real k6 against the local emulator's
// AWS port API: against a plain emulator each passes every check over REST alone,
// says once what the port lacks and leaves nothing behind (no store, record, blob
// byte or metadata item); atomic probes the target, says the port has no atomic
// routes and runs nothing; under the port's eventual consistency and first-page
// lists each still passes, counting the stale reads it retried, and still leaves
// nothing behind;
// a WAF rate rule is recognised, counted apart from errors and explained once.
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LATENCY_NOT_JUDGED, runK6 } from '../../helpers/k6.js';
import { startEmulatorProcess, type EmulatorProcess } from '../../helpers/emulator-process.js';
import { bundleScenarios, K6_TEST_ARGS, type Bundles } from './bundles.js';
import { count, readSummary, type SummaryFile } from './summary-file.js';
import { fetchMetrics, leftOnEmulator, NOTHING_LEFT, sumWhere } from './emulator-metrics.js';

// Short and low-rate: each run takes a few seconds on a shared two-core machine.
export const HTTP_SCENARIOS: { name: string; env: Record<string, string> }[] = [
  { name: 'smoke', env: {} },
  { name: 'crud', env: { RATE: '4', RAMP: '1s', HOLD: '2s' } },
  { name: 'blobs', env: { RATE: '4', RAMP: '1s', HOLD: '2s', BLOB_SIZES: '1KB,100KB' } },
  { name: 'queries', env: { RATE: '4', RAMP: '1s', HOLD: '2s' } },
  { name: 'cache', env: { RATE: '4', RAMP: '1s', HOLD: '2s' } },
  // Each stage a step: two 1 s steps instead of five ramp-and-hold ones.
  { name: 'capacity', env: { STAGES: '[{"duration":"1s","target":3},{"duration":"1s","target":5}]', BLOB_SIZES: '1KB' } },
];

/** The operations the workload called, by the op tag on the duration metric of a transport (its per-operation sub-metrics). */
export function opsIn(summary: SummaryFile, metric: 'http_req_duration' | 'grpc_req_duration'): string[] {
  return Object.keys(summary.metrics)
    .map((name) => new RegExp(`^${metric}\\{op:(\\w+),scenario:main\\}$`).exec(name)?.[1])
    .filter((op): op is string => op !== undefined && count(summary, `${metric}{op:${op},scenario:main}`) > 0);
}

let bundles: Bundles;

beforeAll(() => {
  bundles = bundleScenarios();
});

describe('each scenario over TRANSPORT=http against a plain emulator', () => {
  let emulator: EmulatorProcess;
  beforeAll(async () => {
    emulator = await startEmulatorProcess();
  });
  afterAll(async () => {
    await emulator?.stop();
  });

  it.each(HTTP_SCENARIOS)('$name passes every check over the REST API alone and leaves nothing behind', async ({ name, env }) => {
    // Arrange: the gRPC address leads nowhere, so a gRPC call could only fail.
    const summaryPath = join(bundles.root, `http-${name}.json`);
    const rpcsBefore = sumWhere(await fetchMetrics(emulator.httpUrl), 'opensaves_rpc_total', {});

    // Act
    const run = await runK6(bundles.path(name), {
      env: { TRANSPORT: 'http', OPEN_SAVES_HTTP_URL: emulator.httpUrl, OPEN_SAVES_ADDR: '127.0.0.1:1', PROFILE: 'smoke', SUMMARY_PATH: summaryPath, ...LATENCY_NOT_JUDGED, ...env },
      args: K6_TEST_ARGS,
      timeoutMs: 90_000,
    });

    // Assert
    expect(run.exitCode, run.stdout + run.stderr).toBe(0);
    const summary = readSummary(summaryPath);
    expect(summary.metrics.checks?.values.fails).toBe(0);
    expect(summary.metrics.checks?.values.passes).toBeGreaterThan(0);
    expect(count(summary, 'opensaves_verify_failures')).toBe(0);
    expect(count(summary, 'opensaves_errors')).toBe(0);
    expect(count(summary, 'opensaves_waf_blocked')).toBe(0);
    expect(count(summary, 'http_reqs')).toBeGreaterThan(0);
    expect(count(summary, 'grpc_req_duration')).toBe(0);
    expect(summary.metrics.http_req_failed?.values.rate).toBe(0);
    // Every request carries the gRPC name of the operation it stands for, and only the port's operations occur.
    expect(opsIn(summary, 'http_req_duration').length).toBeGreaterThan(0);
    expect(opsIn(summary, 'http_req_duration').filter((op) => ['Ping', 'GetRecords', 'AtomicInc', 'UploadChunk'].includes(op))).toEqual([]);
    // What the port lacks is said at most once (not per iteration), and counted where the scenario would call it.
    expect((run.stderr.match(/the AWS port has no /g) ?? []).length).toBeLessThanOrEqual(1);
    expect(sumWhere(await fetchMetrics(emulator.httpUrl), 'opensaves_rpc_total', {})).toBe(rpcsBefore);
    // Blob bytes include the orphans a record delete leaves on the port's S3; metadata items the store_stats its store delete leaves.
    expect(await leftOnEmulator(emulator.httpUrl), run.stdout + run.stderr).toEqual(NOTHING_LEFT);
  });

  it('smoke counts each operation the port lacks as skipped and names it in the summary', async () => {
    // Arrange
    const summaryPath = join(bundles.root, 'http-smoke-skipped.json');

    // Act
    const run = await runK6(bundles.path('smoke'), {
      env: { TRANSPORT: 'http', OPEN_SAVES_HTTP_URL: emulator.httpUrl, SUMMARY_PATH: summaryPath, ...LATENCY_NOT_JUDGED },
      args: K6_TEST_ARGS,
      timeoutMs: 60_000,
    });

    // Assert: one pass skips each lacking RPC once, and the one announcement names them.
    expect(run.exitCode, run.stdout + run.stderr).toBe(0);
    const summary = readSummary(summaryPath);
    for (const op of ['Ping', 'GetRecords', 'CreateChunkedBlob', 'UploadChunk', 'GetBlobChunk', 'AtomicInc', 'CompareAndSwap']) {
      expect(count(summary, `opensaves_skipped_operations{op:${op}}`), op).toBe(1);
    }
    expect(run.stderr.match(/the AWS port has no [^"]*Ping[^"]*AtomicInc/g)).toHaveLength(1);
    expect(run.stdout).toContain('operations the transport lacks, skipped: ');
  });

  it('atomic probes the target, says once that the port has no atomic routes, makes no other call and exits 0', async () => {
    // Arrange
    const summaryPath = join(bundles.root, 'http-atomic.json');
    const rpcsBefore = sumWhere(await fetchMetrics(emulator.httpUrl), 'opensaves_rpc_total', {});

    // Act
    const run = await runK6(bundles.path('atomic'), {
      env: { TRANSPORT: 'http', OPEN_SAVES_HTTP_URL: emulator.httpUrl, OPEN_SAVES_ADDR: '127.0.0.1:1', RAMP: '1s', HOLD: '3s', SUMMARY_PATH: summaryPath },
      args: K6_TEST_ARGS,
      timeoutMs: 60_000,
    });

    // Assert
    expect(run.exitCode, run.stdout + run.stderr).toBe(0);
    expect(run.stderr.match(/the AWS port has no atomic routes/g)).toHaveLength(1);
    const summary = readSummary(summaryPath);
    expect(summary.notes).toEqual(['nothing run: the AWS port has no atomic routes']);
    expect(run.stdout).toContain('RESULT: no thresholds were evaluated');
    expect(count(summary, 'iterations')).toBe(1);
    // The preflight's two requests (GET /health and one store read), as every scenario makes them; no operation's.
    expect(count(summary, 'http_reqs')).toBe(2);
    expect(opsIn(summary, 'http_req_duration')).toEqual([]);
    expect(count(summary, 'grpc_req_duration')).toBe(0);
    expect(count(summary, 'checks')).toBe(0);
    expect(sumWhere(await fetchMetrics(emulator.httpUrl), 'opensaves_rpc_total', {})).toBe(rpcsBefore);
  });
});

describe('each scenario over TRANSPORT=http against eventually consistent reads and first-page lists', () => {
  let emulator: EmulatorProcess;
  beforeAll(async () => {
    // As the port on DynamoDB: reads may see the state of up to 200 ms ago; lists and queries stop after 4 KiB.
    emulator = await startEmulatorProcess(['--read-lag-ms', '200', '--page-bytes', '4096']);
  });
  afterAll(async () => {
    await emulator?.stop();
  });

  // Scenarios that read their own writes right away meet the lag on every run.
  const READ_OWN_WRITES = new Set(['smoke', 'crud', 'blobs', 'cache']);

  it.each(HTTP_SCENARIOS)('$name counts stale reads instead of failing, and checks what a first page holds', async ({ name, env }) => {
    // Arrange
    const summaryPath = join(bundles.root, `lagging-${name}.json`);

    // Act
    const run = await runK6(bundles.path(name), {
      env: { TRANSPORT: 'http', OPEN_SAVES_HTTP_URL: emulator.httpUrl, PROFILE: 'smoke', SUMMARY_PATH: summaryPath, ...LATENCY_NOT_JUDGED, ...env, HOLD: '1s' },
      args: K6_TEST_ARGS,
      timeoutMs: 90_000,
    });

    // Assert
    expect(run.exitCode, run.stdout + run.stderr).toBe(0);
    const summary = readSummary(summaryPath);
    expect(summary.metrics.checks?.values.fails, run.stdout).toBe(0);
    expect(summary.metrics.checks?.values.passes).toBeGreaterThan(0);
    expect(count(summary, 'opensaves_verify_failures')).toBe(0);
    expect(count(summary, 'opensaves_errors')).toBe(0);
    if (READ_OWN_WRITES.has(name)) {
      expect(count(summary, 'opensaves_stale_reads'), 'stale reads').toBeGreaterThan(0);
      expect(run.stdout).toMatch(/stale reads \(an older state, read again within READ_RETRY_BUDGET_MS\): [1-9]/);
    }
    // Teardown finds the run's data by its keys, not by lagged first-page lists, so nothing stays.
    expect(await leftOnEmulator(emulator.httpUrl), run.stdout + run.stderr).toEqual(NOTHING_LEFT);
  });
});

describe("a run against CloudFront's WAF rate rule", () => {
  let emulator: EmulatorProcess;
  beforeAll(async () => {
    // Enough for preflight and setup's stores and seeds (about a dozen requests); the iterations then run into the rule.
    emulator = await startEmulatorProcess(['--waf-limit', '40', '--waf-window-s', '60']);
  });
  afterAll(async () => {
    await emulator?.stop();
  });

  it('counts the blocked requests apart from errors, fails, and explains the block once', async () => {
    // Arrange
    const summaryPath = join(bundles.root, 'http-waf.json');

    // Act
    const run = await runK6(bundles.path('crud'), {
      env: {
        TRANSPORT: 'http',
        OPEN_SAVES_HTTP_URL: emulator.httpUrl,
        RATE: '10',
        RAMP: '1s',
        HOLD: '2s',
        RECORDS_PER_STORE: '1',
        SUMMARY_PATH: summaryPath,
        ...LATENCY_NOT_JUDGED,
      },
      args: K6_TEST_ARGS,
      timeoutMs: 60_000,
    });

    // Assert
    expect(run.exitCode, run.stdout + run.stderr).toBe(99);
    const summary = readSummary(summaryPath);
    const blocked = count(summary, 'opensaves_waf_blocked');
    expect(blocked).toBeGreaterThan(0);
    expect(blocked).toBeLessThanOrEqual(sumWhere(await fetchMetrics(emulator.httpUrl), 'opensaves_waf_blocked_requests_total', {}));
    // Every 403 was the WAF's: none is an API error.
    expect(count(summary, 'opensaves_errors')).toBe(0);
    expect(summary.metrics['opensaves_waf_blocked{scenario:main}']?.thresholds?.['count==0']?.ok).toBe(false);
    const output = run.stdout + run.stderr;
    expect(output.match(/CloudFront's WAF in front of 127\.0\.0\.1:\d+ blocked this runner's address/g)).toHaveLength(1);
    expect(run.stdout).toContain(`${blocked} requests answered 403`);
    expect(run.stdout).toContain('allows 2,000 requests per 5 minutes from one address (about 7/s)');
    expect(run.stdout).toContain('OS_INFRA_LOAD_EGRESS_CIDRS');
    expect(run.stdout).toContain('load balancer behind CloudFront');
    // Teardown stops at its first blocked request (every further one would be blocked and count against the runner),
    // and leaves the rest to dist/cleanup.js.
    // About 3 s of iterations at 10/s is well under 300 blocked requests; a teardown looking up every key made thousands.
    expect(sumWhere(await fetchMetrics(emulator.httpUrl), 'opensaves_waf_blocked_requests_total', {})).toBeLessThan(300);
    expect(output).toMatch(/teardown: .*not looked up \(CloudFront's WAF blocked this runner\): \d+ record keys; remove what is left with: k6 run -e RUN_ID=/);
  });
});
