// The component model file (--model FILE): its shape, its defaults (the AWS port as
// its Terraform and deploy.yaml deploy it, where they say), and validation whose
// messages name the file, the field, what was expected and what was found.
import { readFileSync } from 'node:fs';
import { ConfigError } from '../errors.js';
import { RPC_NAMES } from '../constants.js';
import { HTTP_OPERATION_NAMES, TABLE_KINDS, type TableKind } from './port-operations.js';
import { PORT_WAF } from './waf.js';


export interface HpaConfig {
  /** average CPU as a percentage of the pods' CPU request, as Kubernetes' HPA measures it */
  targetCpuPercent: number;
  /** how often the HPA evaluates (Kubernetes: 15 s) */
  periodSeconds: number;
  /** from the HPA's decision to a new pod serving (scheduling, image pull, readiness) */
  scaleUpDelaySeconds: number;
  /** the HPA scales down to the highest recommendation of this trailing window (Kubernetes: 300 s) */
  scaleDownStabilizationSeconds: number;
}

export interface PodsConfig {
  min: number;
  max: number;
  initial: number;
  cpuLimitMillicores: number;
  cpuRequestMillicores: number;
  /** the node's allocatable CPU, the denominator of pod_cpu_utilization */
  nodeCpuMillicores: number;
  /** requests waiting for a pod, beyond which the load balancer answers 503 */
  queueLimit: number;
  /** CPU time one request costs a pod, per operation (RPC or Http* name); `default` for the rest */
  cpuMs: Readonly<Record<string, number>> & { readonly default: number };
  hpa: HpaConfig;
}

export interface TableConfig {
  tableName: string;
  mode: 'provisioned' | 'on-demand';
  /** provisioned: read and write capacity units per second */
  rcu?: number;
  wcu?: number;
  /** provisioned: unused capacity kept for bursts (DynamoDB keeps up to 300 s) */
  burstSeconds: number;
  /** on-demand: the table's maximum throughput setting, if any (none: never throttles) */
  maxRcu?: number;
  maxWcu?: number;
  /** a typical item, until the model has seen real ones */
  itemBytes: number;
  /** global secondary indexes every item is written to */
  gsiCount: number;
}

export interface DynamoConfig {
  /** latency of one DynamoDB call, added to the request's time and reported as SuccessfulRequestLatency */
  latencyMs: number;
  /** the SDK's retries of a throttled call: attempts in all, and the first backoff (doubling after) */
  retry: { maxAttempts: number; baseDelayMs: number };
  tables: Readonly<Record<TableKind, TableConfig>>;
}

export interface CacheConfig {
  clusterId: string;
  /** maxmemory of the node */
  memoryBytes: number;
  vcpus: number;
  /** engine CPU time per Redis command */
  cpuMsPerOp: number;
  ttlSeconds: number;
  /** each running pod's Redis connection pool */
  connectionsPerPod: number;
  /** Redis's own bytes per key beyond the key and value */
  keyOverheadBytes: number;
}

export interface WafModelConfig {
  limit: number;
  windowSeconds: number;
  /** CloudWatch dimension values: the web ACL's and the rate rule's metric names */
  webAcl: string;
  rule: string;
}

export interface NamesConfig {
  cluster: string;
  namespace: string;
  service: string;
  podName: string;
}

export interface ModelConfig {
  /** where it was read from ('' when built in code) */
  file: string;
  /** seconds of 1 s points kept for /metrics/history */
  historySeconds: number;
  names: NamesConfig;
  pods: PodsConfig;
  dynamodb: DynamoConfig;
  cache: CacheConfig;
  /** undefined: no WAF rule unless --waf-limit sets one */
  waf: WafModelConfig | undefined;
}

export const DEFAULT_MODEL_FILE = 'data/aws-port-model.json';

// Defaults for fields a model file leaves out: the port as deployed where its files say
// (2 replicas, 100m/500m, HPA 2-10 at 70 %, the three tables and their GSIs), plausible
// figures elsewhere (documented in emulator/README.md).
const DEFAULT_TABLES: Record<TableKind, TableConfig> = {
  stores: { tableName: 'open-saves-stores', mode: 'on-demand', burstSeconds: 300, itemBytes: 200, gsiCount: 0 },
  records: { tableName: 'open-saves-records', mode: 'on-demand', burstSeconds: 300, itemBytes: 1024, gsiCount: 2 },
  metadata: { tableName: 'open-saves-metadata', mode: 'on-demand', burstSeconds: 300, itemBytes: 150, gsiCount: 0 },
};

const OPERATION_NAMES = new Set<string>(['default', ...RPC_NAMES, ...HTTP_OPERATION_NAMES]);

type Json = Record<string, unknown>;

/** Reads and validates a model file; any problem is one ConfigError naming file and field. */
export function loadModelFile(path: string): ModelConfig {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new ConfigError(`cannot read model file ${path}: ${(error as NodeJS.ErrnoException).code ?? String(error)}`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new ConfigError(`model file ${path} is not JSON: ${error instanceof Error ? error.message : String(error)}`);
  }
  return parseModel(json, path);
}

export function parseModel(json: unknown, file: string): ModelConfig {
  const v = new Validator(file);
  const root = v.object(json, '');
  v.only(root, '', ['$comment', 'historySeconds', 'names', 'pods', 'dynamodb', 'cache', 'waf']);
  const names = v.object(root.names ?? {}, 'names');
  v.only(names, 'names', ['cluster', 'namespace', 'service', 'podName']);
  const pods = v.object(root.pods ?? {}, 'pods');
  v.only(pods, 'pods', ['min', 'max', 'initial', 'cpuLimitMillicores', 'cpuRequestMillicores', 'nodeCpuMillicores', 'queueLimit', 'cpuMs', 'hpa']);
  const hpa = v.object(pods.hpa ?? {}, 'pods.hpa');
  v.only(hpa, 'pods.hpa', ['targetCpuPercent', 'periodSeconds', 'scaleUpDelaySeconds', 'scaleDownStabilizationSeconds']);
  const cpuMsJson = v.object(pods.cpuMs ?? {}, 'pods.cpuMs');
  const cpuMs: Record<string, number> = { default: 2 };
  for (const [name, value] of Object.entries(cpuMsJson)) {
    if (name === '$comment') continue;
    if (!OPERATION_NAMES.has(name)) v.fail(`pods.cpuMs.${name}`, '"default", an RPC name (GetRecord) or an HTTP operation name (HttpGetRecord)', name);
    cpuMs[name] = v.number(value, `pods.cpuMs.${name}`, { min: 0 });
  }
  const min = v.int(pods.min, 'pods.min', { min: 1, fallback: 2 });
  const max = v.int(pods.max, 'pods.max', { min: min, fallback: Math.max(10, min), expected: `an integer >= pods.min (${min})` });
  const initial = v.int(pods.initial, 'pods.initial', { min, max, fallback: min, expected: `an integer from pods.min (${min}) to pods.max (${max})` });

  const dynamo = v.object(root.dynamodb ?? {}, 'dynamodb');
  v.only(dynamo, 'dynamodb', ['$comment', 'latencyMs', 'retry', 'tables']);
  const retry = v.object(dynamo.retry ?? {}, 'dynamodb.retry');
  v.only(retry, 'dynamodb.retry', ['$comment', 'maxAttempts', 'baseDelayMs']);
  const tablesJson = v.object(dynamo.tables ?? {}, 'dynamodb.tables');
  v.only(tablesJson, 'dynamodb.tables', ['$comment', ...TABLE_KINDS]);
  const tables = {} as Record<TableKind, TableConfig>;
  for (const kind of TABLE_KINDS) tables[kind] = parseTable(v, tablesJson[kind], `dynamodb.tables.${kind}`, DEFAULT_TABLES[kind]);

  const cache = v.object(root.cache ?? {}, 'cache');
  v.only(cache, 'cache', ['$comment', 'clusterId', 'memoryBytes', 'vcpus', 'cpuMsPerOp', 'ttlSeconds', 'connectionsPerPod', 'keyOverheadBytes']);

  let waf: WafModelConfig | undefined;
  if (root.waf !== undefined) {
    const wafJson = v.object(root.waf, 'waf');
    v.only(wafJson, 'waf', ['$comment', 'limit', 'windowSeconds', 'webAcl', 'rule']);
    waf = {
      limit: v.int(wafJson.limit, 'waf.limit', { min: 1, fallback: PORT_WAF.limit }),
      windowSeconds: v.int(wafJson.windowSeconds, 'waf.windowSeconds', { min: 1, fallback: PORT_WAF.windowSeconds }),
      webAcl: v.string(wafJson.webAcl, 'waf.webAcl', DEFAULT_WAF_NAMES.webAcl),
      rule: v.string(wafJson.rule, 'waf.rule', DEFAULT_WAF_NAMES.rule),
    };
  }

  return Object.freeze({
    file,
    historySeconds: v.int(root.historySeconds, 'historySeconds', { min: 60, max: 7 * 86_400, fallback: 6 * 3600 }),
    names: {
      cluster: v.string(names.cluster, 'names.cluster', 'open-saves-cluster'),
      namespace: v.string(names.namespace, 'names.namespace', 'open-saves'),
      service: v.string(names.service, 'names.service', 'open-saves'),
      podName: v.string(names.podName, 'names.podName', 'open-saves'),
    },
    pods: {
      min,
      max,
      initial,
      cpuLimitMillicores: v.number(pods.cpuLimitMillicores, 'pods.cpuLimitMillicores', { min: 1, fallback: 500 }),
      cpuRequestMillicores: v.number(pods.cpuRequestMillicores, 'pods.cpuRequestMillicores', { min: 1, fallback: 100 }),
      nodeCpuMillicores: v.number(pods.nodeCpuMillicores, 'pods.nodeCpuMillicores', { min: 1, fallback: 2000 }),
      queueLimit: v.int(pods.queueLimit, 'pods.queueLimit', { min: 0, fallback: 256 }),
      cpuMs: cpuMs as PodsConfig['cpuMs'],
      hpa: {
        targetCpuPercent: v.number(hpa.targetCpuPercent, 'pods.hpa.targetCpuPercent', { min: 1, fallback: 70 }),
        periodSeconds: v.int(hpa.periodSeconds, 'pods.hpa.periodSeconds', { min: 1, fallback: 15 }),
        scaleUpDelaySeconds: v.int(hpa.scaleUpDelaySeconds, 'pods.hpa.scaleUpDelaySeconds', { min: 0, fallback: 30 }),
        scaleDownStabilizationSeconds: v.int(hpa.scaleDownStabilizationSeconds, 'pods.hpa.scaleDownStabilizationSeconds', { min: 0, fallback: 300 }),
      },
    },
    dynamodb: {
      latencyMs: v.number(dynamo.latencyMs, 'dynamodb.latencyMs', { min: 0, fallback: 3 }),
      retry: {
        maxAttempts: v.int(retry.maxAttempts, 'dynamodb.retry.maxAttempts', { min: 1, max: 10, fallback: 3 }),
        baseDelayMs: v.number(retry.baseDelayMs, 'dynamodb.retry.baseDelayMs', { min: 0, fallback: 50 }),
      },
      tables,
    },
    cache: {
      clusterId: v.string(cache.clusterId, 'cache.clusterId', 'open-saves-cache-001'),
      memoryBytes: v.int(cache.memoryBytes, 'cache.memoryBytes', { min: 1024, fallback: 536_870_912 }),
      vcpus: v.int(cache.vcpus, 'cache.vcpus', { min: 1, fallback: 2 }),
      cpuMsPerOp: v.number(cache.cpuMsPerOp, 'cache.cpuMsPerOp', { min: 0, fallback: 0.02 }),
      ttlSeconds: v.int(cache.ttlSeconds, 'cache.ttlSeconds', { min: 1, fallback: 3600 }),
      connectionsPerPod: v.int(cache.connectionsPerPod, 'cache.connectionsPerPod', { min: 0, fallback: 10 }),
      keyOverheadBytes: v.int(cache.keyOverheadBytes, 'cache.keyOverheadBytes', { min: 0, fallback: 64 }),
    },
    waf,
  });
}

/** The CloudWatch names of the port's CloudFront web ACL and rate rule (step 5 of its Terraform, amd64). */
export const DEFAULT_WAF_NAMES = { webAcl: 'OpenSavesCloudfrontWAF-amd64', rule: 'CFRateLimitRule' } as const;

function parseTable(v: Validator, raw: unknown, field: string, fallback: TableConfig): TableConfig {
  const json = v.object(raw ?? {}, field);
  v.only(json, field, ['$comment', 'tableName', 'mode', 'rcu', 'wcu', 'burstSeconds', 'maxRcu', 'maxWcu', 'itemBytes', 'gsiCount']);
  const mode = json.mode ?? fallback.mode;
  if (mode !== 'provisioned' && mode !== 'on-demand') v.fail(`${field}.mode`, '"provisioned" or "on-demand"', mode);
  const table: TableConfig = {
    tableName: v.string(json.tableName, `${field}.tableName`, fallback.tableName),
    mode: mode as TableConfig['mode'],
    burstSeconds: v.number(json.burstSeconds, `${field}.burstSeconds`, { min: 1, max: 300, fallback: fallback.burstSeconds }),
    itemBytes: v.int(json.itemBytes, `${field}.itemBytes`, { min: 1, fallback: fallback.itemBytes }),
    gsiCount: v.int(json.gsiCount, `${field}.gsiCount`, { min: 0, max: 20, fallback: fallback.gsiCount }),
  };
  if (mode === 'provisioned') {
    for (const key of ['maxRcu', 'maxWcu'] as const) {
      if (json[key] !== undefined) v.fail(`${field}.${key}`, 'no maxRcu/maxWcu on a provisioned table (they belong to on-demand mode)', json[key]);
    }
    table.rcu = v.number(json.rcu, `${field}.rcu`, { min: 1, expected: 'a number of read capacity units >= 1 (provisioned mode needs rcu and wcu)' });
    table.wcu = v.number(json.wcu, `${field}.wcu`, { min: 1, expected: 'a number of write capacity units >= 1 (provisioned mode needs rcu and wcu)' });
  } else {
    for (const key of ['rcu', 'wcu'] as const) {
      if (json[key] !== undefined) v.fail(`${field}.${key}`, `no ${key} on an on-demand table (set "mode": "provisioned", or maxRcu/maxWcu)`, json[key]);
    }
    if (json.maxRcu !== undefined) table.maxRcu = v.number(json.maxRcu, `${field}.maxRcu`, { min: 1 });
    if (json.maxWcu !== undefined) table.maxWcu = v.number(json.maxWcu, `${field}.maxWcu`, { min: 1 });
  }
  return table;
}

interface NumberRule {
  min?: number;
  max?: number;
  fallback?: number;
  expected?: string;
}

class Validator {
  constructor(private readonly file: string) {}

  fail(field: string, expected: string, got: unknown): never {
    const shown = typeof got === 'string' ? JSON.stringify(got) : got === undefined ? 'nothing' : JSON.stringify(got);
    throw new ConfigError(`invalid model file ${this.file}, field ${field || '(top level)'}; reason: expected ${expected}, got ${shown}`);
  }

  object(value: unknown, field: string): Json {
    if (typeof value !== 'object' || value === null || Array.isArray(value)) this.fail(field, 'a JSON object', value);
    return value as Json;
  }

  only(json: Json, field: string, allowed: readonly string[]): void {
    for (const key of Object.keys(json)) {
      if (!allowed.includes(key)) this.fail(field ? `${field}.${key}` : key, `one of the fields ${allowed.filter((k) => k !== '$comment').join(', ')}`, key);
    }
  }

  string(value: unknown, field: string, fallback: string): string {
    if (value === undefined) return fallback;
    if (typeof value !== 'string' || value.trim() === '') this.fail(field, 'a non-empty string', value);
    return value;
  }

  number(value: unknown, field: string, rule: NumberRule): number {
    if (value === undefined && rule.fallback !== undefined) return rule.fallback;
    const ok =
      typeof value === 'number' &&
      Number.isFinite(value) &&
      (rule.min === undefined || value >= rule.min) &&
      (rule.max === undefined || value <= rule.max);
    if (!ok) this.fail(field, rule.expected ?? describe('a number', rule), value);
    return value as number;
  }

  int(value: unknown, field: string, rule: NumberRule): number {
    const n = this.number(value, field, { ...rule, expected: rule.expected ?? describe('an integer', rule) });
    if (!Number.isInteger(n)) this.fail(field, rule.expected ?? describe('an integer', rule), value);
    return n;
  }
}

function describe(kind: string, rule: NumberRule): string {
  if (rule.min !== undefined && rule.max !== undefined) return `${kind} from ${rule.min} to ${rule.max}`;
  if (rule.min !== undefined) return `${kind} >= ${rule.min}`;
  if (rule.max !== undefined) return `${kind} <= ${rule.max}`;
  return kind;
}
