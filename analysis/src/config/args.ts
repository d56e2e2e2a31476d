// Command-line arguments -> a frozen AnalysisConfig. Every problem is a ConfigError naming the flag.
import { fileURLToPath } from 'node:url';
import { DEFAULT_FORMATS, type ReportFormat } from './constants.js';
import { parseDurationMs } from './duration.js';
import { ConfigError, invalid } from './errors.js';

export const DEFAULT_SLO_PATH = fileURLToPath(new URL('../../../data/slo.json', import.meta.url));
export const DEFAULT_PRICES_PATH = fileURLToPath(new URL('../../../data/aws-prices.json', import.meta.url));

export interface AnalysisConfig {
  inputs: readonly string[];
  outDir: string;
  baseline: string | null;
  /** the scenario's handleSummary file; null: look for summary.json beside the first input */
  k6Summary: string | null;
  sloPath: string;
  pricesPath: string;
  /** time-series resolution; 'auto' picks one from the run's length (bucket.ts) */
  bucketMs: number | 'auto';
  formats: ReadonlySet<ReportFormat>;
  lenient: boolean;
  workers: number | 'auto';
  /** a latency percentile more than this many percent slower (and significant) fails the comparison gate */
  maxRegressionPct: number;
  /** where the server metrics of the run window come from, if anywhere */
  serverMetrics: ServerMetricsSource | null;
  /** iterations/s the scaling recommendations size for; null: the run's peak offered rate */
  goalRate: number | null;
  help: boolean;
}

export type ServerMetricsSource =
  | { kind: 'emulator'; url: string }
  /** infraEnvPath null: the OS_INFRA_* variables of the environment */
  | { kind: 'cloudwatch'; infraEnvPath: string | null };

const VALUE_FLAGS = new Set([
  '--out-dir',
  '--baseline',
  '--k6-summary',
  '--slo',
  '--prices',
  '--bucket',
  '--format',
  '--workers',
  '--max-regression',
  '--server-metrics',
  '--infra-env',
  '--goal-rate',
]);
const BOOLEAN_FLAGS = new Set(['--lenient', '--cloudwatch', '--help', '-h']);

export function parseArgs(argv: readonly string[]): Readonly<AnalysisConfig> {
  const inputs: string[] = [];
  const values = new Map<string, string>();
  const booleans = new Set<string>();
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (!arg.startsWith('-') || arg === '-') {
      inputs.push(arg);
      continue;
    }
    const [flag, inline] = arg.includes('=') ? [arg.slice(0, arg.indexOf('=')), arg.slice(arg.indexOf('=') + 1)] : [arg, undefined];
    if (BOOLEAN_FLAGS.has(flag)) {
      if (inline !== undefined) throw invalid(flag, 'no value', inline);
      booleans.add(flag === '-h' ? '--help' : flag);
    } else if (VALUE_FLAGS.has(flag)) {
      const value = inline ?? argv[++i];
      if (value === undefined || (inline === undefined && value.startsWith('--'))) throw invalid(flag, 'a value after it', value ?? '');
      values.set(flag, value);
    } else {
      throw new ConfigError(`unknown option ${flag}; see --help`);
    }
  }
  const help = booleans.has('--help');
  if (!help && inputs.length === 0) throw new ConfigError('no input files; usage: analyze <k6-output.json[.gz]...> [options], see --help');

  const bucketText = values.get('--bucket');
  const bucketMs = bucketText === undefined || bucketText === 'auto' ? 'auto' : parseDurationMs(bucketText);
  if (bucketMs === null || (bucketMs !== 'auto' && bucketMs < 100)) {
    throw invalid('--bucket', '"auto" or a duration of at least 100ms such as 10s, 500ms or 1m', bucketText);
  }

  const formats = new Set<ReportFormat>();
  for (const format of (values.get('--format') ?? DEFAULT_FORMATS.join(',')).split(',').map((f) => f.trim())) {
    if (!(DEFAULT_FORMATS as readonly string[]).includes(format)) {
      throw invalid('--format', `a comma-separated list of ${DEFAULT_FORMATS.join(', ')}`, values.get('--format'));
    }
    formats.add(format as ReportFormat);
  }

  const workersText = values.get('--workers') ?? 'auto';
  const workers = workersText === 'auto' ? 'auto' : Number(workersText);
  if (workers !== 'auto' && !(Number.isInteger(workers) && workers >= 0 && workers <= 64)) {
    throw invalid('--workers', '"auto" or an integer from 0 (no worker threads) to 64', workersText);
  }

  const regressionText = values.get('--max-regression') ?? '10';
  const maxRegressionPct = Number(regressionText.replace(/%$/, ''));
  if (!(Number.isFinite(maxRegressionPct) && maxRegressionPct > 0)) {
    throw invalid('--max-regression', 'a percentage above 0 such as 10 or 10%', regressionText);
  }

  const goalText = values.get('--goal-rate');
  const goalRate = goalText === undefined ? null : Number(goalText.replace(/\/s$/, ''));
  if (goalRate !== null && !(Number.isFinite(goalRate) && goalRate > 0)) {
    throw invalid('--goal-rate', 'a rate above 0 in iterations per second, such as 5000', goalText);
  }

  return Object.freeze({
    inputs: Object.freeze([...inputs]),
    outDir: values.get('--out-dir') ?? 'report',
    baseline: values.get('--baseline') ?? null,
    k6Summary: values.get('--k6-summary') ?? null,
    sloPath: values.get('--slo') ?? DEFAULT_SLO_PATH,
    pricesPath: values.get('--prices') ?? DEFAULT_PRICES_PATH,
    bucketMs,
    formats,
    lenient: booleans.has('--lenient'),
    workers,
    maxRegressionPct,
    serverMetrics: serverMetricsSource(values, booleans),
    goalRate,
    help,
  });
}

function serverMetricsSource(values: ReadonlyMap<string, string>, booleans: ReadonlySet<string>): ServerMetricsSource | null {
  const url = values.get('--server-metrics');
  const cloudwatch = booleans.has('--cloudwatch');
  const infraEnv = values.get('--infra-env') ?? null;
  if (url !== undefined && cloudwatch) throw invalid('--server-metrics', 'either --server-metrics URL or --cloudwatch, not both', url);
  if (infraEnv !== null && !cloudwatch) throw invalid('--infra-env', '--cloudwatch with it (the file names the deployment CloudWatch is read for)', infraEnv);
  if (cloudwatch) return { kind: 'cloudwatch', infraEnvPath: infraEnv };
  if (url === undefined) return null;
  let parsed: URL | null = null;
  try {
    parsed = new URL(url);
  } catch {
    parsed = null;
  }
  if (parsed === null || (parsed.protocol !== 'http:' && parsed.protocol !== 'https:')) {
    throw invalid('--server-metrics', "the emulator's HTTP URL, such as http://127.0.0.1:8080", url);
  }
  return { kind: 'emulator', url };
}
