// Alarms on the service's AWS resources, with AWS's recommended statistic, period and
// datapoints; thresholds are AWS's where it gives one and configuration where it does not.
import { CloudwatchMetricAlarm } from '@cdktf/provider-aws/lib/cloudwatch-metric-alarm/index.js';
import { Construct } from 'constructs';
import {
  ALB,
  CONTAINER_INSIGHTS as CI,
  DYNAMODB,
  DYNAMODB_OPERATIONS,
  ELASTICACHE as EC,
  RECOMMENDED_ALARMS as REC,
  S3,
  type AlarmRecommendation,
} from '../../../catalogue/aws-metrics.js';
import { InvalidDefinitionError } from '../../errors.js';
import { mathAlarm, singleMetricAlarm, type AlarmTarget } from './alarm-definitions.js';

type TableRole = keyof typeof DYNAMODB_OPERATIONS;

export interface ServiceAlarmsConfig {
  readonly prefix: string;
  readonly actions: readonly string[];
  readonly eks: { readonly cluster: string; readonly namespace: string; readonly service: string };
  readonly dynamodb: {
    readonly tables: Readonly<Record<TableRole, string>>;
    readonly latencyMs: number;
    readonly throttleEvents: number;
    readonly systemErrors: number;
  };
  readonly elasticache: {
    readonly clusterIds: readonly string[];
    readonly memoryPercent: number;
    readonly connections: number;
    readonly evictions: number;
  };
  readonly s3: { readonly bucket: string };
  readonly alb: {
    readonly loadBalancer: string;
    readonly targetGroup: string;
    readonly errorRatePercent: number;
    readonly p99Ms: number;
  };
}

// A threshold fixed by AWS wins; the configured one is used where AWS leaves it open.
function thresholdOf(name: string, recommendation: AlarmRecommendation, configured?: number): number {
  const value = recommendation.threshold ?? configured;
  if (value === undefined) throw new InvalidDefinitionError(`alarm ${name}`, 'AWS gives no threshold and none was configured');
  return value;
}

export class ServiceAlarms extends Construct {
  readonly alarms: CloudwatchMetricAlarm[] = [];

  constructor(scope: Construct, id: string, private readonly config: ServiceAlarmsConfig) {
    super(scope, id);
    this.eksAlarms();
    this.dynamoDbAlarms();
    this.elastiCacheAlarms();
    this.s3Alarms();
    this.albAlarms();
  }

  private target(suffix: string, description: string, recommendation: AlarmRecommendation, configured?: number): AlarmTarget {
    return {
      name: `${this.config.prefix}-${suffix}`,
      description,
      recommendation,
      threshold: thresholdOf(`${this.config.prefix}-${suffix}`, recommendation, configured),
      actions: this.config.actions,
    };
  }

  private add(id: string, alarmConfig: ConstructorParameters<typeof CloudwatchMetricAlarm>[2]): void {
    this.alarms.push(new CloudwatchMetricAlarm(this, id, alarmConfig));
  }

  private eksAlarms(): void {
    const { cluster, namespace, service } = this.config.eks;
    const clusterDims = { [CI.dimensions.cluster]: cluster };
    const serviceDims = { ...clusterDims, [CI.dimensions.namespace]: namespace, [CI.dimensions.service]: service };
    const source = (metricName: string, dimensions: Record<string, string>) => ({ namespace: CI.namespace, metricName, dimensions });
    this.add('eks-node-cpu', singleMetricAlarm(this.target('eks-node-cpu', `A node of ${cluster} above 80 % CPU`, REC.eksNodeCpu), source(CI.metrics.nodeCpu, clusterDims)));
    this.add('eks-node-memory', singleMetricAlarm(this.target('eks-node-memory', `A node of ${cluster} above 80 % memory`, REC.eksNodeMemory), source(CI.metrics.nodeMemory, clusterDims)));
    this.add('eks-pod-cpu', singleMetricAlarm(this.target('eks-pod-cpu-over-limit', `A ${service} pod above 80 % of its CPU limit`, REC.eksPodCpuOverLimit), source(CI.metrics.podCpuOverLimit, serviceDims)));
    this.add('eks-pod-memory', singleMetricAlarm(this.target('eks-pod-memory-over-limit', `A ${service} pod above 80 % of its memory limit`, REC.eksPodMemoryOverLimit), source(CI.metrics.podMemoryOverLimit, serviceDims)));
    this.add(
      'eks-restarts',
      mathAlarm(
        this.target('eks-container-restarts', `A ${service} container restarted`, REC.eksContainerRestarts),
        [{ id: 'restarts', ...source(CI.metrics.podRestarts, { ...clusterDims, [CI.dimensions.namespace]: namespace, [CI.dimensions.podName]: service }), stat: REC.eksContainerRestarts.statistic }],
        'DIFF(restarts)',
        'container restarts in the period',
      ),
    );
  }

  private dynamoDbAlarms(): void {
    const { tables, latencyMs, throttleEvents, systemErrors } = this.config.dynamodb;
    for (const role of Object.keys(tables) as TableRole[]) {
      const table = tables[role];
      const dims = { [DYNAMODB.dimensions.table]: table };
      const source = (metricName: string) => ({ namespace: DYNAMODB.namespace, metricName, dimensions: dims });
      this.add(`ddb-${role}-read-throttles`, singleMetricAlarm(this.target(`ddb-${role}-read-throttles`, `Reads throttled on ${table}`, REC.dynamodbReadThrottles, throttleEvents), source(DYNAMODB.metrics.readThrottles)));
      this.add(`ddb-${role}-write-throttles`, singleMetricAlarm(this.target(`ddb-${role}-write-throttles`, `Writes throttled on ${table}`, REC.dynamodbWriteThrottles, throttleEvents), source(DYNAMODB.metrics.writeThrottles)));
      this.add(`ddb-${role}-system-errors`, singleMetricAlarm(this.target(`ddb-${role}-system-errors`, `DynamoDB answered 500 on ${table}`, REC.dynamodbSystemErrors, systemErrors), source(DYNAMODB.metrics.systemErrors)));
      for (const operation of DYNAMODB_OPERATIONS[role]) {
        const suffix = `ddb-${role}-latency-${operation.toLowerCase()}`;
        this.add(
          suffix,
          singleMetricAlarm(this.target(suffix, `${operation} on ${table} slower than ${latencyMs} ms on average`, REC.dynamodbLatency, latencyMs), {
            namespace: DYNAMODB.namespace,
            metricName: DYNAMODB.metrics.latency,
            dimensions: { ...dims, [DYNAMODB.dimensions.operation]: operation },
          }),
        );
      }
    }
  }

  private elastiCacheAlarms(): void {
    const { clusterIds, memoryPercent, connections, evictions } = this.config.elasticache;
    for (const clusterId of clusterIds) {
      const source = (metricName: string) => ({ namespace: EC.namespace, metricName, dimensions: { [EC.dimensions.cluster]: clusterId } });
      this.add(`redis-${clusterId}-cpu`, singleMetricAlarm(this.target(`redis-${clusterId}-engine-cpu`, `Redis ${clusterId} engine thread above 90 % CPU`, REC.elasticacheEngineCpu), source(EC.metrics.engineCpu)));
      this.add(`redis-${clusterId}-memory`, singleMetricAlarm(this.target(`redis-${clusterId}-memory`, `Redis ${clusterId} above ${memoryPercent} % of maxmemory`, REC.elasticacheMemoryUsage, memoryPercent), source(EC.metrics.memoryUsage)));
      this.add(`redis-${clusterId}-connections`, singleMetricAlarm(this.target(`redis-${clusterId}-connections`, `Redis ${clusterId} above ${connections} connections`, REC.elasticacheConnections, connections), source(EC.metrics.connections)));
      this.add(`redis-${clusterId}-evictions`, singleMetricAlarm(this.target(`redis-${clusterId}-evictions`, `Redis ${clusterId} evicting keys`, REC.elasticacheEvictions, evictions), source(EC.metrics.evictions)));
    }
  }

  private s3Alarms(): void {
    const { bucket } = this.config.s3;
    this.add(
      's3-5xx',
      singleMetricAlarm(this.target('s3-5xx-rate', `More than 5 % of requests to ${bucket} fail with 5xx`, REC.s3Errors5xx), {
        namespace: S3.namespace,
        metricName: S3.metrics.errors5xx,
        dimensions: { [S3.dimensions.bucket]: bucket, [S3.dimensions.filter]: S3.requestMetricsFilterId },
      }),
    );
  }

  private albAlarms(): void {
    const { loadBalancer, targetGroup, errorRatePercent, p99Ms } = this.config.alb;
    const dims = { [ALB.dimensions.loadBalancer]: loadBalancer, [ALB.dimensions.targetGroup]: targetGroup };
    this.add(
      'alb-5xx-rate',
      mathAlarm(
        this.target('alb-target-5xx-rate', `More than ${errorRatePercent} % of requests answered 5xx by the targets`, REC.albTarget5xxRate, errorRatePercent),
        [
          { id: 'errors', namespace: ALB.namespace, metricName: ALB.metrics.target5xx, dimensions: dims, stat: 'Sum' },
          { id: 'requests', namespace: ALB.namespace, metricName: ALB.metrics.requests, dimensions: dims, stat: 'Sum' },
        ],
        '100 * FILL(errors, 0) / requests',
        'target 5xx %',
      ),
    );
    this.add(
      'alb-p99',
      singleMetricAlarm(this.target('alb-target-response-p99', `Targets slower than ${p99Ms} ms at p99`, REC.albTargetResponseTime, p99Ms / 1000), {
        namespace: ALB.namespace,
        metricName: ALB.metrics.targetResponseTime,
        dimensions: dims,
      }),
    );
  }
}
