// The operation mix of the mixed and capacity scenarios: data/mix.json (bundled)
// or the file named by MIX, read in the init context. READ_RATIO decides per
// iteration whether it reads or writes; the weights pick the operation.
import defaultMix from '../../../data/mix.json';
import exec from 'k6/execution';
import { RPC_NAMES, type RpcName } from '../config/constants.js';
import { ConfigError } from '../config/errors.js';
import type { Config } from '../config/config.js';
import { resolveUserPath } from '../config/user-path.js';

export interface Mix {
  readonly read: ReadonlyArray<readonly [RpcName, number]>;
  readonly write: ReadonlyArray<readonly [RpcName, number]>;
}

const EXPECTED = 'a JSON file with "read" and "write" objects mapping RPC names to weights >= 0 (each class with a positive total)';

export function parseMix(value: unknown, source: string): Mix {
  const candidate = value as { read?: unknown; write?: unknown } | null;
  const parseClass = (weights: unknown): Array<[RpcName, number]> => {
    if (typeof weights !== 'object' || weights === null || Array.isArray(weights)) throw new ConfigError('MIX', EXPECTED, source);
    const entries = Object.entries(weights as Record<string, unknown>).map(([name, weight]): [RpcName, number] => {
      if (!(RPC_NAMES as readonly string[]).includes(name)) throw new ConfigError('MIX', `${EXPECTED}; "${name}" is not an RPC name`, source);
      if (typeof weight !== 'number' || !(weight >= 0)) throw new ConfigError('MIX', EXPECTED, source);
      return [name as RpcName, weight];
    });
    if (entries.reduce((sum, [, weight]) => sum + weight, 0) <= 0) throw new ConfigError('MIX', EXPECTED, source);
    return entries.filter(([, weight]) => weight > 0);
  };
  if (typeof candidate !== 'object' || candidate === null) throw new ConfigError('MIX', EXPECTED, source);
  return { read: parseClass(candidate.read), write: parseClass(candidate.write) };
}

/** Reads MIX (relative to the working directory) or the bundled default. */
export function loadMix(config: Config): Mix {
  if (config.mixPath === undefined) return parseMix(defaultMix, 'data/mix.json (bundled)');
  const path = resolveUserPath(config.mixPath);
  let text: string;
  try {
    text = open(path);
  } catch {
    throw new ConfigError('MIX', 'a readable JSON file', config.mixPath);
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new ConfigError('MIX', EXPECTED, config.mixPath);
  }
  return parseMix(parsed, config.mixPath);
}

/** Like loadMix, but aborts the test with the ConfigError's message instead of a stack trace. */
export function loadMixOrAbort(config: Config): Mix {
  try {
    return loadMix(config);
  } catch (error) {
    if (error instanceof ConfigError) exec.test.abort(error.message);
    throw error;
  }
}

export function mixOps(mix: Mix): RpcName[] {
  return [...new Set([...mix.read, ...mix.write].map(([op]) => op))];
}

/** The operation every iteration makes when the mix gives weight to one alone (a Ping-only or GetRecord-only run). */
export function soleOperation(mix: Mix): RpcName | undefined {
  const weighted = new Set([...mix.read, ...mix.write].filter(([, weight]) => weight > 0).map(([op]) => op));
  return weighted.size === 1 ? [...weighted][0] : undefined;
}
