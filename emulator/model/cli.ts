// The capacity flags (--waf-limit, --waf-window-s, --model [FILE]) into GateOptions,
// with messages that name the flag, the expected form and the value given.
import { invalidConfig } from '../errors.js';
import type { GateOptions } from './gate.js';
import { PORT_WAF } from './waf.js';

export interface CapacityFlags {
  wafLimit?: string;
  wafWindowSeconds?: string;
}

/** undefined when no capacity flag was given: the emulator runs without WAF or model. */
export function parseCapacityFlags(flags: CapacityFlags): GateOptions | undefined {
  const limit = positiveInt('--waf-limit', flags.wafLimit);
  const windowSeconds = positiveInt('--waf-window-s', flags.wafWindowSeconds);
  if (limit === undefined && windowSeconds === undefined) return undefined;
  if (limit === undefined) {
    throw invalidConfig('--waf-window-s', '--waf-limit N as well (the window alone sets no rule)', flags.wafWindowSeconds ?? '');
  }
  return { waf: { limit, windowSeconds: windowSeconds ?? PORT_WAF.windowSeconds } };
}

function positiveInt(flag: string, raw: string | undefined): number | undefined {
  if (raw === undefined) return undefined;
  const value = Number(raw);
  if (!/^\d+$/.test(raw.trim()) || !Number.isSafeInteger(value) || value < 1) throw invalidConfig(flag, 'an integer >= 1', raw);
  return value;
}
