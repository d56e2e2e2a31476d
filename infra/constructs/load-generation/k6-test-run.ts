// A k6-operator TestRun: N runner pods of the kit's k6 image, each running the `k6 archive`
// tarball (script plus protos) from a ConfigMap, streaming metrics to CloudWatch and keeping its
// raw samples in the results bucket, mounted at /results, as <RUN_ID>/<pod name>.json.gz.
import { ConfigMapV1 } from '@cdktf/provider-kubernetes/lib/config-map-v1/index.js';
import { Manifest } from '@cdktf/provider-kubernetes/lib/manifest/index.js';
import { NamespaceV1 } from '@cdktf/provider-kubernetes/lib/namespace-v1/index.js';
import { ServiceAccountV1 } from '@cdktf/provider-kubernetes/lib/service-account-v1/index.js';
import { Fn, type TerraformProvider } from 'cdktf';
import { Construct } from 'constructs';
import { basename, resolve } from 'node:path';
import type { SecretEnvVar } from '../../../catalogue/deployment.js';
import { ResultsVolume } from './results-volume.js';
import { RunnerSecrets } from './runner-secrets.js';

// https://github.com/grafana/k6-operator: the TestRun custom resource.
export const TEST_RUN_API_VERSION = 'k6.io/v1alpha1';
// Kubernetes rejects ConfigMaps over 1 MiB; a bigger archive needs a volume instead.
export const CONFIG_MAP_MAX_BYTES = 1024 * 1024;
// The k6 user and group of grafana/k6, the base of infra/runner/Dockerfile.
export const K6_IMAGE_UID = 12345;
export const RESULTS_VOLUME = 'results';
export const RESULTS_MOUNT_PATH = '/results';
// Filled from the downward API; Kubernetes expands $(POD_NAME) in the runner's command.
export const POD_NAME_ENV = 'POD_NAME';

// The file one runner writes: a name of its own (the pod's), under the run's folder.
export function resultsFileArgument(runId: string): string {
  return `json=${RESULTS_MOUNT_PATH}/${runId}/$(${POD_NAME_ENV}).json.gz`;
}

export interface K6TestRunResults {
  readonly bucketName: string;
  // Without a trailing slash.
  readonly keyPrefix: string;
  readonly region: string;
  readonly runId: string;
  // The PersistentVolume and its claim (the volume's name is cluster-wide).
  readonly volumeName: string;
}

export interface K6TestRunSecrets {
  readonly secretEnv: readonly SecretEnvVar[];
  // The SecretProviderClass and the Secret it mirrors Secrets Manager secrets into.
  readonly name: string;
  readonly region: string;
}

export interface K6TestRunConfig {
  readonly name: string;
  readonly namespace: string;
  readonly parallelism: number;
  // Cores each runner requests (a Kubernetes quantity); no limit, which would throttle k6.
  readonly runnerCpu?: string;
  readonly runnerImage: string;
  readonly archivePath: string;
  readonly roleArn: string;
  readonly serviceAccountName: string;
  // Plain values only; credentials come through `secrets`.
  readonly env: Readonly<Record<string, string>>;
  readonly secrets: K6TestRunSecrets;
  readonly results: K6TestRunResults;
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
    const results = new ResultsVolume(this, 'results', {
      provider,
      dependsOn: [namespace],
      name: config.results.volumeName,
      namespace: config.namespace,
      bucketName: config.results.bucketName,
      keyPrefix: config.results.keyPrefix,
      region: config.results.region,
      uid: K6_IMAGE_UID,
      gid: K6_IMAGE_UID,
    });
    const secrets = new RunnerSecrets(this, 'secrets', {
      provider,
      dependsOn: [namespace],
      name: config.secrets.name,
      namespace: config.namespace,
      region: config.secrets.region,
      secretEnv: config.secrets.secretEnv,
    });
    const resultsMount = { name: RESULTS_VOLUME, mountPath: RESULTS_MOUNT_PATH };
    this.testRun = new Manifest(this, 'test-run', {
      provider,
      dependsOn: [results.claim, ...secrets.dependables],
      manifest: {
        apiVersion: TEST_RUN_API_VERSION,
        kind: 'TestRun',
        metadata: { name: config.name, namespace: config.namespace },
        spec: {
          parallelism: config.parallelism,
          script: { configMap: { name: this.configMap.metadata.name, file: archiveFile } },
          arguments: [...config.arguments, '--out', resultsFileArgument(config.results.runId)].join(' '),
          runner: {
            image: config.runnerImage,
            serviceAccountName: serviceAccount.metadata.name,
            ...(config.runnerCpu === undefined ? {} : { resources: { requests: { cpu: config.runnerCpu } } }),
            // fsGroup: the Mountpoint CSI driver v2 hands the mount to the pod's group.
            securityContext: { runAsUser: K6_IMAGE_UID, runAsGroup: K6_IMAGE_UID, fsGroup: K6_IMAGE_UID },
            env: [
              { name: POD_NAME_ENV, valueFrom: { fieldRef: { fieldPath: 'metadata.name' } } },
              ...Object.entries(config.env).map(([name, value]) => ({ name, value })),
              ...secrets.env,
            ],
            volumes: [{ name: RESULTS_VOLUME, persistentVolumeClaim: { claimName: results.claimName } }, ...secrets.volumes],
            volumeMounts: [resultsMount, ...secrets.volumeMounts],
            // k6 creates its output file but not the folder; on Mountpoint a new folder exists
            // in the mount until its first file is written.
            initContainers: [
              {
                name: 'results-folder',
                image: config.runnerImage,
                command: ['mkdir', '-p', `${RESULTS_MOUNT_PATH}/${config.results.runId}`],
                volumeMounts: [resultsMount],
              },
            ],
          },
        },
      },
    });
  }
}
