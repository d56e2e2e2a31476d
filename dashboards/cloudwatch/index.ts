// Every CloudWatch dashboard of the kit, by short name, built from one configuration.
import type { InfraConfig } from '../../catalogue/deployment.js';
import { k6SeriesFilter } from '../k6-queries.js';
import { albDashboard } from './alb.js';
import { cloudFrontDashboard } from './cloudfront.js';
import { dynamoDbDashboard } from './dynamodb.js';
import { eksDashboard } from './eks.js';
import { elastiCacheDashboard } from './elasticache.js';
import { k6ClientDashboard } from './k6-client.js';
import { s3Dashboard } from './s3.js';
import type { DashboardBody } from './widgets.js';

export type DashboardKey = 'k6-client' | 'eks' | 'dynamodb' | 's3' | 'elasticache' | 'alb' | 'cloudfront';

// The name inside arn:aws:wafv2:us-east-1:<account>:global/webacl/<name>/<id>.
function webAcl(config: InfraConfig): { webAclName?: string } {
  const name = config.wafAllowlist?.webAclArn?.split('/')[2];
  return name === undefined ? {} : { webAclName: name };
}

export function buildDashboards(config: InfraConfig): Record<DashboardKey, DashboardBody> {
  const { region } = config;
  return {
    'k6-client': k6ClientDashboard({
      region,
      filter: k6SeriesFilter(config),
      protocols: config.k6Protocols,
      slo: config.slo,
    }),
    eks: eksDashboard({ region, cluster: config.eksCluster, namespace: config.eksNamespace, service: config.eksService }),
    dynamodb: dynamoDbDashboard({ region, tables: config.dynamodbTables, latencyMs: config.backend.dynamodbLatencyMs }),
    s3: s3Dashboard({ region, bucket: config.s3Bucket }),
    elasticache: elastiCacheDashboard({ region, clusterIds: config.elasticacheClusterIds, memoryPercent: config.backend.redisMemoryPercent }),
    alb: albDashboard({ region, loadBalancer: config.albLoadBalancer, targetGroup: config.albTargetGroup, slo: config.slo }),
    cloudfront: cloudFrontDashboard({ distributionId: config.cloudfrontDistributionId, ...webAcl(config) }),
  };
}
