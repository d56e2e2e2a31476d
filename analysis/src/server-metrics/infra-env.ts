// The deployment CloudWatch is read for: OS_INFRA_* values from a file (KEY=VALUE lines, the format of
// infra/example.env) over those of the environment, validated by the CDKTF app's own loadInfraConfig.
import { readFileSync } from 'node:fs';
import { InfraConfigError, loadInfraConfig, type InfraConfig } from '../../../catalogue/deployment.js';
import { ConfigError } from '../config/errors.js';

export function parseEnvFile(text: string, path: string): Record<string, string> {
  const values: Record<string, string> = {};
  text.split(/\r?\n/).forEach((raw, index) => {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) return;
    const match = /^(?:export\s+)?([A-Za-z_][A-Za-z0-9_]*)=(.*)$/.exec(line);
    if (match === null) throw new ConfigError(`invalid --infra-env ${path} line ${index + 1}; reason: expected KEY=VALUE, got \`${line}\``);
    let value = match[2]!.trim();
    if (/^(["']).*\1$/.test(value)) value = value.slice(1, -1);
    values[match[1]!] = value;
  });
  return values;
}

export function loadInfraEnv(path: string | null, env: NodeJS.ProcessEnv = process.env): InfraConfig {
  let fileValues: Record<string, string> = {};
  if (path !== null) {
    let text: string;
    try {
      text = readFileSync(path, 'utf8');
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      throw new ConfigError(`cannot read --infra-env ${path}: ${code === 'ENOENT' ? 'no such file' : String(code ?? error)}`);
    }
    fileValues = parseEnvFile(text, path);
  }
  try {
    return loadInfraConfig({ ...env, ...fileValues });
  } catch (error) {
    if (error instanceof InfraConfigError) {
      throw new ConfigError(`${path === null ? '--cloudwatch (OS_INFRA_* from the environment)' : `--infra-env ${path}`}: ${error.problems.join('; ')}`);
    }
    throw error;
  }
}
