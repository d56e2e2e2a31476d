// Parses the emulator's command line into ServerOptions, once, with messages that
// name the flag, the expected form and the value given.
import { DEFAULT_MAX_BYTES, RPC_NAMES } from './constants.js';
import { ConfigError, invalidConfig } from './errors.js';
import type { FaultSetting } from './faults.js';
import { parseCapacityFlags } from './model/cli.js';
import type { ServerOptions } from './server.js';

export const DEFAULT_GRPC_PORT = 6000;
export const DEFAULT_HTTP_PORT = 8080;

export const HTTP_FAULT_NAMES = [
  'HttpListStores',
  'HttpCreateStore',
  'HttpGetStore',
  'HttpDeleteStore',
  'HttpQueryRecords',
  'HttpCreateRecord',
  'HttpGetRecord',
  'HttpUpdateRecord',
  'HttpDeleteRecord',
  'HttpListBlobs',
  'HttpGetBlob',
  'HttpPutBlob',
  'HttpDeleteBlob',
  'HttpGetMetadata',
  'HttpPutMetadata',
  'HttpDeleteMetadata',
  'HttpGetChunk',
] as const;
const FAULT_METHODS = new Set<string>([...RPC_NAMES, ...HTTP_FAULT_NAMES]);

export type CliResult =
  | { help: true }
  | { help: false; options: Readonly<ServerOptions>; stopWhenStdinCloses: boolean };

const VALUE_FLAGS = new Set([
  '--grpc-port',
  '--http-port',
  '--host',
  '--max-bytes',
  '--latency-ms',
  '--latency-jitter-ms',
  '--error-rate',
  '--corrupt-blobs',
  '--truncate-blobs',
  '--shutdown-grace-ms',
  '--require-token',
  '--page-bytes',
  '--read-lag-ms',
  '--waf-limit',
  '--waf-window-s',
  '--model',
]);

export function parseArgs(argv: readonly string[]): CliResult {
  const values = new Map<string, string>();
  let stopWhenStdinCloses = false;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '--help' || arg === '-h') return { help: true };
    if (arg === '--stop-when-stdin-closes') {
      stopWhenStdinCloses = true;
      continue;
    }
    // --model takes an optional value: alone, it means the default model file.
    if (arg === '--model') {
      const next = argv[i + 1];
      values.set('--model', next === undefined || next.startsWith('-') ? '' : argv[++i]!);
      continue;
    }
    const eq = arg.indexOf('=');
    const flag = arg.startsWith('--') && eq > 0 ? arg.slice(0, eq) : arg;
    if (!VALUE_FLAGS.has(flag)) throw new ConfigError(`unknown option \`${arg}\`; see --help`);
    const value = flag !== arg ? arg.slice(eq + 1) : argv[++i];
    if (value === undefined) throw invalidConfig(flag, 'a value after it', '');
    values.set(flag, value);
  }
  const latencyMs = parseFaultSetting('--latency-ms', values.get('--latency-ms'), (v) => v >= 0, 'a number of ms >= 0');
  const latencyJitterMs = parseFaultSetting(
    '--latency-jitter-ms',
    values.get('--latency-jitter-ms'),
    (v) => v >= 0,
    'a number of ms >= 0',
  );
  const fraction = (v: number) => v >= 0 && v <= 1;
  const errorRate = parseFaultSetting('--error-rate', values.get('--error-rate'), fraction, 'a fraction in [0, 1]');
  const corruptBlobs = parseFaultSetting('--corrupt-blobs', values.get('--corrupt-blobs'), fraction, 'a fraction in [0, 1]');
  const truncateBlobs = parseFaultSetting('--truncate-blobs', values.get('--truncate-blobs'), fraction, 'a fraction in [0, 1]');
  return {
    help: false,
    stopWhenStdinCloses,
    options: Object.freeze({
      host: parseHost(values.get('--host')),
      grpcPort: parsePort('--grpc-port', values.get('--grpc-port'), DEFAULT_GRPC_PORT),
      httpPort: parsePort('--http-port', values.get('--http-port'), DEFAULT_HTTP_PORT),
      maxBytes: parseBytes('--max-bytes', values.get('--max-bytes')) ?? DEFAULT_MAX_BYTES,
      faults: { latencyMs, latencyJitterMs, errorRate, corruptBlobs, truncateBlobs },
      shutdownGraceMs: parseNonNegativeInt('--shutdown-grace-ms', values.get('--shutdown-grace-ms'), 0),
      requireToken: parseToken(values.get('--require-token')),
      pageBytes: parseBytes('--page-bytes', values.get('--page-bytes')),
      readLagMs: parseReadLag(values.get('--read-lag-ms')),
      capacity: parseCapacityFlags({ wafLimit: values.get('--waf-limit'), wafWindowSeconds: values.get('--waf-window-s'), model: values.get('--model') }),
    }),
  };
}

function parsePort(flag: string, raw: string | undefined, fallback: number): number {
  if (raw === undefined) return fallback;
  const port = Number(raw);
  if (!/^\d+$/.test(raw) || port > 65535) throw invalidConfig(flag, 'a port number in 0..65535', raw);
  return port;
}

function parseHost(raw: string | undefined): string | undefined {
  if (raw === undefined) return undefined;
  if (raw.trim() === '' || /[\s/]/.test(raw)) throw invalidConfig('--host', 'an IP address or host name', raw);
  return raw;
}

/** The value is never echoed back in the message: it may be a real credential. */
function parseToken(raw: string | undefined): string | undefined {
  if (raw === undefined) return undefined;
  if (!/^[\x21-\x7e]+$/.test(raw)) {
    const got = raw === '' ? '' : `(${raw.length} characters, not shown)`;
    throw invalidConfig('--require-token', 'a non-empty token of printable ASCII without spaces', got);
  }
  return raw;
}

// Real DynamoDB replicas converge within about a second; a minute already keeps every write's
// prior state for a minute, and memory grows with the write rate times the lag.
const MAX_READ_LAG_MS = 60_000;

function parseReadLag(raw: string | undefined): number {
  if (raw === undefined) return 0;
  if (!/^\d+$/.test(raw) || Number(raw) > MAX_READ_LAG_MS) {
    throw invalidConfig('--read-lag-ms', `an integer number of ms in 0..${MAX_READ_LAG_MS}`, raw);
  }
  return Number(raw);
}

function parseNonNegativeInt(flag: string, raw: string | undefined, fallback: number): number {
  if (raw === undefined) return fallback;
  if (!/^\d+$/.test(raw)) throw invalidConfig(flag, 'an integer >= 0', raw);
  return Number(raw);
}

const BYTE_SUFFIXES: Record<string, number> = { '': 1, k: 1024, m: 1024 ** 2, g: 1024 ** 3 };

/** A positive byte count with an optional k, m or g suffix; undefined when the flag is absent. */
function parseBytes(flag: string, raw: string | undefined): number | undefined {
  if (raw === undefined) return undefined;
  const match = /^(\d+)([kmg]?)$/i.exec(raw.trim());
  const bytes = match ? Number(match[1]) * BYTE_SUFFIXES[match[2]!.toLowerCase()]! : NaN;
  if (!Number.isSafeInteger(bytes) || bytes <= 0) {
    throw invalidConfig(flag, 'a positive number of bytes, optionally with suffix k, m or g (e.g. 512m)', raw);
  }
  return bytes;
}

/** "0.2", "GetRecord=0.5,CreateRecord=0.1" or "5,GetRecord=20". */
export function parseFaultSetting(
  flag: string,
  raw: string | undefined,
  valid: (value: number) => boolean,
  expected: string,
): FaultSetting {
  const perMethod = new Map<string, number>();
  let all = 0;
  if (raw === undefined) return { all, perMethod };
  for (const part of raw.split(',')) {
    const eq = part.indexOf('=');
    const method = eq < 0 ? undefined : part.slice(0, eq).trim();
    const text = (eq < 0 ? part : part.slice(eq + 1)).trim();
    const value = text === '' ? NaN : Number(text);
    if (!Number.isFinite(value) || !valid(value)) {
      throw invalidConfig(method ? `${flag} for ${method}` : flag, expected, text);
    }
    if (method === undefined) all = value;
    else if (!FAULT_METHODS.has(method)) {
      throw invalidConfig(flag, `a method name such as GetRecord or HttpGetRecord (see --help) before "="`, method);
    } else perMethod.set(method, value);
  }
  return { all, perMethod };
}
