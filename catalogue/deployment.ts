// The one typed, validated configuration of the CDKTF app, read from environment
// variables (OS_INFRA_*). Defaults follow the AWS port's deployment where
// shared/spec/open-saves-aws-http.md names them; everything account-specific is required.
import { K6_METRICS } from './k6-metrics.js';
import type { Protocol } from './operations.js';

export interface SloThresholds {
  readonly p95Ms: number;
  readonly p99Ms: number;
  readonly errorRatePercent: number;
}

export interface BackendThresholds {
  readonly dynamodbLatencyMs: number;
  readonly dynamodbThrottleEvents: number;
  readonly dynamodbSystemErrors: number;
  readonly redisMemoryPercent: number;
  readonly redisConnections: number;
  readonly redisEvictions: number;
}

// Where a runner's environment variable takes its value from, never the value itself.
export type SecretSource =
  | { readonly kind: 'kubernetes-secret'; readonly secretName: string; readonly key: string }
  | { readonly kind: 'secrets-manager'; readonly arn: string; readonly jsonKey?: string };

export interface SecretEnvVar {
  readonly name: string;
  readonly source: SecretSource;
}

// The S3 location every runner writes its raw k6 samples to: s3://<bucket>/<prefix>/<RUN_ID>/<pod>.json.gz.
export interface ResultsLocation {
  // An existing bucket; without it the load-generation stack creates one.
  readonly bucket?: string;
  readonly prefix: string;
}

export interface LoadGenerationConfig {
  readonly namespace: string;
  readonly runnerImage: string;
  readonly parallelism: number;
  // Cores each runner pod requests, so the scheduler spreads the runners over nodes that have them.
  readonly runnerCpu?: string;
  readonly archivePath: string;
  readonly scriptEnv: Readonly<Record<string, string>>;
  readonly secretEnv: readonly SecretEnvVar[];
  readonly results: ResultsLocation;
}

// CloudFront-scope WAF resources (IP sets, rule groups, web ACLs) exist only in us-east-1.
export const CLOUDFRONT_WAF_REGION = 'us-east-1';

// Exempts the load generators from the port's CloudFront WAF (infra/README.md, "WAF allow-list").
export interface WafAllowlistConfig {
  // Fixed IPv4 CIDRs, or the public addresses of the NAT gateways in the EKS cluster's VPC.
  readonly egress: { readonly kind: 'cidrs'; readonly cidrs: readonly string[] } | { readonly kind: 'cluster-nat' };
  // The port's CloudFront web ACL; without it the rule is added to that ACL by hand.
  readonly webAclArn?: string;
  // Must be lower than the port's rate-based rule's priority, and unused in that ACL.
  readonly priority: number;
}

export interface InfraConfig {
  readonly region: string;
  readonly prefix: string;
  readonly eksCluster: string;
  readonly eksNamespace: string;
  readonly eksService: string;
  readonly dynamodbTables: { readonly stores: string; readonly records: string; readonly metadata: string };
  readonly s3Bucket: string;
  readonly elasticacheClusterIds: readonly string[];
  readonly albLoadBalancer: string;
  readonly albTargetGroup: string;
  readonly cloudfrontDistributionId: string;
  readonly alarmEmail: string;
  readonly k6Namespace: string;
  readonly k6Scenario: string;
  readonly k6RunId?: string;
  readonly k6Protocols: readonly Protocol[];
  readonly slo: SloThresholds;
  readonly backend: BackendThresholds;
  readonly loadGeneration: LoadGenerationConfig;
  readonly grafanaAuthProvider: 'AWS_SSO' | 'SAML';
  readonly wafAllowlist?: WafAllowlistConfig;
}

export class InfraConfigError extends Error {
  readonly problems: readonly string[];
  constructor(problems: readonly string[]) {
    super(`invalid infra configuration:\n  ${problems.join('\n  ')}`);
    this.name = 'InfraConfigError';
    this.problems = problems;
  }
}

export type Env = Readonly<Record<string, string | undefined>>;

// Reads one variable after another and records every problem, so one run names them all.
class EnvReader {
  readonly problems: string[] = [];
  constructor(private readonly env: Env) {}

  private raw(name: string): string | undefined {
    const value = this.env[name]?.trim();
    return value === '' ? undefined : value;
  }

  private invalid(name: string, expected: string, got: string): void {
    this.problems.push(`invalid ${name}; reason: expected ${expected}, got \`${got}\``);
  }

  string(name: string, expected: string, pattern: RegExp, fallback?: string): string {
    const value = this.raw(name) ?? fallback;
    if (value === undefined) {
      this.problems.push(`missing ${name}; reason: expected ${expected}, got nothing`);
      return '';
    }
    if (!pattern.test(value)) this.invalid(name, expected, value);
    return value;
  }

  optional(name: string, expected: string, pattern: RegExp): string | undefined {
    const value = this.raw(name);
    if (value !== undefined && !pattern.test(value)) this.invalid(name, expected, value);
    return value;
  }

  list(name: string, expected: string, item: RegExp, fallback?: string): string[] {
    const value = this.string(name, expected, /.*/, fallback);
    const items = value.split(',').map((part) => part.trim()).filter((part) => part !== '');
    if (value !== '' && (items.length === 0 || !items.every((part) => item.test(part)))) {
      this.invalid(name, expected, value);
    }
    return items;
  }

  number(name: string, expected: string, fallback: number, isValid: (n: number) => boolean): number {
    const value = this.raw(name);
    if (value === undefined) return fallback;
    const parsed = Number(value);
    if (!/^-?\d+(\.\d+)?$/.test(value) || !isValid(parsed)) {
      this.invalid(name, expected, value);
      return fallback;
    }
    return parsed;
  }

  // Names the bad pair only, not the whole list: another pair may hold a value not to be printed.
  keyValues(name: string): Record<string, string> {
    const value = this.raw(name);
    const result: Record<string, string> = {};
    if (value === undefined) return result;
    for (const pair of value.split(',')) {
      const match = /^\s*([A-Za-z_][A-Za-z0-9_]*)=(.*?)\s*$/.exec(pair);
      if (match === null) {
        this.invalid(name, 'comma-separated KEY=VALUE pairs', pair.trim());
        return {};
      }
      result[match[1] as string] = match[2] as string;
    }
    return result;
  }
}

const NAME = /^[A-Za-z0-9][A-Za-z0-9_.-]*$/;
const DNS_LABEL = /^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/;
const nonNegative = (n: number): boolean => n >= 0;
const positive = (n: number): boolean => n > 0;

// The scenarios' RUN_ID form (scripts/lib/config/config.ts): it becomes the testid tag.
function optionalRunId(read: EnvReader): { k6RunId?: string } {
  const value = read.optional('OS_INFRA_K6_RUN_ID', 'lower-case letters, digits and dashes (at most 24, not starting with a dash)', /^[a-z0-9][a-z0-9-]{0,23}$/);
  return value === undefined ? {} : { k6RunId: value };
}

const IPV4_OCTET = '(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)';
const IPV4_CIDR = new RegExp(`^${IPV4_OCTET}\\.${IPV4_OCTET}\\.${IPV4_OCTET}\\.${IPV4_OCTET}/(\\d{1,2})$`);

// A /16 or narrower range with no host bits: anything wider would exempt far more than a runner pool.
function isEgressCidr(cidr: string): boolean {
  const match = IPV4_CIDR.exec(cidr);
  if (match === null) return false;
  const prefix = Number(match[5]);
  const address = match.slice(1, 5).reduce((sum, octet) => sum * 256 + Number(octet), 0);
  return prefix >= 16 && prefix <= 32 && address % 2 ** (32 - prefix) === 0;
}

// Off unless OS_INFRA_LOAD_EGRESS_CIDRS or OS_INFRA_WAF_WEB_ACL_ARN is set; with only the ARN,
// the egress is the cluster VPC's NAT gateways.
function optionalWafAllowlist(read: EnvReader): { wafAllowlist?: WafAllowlistConfig } {
  const cidrsName = 'OS_INFRA_LOAD_EGRESS_CIDRS';
  const cidrsExpected = 'comma-separated IPv4 CIDRs such as 203.0.113.7/32 (prefix /16 to /32, host bits zero), or cluster-nat';
  const rawCidrs = read.optional(cidrsName, cidrsExpected, /.*/);
  const webAclArn = read.optional(
    'OS_INFRA_WAF_WEB_ACL_ARN',
    "the ARN of the port's CloudFront web ACL, arn:aws:wafv2:us-east-1:<account>:global/webacl/<name>/<id> (a regional/ ARN does not protect CloudFront)",
    /^arn:aws:wafv2:us-east-1:\d{12}:global\/webacl\/[\w-]{1,128}\/[0-9a-f-]{36}$/,
  );
  const priorityName = 'OS_INFRA_WAF_ALLOW_PRIORITY';
  const priority = read.number(priorityName, "an integer >= 0, lower than the port's rate-based rule's priority", 0, (n) => Number.isInteger(n) && n >= 0);
  if (rawCidrs === undefined && webAclArn === undefined) {
    const lonePriority = read.optional(priorityName, 'any', /.*/);
    if (lonePriority !== undefined) read.problems.push(`invalid ${priorityName}; reason: expected it only with ${cidrsName} or OS_INFRA_WAF_WEB_ACL_ARN, got \`${lonePriority}\` alone`);
    return {};
  }
  let egress: WafAllowlistConfig['egress'] = { kind: 'cluster-nat' };
  if (rawCidrs !== undefined && rawCidrs !== 'cluster-nat') {
    const cidrs = [...new Set(rawCidrs.split(',').map((part) => part.trim()).filter((part) => part !== ''))];
    const bad = cidrs.filter((cidr) => !isEgressCidr(cidr));
    for (const cidr of bad) read.problems.push(`invalid ${cidrsName}; reason: expected ${cidrsExpected}, got \`${cidr}\``);
    if (cidrs.length === 0) read.problems.push(`invalid ${cidrsName}; reason: expected ${cidrsExpected}, got \`${rawCidrs}\``);
    egress = { kind: 'cidrs', cidrs };
  }
  return { wafAllowlist: { egress, priority, ...(webAclArn === undefined ? {} : { webAclArn }) } };
}

const SCRIPT_ENV = 'OS_INFRA_K6_ENV';
const SECRET_ENV = 'OS_INFRA_K6_SECRET_ENV';

// Names that usually hold a credential. The long words match anywhere in a name; the short
// ones only as a whole `_`-separated part (AWS_ACCESS_KEY_ID, but not MONKEY_COUNT).
const SECRET_LOOKING = /TOKEN|SECRET|PASSWORD|PASSWD|PASSPHRASE|CREDENTIAL|APIKEY|(^|_)(KEY|AUTH|PRIVATE|COOKIE)S?(_|$)/i;

function looksSecret(name: string): boolean {
  return SECRET_LOOKING.test(name);
}

// OS_INFRA_K6_ENV goes into the TestRun as plain values, so it takes no credential and no RUN_ID.
function scriptEnv(read: EnvReader): Record<string, string> {
  const env = read.keyValues(SCRIPT_ENV);
  for (const name of Object.keys(env)) {
    if (looksSecret(name)) {
      read.problems.push(
        `invalid ${SCRIPT_ENV}; reason: expected no secret as a plain value (the TestRun, cdktf.out and Terraform state would hold it): ` +
          `pass ${name} by reference with ${SECRET_ENV}=${name}=<secret-name>/<key> or ${name}=<Secrets Manager secret ARN>, got \`${name}=...\` (value not shown)`,
      );
      delete env[name];
    } else if (name === 'RUN_ID') {
      read.problems.push(
        `invalid ${SCRIPT_ENV}; reason: expected the run id in OS_INFRA_K6_RUN_ID (the runners' keys, their results folder and the alarms share it), got \`RUN_ID=${env[name]}\``,
      );
      delete env[name];
    }
  }
  return env;
}

const SECRET_ENV_FORM =
  'comma-separated NAME=<secret-name>/<key> (a Kubernetes Secret in the runners\' namespace) or NAME=<Secrets Manager secret ARN>[#<json-key>], e.g. OPEN_SAVES_AUTH_TOKEN=open-saves-token/token';
const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
// A Kubernetes Secret's name (a DNS subdomain) and one of its keys.
const KUBERNETES_SECRET_REF = /^([a-z0-9](?:[-a-z0-9.]{0,251}[a-z0-9])?)\/([-._a-zA-Z0-9]{1,253})$/;
// A JSON key is kept to a plain JMESPath identifier, which the Secrets Store CSI provider reads unquoted.
const SECRETS_MANAGER_REF = /^(arn:aws:secretsmanager:([a-z]{2}(?:-[a-z]+)+-\d):\d{12}:secret:[A-Za-z0-9/_+=.@-]+)(?:#([A-Za-z_][A-Za-z0-9_]*))?$/;

function secretSource(reference: string): { source: SecretSource; region?: string } | undefined {
  const kubernetes = KUBERNETES_SECRET_REF.exec(reference);
  if (kubernetes !== null) return { source: { kind: 'kubernetes-secret', secretName: kubernetes[1] as string, key: kubernetes[2] as string } };
  const arn = SECRETS_MANAGER_REF.exec(reference);
  if (arn === null) return undefined;
  const jsonKey = arn[3];
  return { source: { kind: 'secrets-manager', arn: arn[1] as string, ...(jsonKey === undefined ? {} : { jsonKey }) }, region: arn[2] as string };
}

// NAME=<reference> pairs. A value that is no reference may be the secret itself, so it is not printed.
function secretEnv(read: EnvReader, region: string, plainNames: readonly string[]): SecretEnvVar[] {
  const raw = read.optional(SECRET_ENV, 'any', /.*/) ?? '';
  const result: SecretEnvVar[] = [];
  for (const entry of raw.split(',').map((part) => part.trim()).filter((part) => part !== '')) {
    const at = entry.indexOf('=');
    const name = at < 0 ? entry : entry.slice(0, at);
    const reference = at < 0 ? '' : entry.slice(at + 1).trim();
    const parsed = secretSource(reference);
    if (!ENV_NAME.test(name) || parsed === undefined) {
      const shown = reference.includes('/') || reference.startsWith('arn:') ? entry : `${name}=... (not a reference; value not shown)`;
      read.problems.push(`invalid ${SECRET_ENV}; reason: expected ${SECRET_ENV_FORM}, got \`${shown}\``);
    } else if (parsed.region !== undefined && parsed.region !== region) {
      read.problems.push(`invalid ${SECRET_ENV}; reason: expected a Secrets Manager secret in OS_INFRA_REGION (${region}), got \`${entry}\``);
    } else if (result.some((known) => known.name === name)) {
      read.problems.push(`invalid ${SECRET_ENV}; reason: expected each name once, got \`${name}\` twice`);
    } else if (plainNames.includes(name)) {
      read.problems.push(`invalid ${SECRET_ENV}; reason: expected each name in only one of ${SCRIPT_ENV} and ${SECRET_ENV}, got \`${name}\` in both`);
    } else {
      result.push({ name, source: parsed.source });
    }
  }
  return result;
}

const RESULTS_PREFIX_FORM = 'an S3 key prefix of letters, digits, ., _ and - in /-separated parts, such as k6-results (at most 200 characters)';

function resultsLocation(read: EnvReader): ResultsLocation {
  const bucket = read.optional(
    'OS_INFRA_RESULTS_BUCKET',
    'an existing S3 bucket for the runners\' raw samples (without it the load-generation stack creates one)',
    /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/,
  );
  const given = read.string('OS_INFRA_RESULTS_PREFIX', RESULTS_PREFIX_FORM, /.*/, 'k6-results');
  const prefix = given.replace(/^\/+|\/+$/g, '');
  const parts = prefix.split('/');
  if (prefix.length > 200 || !parts.every((part) => /^[A-Za-z0-9._-]+$/.test(part) && !/^\.+$/.test(part))) {
    read.problems.push(`invalid OS_INFRA_RESULTS_PREFIX; reason: expected ${RESULTS_PREFIX_FORM}, got \`${given}\``);
  }
  return { ...(bucket === undefined ? {} : { bucket }), prefix };
}

function loadGenerationConfig(read: EnvReader, region: string): LoadGenerationConfig {
  const namespace = read.string('OS_INFRA_K6_LOADGEN_NAMESPACE', 'a Kubernetes namespace for the k6 runners', DNS_LABEL, 'k6-loadtest');
  const runnerImage = read.string('OS_INFRA_K6_RUNNER_IMAGE', 'a container image holding the kit\'s k6 (see infra/runner/Dockerfile)', /^[a-z0-9][\w./:@-]*$/);
  const parallelism = read.number('OS_INFRA_K6_PARALLELISM', 'an integer between 1 and 100', 4, (n) => Number.isInteger(n) && n >= 1 && n <= 100);
  const runnerCpu = read.optional('OS_INFRA_K6_RUNNER_CPU', 'any', /.*/);
  if (runnerCpu !== undefined && !(/^\d+(\.\d+)?$/.test(runnerCpu) && Number(runnerCpu) >= 0.5 && Number(runnerCpu) <= 64)) {
    read.problems.push(`invalid OS_INFRA_K6_RUNNER_CPU; reason: expected a number of cores each runner requests, 0.5 to 64, such as 4 or 3.5, got \`${runnerCpu}\``);
  }
  const archivePath = read.string('OS_INFRA_K6_ARCHIVE', 'the path of the `make archive` output', /^[^\0]+$/, 'dist/opensaves-k6.tar');
  const plainEnv = scriptEnv(read);
  return {
    namespace,
    runnerImage,
    parallelism,
    ...(runnerCpu === undefined ? {} : { runnerCpu }),
    archivePath,
    scriptEnv: plainEnv,
    secretEnv: secretEnv(read, region, Object.keys(plainEnv)),
    results: resultsLocation(read),
  };
}

export function loadInfraConfig(env: Env): InfraConfig {
  const read = new EnvReader(env);
  const protocols = read.list('OS_INFRA_K6_PROTOCOLS', 'a comma-separated list of grpc and/or http', /^(grpc|http)$/, 'http');
  const region = read.string('OS_INFRA_REGION', 'an AWS region such as us-west-2', /^[a-z]{2}(-[a-z]+)+-\d$/, 'us-west-2');
  const config: InfraConfig = {
    region,
    prefix: read.string('OS_INFRA_PREFIX', 'a name prefix of letters, digits, - and _ (at most 64)', /^[A-Za-z0-9_-]{1,64}$/, 'opensaves-loadtest'),
    eksCluster: read.string('OS_INFRA_EKS_CLUSTER', 'the EKS cluster name running Open Saves', NAME),
    eksNamespace: read.string('OS_INFRA_EKS_NAMESPACE', 'the Kubernetes namespace of Open Saves', DNS_LABEL, 'default'),
    eksService: read.string('OS_INFRA_EKS_SERVICE', 'the Kubernetes service (and workload) name of Open Saves', DNS_LABEL, 'open-saves'),
    dynamodbTables: {
      stores: read.string('OS_INFRA_DYNAMODB_STORES_TABLE', 'a DynamoDB table name', /^[A-Za-z0-9_.-]{3,255}$/, 'open-saves-stores'),
      records: read.string('OS_INFRA_DYNAMODB_RECORDS_TABLE', 'a DynamoDB table name', /^[A-Za-z0-9_.-]{3,255}$/, 'open-saves-records'),
      metadata: read.string('OS_INFRA_DYNAMODB_METADATA_TABLE', 'a DynamoDB table name', /^[A-Za-z0-9_.-]{3,255}$/, 'open-saves-metadata'),
    },
    s3Bucket: read.string('OS_INFRA_S3_BUCKET', 'the S3 bucket of the blobs (the AWS port hard-codes an account-specific one)', /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/),
    elasticacheClusterIds: read.list('OS_INFRA_ELASTICACHE_CLUSTER_IDS', 'comma-separated ElastiCache cache cluster ids such as open-saves-redis-001', /^[A-Za-z][A-Za-z0-9-]{0,49}$/),
    albLoadBalancer: read.string('OS_INFRA_ALB', 'the ALB dimension value app/<name>/<id>', /^app\/[A-Za-z0-9-]+\/[0-9a-f]+$/),
    albTargetGroup: read.string('OS_INFRA_ALB_TARGET_GROUP', 'the target group dimension value targetgroup/<name>/<id>', /^targetgroup\/[A-Za-z0-9-]+\/[0-9a-f]+$/),
    cloudfrontDistributionId: read.string('OS_INFRA_CLOUDFRONT_DISTRIBUTION_ID', 'a CloudFront distribution id such as E2QWRUHAPOMQZL', /^E[A-Z0-9]{5,}$/),
    alarmEmail: read.string('OS_INFRA_ALARM_EMAIL', 'an e-mail address for the alarm topic', /^[^@\s]+@[^@\s]+\.[^@\s]+$/),
    k6Namespace: read.string('OS_INFRA_K6_NAMESPACE', 'a CloudWatch namespace (not starting with AWS/)', /^(?!AWS\/)[A-Za-z0-9._/#:-]{1,255}$/, K6_METRICS.namespace),
    // The kit's scenarios run as k6 scenario `main` (scripts/profiles/index.ts).
    k6Scenario: read.string('OS_INFRA_K6_SCENARIO', 'the k6 scenario tag value the alarms watch', /^[A-Za-z0-9_.-]{1,255}$/, 'main'),
    ...optionalRunId(read),
    k6Protocols: [...new Set(protocols)] as Protocol[],
    slo: {
      p95Ms: read.number('OS_INFRA_SLO_P95_MS', 'a positive number of milliseconds', 250, positive),
      p99Ms: read.number('OS_INFRA_SLO_P99_MS', 'a positive number of milliseconds', 500, positive),
      errorRatePercent: read.number('OS_INFRA_SLO_ERROR_RATE_PERCENT', 'a percentage between 0 and 100', 1, (n) => n >= 0 && n <= 100),
    },
    backend: {
      dynamodbLatencyMs: read.number('OS_INFRA_DYNAMODB_LATENCY_MS', 'a positive number of milliseconds', 20, positive),
      dynamodbThrottleEvents: read.number('OS_INFRA_DYNAMODB_THROTTLE_EVENTS', 'a count >= 0', 0, nonNegative),
      dynamodbSystemErrors: read.number('OS_INFRA_DYNAMODB_SYSTEM_ERRORS', 'a count >= 0', 0, nonNegative),
      redisMemoryPercent: read.number('OS_INFRA_REDIS_MEMORY_PERCENT', 'a percentage between 0 and 100', 80, (n) => n > 0 && n <= 100),
      redisConnections: read.number('OS_INFRA_REDIS_CONNECTIONS', 'a positive count', 1000, positive),
      redisEvictions: read.number('OS_INFRA_REDIS_EVICTIONS', 'a count >= 0', 0, nonNegative),
    },
    loadGeneration: loadGenerationConfig(read, region),
    grafanaAuthProvider: read.string('OS_INFRA_GRAFANA_AUTH', 'AWS_SSO or SAML', /^(AWS_SSO|SAML)$/, 'AWS_SSO') as 'AWS_SSO' | 'SAML',
    ...optionalWafAllowlist(read),
  };
  if (config.loadGeneration.results.bucket !== undefined && config.loadGeneration.results.bucket === config.s3Bucket) {
    read.problems.push(
      `invalid OS_INFRA_RESULTS_BUCKET; reason: expected a bucket other than OS_INFRA_S3_BUCKET (the runners' writes would show in the blob bucket's request metrics), got \`${config.s3Bucket}\``,
    );
  }
  if (config.slo.p99Ms < config.slo.p95Ms) {
    read.problems.push(`invalid OS_INFRA_SLO_P99_MS; reason: expected at least OS_INFRA_SLO_P95_MS (${config.slo.p95Ms}), got \`${config.slo.p99Ms}\``);
  }
  if (read.problems.length > 0) throw new InfraConfigError(read.problems);
  return Object.freeze(config);
}
