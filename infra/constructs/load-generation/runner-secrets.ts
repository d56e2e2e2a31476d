// How the variables of OS_INFRA_K6_SECRET_ENV reach the runner pods without their values
// passing through Terraform: each is an env entry that Kubernetes fills from a Secret when it
// starts the pod (valueFrom.secretKeyRef).
// - A Kubernetes Secret (<secret-name>/<key>) is referenced as it is; you create it with kubectl.
// - A Secrets Manager secret (its ARN) is fetched by the Secrets Store CSI driver's AWS provider
//   with the runner pod's own role, through a SecretProviderClass made here; the driver mirrors
//   it into the Kubernetes Secret `<name>` (secretObjects) while a runner mounts the volume, and
//   the env entries reference that Secret.
import { Manifest } from '@cdktf/provider-kubernetes/lib/manifest/index.js';
import type { ITerraformDependable, TerraformProvider } from 'cdktf';
import { Construct } from 'constructs';
import type { SecretEnvVar } from '../../../catalogue/deployment.js';

// https://secrets-store-csi-driver.sigs.k8s.io: the SecretProviderClass custom resource.
export const SECRET_PROVIDER_CLASS_API_VERSION = 'secrets-store.csi.x-k8s.io/v1';
export const SECRETS_STORE_DRIVER = 'secrets-store.csi.k8s.io';
export const SECRETS_STORE_VOLUME = 'secrets-store';
export const SECRETS_STORE_MOUNT_PATH = '/mnt/secrets-store';

export interface EnvFromSecret {
  readonly name: string;
  readonly valueFrom: { readonly secretKeyRef: { readonly name: string; readonly key: string } };
}

export interface RunnerSecretsConfig {
  // Names the SecretProviderClass and the Kubernetes Secret the driver mirrors into.
  readonly name: string;
  readonly namespace: string;
  readonly region: string;
  readonly secretEnv: readonly SecretEnvVar[];
  readonly provider?: TerraformProvider;
  // The namespace the objects live in must exist first.
  readonly dependsOn?: ITerraformDependable[];
}

interface ProviderObject {
  readonly arn: string;
  alias?: string;
  readonly paths: { path: string; alias: string }[];
}

// The provider's `objects` parameter, YAML with double-quoted (JSON) scalars: one object per
// secret ARN; a #json-key becomes a jmesPath entry. Returns it with the file each variable
// is mounted as, which is the name secretObjects mirrors it from.
export function providerObjects(vars: readonly SecretEnvVar[]): { yaml: string; fileOf: Map<string, string> } {
  const byArn = new Map<string, ProviderObject>();
  const fileOf = new Map<string, string>();
  for (const { name, source } of vars) {
    if (source.kind !== 'secrets-manager') continue;
    const object = byArn.get(source.arn) ?? { arn: source.arn, paths: [] };
    byArn.set(source.arn, object);
    if (source.jsonKey === undefined) {
      object.alias ??= name;
      fileOf.set(name, object.alias);
    } else {
      object.paths.push({ path: source.jsonKey, alias: name });
      fileOf.set(name, name);
    }
  }
  const quote = (text: string): string => JSON.stringify(text);
  const lines = [...byArn.values()].flatMap((object) => [
    `- objectName: ${quote(object.arn)}`,
    ...(object.alias === undefined ? [] : [`  objectAlias: ${quote(object.alias)}`]),
    ...(object.paths.length === 0 ? [] : ['  jmesPath:', ...object.paths.flatMap((p) => [`    - path: ${quote(p.path)}`, `      objectAlias: ${quote(p.alias)}`])]),
  ]);
  return { yaml: lines.length === 0 ? '' : `${lines.join('\n')}\n`, fileOf };
}

export class RunnerSecrets extends Construct {
  readonly env: EnvFromSecret[];
  readonly volumes: Record<string, unknown>[];
  readonly volumeMounts: Record<string, unknown>[];
  // The TestRun waits for these, so that no runner starts before its secrets can be read.
  readonly dependables: ITerraformDependable[];

  constructor(scope: Construct, id: string, config: RunnerSecretsConfig) {
    super(scope, id);
    const { yaml, fileOf } = providerObjects(config.secretEnv);
    this.env = config.secretEnv.map(({ name, source }) => ({
      name,
      valueFrom: {
        secretKeyRef:
          source.kind === 'kubernetes-secret' ? { name: source.secretName, key: source.key } : { name: config.name, key: name },
      },
    }));
    if (fileOf.size === 0) {
      this.volumes = [];
      this.volumeMounts = [];
      this.dependables = [];
      return;
    }
    const providerClass = new Manifest(this, 'secret-provider-class', {
      provider: config.provider,
      dependsOn: config.dependsOn,
      manifest: {
        apiVersion: SECRET_PROVIDER_CLASS_API_VERSION,
        kind: 'SecretProviderClass',
        metadata: { name: config.name, namespace: config.namespace },
        spec: {
          provider: 'aws',
          parameters: { region: config.region, objects: yaml },
          secretObjects: [
            {
              secretName: config.name,
              type: 'Opaque',
              data: [...fileOf].map(([name, file]) => ({ objectName: file, key: name })),
            },
          ],
        },
      },
    });
    this.volumes = [
      { name: SECRETS_STORE_VOLUME, csi: { driver: SECRETS_STORE_DRIVER, readOnly: true, volumeAttributes: { secretProviderClass: config.name } } },
    ];
    this.volumeMounts = [{ name: SECRETS_STORE_VOLUME, mountPath: SECRETS_STORE_MOUNT_PATH, readOnly: true }];
    this.dependables = [providerClass];
  }
}
