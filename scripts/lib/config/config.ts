// The config/ folder: the run's settings (read once from the environment), shared constants, error classes.
//
// Reads the run's configuration from the k6 environment (`-e NAME=value`) once, in the
// init context, into one typed and frozen object. Any unusable value throws a
// ConfigError naming the variable, the expected form and the value got.
import {
  DEFAULT_ADDR,
  DEFAULT_BLOB_SIZES,
  DEFAULT_HTTP_URL,
  DEFAULT_READ_RATIO,
  DEFAULT_READ_RETRY_BUDGET_MS,
  DEFAULT_READ_RETRY_TRIES,
  DEFAULT_RECORDS_PER_STORE,
  DEFAULT_SUMMARY_PATH,
  DEFAULT_VERIFY_EVERY,
} from './constants.js';
import { ConfigError } from './errors.js';

export const TRANSPORTS = ['grpc', 'http'] as const;
export type Transport = (typeof TRANSPORTS)[number];

export const PROFILE_NAMES = ['smoke', 'load', 'stress', 'spike', 'soak', 'capacity'] as const;
export type ProfileName = (typeof PROFILE_NAMES)[number];

export interface Stage {
  readonly duration: string;
  readonly target: number;
}

export interface Config {
  readonly addr: string;
  readonly tls: boolean;
  readonly caCertPath: string | undefined;
  /** sent as `authorization: Bearer ...`; never printed */
  readonly authToken: string | undefined;
  readonly transport: Transport;
  readonly httpUrl: string;
  readonly profile: ProfileName;
  /** peak iterations per second; undefined means the profile's default */
  readonly rate: number | undefined;
  readonly ramp: string | undefined;
  readonly hold: string | undefined;
  readonly maxVus: number | undefined;
  /** overrides rate, ramp and hold */
  readonly stages: readonly Stage[] | undefined;
  readonly readRatio: number;
  /** undefined means the bundled data/mix.json */
  readonly mixPath: string | undefined;
  /** blob size classes in bytes, ascending, without duplicates */
  readonly blobSizes: readonly number[];
  readonly recordsPerStore: number;
  /** a gRPC record read compares its whole content on its first read and one read in this many (1: every read) */
  readonly verifyEvery: number;
  /** tries of a read-your-writes read that finds an older state (eventual consistency) before it fails; 1: no retry */
  readonly readRetryTries: number;
  /** the longest a read-your-writes read waits in all between its tries, in ms */
  readonly readRetryBudgetMs: number;
  /** undefined means setup() draws a random one */
  readonly runId: string | undefined;
  readonly keepData: boolean;
  readonly sloP95Ms: number | undefined;
  readonly sloP99Ms: number | undefined;
  readonly sloErrorRate: number | undefined;
  readonly summaryPath: string;
}

export type Environment = Readonly<Record<string, string | undefined>>;

// k6 duration strings such as 30s, 1m30s, 500ms or 2h.
const DURATION = /^(\d+(\.\d+)?(ms|s|m|h))+$/;
const HOST_PORT = /^(\[[0-9a-fA-F:.]+\]|[A-Za-z0-9.-]+):(\d{1,5})$/;
const HTTP_URL = /^https?:\/\/[^\s/?#]+(\/[^\s?#]*)?$/;
const RUN_ID = /^[a-z0-9][a-z0-9-]{0,23}$/;
const SIZE = /^(\d+)\s*(B|KB|KiB|MB|MiB)?$/i;
const SIZE_UNITS: Record<string, number> = { b: 1, kb: 1024, kib: 1024, mb: 1_048_576, mib: 1_048_576 };
// A 10 MB class is the documented maximum scale; 64 MiB keeps one VU's payloads bounded.
const MAX_BLOB_BYTES = 64 * 1_048_576;
// A read retried for longer than this is a failure, not lag: it would hold a VU for seconds.
const MAX_READ_RETRY_TRIES = 20;
const MAX_READ_RETRY_BUDGET_MS = 10_000;

/** Parses the environment. Pure: the caller decides how to report a ConfigError. */
export function loadConfig(env: Environment): Config {
  const profile = oneOf(env, 'PROFILE', PROFILE_NAMES, 'smoke');
  const config: Config = {
    addr: hostPort(env, 'OPEN_SAVES_ADDR', DEFAULT_ADDR),
    tls: bool(env, 'OPEN_SAVES_TLS', false),
    caCertPath: text(env, 'OPEN_SAVES_CA_CERT', 'a path to a PEM file', /^\S+$/),
    authToken: text(env, 'OPEN_SAVES_AUTH_TOKEN', 'a token without whitespace', /^\S+$/, true),
    transport: oneOf(env, 'TRANSPORT', TRANSPORTS, 'grpc'),
    httpUrl: httpUrl(env, 'OPEN_SAVES_HTTP_URL', DEFAULT_HTTP_URL),
    profile,
    rate: number(env, 'RATE', { min: 0, exclusiveMin: true, what: 'a positive number of iterations per second' }),
    ramp: duration(env, 'RAMP'),
    hold: duration(env, 'HOLD'),
    maxVus: integer(env, 'MAX_VUS', 1),
    stages: stages(env, 'STAGES'),
    readRatio:
      number(env, 'READ_RATIO', { min: 0, max: 1, what: 'a number from 0 to 1' }) ?? DEFAULT_READ_RATIO,
    mixPath: text(env, 'MIX', 'a path to a JSON weights file', /^\S+\.json$/),
    blobSizes: blobSizes(env, 'BLOB_SIZES', DEFAULT_BLOB_SIZES),
    recordsPerStore: integer(env, 'RECORDS_PER_STORE', 1) ?? DEFAULT_RECORDS_PER_STORE,
    // The smoke profile is a functional check: every read compared in full.
    verifyEvery: integer(env, 'VERIFY_EVERY', 1) ?? (profile === 'smoke' ? 1 : DEFAULT_VERIFY_EVERY),
    readRetryTries: integer(env, 'READ_RETRY_TRIES', 1, MAX_READ_RETRY_TRIES) ?? DEFAULT_READ_RETRY_TRIES,
    readRetryBudgetMs:
      number(env, 'READ_RETRY_BUDGET_MS', { min: 0, max: MAX_READ_RETRY_BUDGET_MS, what: `a number of milliseconds from 0 to ${MAX_READ_RETRY_BUDGET_MS}` }) ??
      DEFAULT_READ_RETRY_BUDGET_MS,
    runId: text(env, 'RUN_ID', 'lower-case letters, digits and dashes (at most 24, not starting with a dash)', RUN_ID),
    keepData: bool(env, 'KEEP_DATA', false),
    sloP95Ms: number(env, 'SLO_P95_MS', { min: 0, exclusiveMin: true, what: 'a positive number of milliseconds' }),
    sloP99Ms: number(env, 'SLO_P99_MS', { min: 0, exclusiveMin: true, what: 'a positive number of milliseconds' }),
    sloErrorRate: number(env, 'SLO_ERROR_RATE', { min: 0, max: 1, what: 'a fraction from 0 to 1' }),
    summaryPath: text(env, 'SUMMARY_PATH', 'a file path', /^\S+$/) ?? DEFAULT_SUMMARY_PATH,
  };
  if (config.caCertPath !== undefined && !config.tls) {
    throw new ConfigError('OPEN_SAVES_CA_CERT', 'OPEN_SAVES_TLS=true when a CA certificate is given', config.caCertPath);
  }
  if (config.sloP95Ms !== undefined && config.sloP99Ms !== undefined && config.sloP99Ms < config.sloP95Ms) {
    throw new ConfigError('SLO_P99_MS', `a value >= SLO_P95_MS (${config.sloP95Ms})`, String(config.sloP99Ms));
  }
  return Object.freeze(config);
}

/** The configuration as printed in the summary: the auth token is never shown. */
export function describeConfig(config: Config): Record<string, unknown> {
  return { ...config, authToken: config.authToken === undefined ? undefined : '(set, not shown)' };
}

function raw(env: Environment, name: string): string | undefined {
  const value = env[name];
  // An empty value (`-e RATE=`) means "use the default", as in most shells' configs.
  return value === undefined || value.trim() === '' ? undefined : value.trim();
}

function text(env: Environment, name: string, what: string, form: RegExp, secret = false): string | undefined {
  const value = raw(env, name);
  if (value !== undefined && !form.test(value)) throw new ConfigError(name, what, secret ? '(hidden)' : value);
  return value;
}

function oneOf<T extends string>(env: Environment, name: string, allowed: readonly T[], fallback: T): T {
  const value = raw(env, name);
  if (value === undefined) return fallback;
  const match = allowed.find((candidate) => candidate === value.toLowerCase());
  if (match === undefined) throw new ConfigError(name, `one of ${allowed.join(', ')}`, value);
  return match;
}

function bool(env: Environment, name: string, fallback: boolean): boolean {
  const value = raw(env, name);
  if (value === undefined) return fallback;
  const normalized = value.toLowerCase();
  if (['true', '1', 'yes'].includes(normalized)) return true;
  if (['false', '0', 'no'].includes(normalized)) return false;
  throw new ConfigError(name, 'true or false', value);
}

interface NumberRule {
  min?: number;
  max?: number;
  exclusiveMin?: boolean;
  what: string;
}

function number(env: Environment, name: string, rule: NumberRule): number | undefined {
  const value = raw(env, name);
  if (value === undefined) return undefined;
  const parsed = /^-?\d+(\.\d+)?$/.test(value) ? Number(value) : Number.NaN;
  const tooLow = rule.min !== undefined && (rule.exclusiveMin ? parsed <= rule.min : parsed < rule.min);
  const tooHigh = rule.max !== undefined && parsed > rule.max;
  if (!Number.isFinite(parsed) || tooLow || tooHigh) throw new ConfigError(name, rule.what, value);
  return parsed;
}

function integer(env: Environment, name: string, min: number, max?: number): number | undefined {
  const value = raw(env, name);
  if (value === undefined) return undefined;
  const parsed = /^\d+$/.test(value) ? Number(value) : Number.NaN;
  const expected = max === undefined ? `an integer >= ${min}` : `an integer from ${min} to ${max}`;
  if (!Number.isSafeInteger(parsed) || parsed < min || (max !== undefined && parsed > max)) throw new ConfigError(name, expected, value);
  return parsed;
}

function duration(env: Environment, name: string): string | undefined {
  return text(env, name, 'a k6 duration such as 30s, 1m30s or 500ms', DURATION);
}

function hostPort(env: Environment, name: string, fallback: string): string {
  const value = raw(env, name) ?? fallback;
  const match = HOST_PORT.exec(value);
  const port = match ? Number(match[2]) : 0;
  if (!match || port < 1 || port > 65_535) throw new ConfigError(name, 'host:port with a port from 1 to 65535', value);
  return value;
}

function httpUrl(env: Environment, name: string, fallback: string): string {
  const value = raw(env, name) ?? fallback;
  if (!HTTP_URL.test(value)) throw new ConfigError(name, 'an http:// or https:// base URL without query', value);
  return value.replace(/\/+$/, '');
}

function stages(env: Environment, name: string): Stage[] | undefined {
  const value = raw(env, name);
  if (value === undefined) return undefined;
  const expected = 'a JSON array of {"duration": "30s", "target": 100} objects';
  let parsed: unknown;
  try {
    parsed = JSON.parse(value);
  } catch {
    throw new ConfigError(name, expected, value);
  }
  if (!Array.isArray(parsed) || parsed.length === 0) throw new ConfigError(name, expected, value);
  return parsed.map((stage: unknown) => {
    const candidate = stage as { duration?: unknown; target?: unknown } | null;
    const ok =
      typeof candidate === 'object' &&
      candidate !== null &&
      typeof candidate.duration === 'string' &&
      DURATION.test(candidate.duration) &&
      typeof candidate.target === 'number' &&
      Number.isFinite(candidate.target) &&
      candidate.target >= 0;
    if (!ok) throw new ConfigError(name, expected, value);
    return Object.freeze({ duration: candidate.duration as string, target: candidate.target as number });
  });
}

function blobSizes(env: Environment, name: string, fallback: string): number[] {
  const value = raw(env, name) ?? fallback;
  const expected = `a comma-separated list of sizes such as 1KB,100KB,1MB (each 1 B to ${MAX_BLOB_BYTES / 1_048_576}MB)`;
  const sizes = value.split(',').map((item) => {
    const match = SIZE.exec(item.trim());
    const bytes = match ? Number(match[1]) * (SIZE_UNITS[(match[2] ?? 'b').toLowerCase()] ?? Number.NaN) : Number.NaN;
    if (!Number.isSafeInteger(bytes) || bytes < 1 || bytes > MAX_BLOB_BYTES) throw new ConfigError(name, expected, value);
    return bytes;
  });
  return [...new Set(sizes)].sort((a, b) => a - b);
}
