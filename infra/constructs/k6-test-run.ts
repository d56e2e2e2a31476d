// A k6-operator TestRun: N runner pods of the kit's k6 image, each running the
// `k6 archive` tarball (script plus protos) from a ConfigMap, sending metrics to CloudWatch.
import { ConfigMapV1 } from '@cdktf/provider-kubernetes/lib/config-map-v1/index.js';
import { Manifest } from '@cdktf/provider-kubernetes/lib/manifest/index.js';
import { NamespaceV1 } from '@cdktf/provider-kubernetes/lib/namespace-v1/index.js';
import { ServiceAccountV1 } from '@cdktf/provider-kubernetes/lib/service-account-v1/index.js';
import { Fn, type TerraformProvider } from 'cdktf';
import { Construct } from 'constructs';
import { basename, resolve } from 'node:path';

// https://github.com/grafana/k6-operator: the TestRun custom resource.
export const TEST_RUN_API_VERSION = 'k6.io/v1alpha1';
// Kubernetes rejects ConfigMaps over 1 MiB; a bigger archive needs a volume instead.
export const CONFIG_MAP_MAX_BYTES = 1024 * 1024;

export interface K6TestRunConfig {
  readonly name: string;
  readonly namespace: string;
  readonly parallelism: number;
  readonly runnerImage: string;
  readonly archivePath: string;
  readonly roleArn: string;
  readonly serviceAccountName: string;
  readonly env: Readonly<Record<string, string>>;
  readonly arguments: readonly string[];
  readonly provider?: TerraformProvider;
}

export class K6TestRun extends Construct {
  readonly testRun: Manifest;
  readonly configMap: ConfigMapV1;

  constructor(scope: Construct, id: string, config: K6TestRunConfig) {
    super(scope, id);
    const provider = config.provider;
    const namespace = new NamespaceV1(this, 'namespace', { provider, metadata: { name: config.namespace } });
    const serviceAccount = new ServiceAccountV1(this, 'runner-account', {
      provider,
      metadata: {
        name: config.serviceAccountName,
        namespace: namespace.metadata.name,
        annotations: { 'eks.amazonaws.com/role-arn': config.roleArn },
      },
    });
    const archiveFile = basename(config.archivePath);
    // Read when Terraform plans, not at synth, so synth needs no archive.
    this.configMap = new ConfigMapV1(this, 'archive', {
      provider,
      metadata: { name: `${config.name}-archive`, namespace: namespace.metadata.name },
      binaryData: { [archiveFile]: Fn.filebase64(resolve(config.archivePath)) },
    });
    this.testRun = new Manifest(this, 'test-run', {
      provider,
      manifest: {
        apiVersion: TEST_RUN_API_VERSION,
        kind: 'TestRun',
        metadata: { name: config.name, namespace: config.namespace },
        spec: {
          parallelism: config.parallelism,
          script: { configMap: { name: this.configMap.metadata.name, file: archiveFile } },
          arguments: config.arguments.join(' '),
          runner: {
            image: config.runnerImage,
            serviceAccountName: serviceAccount.metadata.name,
            env: Object.entries(config.env).map(([name, value]) => ({ name, value })),
          },
        },
      },
    });
  }
}
