// A token given to the CDKTF app in any way never reaches cdktf.out: the real app, run as
// `cdktf synth` runs it, with the token exported, put in OS_INFRA_K6_ENV, or put where a
// reference belongs.
import { randomUUID } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { exampleEnv } from './support/config.js';
import { cleanEnv, runCommand, type ProcessResult } from './support/process.js';

const SECRET_ARN = 'arn:aws:secretsmanager:us-west-2:123456789012:secret:open-saves-token-AbCdEf';
const outdirs: string[] = [];
afterAll(() => outdirs.forEach((dir) => rmSync(dir, { recursive: true, force: true })));

function filesUnder(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? filesUnder(path) : [path];
  });
}

async function synth(env: Record<string, string | undefined>): Promise<{ result: ProcessResult; outdir: string; files: string[] }> {
  const outdir = mkdtempSync(join(tmpdir(), 'infra-secrets-'));
  outdirs.push(outdir);
  const result = await runCommand('npx', ['tsx', 'infra/main.ts'], cleanEnv(exampleEnv({ ...env, CDKTF_OUTDIR: outdir })));
  return { result, outdir, files: filesUnder(outdir) };
}

function holding(files: readonly string[], text: string): string[] {
  return files.filter((file) => readFileSync(file, 'utf8').includes(text));
}

describe('secrets and cdktf.out', () => {
  it('passes the token by reference only: exported in the shell, it is nowhere in cdktf.out; the TestRun names the Secret', async () => {
    const token = `tok-${randomUUID()}`;
    const { result, outdir, files } = await synth({
      OPEN_SAVES_AUTH_TOKEN: token,
      OS_INFRA_K6_SECRET_ENV: `OPEN_SAVES_AUTH_TOKEN=open-saves-token/token,BACKUP_TOKEN=${SECRET_ARN}#token`,
    });
    expect(result.exitCode, result.stderr).toBe(0);
    expect(files.length).toBeGreaterThan(4);
    expect(holding(files, token)).toEqual([]);
    expect(result.stdout + result.stderr).not.toContain(token);
    const stack = JSON.parse(readFileSync(join(outdir, 'stacks', 'opensaves-load-generation', 'cdk.tf.json'), 'utf8'));
    const manifests = Object.values(stack.resource.kubernetes_manifest).map((r: any) => r.manifest);
    const runner = manifests.find((m: any) => m.kind === 'TestRun').spec.runner;
    expect(runner.env).toContainEqual({ name: 'OPEN_SAVES_AUTH_TOKEN', valueFrom: { secretKeyRef: { name: 'open-saves-token', key: 'token' } } });
    expect(runner.env).toContainEqual({ name: 'BACKUP_TOKEN', valueFrom: { secretKeyRef: { name: 'opensaves-loadtest-k6-secrets', key: 'BACKUP_TOKEN' } } });
    // Every env entry is a plain setting or a reference: no value under a credential's name.
    for (const entry of runner.env as { name: string; value?: string }[]) {
      if (/TOKEN|SECRET|PASSWORD|KEY/.test(entry.name)) expect(entry.value, entry.name).toBeUndefined();
    }
    expect(manifests.map((m: any) => m.kind).sort()).toEqual(['PersistentVolume', 'PersistentVolumeClaim', 'SecretProviderClass', 'TestRun']);
  });

  it('refuses the token in OS_INFRA_K6_ENV with exit 2, naming OS_INFRA_K6_SECRET_ENV, and writes and prints it nowhere', async () => {
    const token = `tok-${randomUUID()}`;
    const { result, files } = await synth({ OS_INFRA_K6_ENV: `PROFILE=load,OPEN_SAVES_AUTH_TOKEN=${token}` });
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toMatch(/invalid OS_INFRA_K6_ENV; reason: expected no secret as a plain value .*OS_INFRA_K6_SECRET_ENV=OPEN_SAVES_AUTH_TOKEN=<secret-name>\/<key>.*, got `OPEN_SAVES_AUTH_TOKEN=\.\.\.` \(value not shown\)/);
    expect(result.stderr).not.toMatch(/\n\s+at /);
    expect(result.stdout + result.stderr).not.toContain(token);
    expect(holding(files, token)).toEqual([]);
  });

  it('refuses a token put where a reference belongs, and writes and prints it nowhere', async () => {
    const token = `tok-${randomUUID()}`;
    const { result, files } = await synth({ OS_INFRA_K6_SECRET_ENV: `OPEN_SAVES_AUTH_TOKEN=${token}` });
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toMatch(/invalid OS_INFRA_K6_SECRET_ENV; reason: expected comma-separated NAME=<secret-name>\/<key> .*, got `OPEN_SAVES_AUTH_TOKEN=\.\.\. \(not a reference; value not shown\)`/);
    expect(result.stdout + result.stderr).not.toContain(token);
    expect(holding(files, token)).toEqual([]);
  });

  it('stops with exit 2 and one line when the load generator has no run id', async () => {
    const { result } = await synth({ OS_INFRA_K6_RUN_ID: undefined });
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toMatch(/missing OS_INFRA_K6_RUN_ID; reason: expected a run id for the load generator .*, got nothing/);
    expect(result.stderr).not.toMatch(/\n\s+at /);
  });
});
