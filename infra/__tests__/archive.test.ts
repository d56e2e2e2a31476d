import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPO_ROOT, cleanEnv, runCommand } from './support/process.js';

const K6 = process.env.K6 && process.env.K6 !== 'bin/k6' ? process.env.K6 : join(REPO_ROOT, 'bin/k6');
const BUNDLE = join(REPO_ROOT, 'dist/mixed.js');
const work = mkdtempSync(join(tmpdir(), 'infra-archive-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

beforeAll(async () => {
  expect(existsSync(K6), `${K6} is missing: make k6 builds it`).toBe(true);
  // What `make bundle` runs, without its npm ci step.
  if (!existsSync(BUNDLE)) {
    const bundled = await runCommand('node', ['esbuild.config.mjs'], cleanEnv({}));
    expect(bundled.exitCode, bundled.stderr).toBe(0);
  }
});

describe('infra/archive.sh (make archive)', () => {
  it('packs the mixed scenario with the protos it loads from ../proto', async () => {
    const out = join(work, 'opensaves-k6.tar');
    const result = await runCommand('infra/archive.sh', [K6, BUNDLE, out], cleanEnv({}));
    expect(result.exitCode, result.stderr).toBe(0);
    expect(result.stdout).toMatch(/KiB with the protos, fits a ConfigMap/);
    const entries = execFileSync('tar', ['-tf', out], { encoding: 'utf8' }).split('\n');
    expect(entries).toEqual(expect.arrayContaining(['metadata.json', expect.stringMatching(/\/dist\/mixed\.js$/), expect.stringMatching(/\/proto\/open_saves\.proto$/), expect.stringMatching(/\/proto\/google\/rpc\/status\.proto$/)]));
  });

  it('loads on its own, away from the repository, as a runner pod would (scenario main)', async () => {
    const out = join(work, 'inspect.tar');
    expect((await runCommand('infra/archive.sh', [K6, BUNDLE, out], cleanEnv({}))).exitCode).toBe(0);
    // From another directory k6 can find ../proto only inside the archive.
    const inspected = execFileSync(K6, ['inspect', out], { cwd: work, encoding: 'utf8', env: { ...cleanEnv({}), K6_NO_USAGE_REPORT: 'true' } as NodeJS.ProcessEnv });
    expect(Object.keys(JSON.parse(inspected).scenarios)).toEqual(['main']);
  });

  it('fails when the script loads no protos', async () => {
    const script = join(work, 'plain.js');
    writeFileSync(script, 'export default function () {}\n');
    const result = await runCommand('infra/archive.sh', [K6, script, join(work, 'plain.tar')], cleanEnv({}));
    expect(result.exitCode).toBe(1);
    expect(result.stderr).toMatch(/plain\.tar lacks proto\/open_saves\.proto/);
  });

  it('names what is missing when the bundle does not exist', async () => {
    const result = await runCommand('infra/archive.sh', [K6, join(work, 'absent.js'), join(work, 'x.tar')], cleanEnv({}));
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toMatch(/bundle .*absent\.js not found \(make bundle writes dist\/\*\.js\)/);
  });
});
