// Load generation on EKS with k6-operator (installed in the cluster beforehand): the runner
// role (IRSA), the results bucket the runners write their raw samples to, and a TestRun of the
// kit's archive for one run id. Only wires constructs together.
import { DataAwsEksCluster } from '@cdktf/provider-aws/lib/data-aws-eks-cluster/index.js';
import { DataAwsEksClusterAuth } from '@cdktf/provider-aws/lib/data-aws-eks-cluster-auth/index.js';
import { DataAwsIamOpenidConnectProvider } from '@cdktf/provider-aws/lib/data-aws-iam-openid-connect-provider/index.js';
import { AwsProvider } from '@cdktf/provider-aws/lib/provider/index.js';
import { KubernetesProvider } from '@cdktf/provider-kubernetes/lib/provider/index.js';
import { Fn, TerraformOutput, TerraformStack } from 'cdktf';
import type { Construct } from 'constructs';
import { InfraConfigError, type InfraConfig } from '../../catalogue/deployment.js';
import { K6TestRun } from '../constructs/load-generation/k6-test-run.js';
import { MetricsWriterRole } from '../constructs/load-generation/metrics-writer-role.js';
import { ResultsBucket } from '../constructs/load-generation/results-bucket.js';
import { ResultsWriterPolicy } from '../constructs/load-generation/results-writer-policy.js';
import { SecretsReaderPolicy } from '../constructs/load-generation/secrets-reader-policy.js';
import { PROJECT_TAGS } from './observability-stack.js';

export const RUNNER_SERVICE_ACCOUNT = 'k6-runner';

// A Kubernetes object name from the kit's prefix: lower case, letters, digits and dashes.
export function kubernetesName(text: string): string {
  return text.toLowerCase().replace(/[^a-z0-9-]+/g, '-').replace(/^-+|-+$/g, '');
}

// A run starts when this stack applies, and its keys, its results folder and the alarms all
// follow from its id, so the stack is not made without one.
function runIdOf(config: InfraConfig): string {
  if (config.k6RunId !== undefined) return config.k6RunId;
  throw new InfraConfigError([
    'missing OS_INFRA_K6_RUN_ID; reason: expected a run id for the load generator (lower-case letters, digits and dashes, at most 24): ' +
      "its runners' keys and their results folder <prefix>/<RUN_ID>/ follow from it, got nothing",
  ]);
}

export class LoadGenerationStack extends TerraformStack {
  constructor(scope: Construct, id: string, config: InfraConfig) {
    super(scope, id);
    const load = config.loadGeneration;
    const runId = runIdOf(config);
    new AwsProvider(this, 'aws', { region: config.region, defaultTags: [{ tags: PROJECT_TAGS }] });
    const cluster = new DataAwsEksCluster(this, 'cluster', { name: config.eksCluster });
    const auth = new DataAwsEksClusterAuth(this, 'cluster-auth', { name: config.eksCluster });
    const issuer = cluster.identity.get(0).oidc.get(0).issuer;
    const oidc = new DataAwsIamOpenidConnectProvider(this, 'oidc', { url: issuer });
    const kubernetes = new KubernetesProvider(this, 'kubernetes', {
      host: cluster.endpoint,
      clusterCaCertificate: Fn.base64decode(cluster.certificateAuthority.get(0).data),
      token: auth.token,
    });

    const role = new MetricsWriterRole(this, 'runner-role', {
      name: `${config.prefix}-k6-runner`,
      oidcIssuerUrl: issuer,
      oidcProviderArn: oidc.arn,
      kubernetesNamespace: load.namespace,
      serviceAccountName: RUNNER_SERVICE_ACCOUNT,
      metricNamespace: config.k6Namespace,
    });
    const results = new ResultsBucket(this, 'results-bucket', {
      namePrefix: config.prefix,
      keyPrefix: load.results.prefix,
      ...(load.results.bucket === undefined ? {} : { existingBucket: load.results.bucket }),
    });
    new ResultsWriterPolicy(this, 'results-writer', { role: role.role.id, bucketName: results.bucketName, keyPrefix: load.results.prefix });
    const secretArns = load.secretEnv.flatMap(({ source }) => (source.kind === 'secrets-manager' ? [source.arn] : []));
    if (secretArns.length > 0) new SecretsReaderPolicy(this, 'secrets-reader', { role: role.role.id, secretArns });

    const baseName = kubernetesName(`${config.prefix}-k6`);
    // One TestRun per run id: a new id is a new TestRun, which starts a new run when applied.
    const testRunName = `${baseName}-${runId}`;
    // One transport configured: tell the scenario (scripts/lib/config/config.ts reads TRANSPORT).
    const transport: Record<string, string> = config.k6Protocols.length === 1 ? { TRANSPORT: config.k6Protocols[0] as string } : {};
    new K6TestRun(this, 'test-run', {
      provider: kubernetes,
      name: testRunName,
      namespace: load.namespace,
      parallelism: load.parallelism,
      ...(load.runnerCpu === undefined ? {} : { runnerCpu: load.runnerCpu }),
      runnerImage: load.runnerImage,
      archivePath: load.archivePath,
      roleArn: role.role.arn,
      serviceAccountName: RUNNER_SERVICE_ACCOUNT,
      env: {
        // The kit's CloudWatch output (xk6-output-cloudwatch) calls PutMetricData directly.
        K6_CLOUDWATCH_SINK: 'api',
        K6_CLOUDWATCH_NAMESPACE: config.k6Namespace,
        K6_CLOUDWATCH_REGION: config.region,
        // The scenario's own thresholds then match the dashboards and alarms.
        SLO_P95_MS: String(config.slo.p95Ms),
        SLO_P99_MS: String(config.slo.p99Ms),
        SLO_ERROR_RATE: String(config.slo.errorRatePercent / 100),
        ...transport,
        // The testid tag the alarms and dashboards filter on, and the runners' key prefix.
        RUN_ID: runId,
        ...load.scriptEnv,
      },
      secrets: { secretEnv: load.secretEnv, name: `${baseName}-secrets`, region: config.region },
      results: {
        bucketName: results.bucketName,
        keyPrefix: load.results.prefix,
        region: config.region,
        runId,
        volumeName: `${baseName}-results`,
      },
      // Live dashboards; the raw samples go to the results bucket as well (K6TestRun adds that output).
      arguments: ['--out', 'cloudwatch'],
    });
    new TerraformOutput(this, 'results_location', {
      value: `s3://${results.bucketName}/${load.results.prefix}/${runId}/`,
      description: 'Where the runners of this run write <pod name>.json.gz: give it to npm run analyze',
    });
    new TerraformOutput(this, 'test_run_name', { value: testRunName });
  }
}
