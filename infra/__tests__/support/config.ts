// Test configurations: infra/example.env, with per-test overrides passed in (never process.env).
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { loadInfraConfig, type Env, type InfraConfig } from '../../../catalogue/deployment.js';

export const EXAMPLE_ENV_FILE = fileURLToPath(new URL('../../example.env', import.meta.url));

export function exampleEnv(overrides: Env = {}): Record<string, string | undefined> {
  const env: Record<string, string | undefined> = {};
  for (const line of readFileSync(EXAMPLE_ENV_FILE, 'utf8').split('\n')) {
    const match = /^([A-Z0-9_]+)=(.*)$/.exec(line.trim());
    if (match) env[match[1] as string] = match[2];
  }
  return { ...env, ...overrides };
}

export function exampleConfig(overrides: Env = {}): InfraConfig {
  return loadInfraConfig(exampleEnv(overrides));
}
