// The capacity flags (--waf-limit, --waf-window-s, --model [FILE]) into GateOptions,
// with messages that name the flag, the expected form and the value given.
import { invalidConfig } from '../errors.js';
import { fileURLToPath } from 'node:url';
import { DEFAULT_MODEL_FILE, loadModelFile } from './config.js';
import type { GateOptions } from './gate.js';
import { PORT_WAF } from './waf.js';

export interface CapacityFlags {
  wafLimit?: string;
  wafWindowSeconds?: string;
  /** --model's value: a path, or '' for --model alone (the default model) */
  model?: string;
}

/** data/aws-port-model.json of this checkout, wherever the emulator is started from. */
export const DEFAULT_MODEL_PATH = fileURLToPath(new URL(`../../${DEFAULT_MODEL_FILE}`, import.meta.url));

/** undefined when no capacity flag was given: the emulator runs without WAF or model. */
export function parseCapacityFlags(flags: CapacityFlags): GateOptions | undefined {
  const limit = positiveInt('--waf-limit', flags.wafLimit);
  const windowSeconds = positiveInt('--waf-window-s', flags.wafWindowSeconds);
  const model = flags.model === undefined ? undefined : loadModelFile(flags.model === '' ? DEFAULT_MODEL_PATH : flags.model);
  if (limit === undefined && windowSeconds === undefined) return model ? { model } : undefined;
  if (limit === undefined && !model?.waf) {
    throw invalidConfig('--waf-window-s', '--waf-limit N as well (the window alone sets no rule)', flags.wafWindowSeconds ?? '');
  }
  // The flags override the model file's rule, each on its own.
  const waf = {
    limit: limit ?? model!.waf!.limit,
    windowSeconds: windowSeconds ?? model?.waf?.windowSeconds ?? PORT_WAF.windowSeconds,
  };
  return model ? { model, waf } : { waf };
}

function positiveInt(flag: string, raw: string | undefined): number | undefined {
  if (raw === undefined) return undefined;
  const value = Number(raw);
  if (!/^\d+$/.test(raw.trim()) || !Number.isSafeInteger(value) || value < 1) throw invalidConfig(flag, 'an integer >= 1', raw);
  return value;
}
