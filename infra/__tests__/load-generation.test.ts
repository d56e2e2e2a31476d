import { IamRole } from '@cdktf/provider-aws/lib/iam-role/index.js';
import { DataAwsIamPolicyDocument } from '@cdktf/provider-aws/lib/data-aws-iam-policy-document/index.js';
import { ConfigMapV1 } from '@cdktf/provider-kubernetes/lib/config-map-v1/index.js';
import { KubernetesProvider } from '@cdktf/provider-kubernetes/lib/provider/index.js';
import { ServiceAccountV1 } from '@cdktf/provider-kubernetes/lib/service-account-v1/index.js';
import { Testing } from 'cdktf';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { InfraConfigError, type InfraConfig } from '../../catalogue/deployment.js';
import { K6TestRun, K6_IMAGE_UID, type K6TestRunConfig } from '../constructs/load-generation/k6-test-run.js';
import { MetricsWriterRole } from '../constructs/load-generation/metrics-writer-role.js';
import { ABORT_INCOMPLETE_UPLOADS_AFTER_DAYS, bucketNamePrefix } from '../constructs/load-generation/results-bucket.js';
import { LoadGenerationStack, RUNNER_SERVICE_ACCOUNT } from '../stacks/load-generation-stack.js';
import { exampleConfig } from './support/config.js';
import { dataSourcesOf, resourcesOf, synthStack, type SynthResult } from './support/synth.js';

const SECRET_ARN = 'arn:aws:secretsmanager:us-west-2:123456789012:secret:open-saves-token-AbCdEf';

function manifestsOf(result: SynthResult, kind: string): Record<string, any>[] {
  return resourcesOf(result, 'kubernetes_manifest')
    .map((resource) => resource.manifest as Record<string, any>)
    .filter((manifest) => manifest.kind === kind);
}

function only<T>(items: readonly T[], what: string): T {
  expect(items, what).toHaveLength(1);
  return items[0] as T;
}

function testRunOf(result: SynthResult): Record<string, any> {
  return only(manifestsOf(result, 'TestRun'), 'TestRun');
}

function synthLoadGeneration(config: InfraConfig): SynthResult {
  return synthStack(new LoadGenerationStack(Testing.app(), 'loadgen', config));
}

function policyStatements(result: SynthResult, sid: string): Record<string, any>[] {
  return dataSourcesOf(result, 'aws_iam_policy_document').flatMap((doc) => doc.statement as Record<string, any>[]).filter((s) => s.sid === sid);
}

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
  const base: K6TestRunConfig = {
    name: 'soak-run-7',
    namespace: 'load',
    parallelism: 6,
    runnerImage: 'registry.example.com/k6:1',
    archivePath: 'dist/opensaves-k6.tar',
    roleArn: 'role-arn',
    serviceAccountName: 'runner',
    env: { K6_CLOUDWATCH_SINK: 'api' },
    secrets: { name: 'soak-secrets', region: 'eu-central-1', secretEnv: [] },
    results: { bucketName: 'results-bucket', keyPrefix: 'k6-results', region: 'eu-central-1', runId: 'run-7', volumeName: 'soak-results' },
    arguments: ['--out', 'cloudwatch'],
  };
  const synthRun = (config: K6TestRunConfig): SynthResult => {
    const json = Testing.synthScope((scope) => {
      new K6TestRun(scope, 'run', config);
    });
    return { json, doc: JSON.parse(json) };
  };
  const result = synthRun(base);
  const run = testRunOf(result);

  it('runs the archive from a ConfigMap on N runners of the kit image', () => {
    expect(run).toMatchObject({
      apiVersion: 'k6.io/v1alpha1',
      kind: 'TestRun',
      metadata: { name: 'soak-run-7', namespace: 'load' },
      spec: { parallelism: 6, script: { configMap: { file: 'opensaves-k6.tar' } }, runner: { image: 'registry.example.com/k6:1' } },
    });
  });

  it('streams to CloudWatch and writes each runner\'s raw samples to a file named after its pod, under the run\'s folder', () => {
    expect(run.spec.arguments).toBe('--out cloudwatch --out json=/results/run-7/$(POD_NAME).json.gz');
    // Kubernetes expands $(POD_NAME) in the runner's command from this entry (the downward API).
    expect(run.spec.runner.env).toEqual([
      { name: 'POD_NAME', valueFrom: { fieldRef: { fieldPath: 'metadata.name' } } },
      { name: 'K6_CLOUDWATCH_SINK', value: 'api' },
    ]);
  });

  it('mounts the results claim at /results and makes the run\'s folder before k6 starts, as the k6 user', () => {
    expect(run.spec.runner.volumes).toEqual([{ name: 'results', persistentVolumeClaim: { claimName: 'soak-results' } }]);
    expect(run.spec.runner.volumeMounts).toEqual([{ name: 'results', mountPath: '/results' }]);
    expect(run.spec.runner.initContainers).toEqual([
      { name: 'results-folder', image: 'registry.example.com/k6:1', command: ['mkdir', '-p', '/results/run-7'], volumeMounts: [{ name: 'results', mountPath: '/results' }] },
    ]);
    expect(run.spec.runner.securityContext).toEqual({ runAsUser: K6_IMAGE_UID, runAsGroup: K6_IMAGE_UID, fsGroup: K6_IMAGE_UID });
  });

  it('mounts the bucket\'s results prefix through the Mountpoint for Amazon S3 CSI driver, statically provisioned', () => {
    const volume = only(manifestsOf(result, 'PersistentVolume'), 'PersistentVolume');
    expect(volume).toEqual({
      apiVersion: 'v1',
      kind: 'PersistentVolume',
      metadata: { name: 'soak-results' },
      spec: {
        capacity: { storage: '1Gi' },
        accessModes: ['ReadWriteMany'],
        storageClassName: '',
        persistentVolumeReclaimPolicy: 'Retain',
        claimRef: { namespace: 'load', name: 'soak-results' },
        mountOptions: ['region eu-central-1', 'prefix k6-results/', `uid=${K6_IMAGE_UID}`, `gid=${K6_IMAGE_UID}`, 'allow-other'],
        csi: {
          driver: 's3.csi.aws.com',
          volumeHandle: 'soak-results',
          volumeAttributes: { bucketName: 'results-bucket', authenticationSource: 'pod', stsRegion: 'eu-central-1' },
        },
      },
    });
    // Neither deleting nor overwriting what a run wrote is allowed through the mount.
    expect(volume.spec.mountOptions.join(' ')).not.toMatch(/allow-delete|allow-overwrite/);
    const claim = only(manifestsOf(result, 'PersistentVolumeClaim'), 'PersistentVolumeClaim');
    expect(claim).toEqual({
      apiVersion: 'v1',
      kind: 'PersistentVolumeClaim',
      metadata: { name: 'soak-results', namespace: 'load' },
      spec: { accessModes: ['ReadWriteMany'], storageClassName: '', volumeName: 'soak-results', resources: { requests: { storage: '1Gi' } } },
    });
  });

  it('starts the TestRun only after the claim exists', () => {
    const entries = Object.entries(result.doc.resource.kubernetes_manifest) as [string, Record<string, any>][];
    const address = (kind: string): string => `kubernetes_manifest.${entries.find(([, r]) => r.manifest.kind === kind)?.[0]}`;
    const testRun = entries.find(([, r]) => r.manifest.kind === 'TestRun')?.[1];
    expect(testRun?.depends_on).toContain(address('PersistentVolumeClaim'));
  });

  it('references secrets by name and key: a Kubernetes Secret as it is, a Secrets Manager secret through the CSI driver\'s mirror', () => {
    const withSecrets = synthRun({
      ...base,
      secrets: {
        ...base.secrets,
        secretEnv: [
          { name: 'OPEN_SAVES_AUTH_TOKEN', source: { kind: 'kubernetes-secret', secretName: 'open-saves-token', key: 'token' } },
          { name: 'EXTRA_TOKEN', source: { kind: 'secrets-manager', arn: SECRET_ARN } },
          { name: 'JSON_TOKEN', source: { kind: 'secrets-manager', arn: SECRET_ARN, jsonKey: 'token' } },
        ],
      },
    });
    const runner = testRunOf(withSecrets).spec.runner;
    expect(runner.env.slice(2)).toEqual([
      { name: 'OPEN_SAVES_AUTH_TOKEN', valueFrom: { secretKeyRef: { name: 'open-saves-token', key: 'token' } } },
      { name: 'EXTRA_TOKEN', valueFrom: { secretKeyRef: { name: 'soak-secrets', key: 'EXTRA_TOKEN' } } },
      { name: 'JSON_TOKEN', valueFrom: { secretKeyRef: { name: 'soak-secrets', key: 'JSON_TOKEN' } } },
    ]);
    expect(runner.volumes).toContainEqual({
      name: 'secrets-store',
      csi: { driver: 'secrets-store.csi.k8s.io', readOnly: true, volumeAttributes: { secretProviderClass: 'soak-secrets' } },
    });
    expect(runner.volumeMounts).toContainEqual({ name: 'secrets-store', mountPath: '/mnt/secrets-store', readOnly: true });
    const providerClass = only(manifestsOf(withSecrets, 'SecretProviderClass'), 'SecretProviderClass');
    expect(providerClass).toEqual({
      apiVersion: 'secrets-store.csi.x-k8s.io/v1',
      kind: 'SecretProviderClass',
      metadata: { name: 'soak-secrets', namespace: 'load' },
      spec: {
        provider: 'aws',
        parameters: {
          region: 'eu-central-1',
          // One object per ARN: the whole secret as EXTRA_TOKEN, its JSON key `token` as JSON_TOKEN.
          objects: [
            `- objectName: "${SECRET_ARN}"`,
            '  objectAlias: "EXTRA_TOKEN"',
            '  jmesPath:',
            '    - path: "token"',
            '      objectAlias: "JSON_TOKEN"',
            '',
          ].join('\n'),
        },
        secretObjects: [
          {
            secretName: 'soak-secrets',
            type: 'Opaque',
            data: [
              { objectName: 'EXTRA_TOKEN', key: 'EXTRA_TOKEN' },
              { objectName: 'JSON_TOKEN', key: 'JSON_TOKEN' },
            ],
          },
        ],
      },
    });
  });

  it('adds no Secrets Store volume or SecretProviderClass when no Secrets Manager secret is referenced', () => {
    expect(manifestsOf(result, 'SecretProviderClass')).toEqual([]);
    expect(run.spec.runner.volumes.map((v: { name: string }) => v.name)).toEqual(['results']);
  });

  it('reads the archive when Terraform plans, so synth needs no archive file', () => {
    expect(result.json).toHaveResourceWithProperties(ConfigMapV1, {
      binary_data: { 'opensaves-k6.tar': `\${filebase64("${resolve('dist/opensaves-k6.tar')}")}` },
    });
  });

  it('binds the runner service account to the IRSA role', () => {
    expect(result.json).toHaveResourceWithProperties(ServiceAccountV1, {
      metadata: { name: 'runner', annotations: { 'eks.amazonaws.com/role-arn': 'role-arn' } },
    });
  });
});

describe('LoadGenerationStack', () => {
  const config = exampleConfig({
    OS_INFRA_K6_PARALLELISM: '12',
    OS_INFRA_K6_RUN_ID: 'run-42',
    OS_INFRA_K6_ENV: 'OPEN_SAVES_HTTP_URL=https://d111111abcdef8.cloudfront.net',
    OS_INFRA_K6_SECRET_ENV: 'OPEN_SAVES_AUTH_TOKEN=open-saves-token/token',
  });
  const result = synthLoadGeneration(config);
  const run = testRunOf(result);

  it('talks to the EKS cluster with a token, not a kubeconfig', () => {
    expect(result.json).toHaveProviderWithProperties(KubernetesProvider, {
      host: '${data.aws_eks_cluster.cluster.endpoint}',
      token: '${data.aws_eks_cluster_auth.cluster-auth.token}',
    });
  });

  it('makes one TestRun per run id, with the CloudWatch output settings, the script environment and the token by reference', () => {
    expect(run.spec.parallelism).toBe(12);
    expect(run.metadata.name).toBe('opensaves-loadtest-k6-run-42');
    expect(run.spec.arguments).toBe('--out cloudwatch --out json=/results/run-42/$(POD_NAME).json.gz');
    expect(run.spec.runner.env).toEqual([
      { name: 'POD_NAME', valueFrom: { fieldRef: { fieldPath: 'metadata.name' } } },
      { name: 'K6_CLOUDWATCH_SINK', value: 'api' },
      { name: 'K6_CLOUDWATCH_NAMESPACE', value: 'OpenSaves/LoadTest' },
      { name: 'K6_CLOUDWATCH_REGION', value: 'us-west-2' },
      { name: 'SLO_P95_MS', value: '250' },
      { name: 'SLO_P99_MS', value: '500' },
      { name: 'SLO_ERROR_RATE', value: '0.01' },
      { name: 'TRANSPORT', value: 'http' },
      { name: 'RUN_ID', value: 'run-42' },
      { name: 'OPEN_SAVES_HTTP_URL', value: 'https://d111111abcdef8.cloudfront.net' },
      { name: 'OPEN_SAVES_AUTH_TOKEN', valueFrom: { secretKeyRef: { name: 'open-saves-token', key: 'token' } } },
    ]);
  });

  it('makes a private results bucket when none is named, and mounts it with the configured prefix', () => {
    const bucket = only(resourcesOf(result, 'aws_s3_bucket'), 'aws_s3_bucket');
    expect(bucket.bucket_prefix).toBe('opensaves-loadtest-k6-results-');
    expect(bucket.force_destroy).toBeUndefined();
    expect(only(resourcesOf(result, 'aws_s3_bucket_public_access_block'), 'public access block')).toMatchObject({
      block_public_acls: true,
      block_public_policy: true,
      ignore_public_acls: true,
      restrict_public_buckets: true,
    });
    expect(only(resourcesOf(result, 'aws_s3_bucket_lifecycle_configuration'), 'lifecycle').rule).toEqual([
      {
        id: 'abort-incomplete-runner-uploads',
        status: 'Enabled',
        filter: [{ prefix: 'k6-results/' }],
        abort_incomplete_multipart_upload: [{ days_after_initiation: ABORT_INCOMPLETE_UPLOADS_AFTER_DAYS }],
      },
    ]);
    const volume = only(manifestsOf(result, 'PersistentVolume'), 'PersistentVolume');
    const bucketName = Object.keys(result.doc.resource.aws_s3_bucket)[0];
    expect(volume.spec.csi.volumeAttributes.bucketName).toBe(`\${aws_s3_bucket.${bucketName}.bucket}`);
    expect(volume.spec.mountOptions).toContain('prefix k6-results/');
    expect(volume.spec.mountOptions).toContain('region us-west-2');
    expect(result.doc.output.results_location.value).toBe(`s3://\${aws_s3_bucket.${bucketName}.bucket}/k6-results/run-42/`);
  });

  it('lets the runner role write and look up objects only under the results prefix, and list only that prefix', () => {
    expect(policyStatements(result, 'WriteResults')).toEqual([
      {
        sid: 'WriteResults',
        effect: 'Allow',
        actions: ['s3:PutObject', 's3:AbortMultipartUpload', 's3:GetObject'],
        resources: [`arn:aws:s3:::\${aws_s3_bucket.${Object.keys(result.doc.resource.aws_s3_bucket)[0]}.bucket}/k6-results/*`],
      },
    ]);
    const named = synthLoadGeneration(
      exampleConfig({ OS_INFRA_K6_RUN_ID: 'run-43', OS_INFRA_RESULTS_BUCKET: 'team-loadtest-results', OS_INFRA_RESULTS_PREFIX: 'open-saves/k6/' }),
    );
    expect(resourcesOf(named, 'aws_s3_bucket')).toEqual([]);
    expect(policyStatements(named, 'WriteResults')[0]?.resources).toEqual(['arn:aws:s3:::team-loadtest-results/open-saves/k6/*']);
    expect(policyStatements(named, 'ListResultsPrefix')).toEqual([
      {
        sid: 'ListResultsPrefix',
        effect: 'Allow',
        actions: ['s3:ListBucket'],
        resources: ['arn:aws:s3:::team-loadtest-results'],
        condition: [{ test: 'StringLike', variable: 's3:prefix', values: ['open-saves/k6/*'] }],
      },
    ]);
    // Nothing else in the stack grants S3: no DeleteObject, no bucket-wide object access.
    const s3Actions = dataSourcesOf(named, 'aws_iam_policy_document')
      .flatMap((doc) => doc.statement as { actions: string[] }[])
      .flatMap((statement) => statement.actions)
      .filter((action) => action.startsWith('s3:'));
    expect(s3Actions.sort()).toEqual(['s3:AbortMultipartUpload', 's3:GetObject', 's3:ListBucket', 's3:PutObject']);
    const policies = resourcesOf(named, 'aws_iam_role_policy').map((p) => p.name);
    expect(policies.sort()).toEqual(['put-metric-data', 'write-k6-results']);
    const volume = only(manifestsOf(named, 'PersistentVolume'), 'PersistentVolume');
    expect(volume.spec.csi.volumeAttributes.bucketName).toBe('team-loadtest-results');
    expect(volume.spec.mountOptions).toContain('prefix open-saves/k6/');
    expect(testRunOf(named).spec.arguments).toBe('--out cloudwatch --out json=/results/run-43/$(POD_NAME).json.gz');
  });

  it('lets the runner role read the referenced Secrets Manager secrets, and those only', () => {
    const withArn = synthLoadGeneration(exampleConfig({ OS_INFRA_K6_SECRET_ENV: `OPEN_SAVES_AUTH_TOKEN=${SECRET_ARN}#token` }));
    const reads = dataSourcesOf(withArn, 'aws_iam_policy_document').flatMap((doc) => doc.statement as Record<string, any>[]).filter((s) => s.actions.some((a: string) => a.startsWith('secretsmanager:')));
    expect(reads).toEqual([{ effect: 'Allow', actions: ['secretsmanager:GetSecretValue', 'secretsmanager:DescribeSecret'], resources: [SECRET_ARN] }]);
    expect(only(manifestsOf(withArn, 'SecretProviderClass'), 'SecretProviderClass').metadata).toEqual({ name: 'opensaves-loadtest-k6-secrets', namespace: 'k6-loadtest' });
    expect(testRunOf(withArn).spec.runner.env).toContainEqual({
      name: 'OPEN_SAVES_AUTH_TOKEN',
      valueFrom: { secretKeyRef: { name: 'opensaves-loadtest-k6-secrets', key: 'OPEN_SAVES_AUTH_TOKEN' } },
    });
    expect(result.json).not.toMatch(/secretsmanager:/);
  });

  it('refuses to make a run without a run id, naming OS_INFRA_K6_RUN_ID', () => {
    const untagged = exampleConfig({ OS_INFRA_K6_RUN_ID: undefined });
    expect(() => new LoadGenerationStack(Testing.app(), 'untagged', untagged)).toThrow(InfraConfigError);
    expect(() => new LoadGenerationStack(Testing.app(), 'untagged', untagged)).toThrow(/missing OS_INFRA_K6_RUN_ID; reason: expected a run id .*, got nothing/);
  });

  it('leaves TRANSPORT to the runner environment when both protocols are watched, and lets it override', () => {
    const both = synthLoadGeneration(exampleConfig({ OS_INFRA_K6_PROTOCOLS: 'grpc,http' }));
    expect(testRunOf(both).spec.runner.env.map((e: { name: string }) => e.name)).not.toContain('TRANSPORT');
    const overridden = synthLoadGeneration(exampleConfig({ OS_INFRA_K6_ENV: 'TRANSPORT=grpc' }));
    const runnerEnv = testRunOf(overridden).spec.runner.env;
    expect(runnerEnv).toContainEqual({ name: 'TRANSPORT', value: 'grpc' });
    expect(runnerEnv.filter((e: { name: string }) => e.name === 'TRANSPORT')).toHaveLength(1);
    expect(result.json).toHaveResourceWithProperties(ServiceAccountV1, { metadata: { name: RUNNER_SERVICE_ACCOUNT } });
  });

  it('asks for the configured cores per runner, and sets no CPU limit', () => {
    expect(run.spec.runner.resources).toBeUndefined();
    const sized = synthLoadGeneration(exampleConfig({ OS_INFRA_K6_RUNNER_CPU: '4' }));
    expect(testRunOf(sized).spec.runner.resources).toEqual({ requests: { cpu: '4' } });
  });

  it('names Kubernetes objects and the bucket from any allowed prefix', () => {
    const odd = synthLoadGeneration(exampleConfig({ OS_INFRA_PREFIX: 'Team_Open_Saves-Load-Test-For-Launch-Week-2026', OS_INFRA_K6_RUN_ID: 'r1' }));
    expect(testRunOf(odd).metadata.name).toBe('team-open-saves-load-test-for-launch-week-2026-k6-r1');
    const prefix = only(resourcesOf(odd, 'aws_s3_bucket'), 'bucket').bucket_prefix as string;
    expect(prefix).toMatch(/^[a-z0-9][a-z0-9-]*-k6-results-$/);
    expect(prefix.length).toBeLessThanOrEqual(37);
    expect(bucketNamePrefix('___')).toBe('opensaves-k6-results-');
  });
});
