// /metrics contents, the byte budget (RESOURCE_EXHAUSTED / HTTP 507) and
// injected faults, each against a running target.
import { status } from '@grpc/grpc-js';
import { afterEach, describe, expect, it } from 'vitest';
import { parseFaultSetting } from '../../../target/cli-args.js';
import { failure, seedRecord, startTestTarget, uniqueKey, type TestTarget } from './support/client.js';
import type { FaultOptions } from '../../../target/faults.js';

let target: TestTarget | undefined;
afterEach(async () => {
  await target?.stop();
  target = undefined;
});

const metricsText = async (t: TestTarget) => (await fetch(`${t.server.httpUrl}/metrics`)).text();

function faults(spec: Partial<Record<keyof FaultOptions, string>>): FaultOptions {
  const setting = (raw: string | undefined) => parseFaultSetting('--test', raw, () => true, 'any');
  return { latencyMs: setting(spec.latencyMs), latencyJitterMs: setting(spec.latencyJitterMs), errorRate: setting(spec.errorRate) };
}

describe('/metrics', () => {
  it('counts RPCs by method and code, HTTP requests by route and status, and reports state gauges', async () => {
    target = await startTestTarget();
    const { storeKey } = await seedRecord(target.client);
    await failure(target.client.unary('GetRecord', { storeKey, key: 'absent' }));
    await fetch(`${target.server.httpUrl}/api/stores/${storeKey}`);
    const text = await metricsText(target);
    expect(text).toMatch(/^# TYPE opensaves_rpc_total counter$/m);
    expect(text).toMatch(/^opensaves_rpc_total\{method="CreateRecord",code="OK"\} 1$/m);
    expect(text).toMatch(/^opensaves_rpc_total\{method="GetRecord",code="NOT_FOUND"\} 1$/m);
    expect(text).toMatch(/^opensaves_http_requests_total\{route="GET \/api\/stores\/\{store_id\}",status="200"\} 1$/m);
    expect(text).toMatch(/^opensaves_stores 1$/m);
    expect(text).toMatch(/^opensaves_records 1$/m);
    expect(text).toMatch(/^opensaves_blob_bytes 0$/m);
    expect(target.server.calls.GetRecord).toBe(1);
  });
});

describe('byte budget', () => {
  it('fails writes past --max-bytes with RESOURCE_EXHAUSTED and HTTP 507, and frees space on delete', async () => {
    target = await startTestTarget({ maxBytes: 20_000 });
    const { storeKey, recordKey } = await seedRecord(target.client);
    const big = { key: uniqueKey('r'), opaqueString: 'x'.repeat(30_000) };
    const error = await failure(target.client.unary('CreateRecord', { storeKey, record: big }));
    expect(error.code).toBe(status.RESOURCE_EXHAUSTED);
    expect(error.details).toMatch(/--max-bytes/);

    const blob = target.client.upload('CreateBlob', [{ metadata: { storeKey, recordKey, size: 30_000 } }, { content: Buffer.alloc(30_000) }]);
    expect((await failure(blob)).code).toBe(status.RESOURCE_EXHAUSTED);

    const put = await fetch(`${target.server.httpUrl}/api/stores/${storeKey}/records/${recordKey}/blobs/b`, {
      method: 'PUT',
      body: Buffer.alloc(30_000),
    });
    expect(put.status).toBe(507);

    // Failed writes left nothing reserved; a small write still fits; a delete gives its bytes back.
    const used = target.server.state.budget.usedBytes;
    expect(used).toBeLessThan(2_000);
    const small = uniqueKey('r');
    await target.client.unary('CreateRecord', { storeKey, record: { key: small, opaqueString: 'x'.repeat(5_000) } });
    expect(target.server.state.budget.usedBytes).toBeGreaterThan(used + 5_000);
    await target.client.unary('DeleteRecord', { storeKey, key: small });
    expect(target.server.state.budget.usedBytes).toBe(used);
  });
});

describe('fault injection', () => {
  it('fails only the named method with UNAVAILABLE at error rate 1', async () => {
    target = await startTestTarget({ faults: faults({ errorRate: 'GetRecord=1' }) });
    const { storeKey, recordKey } = await seedRecord(target.client);
    const error = await failure(target.client.unary('GetRecord', { storeKey, key: recordKey }));
    expect(error.code).toBe(status.UNAVAILABLE);
    await expect(target.client.unary('Ping', { ping: 'p' })).resolves.toEqual({ pong: 'p' });
    expect(await metricsText(target)).toMatch(/opensaves_rpc_total\{method="GetRecord",code="UNAVAILABLE"\} 1/);
  });

  it('fails streams and HTTP routes too, but never /health', async () => {
    target = await startTestTarget({ faults: faults({ errorRate: '1' }) });
    expect((await target.client.download('GetBlob', { storeKey: 's', recordKey: 'r' })).code).toBe(status.UNAVAILABLE);
    expect((await failure(target.client.upload('CreateBlob', [{ metadata: { size: 1 } }, { content: Buffer.from('x') }]))).code).toBe(
      status.UNAVAILABLE,
    );
    expect((await fetch(`${target.server.httpUrl}/api/stores`)).status).toBe(503);
    expect((await fetch(`${target.server.httpUrl}/health`)).status).toBe(200);
  });

  it('adds the configured latency to the named method only', async () => {
    target = await startTestTarget({ faults: faults({ latencyMs: 'Ping=400' }) });
    const time = async (action: () => Promise<unknown>) => {
      const start = performance.now();
      await action();
      return performance.now() - start;
    };
    await target.client.unary('GetStore', { key: 'warm-up' }).catch(() => undefined);
    expect(await time(() => target!.client.unary('Ping', {}))).toBeGreaterThanOrEqual(395);
    // Well under the injected 400 ms even on a busy machine.
    expect(await time(() => target!.client.unary('ListStores', { name: 'x' }).catch(() => undefined))).toBeLessThan(300);
  });
});
