// Command-line options of the benchmark scripts: parsed once, checked once,
// returned frozen. A bad value names the option, the expected form and the value got.
import { parseArgs } from 'node:util';

export class BenchConfigError extends Error {
  constructor(option: string, expected: string, got: string) {
    super(`invalid ${option}; reason: expected ${expected}, got \`${got}\``);
    this.name = 'BenchConfigError';
  }
}

export type RawOptions = Record<string, string | undefined>;

/** Parses `--name value` pairs; every option is a string option with a default. */
export function readOptions(argv: string[], defaults: Readonly<Record<string, string>>): RawOptions {
  const options = Object.fromEntries(Object.entries(defaults).map(([name, value]) => [name, { type: 'string' as const, default: value }]));
  try {
    return parseArgs({ args: argv, options, strict: true, allowPositionals: false }).values as RawOptions;
  } catch (error) {
    const known = Object.keys(defaults).map((name) => `--${name}`).join(', ');
    const detail = (error as Error).message.split('\n')[0];
    throw new BenchConfigError('arguments', `only ${known} (${detail})`, argv.join(' '));
  }
}

export function positiveInteger(option: string, raw: string | undefined, max = Number.MAX_SAFE_INTEGER): number {
  const value = raw !== undefined && /^\d+$/.test(raw) ? Number(raw) : Number.NaN;
  if (!Number.isSafeInteger(value) || value < 1 || value > max) {
    throw new BenchConfigError(`--${option}`, `an integer from 1 to ${max}`, raw ?? '');
  }
  return value;
}

/** `--name N` from the command line, or the fallback; a bad value prints the reason and exits 2. */
export function positiveIntegerArg(argv: readonly string[], name: `--${string}`, fallback: number): number {
  const index = argv.indexOf(name);
  if (index < 0) return fallback;
  try {
    return positiveInteger(name.slice(2), argv[index + 1]);
  } catch (error) {
    process.stderr.write(`${(error as Error).message}\n`);
    process.exit(2);
  }
}

export function integerList(option: string, raw: string | undefined, max = Number.MAX_SAFE_INTEGER): number[] {
  const parts = (raw ?? '').split(',').filter(Boolean);
  if (parts.length === 0) throw new BenchConfigError(`--${option}`, 'a comma-separated list of integers', raw ?? '');
  return parts.map((part) => positiveInteger(option, part, max));
}

export function choiceList<T extends string>(option: string, raw: string | undefined, allowed: readonly T[]): T[] {
  const parts = (raw ?? '').split(',').filter(Boolean);
  const unknown = parts.find((part) => !allowed.includes(part as T));
  if (parts.length === 0 || unknown !== undefined) {
    throw new BenchConfigError(`--${option}`, `a comma-separated list of ${allowed.join(', ')}`, raw ?? '');
  }
  return parts as T[];
}
