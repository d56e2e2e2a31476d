// The model's parts on a fake clock: token buckets, the pod queue, the HPA, the Redis
// node, capacity units per operation, the per-second history and the model file's validation.
import { describe, expect, it } from 'vitest';
import { HTTP_FAULT_NAMES } from '../../../../emulator/cli-args.js';
import { ManualClock } from '../../../../emulator/model/clock.js';
import { ComponentModel, type Admission } from '../../../../emulator/model/component-model.js';
import { loadModelFile, parseModel, type ModelConfig } from '../../../../emulator/model/config.js';
import { MetricHistory } from '../../../../emulator/model/history.js';
import { PodPool } from '../../../../emulator/model/pods.js';
import { HTTP_OPERATION_NAMES, type CallDescription } from '../../../../emulator/model/port-operations.js';
import { RedisModel } from '../../../../emulator/model/redis.js';
import { TokenBucket } from '../../../../emulator/model/token-bucket.js';

const model = (json: unknown): ModelConfig => parseModel(json, 'test.json');

describe('TokenBucket', () => {
  it('starts full with rate x burst, refuses when short, refills at the rate and charges corrections into debt', () => {
    const clock = new ManualClock();
    const bucket = new TokenBucket(10, 2, clock);
    expect(bucket.capacity).toBe(20);
    expect(bucket.take(15)).toBe(true);
    expect(bucket.take(6)).toBe(false);
    expect(bucket.take(5)).toBe(true);
    expect(bucket.take(0.5)).toBe(false);
    clock.advance(500);
    expect(bucket.available).toBeCloseTo(5);
    bucket.charge(8);
    expect(bucket.available).toBeCloseTo(-3);
    expect(bucket.take(1)).toBe(false);
    clock.advance(10_000);
    expect(bucket.available).toBe(20);
  });
});

describe('PodPool', () => {
  const pods = (overrides: object = {}) =>
    model({ pods: { min: 1, max: 4, initial: 1, cpuLimitMillicores: 500, queueLimit: 2, cpuMs: { default: 100 }, ...overrides } }).pods;

  it('serves one request at a time per pod at the speed of its CPU limit, queues FIFO and refuses past the queue limit', () => {
    const clock = new ManualClock(1_000_000);
    const pool = new PodPool(pods(), clock);
    expect(pool.serviceMs(100)).toBe(200);
    expect(pool.schedule(100)).toEqual({ startAt: 1_000_000, endAt: 1_000_200 });
    expect(pool.schedule(100)).toEqual({ startAt: 1_000_200, endAt: 1_000_400 });
    expect(pool.schedule(100)).toEqual({ startAt: 1_000_400, endAt: 1_000_600 });
    expect(pool.queued()).toBe(2);
    expect(pool.schedule(100)).toBeUndefined();
    expect(pool.rejectedTotal).toBe(1);
    clock.advance(200);
    expect(pool.queued()).toBe(1);
    expect(pool.schedule(100)).toEqual({ startAt: 1_000_600, endAt: 1_000_800 });
  });

  it('reports each second\'s busy share, queue and waits', () => {
    const clock = new ManualClock(1_000_000);
    const pool = new PodPool(pods({ queueLimit: 10 }), clock);
    for (let i = 0; i < 4; i++) pool.schedule(100);
    const second = pool.closeSecond(1000);
    expect(second).toMatchObject({ runningPods: 1, averageBusy: 0.8, maximumBusy: 0.8, maxQueued: 3, startedRequests: 4, rejected: 0 });
    expect(second.averageWaitMs).toBe((0 + 200 + 400 + 600) / 4);
  });

  it('HPA: adds pods after the delay when CPU over the period is above target, and not before', () => {
    const clock = new ManualClock(0);
    const config = pods({ queueLimit: 1000, cpuRequestMillicores: 500, hpa: { targetCpuPercent: 50, periodSeconds: 5, scaleUpDelaySeconds: 10, scaleDownStabilizationSeconds: 0 } });
    const pool = new PodPool(config, clock);
    // 100 % busy for 5 s: desired = ceil(1 * 100 / 50) = 2.
    for (let s = 0; s < 5; s++) {
      for (let i = 0; i < 5; i++) pool.schedule(100);
      clock.advance(1000);
      pool.closeSecond(s);
    }
    expect(pool.replicas).toBe(2);
    expect(pool.running()).toBe(1);
    clock.advance(9_000);
    expect(pool.running()).toBe(1);
    clock.advance(1_000);
    expect(pool.running()).toBe(2);
  });

  it('HPA: measures utilisation against the CPU request, scales down after the stabilization window, stays within min..max', () => {
    const clock = new ManualClock(0);
    // Request 100m, limit 500m: a pod 20 % busy is at 100 % of its request.
    const config = pods({ min: 1, max: 3, initial: 1, queueLimit: 1000, cpuRequestMillicores: 100, hpa: { targetCpuPercent: 70, periodSeconds: 1, scaleUpDelaySeconds: 0, scaleDownStabilizationSeconds: 3 } });
    const pool = new PodPool(config, clock);
    pool.schedule(100); // 200 ms busy
    clock.advance(1000);
    pool.closeSecond(0);
    expect(pool.replicas).toBe(2); // ceil(1 * 100 / 70)
    for (let s = 1; s <= 2; s++) {
      pool.schedule(500);
      pool.schedule(500);
      clock.advance(1000);
      pool.closeSecond(s);
    }
    expect(pool.replicas).toBe(3); // capped at max
    for (let s = 3; s <= 5; s++) {
      clock.advance(1000);
      pool.closeSecond(s);
    }
    // Idle, but the window still holds the recommendation of 3.
    expect(pool.replicas).toBe(3);
    for (let s = 6; s <= 8; s++) {
      clock.advance(1000);
      pool.closeSecond(s);
    }
    expect(pool.replicas).toBe(1);
  });
});

describe('RedisModel', () => {
  const cache = (memoryBytes: number) => model({ cache: { memoryBytes, keyOverheadBytes: 0, ttlSeconds: 10 } }).cache;

  it('evicts the least recently used keys past maxmemory and counts hits, misses and evictions', () => {
    const clock = new ManualClock();
    const redis = new RedisModel(cache(2048), clock);
    redis.set('a', 599); // 600 bytes with the key
    redis.set('b', 599);
    redis.set('c', 599);
    expect(redis.get('a')).toBe(true); // a is now the most recently used
    redis.set('d', 599); // 2400 > 2048: b goes
    expect(redis.get('b')).toBe(false);
    expect(redis.get('a')).toBe(true);
    expect(redis.usedBytes).toBe(1800);
    expect(redis.takeSecond()).toEqual({ hits: 2, misses: 1, evictions: 1, commands: 7 });
    clock.advance(10_000);
    expect(redis.get('a')).toBe(false); // TTL
    expect(redis.keys).toBe(2);
  });
});

describe('capacity units per operation', () => {
  const call = (operation: string, extra: Partial<CallDescription> = {}): CallDescription => ({ transport: 'http', operation, params: ['s', 'r'], requestBytes: 0, ...extra });
  const admit = (m: ComponentModel, c: CallDescription): Admission => {
    let result: Admission | undefined;
    m.admit(c, (admission) => (result = admission));
    return result!;
  };
  const zeroCost = { pods: { initial: 2, cpuMs: { default: 0 } }, dynamodb: { latencyMs: 0 } };

  it('charges a record create like the port: 2 store reads, a 1 KB record written to 2 GSIs, the record count read and written', () => {
    const m = new ComponentModel(model(zeroCost), new ManualClock());
    const admission = admit(m, call('HttpCreateRecord', { requestBytes: 900 }));
    expect(admission.ok).toBe(true);
    expect(m.tables.stores.totals.read).toBe(1); // 2 x 0.5
    expect(m.tables.records.totals.write).toBe(3); // 1 KB x (1 + 2 GSIs)
    expect(m.tables.metadata.totals).toMatchObject({ read: 0.5, write: 1 });
    // 2.5 KB: 3 units per copy.
    admit(m, call('HttpCreateRecord', { requestBytes: 2500 }));
    expect(m.tables.records.totals.write).toBe(3 + 9);
  });

  it('corrects a read by the size it answered with: 0.5 RCU per started 4 KB', () => {
    const m = new ComponentModel(model(zeroCost), new ManualClock());
    const admission = admit(m, call('HttpGetRecord'));
    if (!admission.ok) throw new Error('refused');
    expect(m.tables.records.totals.read).toBe(0.5);
    m.finish(admission.ticket, { ok: true, responseBytes: 9000 });
    expect(m.tables.records.totals.read).toBe(1.5);
  });

  it('throttles a provisioned table with the port\'s answer: 404 where any read failure is "not found", 500 for a failed write, RESOURCE_EXHAUSTED over gRPC', () => {
    const m = new ComponentModel(
      model({ ...zeroCost, dynamodb: { latencyMs: 0, retry: { maxAttempts: 1 }, tables: { records: { mode: 'provisioned', rcu: 1, wcu: 3, burstSeconds: 1 } } } }),
      new ManualClock(),
    );
    expect(admit(m, call('HttpCreateRecord', { requestBytes: 500 })).ok).toBe(true);
    const refused = admit(m, call('HttpCreateRecord', { requestBytes: 500 }));
    expect(refused.ok).toBe(false);
    if (refused.ok) return;
    expect(refused.rejection.http.status).toBe(500);
    expect(refused.rejection.http.body).toBe('Failed to create record\n');
    expect(refused.rejection.grpcCode).toBe(8);
    expect(m.tables.records.totals.writeThrottles).toBe(1);
    expect(admit(m, call('HttpGetRecord')).ok).toBe(true);
    expect(admit(m, call('HttpGetRecord')).ok).toBe(true);
    const read = admit(m, call('HttpGetRecord'));
    expect(read.ok).toBe(false);
    if (!read.ok) expect(read.rejection.http).toMatchObject({ status: 404, body: 'record not found\n' });
    const rpc = admit(m, { transport: 'grpc', operation: 'UpdateRecord', request: { storeKey: 's', record: { key: 'r' } }, requestBytes: 100 });
    expect(rpc.ok).toBe(false);
    if (!rpc.ok) expect(rpc.rejection.grpcMessage).toMatch(/^ProvisionedThroughputExceededException: .* open-saves-records/);
  });

  it('retries a throttled call after the SDK\'s doubling backoff, counting each throttled attempt, and fails it once the attempts are spent', () => {
    const clock = new ManualClock();
    const m = new ComponentModel(
      model({ ...zeroCost, dynamodb: { latencyMs: 0, retry: { maxAttempts: 3, baseDelayMs: 50 }, tables: { records: { mode: 'provisioned', rcu: 10, wcu: 30, burstSeconds: 1 } } } }),
      clock,
    );
    const results: Array<boolean> = [];
    const create = () => m.admit(call('HttpCreateRecord', { requestBytes: 500 }), (a) => results.push(a.ok));
    for (let i = 0; i < 10; i++) create(); // 30 WCU: the bucket is empty
    expect(results).toEqual(Array(10).fill(true));
    create();
    expect(results).toHaveLength(10);
    clock.advance(50); // 1.5 WCU back: still short
    expect(results).toHaveLength(10);
    clock.advance(100); // 3 more: the third attempt gets through
    expect(results).toEqual(Array(11).fill(true));
    expect(m.tables.records.totals.writeThrottles).toBe(2);
    create(); // 1.5 WCU left: throttled once, through after 50 ms
    clock.advance(50);
    expect(results).toHaveLength(12);
    expect(m.tables.records.totals.writeThrottles).toBe(3);
    // Starve the bucket: three attempts in 150 ms cannot find 3 WCU when each refill is taken first.
    m.tables.records.write!.charge(100);
    create();
    clock.advance(150);
    expect(results.at(-1)).toBe(false);
  });

  it('serves gRPC GetRecord from the modelled Redis after a write cached it, with no DynamoDB read', () => {
    const m = new ComponentModel(model(zeroCost), new ManualClock());
    const request = { storeKey: 's', record: { key: 'r', properties: {} } };
    const write = admit(m, { transport: 'grpc', operation: 'CreateRecord', request, requestBytes: 300 });
    if (!write.ok) throw new Error('refused');
    m.finish(write.ticket, { ok: true, responseBytes: 300 });
    const read = admit(m, { transport: 'grpc', operation: 'GetRecord', request: { storeKey: 's', key: 'r' }, requestBytes: 10 });
    expect(read.ok && read.ticket.cacheHit).toBe(true);
    expect(m.tables.records.totals.read).toBe(0);
    const skipped = admit(m, { transport: 'grpc', operation: 'GetRecord', request: { storeKey: 's', key: 'r', hint: { skipCache: true } }, requestBytes: 10 });
    expect(skipped.ok && skipped.ticket.cacheHit).toBe(false);
    expect(m.tables.records.totals.read).toBe(0.5);
  });

  it('knows every HTTP operation name the transports use', () => {
    expect([...HTTP_OPERATION_NAMES].sort()).toEqual([...HTTP_FAULT_NAMES].sort());
  });
});

describe('MetricHistory', () => {
  it('keeps the newest seconds in a ring and answers a window [from, to)', () => {
    const history = new MetricHistory(3);
    const key = { namespace: 'N', metricName: 'M', dimensions: { D: 'd' }, statistic: 'Sum', unit: 'Count' };
    for (let second = 100; second < 105; second++) {
      history.beginSecond(second);
      history.put(key, second - 100);
    }
    expect(history.oldestStartMs).toBe(102_000);
    expect(history.newestEndMs).toBe(105_000);
    const answer = history.query(0, 104_000, 'emulator-model', { a: 1 });
    expect(answer).toEqual({
      source: 'emulator-model',
      from: 0,
      to: 104_000,
      periodSeconds: 1,
      series: [{ ...key, points: [[102_000, 2], [103_000, 3]] }],
      settings: { a: 1 },
    });
  });
});

describe('model file validation', () => {
  const fails = (json: unknown) => () => model(json);

  it('names the file, the field, the expected form and what it got', () => {
    expect(fails({ pods: { min: 0 } })).toThrow('invalid model file test.json, field pods.min; reason: expected an integer >= 1, got 0');
    expect(fails({ pods: { min: 3, max: 2 } })).toThrow('field pods.max; reason: expected an integer >= pods.min (3), got 2');
    expect(fails({ pods: { cpuMs: { GetRecrod: 3 } } })).toThrow('field pods.cpuMs.GetRecrod; reason: expected "default", an RPC name');
    expect(fails({ dynamodb: { tables: { records: { mode: 'provisioned', rcu: 10 } } } })).toThrow(
      'field dynamodb.tables.records.wcu; reason: expected a number of write capacity units >= 1 (provisioned mode needs rcu and wcu), got nothing',
    );
    expect(fails({ dynamodb: { tables: { records: { mode: 'auto' } } } })).toThrow('field dynamodb.tables.records.mode; reason: expected "provisioned" or "on-demand", got "auto"');
    expect(fails({ dynamodb: { tables: { records: { wcu: 5 } } } })).toThrow('field dynamodb.tables.records.wcu; reason: expected no wcu on an on-demand table');
    expect(fails({ cache: { memoryBytes: '1g' } })).toThrow('field cache.memoryBytes; reason: expected an integer >= 1024, got "1g"');
    expect(fails({ pod: {} })).toThrow('field pod; reason: expected one of the fields historySeconds, names, pods, dynamodb, cache, waf, got "pod"');
    expect(fails([])).toThrow('field (top level); reason: expected a JSON object, got []');
  });

  it('loads the default model and the scaling-test models', () => {
    const port = loadModelFile('data/aws-port-model.json');
    expect(port.pods).toMatchObject({ min: 2, max: 10, initial: 2, cpuLimitMillicores: 500, cpuRequestMillicores: 100 });
    expect(Object.values(port.dynamodb.tables).map((table) => table.mode)).toEqual(['on-demand', 'on-demand', 'on-demand']);
    expect(port.waf).toMatchObject({ limit: 2000, windowSeconds: 300 });
    const writes = loadModelFile('test/fixtures/models/dynamodb-writes-first.json');
    expect(writes.dynamodb.tables.records).toMatchObject({ mode: 'provisioned', wcu: 30, burstSeconds: 2 });
    const pods = loadModelFile('test/fixtures/models/pods-first.json');
    expect(pods.pods).toMatchObject({ min: 1, max: 1, cpuLimitMillicores: 500, cpuMs: { default: 10 } });
  });

  it('fills what a file leaves out with the port as deployed', () => {
    const config = model({});
    expect(config.pods).toMatchObject({ min: 2, max: 10, initial: 2, cpuLimitMillicores: 500, cpuRequestMillicores: 100 });
    expect(config.pods.hpa.targetCpuPercent).toBe(70);
    expect(config.dynamodb.tables.records).toMatchObject({ tableName: 'open-saves-records', mode: 'on-demand', gsiCount: 2 });
    expect(config.waf).toBeUndefined();
  });
});
