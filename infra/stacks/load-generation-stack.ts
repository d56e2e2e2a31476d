// Load generation on EKS with k6-operator (installed in the cluster beforehand): the
// runner role (IRSA), and a TestRun of the kit's archive. Only wires constructs together.
import { DataAwsEksCluster } from '@cdktf/provider-aws/lib/data-aws-eks-cluster/index.js';
import { DataAwsEksClusterAuth } from '@cdktf/provider-aws/lib/data-aws-eks-cluster-auth/index.js';
import { DataAwsIamOpenidConnectProvider } from '@cdktf/provider-aws/lib/data-aws-iam-openid-connect-provider/index.js';
import { AwsProvider } from '@cdktf/provider-aws/lib/provider/index.js';
import { KubernetesProvider } from '@cdktf/provider-kubernetes/lib/provider/index.js';
import { Fn, TerraformStack } from 'cdktf';
import type { Construct } from 'constructs';
import type { InfraConfig } from '../../catalogue/deployment.js';
import { K6TestRun } from '../constructs/k6-test-run.js';
import { MetricsWriterRole } from '../constructs/metrics-writer-role.js';
import { PROJECT_TAGS } from './observability-stack.js';

export const RUNNER_SERVICE_ACCOUNT = 'k6-runner';

export class LoadGenerationStack extends TerraformStack {
  constructor(scope: Construct, id: string, config: InfraConfig) {
    super(scope, id);
    const load = config.loadGeneration;
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
    const testRunName = `${config.prefix}-k6`.toLowerCase();
    // One transport configured: tell the scenario (scripts/lib/config/config.ts reads TRANSPORT).
    const transport: Record<string, string> = config.k6Protocols.length === 1 ? { TRANSPORT: config.k6Protocols[0] as string } : {};
    new K6TestRun(this, 'test-run', {
      provider: kubernetes,
      name: testRunName,
      namespace: load.namespace,
      parallelism: load.parallelism,
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
        // The testid tag the alarms and dashboards filter on.
        ...(config.k6RunId === undefined ? {} : { RUN_ID: config.k6RunId }),
        ...load.scriptEnv,
      },
      arguments: ['--out', 'cloudwatch'],
    });
  }
}
