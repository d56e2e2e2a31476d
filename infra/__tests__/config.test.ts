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
    expect(loadInfraConfig(exampleEnv()).k6RunId).toBeUndefined();
    expect(loadInfraConfig(exampleEnv({ OS_INFRA_K6_RUN_ID: 'soak-7' })).k6RunId).toBe('soak-7');
    expect(problemsOf(exampleEnv({ OS_INFRA_K6_RUN_ID: 'Soak_7' }))[0]).toMatch(/^invalid OS_INFRA_K6_RUN_ID; reason: expected lower-case letters, digits and dashes .*, got `Soak_7`$/);
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
