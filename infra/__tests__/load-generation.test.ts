import { IamRole } from '@cdktf/provider-aws/lib/iam-role/index.js';
import { DataAwsIamPolicyDocument } from '@cdktf/provider-aws/lib/data-aws-iam-policy-document/index.js';
import { ConfigMapV1 } from '@cdktf/provider-kubernetes/lib/config-map-v1/index.js';
import { Manifest } from '@cdktf/provider-kubernetes/lib/manifest/index.js';
import { KubernetesProvider } from '@cdktf/provider-kubernetes/lib/provider/index.js';
import { ServiceAccountV1 } from '@cdktf/provider-kubernetes/lib/service-account-v1/index.js';
import { Testing } from 'cdktf';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { K6TestRun } from '../constructs/k6-test-run.js';
import { MetricsWriterRole } from '../constructs/metrics-writer-role.js';
import { LoadGenerationStack, RUNNER_SERVICE_ACCOUNT } from '../stacks/load-generation-stack.js';
import { exampleConfig } from './support/config.js';
import { dataSourcesOf, resourcesOf, synthStack } from './support/synth.js';

describe('MetricsWriterRole', () => {
  const synth = Testing.synthScope((scope) => {
    new MetricsWriterRole(scope, 'writer', {
      name: 'writer',
      oidcIssuerUrl: 'https://oidc.example.com/id/ABC',
      oidcProviderArn: 'provider-arn',
      kubernetesNamespace: 'load',
      serviceAccountName: 'runner',
      metricNamespace: 'OpenSaves/LoadTest',
    });
  });
  const docs = dataSourcesOf({ json: synth, doc: JSON.parse(synth) }, 'aws_iam_policy_document');

  it('may only put metric data, and only into the load test namespace', () => {
    const permissions = docs.find((d) => d.statement[0].actions.includes('cloudwatch:PutMetricData'));
    expect(permissions?.statement).toEqual([
      {
        effect: 'Allow',
        actions: ['cloudwatch:PutMetricData'],
        resources: ['*'],
        condition: [{ test: 'StringEquals', variable: 'cloudwatch:namespace', values: ['OpenSaves/LoadTest'] }],
      },
    ]);
  });

  it('is assumable only by the runner service account through the cluster OIDC provider', () => {
    expect(synth).toHaveDataSourceWithProperties(DataAwsIamPolicyDocument, {
      statement: [
        {
          actions: ['sts:AssumeRoleWithWebIdentity'],
          principals: [{ type: 'Federated', identifiers: ['provider-arn'] }],
          condition: [
            { test: 'StringEquals', variable: '${replace("https://oidc.example.com/id/ABC", "https://", "")}:sub', values: ['system:serviceaccount:load:runner'] },
            { test: 'StringEquals', variable: '${replace("https://oidc.example.com/id/ABC", "https://", "")}:aud', values: ['sts.amazonaws.com'] },
          ],
        },
      ],
    });
    expect(synth).toHaveResourceWithProperties(IamRole, { name: 'writer' });
  });
});

describe('K6TestRun', () => {
  const synth = Testing.synthScope((scope) => {
    new K6TestRun(scope, 'run', {
      name: 'soak',
      namespace: 'load',
      parallelism: 6,
      runnerImage: 'registry.example.com/k6:1',
      archivePath: 'dist/opensaves-k6.tar',
      roleArn: 'role-arn',
      serviceAccountName: 'runner',
      env: { K6_CLOUDWATCH_SINK: 'api' },
      arguments: ['--out', 'cloudwatch'],
    });
  });

  it('runs the archive from a ConfigMap on N runners of the kit image', () => {
    expect(synth).toHaveResourceWithProperties(Manifest, {
      manifest: {
        apiVersion: 'k6.io/v1alpha1',
        kind: 'TestRun',
        metadata: { name: 'soak', namespace: 'load' },
        spec: {
          parallelism: 6,
          arguments: '--out cloudwatch',
          script: { configMap: { file: 'opensaves-k6.tar' } },
          runner: { image: 'registry.example.com/k6:1', env: [{ name: 'K6_CLOUDWATCH_SINK', value: 'api' }] },
        },
      },
    });
    expect(synth).not.toHaveResourceWithProperties(Manifest, { manifest: { spec: { parallelism: 5 } } });
  });

  it('reads the archive when Terraform plans, so synth needs no archive file', () => {
    expect(synth).toHaveResourceWithProperties(ConfigMapV1, {
      binary_data: { 'opensaves-k6.tar': `\${filebase64("${resolve('dist/opensaves-k6.tar')}")}` },
    });
  });

  it('binds the runner service account to the IRSA role', () => {
    expect(synth).toHaveResourceWithProperties(ServiceAccountV1, {
      metadata: { name: 'runner', annotations: { 'eks.amazonaws.com/role-arn': 'role-arn' } },
    });
  });
});

describe('LoadGenerationStack', () => {
  const config = exampleConfig({ OS_INFRA_K6_PARALLELISM: '12', OS_INFRA_K6_ENV: 'OPEN_SAVES_HTTP_URL=https://d111111abcdef8.cloudfront.net' });
  const result = synthStack(new LoadGenerationStack(Testing.app(), 'loadgen', config));

  it('talks to the EKS cluster with a token, not a kubeconfig', () => {
    expect(result.json).toHaveProviderWithProperties(KubernetesProvider, {
      host: '${data.aws_eks_cluster.cluster.endpoint}',
      token: '${data.aws_eks_cluster_auth.cluster-auth.token}',
    });
  });

  it('gives the runners the CloudWatch output settings and the script environment', () => {
    const runs = resourcesOf(result, 'kubernetes_manifest');
    expect(runs).toHaveLength(1);
    const run = runs[0] as Record<string, any>;
    expect(run.manifest.spec.parallelism).toBe(12);
    expect(run.manifest.metadata.name).toBe('opensaves-loadtest-k6');
    expect(run.manifest.spec.arguments).toBe('--out cloudwatch');
    expect(run.manifest.spec.runner.env).toEqual([
      { name: 'K6_CLOUDWATCH_SINK', value: 'api' },
      { name: 'K6_CLOUDWATCH_NAMESPACE', value: 'OpenSaves/LoadTest' },
      { name: 'K6_CLOUDWATCH_REGION', value: 'us-west-2' },
      { name: 'SLO_P95_MS', value: '250' },
      { name: 'SLO_P99_MS', value: '500' },
      { name: 'SLO_ERROR_RATE', value: '0.01' },
      { name: 'TRANSPORT', value: 'http' },
      { name: 'OPEN_SAVES_HTTP_URL', value: 'https://d111111abcdef8.cloudfront.net' },
    ]);
  });

  it('passes the configured run id to the scenario as RUN_ID', () => {
    const tagged = synthStack(new LoadGenerationStack(Testing.app(), 't', exampleConfig({ OS_INFRA_K6_RUN_ID: 'run-42' })));
    expect((resourcesOf(tagged, 'kubernetes_manifest')[0] as Record<string, any>).manifest.spec.runner.env).toContainEqual({ name: 'RUN_ID', value: 'run-42' });
  });

  it('leaves TRANSPORT to the runner environment when both protocols are watched, and lets it override', () => {
    const both = synthStack(new LoadGenerationStack(Testing.app(), 'both', exampleConfig({ OS_INFRA_K6_PROTOCOLS: 'grpc,http' })));
    const env = (resourcesOf(both, 'kubernetes_manifest')[0] as Record<string, any>).manifest.spec.runner.env as { name: string }[];
    expect(env.map((e) => e.name)).not.toContain('TRANSPORT');
    const overridden = synthStack(new LoadGenerationStack(Testing.app(), 'o', exampleConfig({ OS_INFRA_K6_ENV: 'TRANSPORT=grpc' })));
    const runnerEnv = (resourcesOf(overridden, 'kubernetes_manifest')[0] as Record<string, any>).manifest.spec.runner.env;
    expect(runnerEnv).toContainEqual({ name: 'TRANSPORT', value: 'grpc' });
    expect(runnerEnv.filter((e: { name: string }) => e.name === 'TRANSPORT')).toHaveLength(1);
    expect(result.json).toHaveResourceWithProperties(ServiceAccountV1, { metadata: { name: RUNNER_SERVICE_ACCOUNT } });
  });
});
