// /metrics contents, the byte budget (RESOURCE_EXHAUSTED / HTTP 507) and
// injected faults, each against a running emulator.
import { status } from '@grpc/grpc-js';
import { afterEach, describe, expect, it } from 'vitest';
import { parseFaultSetting } from '../../../emulator/cli-args.js';
import { failure, seedRecord, startTestEmulator, uniqueKey, type TestEmulator } from './support/client.js';
import type { FaultOptions } from '../../../emulator/faults.js';

let emulator: TestEmulator | undefined;
afterEach(async () => {
  await emulator?.stop();
  emulator = undefined;
});

const metricsText = async (t: TestEmulator) => (await fetch(`${t.server.httpUrl}/metrics`)).text();

function faults(spec: Partial<Record<keyof FaultOptions, string>>): FaultOptions {
  const setting = (raw: string | undefined) => parseFaultSetting('--test', raw, () => true, 'any');
  return { latencyMs: setting(spec.latencyMs), latencyJitterMs: setting(spec.latencyJitterMs), errorRate: setting(spec.errorRate) };
}

describe('/metrics', () => {
  it('counts RPCs by method and code, HTTP requests by route and status, and reports state gauges', async () => {
    emulator = await startTestEmulator();
    const { storeKey } = await seedRecord(emulator.client);
    await failure(emulator.client.unary('GetRecord', { storeKey, key: 'absent' }));
    await fetch(`${emulator.server.httpUrl}/api/stores/${storeKey}`);
    const text = await metricsText(emulator);
    expect(text).toMatch(/^# TYPE opensaves_rpc_total counter$/m);
    expect(text).toMatch(/^opensaves_rpc_total\{method="CreateRecord",code="OK"\} 1$/m);
    expect(text).toMatch(/^opensaves_rpc_total\{method="GetRecord",code="NOT_FOUND"\} 1$/m);
    expect(text).toMatch(/^opensaves_http_requests_total\{route="GET \/api\/stores\/\{store_id\}",status="200"\} 1$/m);
    expect(text).toMatch(/^opensaves_stores 1$/m);
    expect(text).toMatch(/^opensaves_records 1$/m);
    expect(text).toMatch(/^opensaves_blob_bytes 0$/m);
    expect(emulator.server.calls.GetRecord).toBe(1);
  });
});

describe('byte budget', () => {
  it('fails writes past --max-bytes with RESOURCE_EXHAUSTED and HTTP 507, and frees space on delete', async () => {
    emulator = await startTestEmulator({ maxBytes: 20_000 });
    const { storeKey, recordKey } = await seedRecord(emulator.client);
    const big = { key: uniqueKey('r'), opaqueString: 'x'.repeat(30_000) };
    const error = await failure(emulator.client.unary('CreateRecord', { storeKey, record: big }));
    expect(error.code).toBe(status.RESOURCE_EXHAUSTED);
    expect(error.details).toMatch(/--max-bytes/);

    const blob = emulator.client.upload('CreateBlob', [{ metadata: { storeKey, recordKey, size: 30_000 } }, { content: Buffer.alloc(30_000) }]);
    expect((await failure(blob)).code).toBe(status.RESOURCE_EXHAUSTED);

    const put = await fetch(`${emulator.server.httpUrl}/api/stores/${storeKey}/records/${recordKey}/blobs/b`, {
      method: 'PUT',
      body: Buffer.alloc(30_000),
    });
    expect(put.status).toBe(507);

    // Failed writes left nothing reserved; a small write still fits; a delete gives its bytes back.
    const used = emulator.server.state.budget.usedBytes;
    expect(used).toBeLessThan(2_000);
    const small = uniqueKey('r');
    await emulator.client.unary('CreateRecord', { storeKey, record: { key: small, opaqueString: 'x'.repeat(5_000) } });
    expect(emulator.server.state.budget.usedBytes).toBeGreaterThan(used + 5_000);
    await emulator.client.unary('DeleteRecord', { storeKey, key: small });
    expect(emulator.server.state.budget.usedBytes).toBe(used);
  });
});

describe('fault injection', () => {
  it('fails only the named method with UNAVAILABLE at error rate 1', async () => {
    emulator = await startTestEmulator({ faults: faults({ errorRate: 'GetRecord=1' }) });
    const { storeKey, recordKey } = await seedRecord(emulator.client);
    const error = await failure(emulator.client.unary('GetRecord', { storeKey, key: recordKey }));
    expect(error.code).toBe(status.UNAVAILABLE);
    await expect(emulator.client.unary('Ping', { ping: 'p' })).resolves.toEqual({ pong: 'p' });
    expect(await metricsText(emulator)).toMatch(/opensaves_rpc_total\{method="GetRecord",code="UNAVAILABLE"\} 1/);
  });

  it('fails streams and HTTP routes too, but never /health', async () => {
    emulator = await startTestEmulator({ faults: faults({ errorRate: '1' }) });
    expect((await emulator.client.download('GetBlob', { storeKey: 's', recordKey: 'r' })).code).toBe(status.UNAVAILABLE);
    expect((await failure(emulator.client.upload('CreateBlob', [{ metadata: { size: 1 } }, { content: Buffer.from('x') }]))).code).toBe(
      status.UNAVAILABLE,
    );
    expect((await fetch(`${emulator.server.httpUrl}/api/stores`)).status).toBe(503);
    expect((await fetch(`${emulator.server.httpUrl}/health`)).status).toBe(200);
  });

  it('adds the configured latency to the named method only', async () => {
    emulator = await startTestEmulator({ faults: faults({ latencyMs: 'Ping=400' }) });
    const time = async (action: () => Promise<unknown>) => {
      const start = performance.now();
      await action();
      return performance.now() - start;
    };
    await emulator.client.unary('GetStore', { key: 'warm-up' }).catch(() => undefined);
    expect(await time(() => emulator!.client.unary('Ping', {}))).toBeGreaterThanOrEqual(395);
    // Well under the injected 400 ms even on a busy machine.
    expect(await time(() => emulator!.client.unary('ListStores', { name: 'x' }).catch(() => undefined))).toBeLessThan(300);
  });
});
