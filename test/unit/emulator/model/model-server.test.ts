// The component model around a running emulator, over real HTTP and gRPC on 127.0.0.1,
// on a fake clock: DynamoDB throttles with the port's answers, the pod queue delays and
// overflows, /metrics/history carries CloudWatch names and the settings, and --model parses.
import { status } from '@grpc/grpc-js';
import { spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { ServerMetricsHistory } from '../../../../catalogue/server-metrics.js';
import { parseArgs } from '../../../../emulator/cli-args.js';
import { ManualClock } from '../../../../emulator/model/clock.js';
import { parseModel } from '../../../../emulator/model/config.js';
import { startServer, type ServerHandle } from '../../../../emulator/server.js';
import { REPO_ROOT } from '../../../helpers/emulator-process.js';
import { failure, seedRecord, TestClient } from '../support/client.js';

let server: ServerHandle | undefined;
let client: TestClient | undefined;
afterEach(async () => {
  client?.close();
  client = undefined;
  await server?.close();
  server = undefined;
});

async function start(model: unknown, clock = new ManualClock(Date.now())): Promise<{ server: ServerHandle; clock: ManualClock; client: TestClient }> {
  server = await startServer({ grpcPort: 0, httpPort: 0, capacity: { model: parseModel(model, 'test-model.json'), clock } });
  client = new TestClient(server.grpcAddress);
  return { server, clock, client };
}

const free = { pods: { initial: 2, max: 2, cpuMs: { default: 0 } }, dynamodb: { latencyMs: 0 } };
const post = (url: string, body: unknown) => fetch(url, { method: 'POST', body: JSON.stringify(body) });

describe('DynamoDB throttling', () => {
  it('answers a throttled record write as the port does (HTTP 500, nothing stored) and RESOURCE_EXHAUSTED over gRPC, until the bucket refills', async () => {
    // 6 WCU with 1 s of burst: two 1 KB records (3 WCU each, 2 GSIs), then throttled.
    const { server, clock, client } = await start({ ...free, dynamodb: { latencyMs: 0, retry: { maxAttempts: 1 }, tables: { records: { mode: 'provisioned', rcu: 100, wcu: 6, burstSeconds: 1 } } } });
    const base = `${server.httpUrl}/api/stores`;
    expect((await post(base, { store_id: 's1', name: 'one' })).status).toBe(201);
    expect((await post(`${base}/s1/records`, { record_id: 'r1', properties: { a: 1 } })).status).toBe(201);
    expect((await post(`${base}/s1/records`, { record_id: 'r2', properties: { a: 1 } })).status).toBe(201);
    const throttled = await post(`${base}/s1/records`, { record_id: 'r3', properties: { a: 1 } });
    expect(throttled.status).toBe(500);
    expect(await throttled.text()).toBe('Failed to create record\n');
    expect(server.state.getRecord('s1', 'r3')).toBeUndefined();

    const error = await failure(client.unary('CreateRecord', { storeKey: 's1', record: { key: 'g1' } }));
    expect(error.code).toBe(status.RESOURCE_EXHAUSTED);
    expect(error.details).toMatch(/^ProvisionedThroughputExceededException: PutItem on open-saves-records/);

    clock.advance(1000);
    expect((await post(`${base}/s1/records`, { record_id: 'r3', properties: { a: 1 } })).status).toBe(201);
    const metrics = await (await fetch(`${server.httpUrl}/metrics`)).text();
    expect(metrics).toMatch(/^opensaves_model_throttled_requests_total\{table="open-saves-records",kind="write"\} 2$/m);
  });
});

describe('pods', () => {
  const slow = { pods: { min: 1, max: 1, initial: 1, cpuLimitMillicores: 1000, queueLimit: 1, cpuMs: { default: 1000 } }, dynamodb: { latencyMs: 0 } };

  it('delays a request by its CPU time, queues the next, and refuses one more with the load balancer\'s 503 / UNAVAILABLE', async () => {
    const { server, clock, client } = await start(slow);
    const model = server.gate!.model!;
    const url = `${server.httpUrl}/api/stores`;
    let firstDone = false;
    const first = fetch(url).then((r) => ((firstDone = true), r.status));
    await vi.waitFor(() => expect(clock.pendingTimers).toBeGreaterThan(1));
    const second = fetch(url).then((r) => r.status);
    await vi.waitFor(() => expect(model.pods.queued()).toBe(1));
    const refused = await fetch(url);
    expect(refused.status).toBe(503);
    expect(refused.headers.get('server')).toBe('awselb/2.0');
    expect(await refused.text()).toContain('503 Service Temporarily Unavailable');
    expect((await failure(client.unary('Ping', { ping: 'p' }))).code).toBe(status.UNAVAILABLE);
    expect(firstDone).toBe(false);

    clock.advance(1000);
    expect(await first).toBe(200);
    clock.advance(1000);
    expect(await second).toBe(200);
    expect(model.pods.rejectedTotal).toBe(2);
  });
});

describe('gRPC streams', () => {
  it('admits CreateBlob at the end of the upload and GetBlob before its first message, charging the record item they update and read', async () => {
    const { server, client } = await start(free);
    const { storeKey, recordKey } = await seedRecord(client);
    const model = server.gate!.model!;
    const { write, read } = model.tables.records.totals;
    await client.upload('CreateBlob', [{ metadata: { storeKey, recordKey, size: 5 } }, { content: Buffer.from('hello') }]);
    expect(model.tables.records.totals.write - write).toBe(3); // the record update, 2 GSIs
    expect(model.tables.records.totals.read - read).toBe(0.5); // the record read before it
    const download = await client.download<{ content?: Buffer }>('GetBlob', { storeKey, recordKey, hint: { skipCache: true } });
    expect(download.code).toBe(status.OK);
    expect(model.tables.records.totals.read - read).toBe(1); // skip_cache: read from the table
  });

  it('refuses an upload when every pod is busy and the queue is full, and keeps none of its bytes', async () => {
    const { server, client, clock } = await start({ pods: { min: 1, max: 1, initial: 1, queueLimit: 0, cpuMs: { default: 1000 } }, dynamodb: { latencyMs: 0 } });
    const pending = client.unary('Ping', { ping: 'p' });
    await vi.waitFor(() => expect(clock.pendingTimers).toBeGreaterThan(1));
    const refused = await failure(client.upload('CreateBlob', [{ metadata: { storeKey: 's', recordKey: 'r', size: 4 } }, { content: Buffer.from('data') }]));
    expect(refused.code).toBe(status.UNAVAILABLE);
    expect(server.state.budget.usedBytes).toBe(0);
    clock.advance(2000);
    expect(await pending).toEqual({ pong: 'p' });
  });
});

describe('GET /metrics/history', () => {
  it('answers ServerMetricsHistory with CloudWatch names and dimensions, 1 s periods, the settings, and the window asked for', async () => {
    const clock = new ManualClock(Math.ceil(Date.now() / 1000) * 1000);
    const { server, client } = await start(
      {
        pods: { initial: 2, cpuLimitMillicores: 500, cpuMs: { default: 5 } },
        dynamodb: { latencyMs: 0, tables: { records: { mode: 'provisioned', rcu: 50, wcu: 30 } } },
        waf: { limit: 100, windowSeconds: 60 },
      },
      clock,
    );
    const t0 = clock.now();
    // Each call waits 10 ms of model time on a pod (5 ms of CPU at 500m): move the clock once it is queued.
    const settle = async <T>(pending: Promise<T>): Promise<T> => {
      await vi.waitFor(() => expect(clock.pendingTimers).toBeGreaterThan(1));
      clock.advance(10);
      return pending;
    };
    expect((await settle(post(`${server.httpUrl}/api/stores`, { store_id: 'h', name: 'h' }))).status).toBe(201);
    await settle(client.unary('CreateRecord', { storeKey: 'h', record: { key: 'r' } }));
    clock.advance(1980);
    const answer = await fetch(`${server.httpUrl}/metrics/history?from=${t0}&to=${t0 + 1000}`);
    expect(answer.status).toBe(200);
    const history = (await answer.json()) as ServerMetricsHistory;
    expect(history).toMatchObject({ source: 'emulator-model', from: t0, to: t0 + 1000, periodSeconds: 1 });
    const find = (namespace: string, metricName: string, dimensions: Record<string, string>, statistic = 'Sum') =>
      history.series.find((s) => s.namespace === namespace && s.metricName === metricName && s.statistic === statistic && JSON.stringify(s.dimensions) === JSON.stringify(dimensions));
    expect(find('AWS/DynamoDB', 'ConsumedWriteCapacityUnits', { TableName: 'open-saves-records' })?.points).toEqual([[t0, 3]]);
    expect(find('AWS/DynamoDB', 'ProvisionedWriteCapacityUnits', { TableName: 'open-saves-records' }, 'Average')?.points).toEqual([[t0, 30]]);
    expect(find('AWS/DynamoDB', 'WriteThrottleEvents', { TableName: 'open-saves-records' })?.points).toEqual([[t0, 0]]);
    // Two calls of 5 ms CPU on 500m pods: 20 ms busy over 2 pods in one second = 1 % of the limit.
    const podCpu = find('ContainerInsights', 'pod_cpu_utilization_over_pod_limit', { ClusterName: 'open-saves-cluster', Namespace: 'open-saves', PodName: 'open-saves' }, 'Average');
    expect(podCpu?.points).toEqual([[t0, 1]]);
    expect(find('ContainerInsights', 'pod_cpu_utilization', { ClusterName: 'open-saves-cluster', Namespace: 'open-saves', PodName: 'open-saves' }, 'Average')?.points).toEqual([[t0, 0.25]]);
    expect(find('ContainerInsights', 'service_number_of_running_pods', { ClusterName: 'open-saves-cluster', Namespace: 'open-saves', Service: 'open-saves' }, 'Average')?.points).toEqual([[t0, 2]]);
    expect(find('AWS/WAFV2', 'AllowedRequests', { WebACL: 'OpenSavesCloudfrontWAF-amd64', Rule: 'ALL' })?.points).toEqual([[t0, 1]]);
    expect(find('AWS/WAFV2', 'BlockedRequests', { WebACL: 'OpenSavesCloudfrontWAF-amd64', Rule: 'CFRateLimitRule' })?.points).toEqual([[t0, 0]]);
    expect(find('AWS/ElastiCache', 'CacheHits', { CacheClusterId: 'open-saves-cache-001' })).toBeDefined();
    expect(find('AWS/ElastiCache', 'CurrConnections', { CacheClusterId: 'open-saves-cache-001' }, 'Average')?.points).toEqual([[t0, 20]]);
    expect(find('OpenSaves/EmulatorModel', 'RequestQueueLength', { ClusterName: 'open-saves-cluster', Namespace: 'open-saves', Service: 'open-saves' }, 'Maximum')).toBeDefined();
    expect(history.settings).toMatchObject({
      'pods.min': 2,
      'pods.max': 10,
      'pods.cpuLimitMillicores': 500,
      'pods.hpa.targetCpuPercent': 70,
      'dynamodb.records.mode': 'provisioned',
      'dynamodb.records.rcu': 50,
      'dynamodb.records.wcu': 30,
      'dynamodb.stores.mode': 'on-demand',
      'cache.memoryBytes': 536_870_912,
      'waf.limit': 100,
      'waf.windowSeconds': 60,
    });

    const everything = (await (await fetch(`${server.httpUrl}/metrics/history`)).json()) as ServerMetricsHistory;
    expect(everything.to - everything.from).toBeGreaterThanOrEqual(2000);
  });

  it('refuses a bad from or to with 400 naming it, and answers 404 without a model', async () => {
    const { server: modelled } = await start(free);
    const bad = await fetch(`${modelled.httpUrl}/metrics/history?from=yesterday`);
    expect(bad.status).toBe(400);
    expect(await bad.text()).toBe('invalid from: expected epoch milliseconds (an integer >= 0), got `yesterday`\n');
    const backwards = await fetch(`${modelled.httpUrl}/metrics/history?from=2000&to=1000`);
    expect(backwards.status).toBe(400);
    expect(await backwards.text()).toMatch(/^invalid to: expected a time >= from \(2000\)/);
    await modelled.close();
    client?.close();
    client = undefined;
    const plain = (server = await startServer({ grpcPort: 0, httpPort: 0 }));
    expect(plain.gate).toBeUndefined();
    const none = await fetch(`${plain.httpUrl}/metrics/history`);
    expect(none.status).toBe(404);
    expect(await none.text()).toMatch(/--model/);
  });
});

describe('--model', () => {
  const optionsOf = (...args: string[]) => {
    const result = parseArgs(args);
    if (result.help) throw new Error('unexpected help');
    return result.options;
  };
  const dir = mkdtempSync(join(tmpdir(), 'model-'));

  it('alone loads data/aws-port-model.json; with a path, that file; the WAF flags override the file\'s rule', () => {
    const builtIn = optionsOf('--model', '--grpc-port', '0').capacity;
    expect(builtIn?.model?.file).toMatch(/data\/aws-port-model\.json$/);
    expect(builtIn?.model?.pods).toMatchObject({ min: 2, max: 10, initial: 2, cpuLimitMillicores: 500 });
    expect(builtIn?.model?.waf).toMatchObject({ limit: 2000, windowSeconds: 300 });
    const file = join(dir, 'small.json');
    writeFileSync(file, JSON.stringify({ pods: { initial: 3, max: 4 }, waf: { limit: 10, windowSeconds: 60 } }));
    const given = optionsOf(`--model=${file}`, '--waf-limit', '50').capacity;
    expect(given?.model?.pods.initial).toBe(3);
    expect(given?.waf).toEqual({ limit: 50, windowSeconds: 60 });
    expect(optionsOf().capacity).toBeUndefined();
  });

  it('names the file and field of a bad model file, and a missing file', () => {
    const file = join(dir, 'bad.json');
    writeFileSync(file, JSON.stringify({ dynamodb: { tables: { records: { mode: 'provisioned', rcu: 5, wcu: -1 } } } }));
    expect(() => optionsOf('--model', file)).toThrow(`invalid model file ${file}, field dynamodb.tables.records.wcu; reason: expected a number of write capacity units >= 1`);
    expect(() => optionsOf('--model', join(dir, 'absent.json'))).toThrow(`cannot read model file ${join(dir, 'absent.json')}: ENOENT`);
    writeFileSync(file, '{ pods: 1 }');
    expect(() => optionsOf('--model', file)).toThrow(`model file ${file} is not JSON`);
  });

  it('makes the emulator exit 2 with that one line for a bad model file', async () => {
    const file = join(dir, 'bad-cli.json');
    writeFileSync(file, JSON.stringify({ pods: { queueLimit: 'many' } }));
    const child = spawn(process.execPath, ['--import', 'tsx', 'emulator/main.ts', '--model', file], { cwd: REPO_ROOT });
    let stderr = '';
    child.stderr.on('data', (piece: Buffer) => (stderr += piece.toString()));
    const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
    expect(code).toBe(2);
    expect(stderr).toBe(`emulator: invalid model file ${file}, field pods.queueLimit; reason: expected an integer >= 0, got "many"\n`);
  });
});
