import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { exampleEnv } from './support/config.js';
import { cleanEnv, runCommand } from './support/process.js';

const STACKS = ['opensaves-observability', 'opensaves-grafana-workspace', 'opensaves-grafana-content', 'opensaves-load-generation'];
const WAF_STACK = 'opensaves-waf-allowlist';
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
    // The WAF allow-list changes the port's WAF: never without being asked.
    expect(existsSync(join(outdir, 'stacks', WAF_STACK))).toBe(false);
  });

  it('writes the WAF allow-list stack only when the runners\' egress is configured', async () => {
    const outdir = tempOutdir();
    const env = exampleEnv({ OS_INFRA_LOAD_EGRESS_CIDRS: '203.0.113.7/32', CDKTF_OUTDIR: outdir });
    const result = await runCommand('npx', ['tsx', 'infra/main.ts'], cleanEnv(env));
    expect(result.exitCode, result.stderr).toBe(0);
    const doc = JSON.parse(readFileSync(join(outdir, 'stacks', WAF_STACK, 'cdk.tf.json'), 'utf8'));
    expect(Object.values(doc.resource.aws_wafv2_ip_set).map((set: any) => set.addresses)).toEqual([['203.0.113.7/32']]);
    // A TestRun starts when its stack applies: `cdktf deploy` must put the allow-list in place first.
    const manifest = JSON.parse(readFileSync(join(outdir, 'manifest.json'), 'utf8'));
    expect(manifest.stacks['opensaves-load-generation'].dependencies).toEqual([WAF_STACK]);
  });

  it('stops with exit code 2 on a bad egress CIDR, naming the variable and the entry', async () => {
    const env = exampleEnv({ OS_INFRA_LOAD_EGRESS_CIDRS: '203.0.113.7/32,203.0.113.9/24', CDKTF_OUTDIR: tempOutdir() });
    const result = await runCommand('npx', ['tsx', 'infra/main.ts'], cleanEnv(env));
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toMatch(/invalid OS_INFRA_LOAD_EGRESS_CIDRS; reason: expected comma-separated IPv4 CIDRs .*, got `203\.0\.113\.9\/24`/);
    expect(result.stderr).not.toMatch(/\n\s+at /);
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
