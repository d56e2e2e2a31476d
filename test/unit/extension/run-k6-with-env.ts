// Runs bin/k6 with extra process environment: the output reads its
// K6_CLOUDWATCH_* settings and the AWS SDK its credentials from there,
// while test/helpers/k6.ts passes only script variables (-e).
import { spawn } from 'node:child_process';
import { K6_BINARY, type K6Run } from '../../helpers/k6.js';
import { REPO_ROOT } from '../../helpers/target-process.js';

export interface K6EnvRunOptions {
  args: string[];
  processEnv?: Record<string, string>;
  timeoutMs: number;
}

export function runK6WithEnv(script: string, options: K6EnvRunOptions): Promise<K6Run> {
  const child = spawn(K6_BINARY, ['run', '--quiet', '--no-color', ...options.args, script], {
    cwd: REPO_ROOT,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, K6_NO_USAGE_REPORT: 'true', ...options.processEnv },
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  return new Promise((resolve) => {
    const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs);
    child.once('close', (exitCode) => {
      clearTimeout(timer);
      resolve({ exitCode, stdout, stderr });
    });
  });
}
