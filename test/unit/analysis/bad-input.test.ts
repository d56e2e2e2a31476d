import { afterAll, describe, expect, it } from 'vitest';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { syntheticK6Output, steadyMixedRun } from '../../../bench/analysis/analysis-synthetic.js';
import { scanInputs } from '../../../analysis/src/input/scan.js';
import { InputError } from '../../../analysis/src/config/errors.js';
import { cli, removeTempDirs, tempDir } from './helpers.js';

afterAll(removeTempDirs);

const dir = tempDir();
const goodText = [...syntheticK6Output(steadyMixedRun(50, 4))].join('');
const goodLines = goodText.trimEnd().split('\n');

function file(name: string, content: string | Buffer): string {
  const path = join(dir, name);
  writeFileSync(path, content);
  return path;
}

async function analyse(path: string, ...extra: string[]) {
  return cli([path, '--out-dir', join(dir, `out-${Math.random().toString(36).slice(2)}`), '--format', 'json', ...extra]);
}

function expectCleanFailure(run: { exitCode: number; stderr: string }, message: RegExp): void {
  expect(run.exitCode).toBe(2);
  expect(run.stderr).toMatch(message);
  expect(run.stderr.trim().split('\n')).toHaveLength(1);
  expect(run.stderr).not.toMatch(/\n\s+at /);
}

describe('bad input', () => {
  it('a missing file: one message, exit 2', async () => {
    expectCleanFailure(await analyse(join(dir, 'nope.json')), /nope\.json: no such file/);
  });

  it('an empty file: one message, exit 2', async () => {
    expectCleanFailure(await analyse(file('empty.json', '')), /empty\.json: the file is empty/);
  });

  it('JSON that is not k6 output: names line 1, exit 2', async () => {
    expectCleanFailure(await analyse(file('other.json', '{"name":"x","version":1}\n')), /other\.json line 1: the file does not look like k6 JSON output/);
  });

  it('an invalid line inside the file: names file and line, exit 2', async () => {
    const lines = [...goodLines];
    lines.splice(41, 0, '{"metric":"vus","type":"Point","data":{"time":"2026-');
    expectCleanFailure(await analyse(file('broken.json', `${lines.join('\n')}\n`)), /broken\.json line 42: not valid JSON/);
  });

  it('--lenient skips invalid lines, counts them and says so', async () => {
    const lines = [...goodLines];
    lines.splice(10, 0, 'garbage', '{"also":"not k6"}');
    const out = join(dir, 'lenient-out');
    const run = await cli([file('lenient.json', `${lines.join('\n')}\n`), '--lenient', '--out-dir', out, '--format', 'json']);
    expect(run.exitCode).not.toBe(2);
    expect(run.stderr).toMatch(/2 invalid line\(s\) skipped \(--lenient\)/);
    const summary = JSON.parse(readFileSync(join(out, 'summary.json'), 'utf8'));
    expect(summary.input.invalidLines).toBe(2);
    expect(summary.totals.requests).toBe(200);
  });

  it('a truncated last line (k6 killed): a warning, the rest is analysed', async () => {
    const out = join(dir, 'truncated-out');
    const truncated = goodText.slice(0, goodText.length - 40);
    const run = await cli([file('truncated.json', truncated), '--out-dir', out, '--format', 'json']);
    expect(run.exitCode).not.toBe(2);
    expect(run.stderr).toMatch(new RegExp(`truncated\\.json line ${goodLines.length}: the last line is incomplete`));
    expect(JSON.parse(readFileSync(join(out, 'summary.json'), 'utf8')).input.points).toBeGreaterThan(1000);
  });

  it('a corrupt gzip file: one message, exit 2', async () => {
    const gz = gzipSync(goodText);
    gz.fill(0x41, 20, 60);
    expectCleanFailure(await analyse(file('corrupt.json.gz', gz)), /corrupt\.json\.gz: not a valid gzip file/);
  });

  it('a .gz name on a file that is not gzip: one message, exit 2', async () => {
    expectCleanFailure(await analyse(file('plain.json.gz', goodText)), /plain\.json\.gz: not a valid gzip file \(no gzip header\)/);
  });

  it('a gzip stream cut short (k6 killed): a warning, the rest is analysed', async () => {
    const gz = gzipSync(goodText);
    const run = await analyse(file('cut.json.gz', gz.subarray(0, Math.floor(gz.length * 0.7))));
    expect(run.exitCode).not.toBe(2);
    expect(run.stderr).toMatch(/cut\.json\.gz: the gzip stream ends early/);
  });

  it('names the right line of an invalid line in a later byte range read by a worker', async () => {
    const lines = [...goodLines];
    lines.splice(1200, 1, 'not json at all');
    const path = file('late.json', `${lines.join('\n')}\n`);
    const error = await scanInputs([path], { bucketMs: 10_000, lenient: false, workers: 2, rangeBytes: 64 * 1024 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InputError);
    expect((error as InputError).line).toBe(1201);
  });
});

describe('bad usage', () => {
  it.each([
    [['--bucket', 'ten'], /invalid --bucket; reason: expected "auto" or a duration of at least 100ms such as 10s, 500ms or 1m, got `ten`/],
    [['--format', 'pdf'], /invalid --format; reason: expected a comma-separated list of html, md, json, png, junit, got `pdf`/],
    [['--frobnicate'], /unknown option --frobnicate/],
    [['--workers', '-1'], /invalid --workers/],
    [['--max-regression', 'lots'], /invalid --max-regression/],
  ])('%j is refused with a message naming the option', async (args, message) => {
    expectCleanFailure(await cli([join(dir, 'any.json'), ...args]), message);
  });

  it('no input files is a usage error', async () => {
    expectCleanFailure(await cli([]), /no input files/);
  });

  it('--help prints the usage and exits 0', async () => {
    const run = await cli(['--help']);
    expect(run.exitCode).toBe(0);
    expect(run.stdout).toMatch(/Usage: npm run analyze -- <k6-output\.json\[\.gz\]\.\.\.>/);
  });

  it('an SLO file with an unknown criterion names the file and the key', async () => {
    const slo = file('bad-slo.json', JSON.stringify({ defaults: { p95: 100 } }));
    expectCleanFailure(await analyse(file('ok.json', goodText), '--slo', slo), /bad-slo\.json: defaults\.p95; reason: expected one of p50Ms/);
  });

  it('a price table that is not JSON names the file', async () => {
    const prices = file('prices.json', '{ "prices": ');
    expectCleanFailure(await analyse(file('ok2.json', goodText), '--prices', prices), /price table .*prices\.json is not valid JSON/);
  });
});
