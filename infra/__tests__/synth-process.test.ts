import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { exampleEnv } from './support/config.js';
import { cleanEnv, runCommand } from './support/process.js';

const STACKS = ['opensaves-observability', 'opensaves-grafana-workspace', 'opensaves-grafana-content', 'opensaves-load-generation'];
const outdirs: string[] = [];
afterAll(() => outdirs.forEach((dir) => rmSync(dir, { recursive: true, force: true })));

function tempOutdir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'infra-synth-'));
  outdirs.push(dir);
  return dir;
}

describe('cdktf synth (offline, no credentials)', () => {
  it('writes Terraform JSON for every stack with `npx cdktf synth`', async () => {
    const outdir = tempOutdir();
    // No AWS_* variables and no network: synth must not call out.
    const result = await runCommand('npx', ['cdktf', 'synth', '--output', outdir], cleanEnv(exampleEnv()), 90_000);
    expect(result.exitCode, result.stderr + result.stdout).toBe(0);
    for (const stack of STACKS) {
      const file = join(outdir, 'stacks', stack, 'cdk.tf.json');
      expect(existsSync(file), file).toBe(true);
      expect(JSON.parse(readFileSync(file, 'utf8')).terraform.required_providers).toBeDefined();
    }
  });

  it('stops with exit code 2 and names each missing variable, without a stack trace', async () => {
    const env = exampleEnv({ OS_INFRA_S3_BUCKET: undefined, OS_INFRA_ALARM_EMAIL: 'not-an-address', CDKTF_OUTDIR: tempOutdir() });
    const result = await runCommand('npx', ['tsx', 'infra/main.ts'], cleanEnv(env));
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toMatch(/missing OS_INFRA_S3_BUCKET; reason: expected .*, got nothing/);
    expect(result.stderr).toMatch(/invalid OS_INFRA_ALARM_EMAIL; reason: expected an e-mail address for the alarm topic, got `not-an-address`/);
    expect(result.stderr).toMatch(/infra\/README\.md/);
    expect(result.stderr).not.toMatch(/\n\s+at /);
  });
});
