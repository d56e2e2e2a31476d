import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { InfraConfigError, loadInfraConfig } from '../../catalogue/deployment.js';
import { exampleEnv } from './support/config.js';

const REQUIRED = [
  'OS_INFRA_EKS_CLUSTER',
  'OS_INFRA_S3_BUCKET',
  'OS_INFRA_ELASTICACHE_CLUSTER_IDS',
  'OS_INFRA_ALB',
  'OS_INFRA_ALB_TARGET_GROUP',
  'OS_INFRA_CLOUDFRONT_DISTRIBUTION_ID',
  'OS_INFRA_ALARM_EMAIL',
  'OS_INFRA_K6_RUNNER_IMAGE',
];

function problemsOf(env: Record<string, string | undefined>): readonly string[] {
  try {
    loadInfraConfig(env);
  } catch (error) {
    expect(error).toBeInstanceOf(InfraConfigError);
    expect((error as Error).name).toBe('InfraConfigError');
    return (error as InfraConfigError).problems;
  }
  throw new Error('expected loadInfraConfig to throw');
}

describe('loadInfraConfig', () => {
  it('applies the AWS port deployment defaults where the spec names them', () => {
    const config = loadInfraConfig(exampleEnv({ OS_INFRA_REGION: undefined }));
    expect(config.region).toBe('us-west-2');
    expect(config.dynamodbTables).toEqual({ stores: 'open-saves-stores', records: 'open-saves-records', metadata: 'open-saves-metadata' });
    expect(config.k6Namespace).toBe('OpenSaves/LoadTest');
    expect(config.k6Protocols).toEqual(['http']);
    expect(config.slo).toEqual({ p95Ms: 250, p99Ms: 500, errorRatePercent: 1 });
    expect(config.loadGeneration.parallelism).toBe(4);
  });

  it('reads every value from the environment map it is given', () => {
    const config = loadInfraConfig(
      exampleEnv({
        OS_INFRA_REGION: 'eu-central-1',
        OS_INFRA_ELASTICACHE_CLUSTER_IDS: 'redis-001, redis-002',
        OS_INFRA_K6_PROTOCOLS: 'grpc,http,grpc',
        OS_INFRA_SLO_P95_MS: '120',
        OS_INFRA_K6_PARALLELISM: '8',
        OS_INFRA_K6_ENV: 'OS_TARGET=open-saves.example.com:443,OS_PROFILE=soak',
      }),
    );
    expect(config.region).toBe('eu-central-1');
    expect(config.elasticacheClusterIds).toEqual(['redis-001', 'redis-002']);
    expect(config.k6Protocols).toEqual(['grpc', 'http']);
    expect(config.slo.p95Ms).toBe(120);
    expect(config.loadGeneration.parallelism).toBe(8);
    expect(config.loadGeneration.scriptEnv).toEqual({ OS_TARGET: 'open-saves.example.com:443', OS_PROFILE: 'soak' });
    expect(Object.isFrozen(config)).toBe(true);
  });

  it.each(REQUIRED)('names the missing required variable %s', (name) => {
    const problems = problemsOf(exampleEnv({ [name]: undefined }));
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(new RegExp(`^missing ${name}; reason: expected .+, got nothing$`));
  });

  it('treats an empty value as missing', () => {
    expect(problemsOf(exampleEnv({ OS_INFRA_S3_BUCKET: '   ' }))[0]).toMatch(/^missing OS_INFRA_S3_BUCKET/);
  });

  it('reports every problem at once, each with the value it got', () => {
    const problems = problemsOf(
      exampleEnv({
        OS_INFRA_REGION: 'mars',
        OS_INFRA_ALB: 'my-alb',
        OS_INFRA_SLO_P99_MS: 'fast',
        OS_INFRA_K6_PROTOCOLS: 'grpc,websocket',
        OS_INFRA_K6_PARALLELISM: '0',
        OS_INFRA_ALARM_EMAIL: undefined,
      }),
    );
    expect(problems).toEqual([
      expect.stringMatching(/^invalid OS_INFRA_K6_PROTOCOLS; reason: expected .*grpc.*http.*, got `grpc,websocket`$/),
      expect.stringMatching(/^invalid OS_INFRA_REGION; reason: expected an AWS region.*, got `mars`$/),
      expect.stringMatching(/^invalid OS_INFRA_ALB; reason: expected .*app\/<name>\/<id>, got `my-alb`$/),
      expect.stringMatching(/^missing OS_INFRA_ALARM_EMAIL/),
      expect.stringMatching(/^invalid OS_INFRA_SLO_P99_MS; reason: expected a positive number of milliseconds, got `fast`$/),
      expect.stringMatching(/^invalid OS_INFRA_K6_PARALLELISM; reason: expected an integer between 1 and 100, got `0`$/),
    ]);
  });

  it('rejects a malformed KEY=VALUE list for the runner environment', () => {
    expect(problemsOf(exampleEnv({ OS_INFRA_K6_ENV: 'OS_TARGET' }))[0]).toMatch(/^invalid OS_INFRA_K6_ENV; reason: expected comma-separated KEY=VALUE pairs, got `OS_TARGET`$/);
  });

  it('takes an optional run id in the form the scenarios accept as RUN_ID', () => {
    expect(loadInfraConfig(exampleEnv({ OS_INFRA_K6_RUN_ID: undefined })).k6RunId).toBeUndefined();
    expect(loadInfraConfig(exampleEnv({ OS_INFRA_K6_RUN_ID: 'soak-7' })).k6RunId).toBe('soak-7');
    expect(problemsOf(exampleEnv({ OS_INFRA_K6_RUN_ID: 'Soak_7' }))[0]).toMatch(/^invalid OS_INFRA_K6_RUN_ID; reason: expected lower-case letters, digits and dashes .*, got `Soak_7`$/);
  });

  it('names only the malformed pair of the runner environment, not the rest of the list', () => {
    expect(problemsOf(exampleEnv({ OS_INFRA_K6_ENV: 'PROFILE=load,OS_TARGET,RATE=9' }))).toEqual([
      'invalid OS_INFRA_K6_ENV; reason: expected comma-separated KEY=VALUE pairs, got `OS_TARGET`',
    ]);
  });

  it.each(['OPEN_SAVES_AUTH_TOKEN', 'AWS_SECRET_ACCESS_KEY', 'AWS_ACCESS_KEY_ID', 'DB_PASSWORD', 'STRIPE_APIKEY', 'GAME_API_KEY', 'PRIVATE_KEYS', 'PLAYER_CREDENTIALS', 'BASIC_AUTH', 'SESSION_COOKIE', 'Bearer_token'])(
    'refuses %s in OS_INFRA_K6_ENV, naming OS_INFRA_K6_SECRET_ENV and not the value',
    (name) => {
      const problems = problemsOf(exampleEnv({ OS_INFRA_K6_ENV: `PROFILE=load,${name}=s3cr3t-value-1` }));
      expect(problems).toEqual([
        `invalid OS_INFRA_K6_ENV; reason: expected no secret as a plain value (the TestRun, cdktf.out and Terraform state would hold it): pass ${name} by reference with OS_INFRA_K6_SECRET_ENV=${name}=<secret-name>/<key> or ${name}=<Secrets Manager secret ARN>, got \`${name}=...\` (value not shown)`,
      ]);
      expect(problems.join('\n')).not.toContain('s3cr3t-value-1');
    },
  );

  it.each(['OPEN_SAVES_HTTP_URL', 'KEEP_DATA', 'MONKEY_COUNT', 'KEYSPACE', 'AUTHOR', 'OPEN_SAVES_CA_CERT', 'RECORDS_PER_STORE'])('takes %s in OS_INFRA_K6_ENV', (name) => {
    expect(loadInfraConfig(exampleEnv({ OS_INFRA_K6_ENV: `${name}=x` })).loadGeneration.scriptEnv).toEqual({ [name]: 'x' });
  });

  it('takes the run id only from OS_INFRA_K6_RUN_ID', () => {
    expect(problemsOf(exampleEnv({ OS_INFRA_K6_ENV: 'RUN_ID=run-9' }))).toEqual([
      "invalid OS_INFRA_K6_ENV; reason: expected the run id in OS_INFRA_K6_RUN_ID (the runners' keys, their results folder and the alarms share it), got `RUN_ID=run-9`",
    ]);
  });

  it('reads secret references: a Kubernetes Secret and key, or a Secrets Manager ARN with an optional JSON key', () => {
    const arn = 'arn:aws:secretsmanager:us-west-2:123456789012:secret:loadtest/open-saves-token-AbCdEf';
    const config = loadInfraConfig(exampleEnv({ OS_INFRA_K6_SECRET_ENV: `OPEN_SAVES_AUTH_TOKEN=open-saves-token/token, OTHER_TOKEN=${arn}#token,WHOLE=${arn}` }));
    expect(config.loadGeneration.secretEnv).toEqual([
      { name: 'OPEN_SAVES_AUTH_TOKEN', source: { kind: 'kubernetes-secret', secretName: 'open-saves-token', key: 'token' } },
      { name: 'OTHER_TOKEN', source: { kind: 'secrets-manager', arn, jsonKey: 'token' } },
      { name: 'WHOLE', source: { kind: 'secrets-manager', arn } },
    ]);
    expect(loadInfraConfig(exampleEnv()).loadGeneration.secretEnv).toEqual([]);
  });

  it('names the variable, the form and the entry for a bad secret reference, and hides a value that is no reference', () => {
    const form = "comma-separated NAME=<secret-name>/<key> (a Kubernetes Secret in the runners' namespace) or NAME=<Secrets Manager secret ARN>[#<json-key>], e.g. OPEN_SAVES_AUTH_TOKEN=open-saves-token/token";
    expect(problemsOf(exampleEnv({ OS_INFRA_K6_SECRET_ENV: 'OPEN_SAVES_AUTH_TOKEN=Open_Saves/token' }))).toEqual([
      `invalid OS_INFRA_K6_SECRET_ENV; reason: expected ${form}, got \`OPEN_SAVES_AUTH_TOKEN=Open_Saves/token\``,
    ]);
    expect(problemsOf(exampleEnv({ OS_INFRA_K6_SECRET_ENV: 'OPEN_SAVES_AUTH_TOKEN=s3cr3t-value-1' }))).toEqual([
      `invalid OS_INFRA_K6_SECRET_ENV; reason: expected ${form}, got \`OPEN_SAVES_AUTH_TOKEN=... (not a reference; value not shown)\``,
    ]);
    expect(problemsOf(exampleEnv({ OS_INFRA_K6_SECRET_ENV: '9TOKEN=tok/token' }))[0]).toMatch(/^invalid OS_INFRA_K6_SECRET_ENV; reason: expected comma-separated NAME=.*, got `9TOKEN=tok\/token`$/);
    expect(problemsOf(exampleEnv({ OS_INFRA_K6_SECRET_ENV: 'A=tok/token,A=tok/other' }))).toEqual(['invalid OS_INFRA_K6_SECRET_ENV; reason: expected each name once, got `A` twice']);
    expect(problemsOf(exampleEnv({ OS_INFRA_K6_ENV: 'TRANSPORT=http', OS_INFRA_K6_SECRET_ENV: 'TRANSPORT=tok/t' }))).toEqual([
      'invalid OS_INFRA_K6_SECRET_ENV; reason: expected each name in only one of OS_INFRA_K6_ENV and OS_INFRA_K6_SECRET_ENV, got `TRANSPORT` in both',
    ]);
    const elsewhere = 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:token-AbCdEf';
    expect(problemsOf(exampleEnv({ OS_INFRA_K6_SECRET_ENV: `T=${elsewhere}` }))).toEqual([
      `invalid OS_INFRA_K6_SECRET_ENV; reason: expected a Secrets Manager secret in OS_INFRA_REGION (us-west-2), got \`T=${elsewhere}\``,
    ]);
    expect(problemsOf(exampleEnv({ OS_INFRA_K6_SECRET_ENV: 'T=arn:aws:secretsmanager:us-west-2:123456789012:secret:x#not-a-key' }))[0]).toMatch(/^invalid OS_INFRA_K6_SECRET_ENV; reason: expected comma-separated/);
  });

  it('reads where the runners keep their results: an optional existing bucket and a prefix', () => {
    expect(loadInfraConfig(exampleEnv()).loadGeneration.results).toEqual({ prefix: 'k6-results' });
    expect(loadInfraConfig(exampleEnv({ OS_INFRA_RESULTS_BUCKET: 'team-results', OS_INFRA_RESULTS_PREFIX: '/open-saves/k6/' })).loadGeneration.results).toEqual({
      bucket: 'team-results',
      prefix: 'open-saves/k6',
    });
    expect(problemsOf(exampleEnv({ OS_INFRA_RESULTS_BUCKET: 'Team_Results' }))[0]).toMatch(/^invalid OS_INFRA_RESULTS_BUCKET; reason: expected an existing S3 bucket .*, got `Team_Results`$/);
    expect(problemsOf(exampleEnv({ OS_INFRA_RESULTS_BUCKET: 'example-open-saves-blobs' }))).toEqual([
      "invalid OS_INFRA_RESULTS_BUCKET; reason: expected a bucket other than OS_INFRA_S3_BUCKET (the runners' writes would show in the blob bucket's request metrics), got `example-open-saves-blobs`",
    ]);
    for (const prefix of ['k6 results', 'a//b', 'a/../b', 'x'.repeat(201)]) {
      expect(problemsOf(exampleEnv({ OS_INFRA_RESULTS_PREFIX: prefix }))).toEqual([
        `invalid OS_INFRA_RESULTS_PREFIX; reason: expected an S3 key prefix of letters, digits, ., _ and - in /-separated parts, such as k6-results (at most 200 characters), got \`${prefix}\``,
      ]);
    }
  });

  it('takes an optional CPU request per runner in cores', () => {
    expect(loadInfraConfig(exampleEnv()).loadGeneration.runnerCpu).toBeUndefined();
    expect(loadInfraConfig(exampleEnv({ OS_INFRA_K6_RUNNER_CPU: '3.5' })).loadGeneration.runnerCpu).toBe('3.5');
    for (const cpu of ['0', '0.25', '65', '4000m', 'four']) {
      expect(problemsOf(exampleEnv({ OS_INFRA_K6_RUNNER_CPU: cpu }))).toEqual([
        `invalid OS_INFRA_K6_RUNNER_CPU; reason: expected a number of cores each runner requests, 0.5 to 64, such as 4 or 3.5, got \`${cpu}\``,
      ]);
    }
  });

  it('refuses a p99 SLO below the p95 SLO', () => {
    expect(problemsOf(exampleEnv({ OS_INFRA_SLO_P95_MS: '300', OS_INFRA_SLO_P99_MS: '200' }))).toEqual([
      'invalid OS_INFRA_SLO_P99_MS; reason: expected at least OS_INFRA_SLO_P95_MS (300), got `200`',
    ]);
  });

  it('refuses a k6 namespace in the reserved AWS/ space', () => {
    expect(problemsOf(exampleEnv({ OS_INFRA_K6_NAMESPACE: 'AWS/LoadTest' }))[0]).toMatch(/^invalid OS_INFRA_K6_NAMESPACE/);
  });
});

describe('infra/README.md', () => {
  it('documents every variable the configuration reads', () => {
    const source = readFileSync(new URL('../../catalogue/deployment.ts', import.meta.url), 'utf8');
    const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');
    const variables = new Set(source.match(/OS_INFRA_[A-Z0-9_]+/g));
    expect(variables.size).toBeGreaterThan(25);
    for (const name of variables) expect(readme, name).toContain(`\`${name}\``);
  });
});
