// The results bucket as a Kubernetes volume: a PersistentVolume of the Mountpoint for Amazon S3
// CSI driver (static provisioning: the bucket exists, the volume only names it) mounting the
// results prefix, and the claim the runner pods use it through.
// Both are kubernetes_manifest resources: the provider's persistent_volume_claim sends an
// empty storage_class_name as unset (hashicorp/terraform-provider-kubernetes#1379), and the
// cluster's default StorageClass would then keep the claim from binding to this volume.
import { Manifest } from '@cdktf/provider-kubernetes/lib/manifest/index.js';
import type { ITerraformDependable, TerraformProvider } from 'cdktf';
import { Construct } from 'constructs';

export const S3_CSI_DRIVER = 's3.csi.aws.com';
// Required by Kubernetes, ignored by the driver: a bucket has no size.
const NOMINAL_CAPACITY = '1Gi';

export interface ResultsVolumeConfig {
  // The volume's and the claim's name; the volume's is cluster-wide.
  readonly name: string;
  readonly namespace: string;
  readonly bucketName: string;
  // Without a trailing slash.
  readonly keyPrefix: string;
  readonly region: string;
  // The user and group the runners' k6 runs as, who must be able to write the mount.
  readonly uid: number;
  readonly gid: number;
  readonly provider?: TerraformProvider;
  readonly dependsOn?: ITerraformDependable[];
}

export class ResultsVolume extends Construct {
  readonly claimName: string;
  readonly claim: Manifest;

  constructor(scope: Construct, id: string, config: ResultsVolumeConfig) {
    super(scope, id);
    const volume = new Manifest(this, 'volume', {
      provider: config.provider,
      dependsOn: config.dependsOn,
      manifest: {
        apiVersion: 'v1',
        kind: 'PersistentVolume',
        metadata: { name: config.name },
        spec: {
          capacity: { storage: NOMINAL_CAPACITY },
          accessModes: ['ReadWriteMany'],
          storageClassName: '',
          persistentVolumeReclaimPolicy: 'Retain',
          // Only this claim may bind the volume.
          claimRef: { namespace: config.namespace, name: config.name },
          // Mountpoint options: the bucket's region (no detection through instance metadata),
          // only the results prefix, and files owned by the runners' user. Without allow-delete
          // nothing a run wrote can be deleted or overwritten through the mount.
          mountOptions: [`region ${config.region}`, `prefix ${config.keyPrefix}/`, `uid=${config.uid}`, `gid=${config.gid}`, 'allow-other'],
          csi: {
            driver: S3_CSI_DRIVER,
            volumeHandle: config.name,
            volumeAttributes: {
              bucketName: config.bucketName,
              // Mountpoint signs its requests with the runner pod's IRSA role, which may write only under the prefix.
              authenticationSource: 'pod',
              stsRegion: config.region,
            },
          },
        },
      },
    });
    this.claim = new Manifest(this, 'claim', {
      provider: config.provider,
      dependsOn: [volume, ...(config.dependsOn ?? [])],
      manifest: {
        apiVersion: 'v1',
        kind: 'PersistentVolumeClaim',
        metadata: { name: config.name, namespace: config.namespace },
        spec: {
          accessModes: ['ReadWriteMany'],
          storageClassName: '',
          volumeName: config.name,
          resources: { requests: { storage: NOMINAL_CAPACITY } },
        },
      },
    });
    this.claimName = config.name;
  }
}
