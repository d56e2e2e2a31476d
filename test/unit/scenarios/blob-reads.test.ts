// The mix's blob reads through real k6 against the emulator's blob faults: one read in
// VERIFY_EVERY compares every byte, the others ask k6 not to hand the bytes over and check
// what is left (status, and that the blob arrived whole: gRPC's message count, HTTP's
// Content-Length). A truncated download fails either kind; a corrupted one fails the
// compared reads, and with VERIFY_EVERY=1 the run.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { LATENCY_NOT_JUDGED, runK6, type K6Run } from '../../helpers/k6.js';
import { startEmulatorProcess } from '../../helpers/emulator-process.js';
import { bundleScenarios, K6_TEST_ARGS, type Bundles } from './bundles.js';
import { count, readSummary, type SummaryFile } from './summary-file.js';

const UNCOMPARED_BLOB = 'the GetBlob call ends with an expected status and a blob read without its bytes compared arrives whole';
const UNCOMPARED_CHUNK = 'the GetBlobChunk call ends with an expected status and a chunk read without its bytes compared arrives whole';
const COMPARED_BLOB = 'a downloaded blob has exactly the bytes uploaded';
const COMPARED_CHUNK = 'a chunk has exactly the bytes uploaded';

let bundles: Bundles;

beforeAll(() => {
  bundles = bundleScenarios();
});

interface BlobRun {
  run: K6Run;
  summary: SummaryFile;
  /** passes and fails of each check name, summed over groups */
  checks: (name: string) => { passes: number; fails: number };
}

/** A run of dist/mixed.js whose mix is GetBlob and (over gRPC) GetBlobChunk only, against an emulator with `faults`. */
async function blobRun(faults: string[], env: Record<string, string>): Promise<BlobRun> {
  const emulator = await startEmulatorProcess(faults);
  const dir = mkdtempSync(join(tmpdir(), 'opensaves-blob-reads-'));
  const weights = env.TRANSPORT === 'http' ? { GetBlob: 1 } : { GetBlob: 3, GetBlobChunk: 1 };
  writeFileSync(join(dir, 'mix.json'), JSON.stringify({ read: weights, write: weights }));
  try {
    const run = await runK6(bundles.path('mixed'), {
      env: {
        OPEN_SAVES_ADDR: emulator.grpcAddress,
        OPEN_SAVES_HTTP_URL: emulator.httpUrl,
        PROFILE: 'load',
        RATE: '20',
        RAMP: '1s',
        HOLD: '3s',
        // 2MB streams as metadata and two content pieces: a dropped piece of a multi-piece blob is seen too.
        BLOB_SIZES: '1KB,100KB,2MB',
        MIX: join(dir, 'mix.json'),
        SUMMARY_PATH: join(dir, 'summary.json'),
        ...LATENCY_NOT_JUDGED,
        ...env,
      },
      args: K6_TEST_ARGS,
      timeoutMs: 120_000,
    });
    const summary = readSummary(join(dir, 'summary.json'));
    const checks = (name: string) => {
      const escaped = name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
      let passes = 0;
      let fails = 0;
      for (const match of run.stdout.matchAll(new RegExp(`[✓✗] ${escaped} \\((\\d+)/(\\d+)\\)`, 'g'))) {
        passes += Number(match[1]);
        fails += Number(match[2]) - Number(match[1]);
      }
      return { passes, fails };
    };
    return { run, summary, checks };
  } finally {
    await emulator.stop();
  }
}

const calls = (outcome: { passes: number; fails: number }) => outcome.passes + outcome.fails;

describe('blob reads of the mix over gRPC', () => {
  it('compare one read in VERIFY_EVERY byte for byte and check the others without their bytes', async () => {
    const verifyEvery = 4;
    const { run, summary, checks } = await blobRun([], { VERIFY_EVERY: String(verifyEvery) });

    expect(run.exitCode, run.stdout + run.stderr).toBe(0);
    const vus = summary.metrics['vus_max']?.values.max ?? 0;
    for (const [op, uncomparedName, comparedName, comparedStatus] of [
      ['GetBlob', UNCOMPARED_BLOB, COMPARED_BLOB, 'the GetBlob call ends with an expected status'],
      ['GetBlobChunk', UNCOMPARED_CHUNK, COMPARED_CHUNK, 'the GetBlobChunk call ends with an expected status'],
    ] as const) {
      const compared = calls(checks(comparedName));
      const uncompared = checks(uncomparedName);
      const total = compared + calls(uncompared);
      expect(total, `${op} reads`).toBeGreaterThan(8);
      // A compared read records its status check apart; an uncompared one carries it in its one check.
      expect(calls(checks(comparedStatus)), `${op}: one status check per compared read`).toBe(compared);
      expect(uncompared.fails, `${op} uncompared reads failed`).toBe(0);
      // Each VU compares its first read, then one in VERIFY_EVERY.
      expect(compared, `${op} compared`).toBeGreaterThanOrEqual(Math.floor(total / verifyEvery));
      expect(compared, `${op} compared`).toBeLessThanOrEqual(Math.ceil(total / verifyEvery) + vus);
    }
    expect(count(summary, 'opensaves_verify_failures')).toBe(0);
  });

  it('fail every read of a truncated blob, the uncompared ones by their message count, and the run', async () => {
    // Arrange: the last content message of every download left out, the status still OK.
    const { run, summary, checks } = await blobRun(['--truncate-blobs', 'GetBlob=1,GetBlobChunk=1'], { VERIFY_EVERY: '1000' });

    // Assert: the folded checks fail the status-check thresholds (k6 exits 99).
    expect(run.exitCode, run.stdout + run.stderr).toBe(99);
    const blobs = checks(UNCOMPARED_BLOB);
    const chunks = checks(UNCOMPARED_CHUNK);
    expect(blobs.fails, 'uncompared GetBlob reads').toBeGreaterThan(10);
    expect(blobs.passes).toBe(0);
    expect(chunks.fails, 'uncompared GetBlobChunk reads').toBeGreaterThan(0);
    expect(chunks.passes).toBe(0);
    expect(checks(COMPARED_BLOB).passes).toBe(0);
    const comparedFails = checks(COMPARED_BLOB).fails + checks(COMPARED_CHUNK).fails;
    expect(count(summary, 'opensaves_verify_failures')).toBe(blobs.fails + chunks.fails + comparedFails);
    expect(run.stderr + run.stdout).toMatch(/a blob read without its bytes compared arrives whole: no; .* expected, got \d+ messages/);
  });

  it('fail a run with VERIFY_EVERY=1 on a blob whose bytes are corrupted: every read compares them', async () => {
    // Arrange: one byte of every download changed, same length, same metadata, status OK.
    const { run, summary, checks } = await blobRun(['--corrupt-blobs', 'GetBlob=1,GetBlobChunk=1'], {
      PROFILE: 'smoke',
      VERIFY_EVERY: '1',
    });

    // Assert: the verification check fails and the run with it (smoke: checks rate==1, opensaves_verify_failures count==0).
    expect(run.exitCode, run.stdout + run.stderr).toBe(99);
    const compared = checks(COMPARED_BLOB);
    expect(compared.fails, 'compared GetBlob reads').toBeGreaterThan(5);
    expect(compared.fails, 'every GetBlob read compared').toBe(calls(checks('the GetBlob call ends with an expected status')));
    expect(compared.passes).toBe(0);
    expect(checks(COMPARED_CHUNK).fails, 'every GetBlobChunk read compared').toBe(calls(checks('the GetBlobChunk call ends with an expected status')));
    expect(checks(COMPARED_CHUNK).passes).toBe(0);
    expect(calls(checks(UNCOMPARED_BLOB)) + calls(checks(UNCOMPARED_CHUNK)), 'no read left uncompared').toBe(0);
    expect(count(summary, 'opensaves_verify_failures')).toBe(compared.fails + checks(COMPARED_CHUNK).fails);
  });
});

describe('blob reads of the mix over HTTP', () => {
  it('check the uncompared reads by their Content-Length: whole blobs pass', async () => {
    const { run, summary, checks } = await blobRun([], { TRANSPORT: 'http', VERIFY_EVERY: '4' });

    expect(run.exitCode, run.stdout + run.stderr).toBe(0);
    const uncompared = checks(UNCOMPARED_BLOB);
    expect(uncompared.passes, 'uncompared GetBlob reads').toBeGreaterThan(5);
    expect(uncompared.fails).toBe(0);
    expect(checks(COMPARED_BLOB).passes, 'compared GetBlob reads').toBeGreaterThan(0);
    expect(count(summary, 'opensaves_verify_failures')).toBe(0);
  });

  it('fail the uncompared reads of a blob whose body and Content-Length lack a byte', async () => {
    const { run, checks } = await blobRun(['--truncate-blobs', 'HttpGetBlob=1'], { TRANSPORT: 'http', VERIFY_EVERY: '1000' });

    expect(run.exitCode, run.stdout + run.stderr).toBe(99);
    const uncompared = checks(UNCOMPARED_BLOB);
    expect(uncompared.fails, 'uncompared GetBlob reads').toBeGreaterThan(10);
    expect(uncompared.passes).toBe(0);
    expect(checks(COMPARED_BLOB).passes).toBe(0);
    expect(run.stderr + run.stdout).toMatch(/arrives whole: no; .* expected, got Content-Length \d+/);
  });
});
