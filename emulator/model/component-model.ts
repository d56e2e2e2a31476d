// The component model: the AWS port's pods (CPU, queue, HPA), its three DynamoDB
// tables (capacity units from item sizes, throttling) and its Redis node (memory,
// LRU evictions, hits), driven by the calls the transports report. admit() decides
// a call's fate (proceed after a delay, or a rejection with the port's answer);
// finish() settles what it really used. closeSecond() writes one second of
// CloudWatch-named metrics into the history.
import { status } from '@grpc/grpc-js';
import { CONTAINER_INSIGHTS, DYNAMODB, ELASTICACHE } from '../../catalogue/aws-metrics.js';
import type { ModelClock } from './clock.js';
import type { ModelConfig, TableConfig } from './config.js';
import type { MetricHistory } from './history.js';
import { MODEL_QUEUE } from '../../catalogue/aws-metrics.js';
import { PodPool } from './pods.js';
import {
  planCall,
  TABLE_KINDS,
  type CallDescription,
  type CallPlan,
  type DynamoApi,
  type DynamoStep,
  type TableKind,
} from './port-operations.js';
import { RedisModel } from './redis.js';
import { TokenBucket } from './token-bucket.js';
import type { HttpAnswer } from './waf.js';


export interface Rejection {
  reason: 'overloaded' | 'throttled';
  grpcCode: status;
  grpcMessage: string;
  http: HttpAnswer;
}

export interface Ticket {
  readonly call: CallDescription;
  readonly plan: CallPlan;
  /** the read-through cache answered */
  readonly cacheHit: boolean;
  /** response-sized steps charged on an estimate, corrected in finish() */
  readonly estimated: Array<{ step: DynamoStep; units: number }>;
}

export type Admission = { ok: true; ticket: Ticket } | { ok: false; rejection: Rejection };

export interface CallOutcome {
  /** the handler succeeded */
  ok: boolean;
  /** bytes of the answer (body or message) */
  responseBytes: number;
}

interface TableState {
  config: TableConfig;
  read: TokenBucket | undefined;
  write: TokenBucket | undefined;
  /** typical item bytes, learnt from single-item requests and answers */
  itemBytes: number;
  second: { read: number; write: number; readThrottles: number; writeThrottles: number; latency: Map<DynamoApi, number> };
  totals: { read: number; write: number; readThrottles: number; writeThrottles: number };
}

const READ_APIS = new Set<DynamoApi>(['GetItem', 'Query', 'Scan']);
const LEARNING_RATE = 0.2;

export class ComponentModel {
  readonly pods: PodPool;
  readonly redis: RedisModel;
  readonly tables: Record<TableKind, TableState>;
  /** typical answer bytes per operation, for Query/Scan estimates */
  private readonly responseBytes = new Map<string, number>();

  constructor(
    readonly config: ModelConfig,
    private readonly clock: ModelClock,
  ) {
    this.pods = new PodPool(config.pods, clock);
    this.redis = new RedisModel(config.cache, clock);
    this.tables = {} as Record<TableKind, TableState>;
    for (const kind of TABLE_KINDS) this.tables[kind] = newTableState(config.dynamodb.tables[kind], clock);
  }

  /** Calls `proceed` once: at once, after the pod and DynamoDB time, or with a rejection. */
  admit(call: CallDescription, proceed: (admission: Admission) => void): void {
    const cpuMs = this.config.pods.cpuMs[call.operation] ?? this.config.pods.cpuMs.default;
    const slot = this.pods.schedule(cpuMs);
    if (!slot) return proceed({ ok: false, rejection: overloaded(this.config.pods.queueLimit) });
    const afterPod = (): void =>
      this.runSteps(call, (admission, ioMs) => {
        if (ioMs > 0) this.clock.setTimer(ioMs, () => proceed(admission));
        else proceed(admission);
      });
    const waitMs = slot.endAt - this.clock.now();
    if (waitMs > 0) this.clock.setTimer(waitMs, afterPod);
    else afterPod();
  }

  /** Settles a proceeded call: real sizes of what it read, and the cache writes it made. */
  finish(ticket: Ticket, outcome: CallOutcome): void {
    const { call, plan } = ticket;
    for (const { step, units } of ticket.estimated) {
      const table = this.tables[step.table];
      const items = step.items ?? 1;
      const actual = unitsFor(step, table, outcome.responseBytes / (isCollection(step) ? 1 : items)) * (isCollection(step) ? 1 : items);
      const correction = actual - units;
      if (correction !== 0) {
        (READ_APIS.has(step.api) ? table.read : table.write)?.charge(correction);
        addConsumed(table, step.api, correction);
      }
      if (outcome.ok && !isCollection(step) && outcome.responseBytes > 0) learn(table, outcome.responseBytes / items);
    }
    if (isCollection(plan.steps[plan.steps.length - 1]) && outcome.ok) this.responseBytes.set(call.operation, outcome.responseBytes);
    const cache = plan.cache;
    if (!cache || !outcome.ok) return;
    const valueBytes = outcome.responseBytes > 0 ? outcome.responseBytes : call.requestBytes;
    if (cache.kind === 'read-through' && !ticket.cacheHit && cache.fill) this.redis.set(cache.key, valueBytes);
    else if (cache.kind === 'set-after') this.redis.set(cache.key, valueBytes);
    else if (cache.kind === 'delete') this.redis.delete(cache.key);
  }

  /**
   * Runs the call's DynamoDB steps in order. A throttled step is retried after a backoff, as
   * the AWS SDK does (each attempt is a throttle event); once the attempts are spent it fails
   * the call with the port's answer, or is skipped where the port only logs the failure.
   */
  private runSteps(call: CallDescription, done: (admission: Admission, ioMs: number) => void): void {
    const plan = planCall(call);
    let cacheHit = false;
    if (plan.cache?.kind === 'read-through') cacheHit = this.redis.get(plan.cache.key);
    const steps = cacheHit ? (plan.stepsOnHit ?? []) : plan.steps;
    const estimated: Ticket['estimated'] = [];
    const { latencyMs, retry } = this.config.dynamodb;
    let ioMs = 0;
    let index = 0;
    let attempt = 1;
    const next = (): void => {
      while (index < steps.length) {
        const step = steps[index]!;
        const table = this.tables[step.table];
        const items = step.items ?? 1;
        const units = unitsFor(step, table, this.estimateBytes(step, table, call)) * (isCollection(step) ? 1 : items);
        const reads = READ_APIS.has(step.api);
        const bucket = reads ? table.read : table.write;
        ioMs += latencyMs;
        if (bucket && !bucket.take(units)) {
          if (reads) (table.second.readThrottles++, table.totals.readThrottles++);
          else (table.second.writeThrottles++, table.totals.writeThrottles++);
          if (attempt < retry.maxAttempts) {
            const backoffMs = retry.baseDelayMs * 2 ** (attempt - 1);
            attempt++;
            this.clock.setTimer(backoffMs, next);
            return;
          }
          attempt = 1;
          index++;
          if (step.throttled) return done({ ok: false, rejection: throttled(call, step, table.config) }, ioMs);
          continue;
        }
        attempt = 1;
        index++;
        addConsumed(table, step.api, units);
        table.second.latency.set(step.api, latencyMs);
        if (step.size === 'response') estimated.push({ step, units });
        else if (step.size === 'request' && !isCollection(step)) learn(table, call.requestBytes);
      }
      done({ ok: true, ticket: { call, plan, cacheHit, estimated } }, ioMs);
    };
    next();
  }

  private estimateBytes(step: DynamoStep, table: TableState, call: CallDescription): number {
    switch (step.size) {
      case 'request':
        return call.requestBytes;
      case 'response':
        return isCollection(step) ? (this.responseBytes.get(call.operation) ?? table.itemBytes) : table.itemBytes;
      case 'item':
        return table.itemBytes;
      case 'request-or-item':
        return Math.max(call.requestBytes, table.itemBytes);
    }
  }

  /** Writes epoch second `second` into the history (the recorder calls this once the second is over). */
  closeSecond(second: number, history: MetricHistory): void {
    const { names, pods, cache } = this.config;
    const pod = this.pods.closeSecond(second);
    const podDims = { ClusterName: names.cluster, Namespace: names.namespace, PodName: names.podName };
    const serviceDims = { ClusterName: names.cluster, Namespace: names.namespace, Service: names.service };
    const ci = CONTAINER_INSIGHTS.namespace;
    history.put({ namespace: ci, metricName: CONTAINER_INSIGHTS.metrics.podCpu, dimensions: podDims, statistic: 'Average', unit: 'Percent' }, (pod.averageBusy * pods.cpuLimitMillicores * 100) / pods.nodeCpuMillicores);
    history.put({ namespace: ci, metricName: CONTAINER_INSIGHTS.metrics.podCpuOverLimit, dimensions: podDims, statistic: 'Average', unit: 'Percent' }, pod.averageBusy * 100);
    history.put({ namespace: ci, metricName: CONTAINER_INSIGHTS.metrics.podCpuOverLimit, dimensions: podDims, statistic: 'Maximum', unit: 'Percent' }, pod.maximumBusy * 100);
    history.put({ namespace: ci, metricName: CONTAINER_INSIGHTS.metrics.runningPods, dimensions: serviceDims, statistic: 'Average', unit: 'Count' }, pod.runningPods);
    const queue = MODEL_QUEUE.namespace;
    history.put({ namespace: queue, metricName: MODEL_QUEUE.metrics.queueLength, dimensions: serviceDims, statistic: 'Maximum', unit: 'Count' }, pod.maxQueued);
    history.put({ namespace: queue, metricName: MODEL_QUEUE.metrics.queueWait, dimensions: serviceDims, statistic: 'Average', unit: 'Milliseconds' }, pod.averageWaitMs);
    history.put({ namespace: queue, metricName: MODEL_QUEUE.metrics.rejected, dimensions: serviceDims, statistic: 'Sum', unit: 'Count' }, pod.rejected);

    const ddb = DYNAMODB.namespace;
    for (const kind of TABLE_KINDS) {
      const table = this.tables[kind];
      const dims = { TableName: table.config.tableName };
      const s = table.second;
      history.put({ namespace: ddb, metricName: DYNAMODB.metrics.consumedRead, dimensions: dims, statistic: 'Sum', unit: 'Count' }, s.read);
      history.put({ namespace: ddb, metricName: DYNAMODB.metrics.consumedWrite, dimensions: dims, statistic: 'Sum', unit: 'Count' }, s.write);
      history.put({ namespace: ddb, metricName: DYNAMODB.metrics.readThrottles, dimensions: dims, statistic: 'Sum', unit: 'Count' }, s.readThrottles);
      history.put({ namespace: ddb, metricName: DYNAMODB.metrics.writeThrottles, dimensions: dims, statistic: 'Sum', unit: 'Count' }, s.writeThrottles);
      if (table.config.mode === 'provisioned') {
        history.put({ namespace: ddb, metricName: DYNAMODB.metrics.provisionedRead, dimensions: dims, statistic: 'Average', unit: 'Count' }, table.config.rcu!);
        history.put({ namespace: ddb, metricName: DYNAMODB.metrics.provisionedWrite, dimensions: dims, statistic: 'Average', unit: 'Count' }, table.config.wcu!);
      }
      for (const [api, latency] of s.latency) {
        history.put({ namespace: ddb, metricName: DYNAMODB.metrics.latency, dimensions: { ...dims, Operation: api }, statistic: 'Average', unit: 'Milliseconds' }, latency);
      }
      table.second = emptySecond();
    }

    const redis = this.redis.takeSecond();
    const ec = ELASTICACHE.namespace;
    const cacheDims = { CacheClusterId: cache.clusterId };
    const engineBusy = (redis.commands * cache.cpuMsPerOp) / 1000;
    history.put({ namespace: ec, metricName: ELASTICACHE.metrics.hostCpu, dimensions: cacheDims, statistic: 'Average', unit: 'Percent' }, (engineBusy * 100) / cache.vcpus);
    history.put({ namespace: ec, metricName: ELASTICACHE.metrics.engineCpu, dimensions: cacheDims, statistic: 'Average', unit: 'Percent' }, Math.min(100, engineBusy * 100));
    history.put({ namespace: ec, metricName: ELASTICACHE.metrics.memoryUsage, dimensions: cacheDims, statistic: 'Average', unit: 'Percent' }, (this.redis.usedBytes * 100) / cache.memoryBytes);
    history.put({ namespace: ec, metricName: ELASTICACHE.metrics.evictions, dimensions: cacheDims, statistic: 'Sum', unit: 'Count' }, redis.evictions);
    history.put({ namespace: ec, metricName: ELASTICACHE.metrics.hits, dimensions: cacheDims, statistic: 'Sum', unit: 'Count' }, redis.hits);
    history.put({ namespace: ec, metricName: ELASTICACHE.metrics.misses, dimensions: cacheDims, statistic: 'Sum', unit: 'Count' }, redis.misses);
    history.put({ namespace: ec, metricName: ELASTICACHE.metrics.connections, dimensions: cacheDims, statistic: 'Average', unit: 'Count' }, pod.runningPods * cache.connectionsPerPod);
  }

  /** Every parameter the scaling analysis needs to size things, flat. */
  settings(): Record<string, number | string> {
    const { pods, dynamodb, cache, file } = this.config;
    const settings: Record<string, number | string> = {
      'model.file': file,
      'pods.min': pods.min,
      'pods.max': pods.max,
      'pods.initial': pods.initial,
      'pods.cpuLimitMillicores': pods.cpuLimitMillicores,
      'pods.cpuRequestMillicores': pods.cpuRequestMillicores,
      'pods.nodeCpuMillicores': pods.nodeCpuMillicores,
      'pods.queueLimit': pods.queueLimit,
      'pods.hpa.targetCpuPercent': pods.hpa.targetCpuPercent,
      'pods.hpa.periodSeconds': pods.hpa.periodSeconds,
      'pods.hpa.scaleUpDelaySeconds': pods.hpa.scaleUpDelaySeconds,
      'pods.hpa.scaleDownStabilizationSeconds': pods.hpa.scaleDownStabilizationSeconds,
      'dynamodb.latencyMs': dynamodb.latencyMs,
      'dynamodb.retry.maxAttempts': dynamodb.retry.maxAttempts,
      'dynamodb.retry.baseDelayMs': dynamodb.retry.baseDelayMs,
      'cache.clusterId': cache.clusterId,
      'cache.memoryBytes': cache.memoryBytes,
      'cache.vcpus': cache.vcpus,
      'cache.cpuMsPerOp': cache.cpuMsPerOp,
      'cache.ttlSeconds': cache.ttlSeconds,
    };
    for (const [operation, ms] of Object.entries(pods.cpuMs)) settings[`pods.cpuMs.${operation}`] = ms;
    for (const kind of TABLE_KINDS) {
      const table = dynamodb.tables[kind];
      const prefix = `dynamodb.${kind}`;
      settings[`${prefix}.tableName`] = table.tableName;
      settings[`${prefix}.mode`] = table.mode;
      settings[`${prefix}.gsiCount`] = table.gsiCount;
      settings[`${prefix}.burstSeconds`] = table.burstSeconds;
      if (table.rcu !== undefined) settings[`${prefix}.rcu`] = table.rcu;
      if (table.wcu !== undefined) settings[`${prefix}.wcu`] = table.wcu;
      if (table.maxRcu !== undefined) settings[`${prefix}.maxRcu`] = table.maxRcu;
      if (table.maxWcu !== undefined) settings[`${prefix}.maxWcu`] = table.maxWcu;
    }
    return settings;
  }
}

function newTableState(config: TableConfig, clock: ModelClock): TableState {
  const provisioned = config.mode === 'provisioned';
  const rate = (units: number | undefined) => (units === undefined ? undefined : new TokenBucket(units, provisioned ? config.burstSeconds : 1, clock));
  return {
    config,
    read: rate(provisioned ? config.rcu : config.maxRcu),
    write: rate(provisioned ? config.wcu : config.maxWcu),
    itemBytes: config.itemBytes,
    second: emptySecond(),
    totals: { read: 0, write: 0, readThrottles: 0, writeThrottles: 0 },
  };
}

function emptySecond(): TableState['second'] {
  return { read: 0, write: 0, readThrottles: 0, writeThrottles: 0, latency: new Map() };
}

function isCollection(step: DynamoStep | undefined): boolean {
  return step?.api === 'Query' || step?.api === 'Scan';
}

/**
 * DynamoDB's units for one item (or a Query/Scan's whole answer): eventually consistent reads
 * 0.5 per started 4 KB; writes 1 per started KB, written again to each GSI.
 */
export function unitsFor(step: DynamoStep, table: TableState | { config: TableConfig }, bytes: number): number {
  if (READ_APIS.has(step.api)) return Math.max(1, Math.ceil(bytes / 4096)) * 0.5;
  return Math.max(1, Math.ceil(bytes / 1024)) * (1 + table.config.gsiCount);
}

function addConsumed(table: TableState, api: DynamoApi, units: number): void {
  if (READ_APIS.has(api)) {
    table.second.read += units;
    table.totals.read += units;
  } else {
    table.second.write += units;
    table.totals.write += units;
  }
}

function learn(table: TableState, bytes: number): void {
  if (bytes > 0) table.itemBytes += (bytes - table.itemBytes) * LEARNING_RATE;
}

// An overloaded origin behind the port's load balancer: its 503, and UNAVAILABLE over gRPC
// (the status grpc-go clients get for an HTTP 503 and for a server refusing work).
const ELB_503_BODY =
  '<html>\r\n<head><title>503 Service Temporarily Unavailable</title></head>\r\n<body>\r\n<center><h1>503 Service Temporarily Unavailable</h1></center>\r\n</body>\r\n</html>\r\n';

function overloaded(queueLimit: number): Rejection {
  return {
    reason: 'overloaded',
    grpcCode: status.UNAVAILABLE,
    grpcMessage: `overloaded: every pod is busy and ${queueLimit} requests are already queued (component model)`,
    http: { status: 503, headers: { Server: 'awselb/2.0', 'Content-Type': 'text/html', 'Content-Length': Buffer.byteLength(ELB_503_BODY) }, body: ELB_503_BODY },
  };
}

// A throttled DynamoDB call: the port's own answer for that step over HTTP; over gRPC
// RESOURCE_EXHAUSTED, gRPC's status for an exhausted quota or rate (what Google's Datastore,
// upstream Open Saves' store, returns when a throughput limit is hit).
function throttled(call: CallDescription, step: DynamoStep, table: TableConfig): Rejection {
  const what = READ_APIS.has(step.api) ? 'read' : 'write';
  const grpcMessage = `ProvisionedThroughputExceededException: ${step.api} on ${table.tableName} exceeded its provisioned ${what} capacity (component model)`;
  const body = `${call.transport === 'http' ? step.throttled!.message : grpcMessage}\n`;
  return {
    reason: 'throttled',
    grpcCode: status.RESOURCE_EXHAUSTED,
    grpcMessage,
    http: { status: step.throttled!.status, headers: { 'Content-Type': 'text/plain; charset=utf-8', 'Content-Length': Buffer.byteLength(body) }, body },
  };
}
